/** JMH benchmarks of the SLUB object-cache plugin. */
package io.kmemsim.bench.slub;
