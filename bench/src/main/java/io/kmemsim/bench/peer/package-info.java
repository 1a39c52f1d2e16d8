/**
 * Peers measured in the same JMH run as kmemsim's hot paths, so the project reports ratios, not absolute times
 * taken on different days and machines: Netty's pooled allocator, the best-known Java buddy-style page allocator.
 */
package io.kmemsim.bench.peer;
