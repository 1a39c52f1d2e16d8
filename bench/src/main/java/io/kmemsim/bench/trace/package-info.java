/**
 * JMH benchmarks of trace reading and replay: ftrace text parsing, binary trace reading, replay of a
 * binary trace into the {@code buddy} allocator, and the shared generated trace corpus and 8 GiB bench
 * machine (docs/performance.md, sections "trace parsing" and "replay").
 */
package io.kmemsim.bench.trace;
