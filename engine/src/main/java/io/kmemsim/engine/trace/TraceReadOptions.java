package io.kmemsim.engine.trace;

import io.kmemsim.api.kernel.PageSize;

/**
 * How a text trace is read.
 *
 * @param skipBad    count malformed lines by reason instead of stopping at the first
 * @param fromMarker return only events after the first {@code trace_marker} whose text contains this
 *                   (null: from the start)
 * @param toMarker   stop at the first marker after the start whose text contains this (null: to the end)
 * @param allSystems also return {@code vmscan} and {@code compaction} records from {@link TraceReader#next};
 *                   otherwise they are parsed, checked and counted ({@link TraceReader#reclaimEvents()}) only
 * @param pageSize   the traced kernel's page size, which sets the largest order a line may have
 *                   ({@code ARCH_FORCE_MAX_ORDER} of arm64 with 16K or 64K pages); null: 4 KiB
 */
public record TraceReadOptions(boolean skipBad, String fromMarker, String toMarker, boolean allSystems, PageSize pageSize) {

    /** Strict, whole trace, kmem events only, 4 KiB pages. */
    public static final TraceReadOptions DEFAULT = new TraceReadOptions(false, null, null, false);

    /** Options for a kernel with 4 KiB pages. */
    public TraceReadOptions(boolean skipBad, String fromMarker, String toMarker, boolean allSystems) {
        this(skipBad, fromMarker, toMarker, allSystems, null);
    }

    /** Only {@code skipBad} set. */
    public static TraceReadOptions skipBad(boolean skipBad) {
        return new TraceReadOptions(skipBad, null, null, false);
    }

    /** These options for a kernel with {@code size} pages. */
    public TraceReadOptions withPageSize(PageSize size) {
        return new TraceReadOptions(skipBad, fromMarker, toMarker, allSystems, size);
    }
}
