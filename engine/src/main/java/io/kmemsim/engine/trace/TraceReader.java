package io.kmemsim.engine.trace;

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

    @Override
    void close();
}
