package io.kmemsim.api.mm;

import org.apiguardian.api.API;

/**
 * Told when the allocator frees a live block on its own — reclaim dropped a page cache page, or the OOM
 * killer freed a victim's memory — so whoever holds its handle forgets it.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
@FunctionalInterface
public interface ReclaimListener {

    /** The live block of {@code 2^order} pages at {@code pfn} was freed by reclaim ({@code oomKill}: by the OOM killer). */
    void reclaimed(long pfn, int order, boolean oomKill);

    /**
     * Reclaim evicted the page cache block at {@code pfn}, leaving {@code shadow} (the eviction counter and
     * PG_workingset, {@code workingset_eviction}, mm/workingset.c 6.1). By default {@link #reclaimed}. Since 0.2.
     */
    default void evicted(long pfn, int order, long shadow) {
        reclaimed(pfn, order, false);
    }
}
