package io.kmemsim.engine.trace;

/**
 * How a text trace is read.
 *
 * @param skipBad    count malformed lines by reason instead of stopping at the first
 * @param fromMarker return only events after the first {@code trace_marker} whose text contains this
 *                   (null: from the start)
 * @param toMarker   stop at the first marker after the start whose text contains this (null: to the end)
 * @param allSystems also return {@code vmscan} and {@code compaction} records from {@link TraceReader#next};
 *                   otherwise they are parsed, checked and counted ({@link TraceReader#reclaimEvents()}) only
 */
public record TraceReadOptions(boolean skipBad, String fromMarker, String toMarker, boolean allSystems) {

    /** Strict, whole trace, kmem events only. */
    public static final TraceReadOptions DEFAULT = new TraceReadOptions(false, null, null, false);

    /** Only {@code skipBad} set. */
    public static TraceReadOptions skipBad(boolean skipBad) {
        return new TraceReadOptions(skipBad, null, null, false);
    }
}
