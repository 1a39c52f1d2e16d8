/**
 * End-to-end throughput: whole {@code Simulation} runs of the default scenario and of trace replays,
 * and the generator of trace files for timing {@code ./kmemsim run} (docs/performance.md, section
 * "end to end").
 */
package io.kmemsim.bench.endtoend;
