/**
 * Kernel trace readers and writers: ftrace / trace-cmd / perf script text of the {@code kmem} events,
 * and kmemsim's compact binary trace format (docs/trace-format.md). Readers stream: memory stays flat
 * however long the trace is.
 */
package io.kmemsim.engine.trace;
