package io.kmemsim.engine.trace;

/**
 * A {@code trace_marker} write seen in a trace ({@code tracing_mark_write: TEXT} in ftrace and
 * trace-cmd, {@code ftrace:print} in perf script): a named instant.
 *
 * @param text      what was written, without the trailing newline
 * @param timeNanos the line's timestamp
 * @param cpu       the CPU column
 * @param line      the 1-based line number
 */
public record TraceMarker(String text, long timeNanos, int cpu, long line) {
}
