package io.kmemsim.engine.trace;

/**
 * What a line of a text trace is, for the counts {@code kmemsim trace stats} prints. Every line a
 * tracing tool prints falls in one kind; a line that fits none is an input error.
 */
public enum LineKind {
    /** An event kmemsim reads ({@code kmem}, {@code vmscan}, {@code compaction}). */
    EVENT("events read"),
    /** An event of another tracepoint (e.g. {@code sched_switch}), skipped. */
    OTHER_EVENT("other tracepoints"),
    /** The ftrace header block ({@code # tracer:}, {@code # entries-in-buffer/entries-written}, the column
     * legend), {@code trace-cmd report} headers ({@code cpus=}, {@code version =}, {@code CPU n is empty}),
     * {@code perf script --header} lines. */
    HEADER("header lines"),
    /** Empty lines (perf script separates samples with them). */
    BLANK("blank lines"),
    /** {@code <stack trace>} / {@code <user stack trace>} lines of the stacktrace option. */
    STACK_TRACE("stack trace heads"),
    /** {@code  => function} frames under a stack trace. */
    STACK_FRAME("stack trace frames"),
    /** {@code perf script -g} callchain frames ({@code ffffffff81234567 func+0x12 ([kernel.kallsyms])}). */
    CALLCHAIN_FRAME("callchain frames"),
    /** {@code function_graph} tracer output: {@code  1)   0.417 us    |  func();}, separators, task switches. */
    FUNCTION_GRAPH("function_graph lines"),
    /** {@code tracing_mark_write} markers. */
    MARKER("markers"),
    /** {@code CPU:N [LOST M EVENTS]} (ftrace) and {@code CPU:N [M EVENTS DROPPED]} (trace-cmd) notices. */
    LOST_EVENTS("lost-event notices"),
    /** Lines outside the {@code --from-marker}/{@code --to-marker} window (events not returned). */
    OUTSIDE_WINDOW("events outside the marker window");

    private final String label;

    LineKind(String label) {
        this.label = label;
    }

    /** How {@code trace stats} names the kind. */
    public String label() {
        return label;
    }
}
