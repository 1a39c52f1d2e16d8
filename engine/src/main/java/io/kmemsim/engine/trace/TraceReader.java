package io.kmemsim.engine.trace;

import java.util.List;
import java.util.Map;

/**
 * A streaming reader of trace events. Reads one record at a time into a caller's flyweight; memory
 * stays flat however long the trace is.
 *
 * <p>A malformed record stops reading with an {@link io.kmemsim.engine.InputException} naming the
 * file, the line, the line's text and what was expected — unless the reader was opened to skip bad
 * lines, in which case it counts them by reason ({@link #skipped()}).
 */
public interface TraceReader extends AutoCloseable {

    /**
     * Reads the next event kmemsim knows into {@code into}, skipping comments and other events.
     *
     * @return false at the end of the trace
     */
    boolean next(TraceRecord into);

    /** Lines (text) or records (binary) read so far. */
    long position();

    /** The file read, as named in messages. */
    default String source() {
        return "trace";
    }

    /** Lines skipped as malformed, by reason (empty unless skipping was asked for). */
    Map<String, Long> skipped();

    /** Events of other tracepoints seen and ignored (e.g. {@code sched_switch}). */
    long otherEvents();

    /** Lines read so far by kind (text readers; empty for the binary format). */
    default Map<LineKind, Long> lineKinds() {
        return Map.of();
    }

    /**
     * Events the tracer lost, by CPU: from {@code CPU:N [LOST M EVENTS]} notices and trace-cmd's
     * {@code [M EVENTS DROPPED]}; key −1 holds losses the trace reports without a CPU (the ftrace header's
     * {@code entries-in-buffer/entries-written} difference). Empty when nothing was lost.
     */
    default Map<Integer, Long> lostEvents() {
        return Map.of();
    }

    /** Lost-event notices that did not say how many events were lost (trace-cmd {@code [EVENTS DROPPED]}). */
    default long lostUncounted() {
        return 0;
    }

    /** The {@code trace_marker} writes seen so far, in order (at most the first 10 000). */
    default List<TraceMarker> markers() {
        return List.of();
    }

    /** Events of the {@code vmscan} and {@code compaction} systems seen so far, by type. */
    default Map<TraceEventType, Long> reclaimEvents() {
        return Map.of();
    }

    @Override
    void close();
}
