/** JMH benchmarks of the {@code buddy} page allocator's hot paths. */
package io.kmemsim.bench.buddy;
