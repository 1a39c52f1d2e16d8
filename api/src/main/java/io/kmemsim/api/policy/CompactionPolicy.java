package io.kmemsim.api.policy;

import org.apiguardian.api.API;

/**
 * Decides when and how the page allocator compacts memory: direct compaction after a failed costly
 * allocation, background compaction on ticks (kcompactd, proactive compaction), and a whole-node
 * {@code compact_memory}. The policy drives the scanners; the allocator moves pages through
 * {@link CompactionContext}.
 *
 * <p>Called by the allocator's thread only; the context is valid only during the call.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface CompactionPolicy {

    /** A policy that never compacts. */
    CompactionPolicy NONE = new CompactionPolicy() {
        @Override
        public CompactionResult compactDirect(int order, int gfp, CompactPriority priority, CompactionContext context) {
            return CompactionResult.NOT_ATTEMPTED;
        }

        @Override
        public void onTick(long nowNanos, CompactionContext context) {
        }

        @Override
        public void compactNode(CompactionContext context) {
        }
    };

    /**
     * Direct compaction at {@code priority} for an allocation of {@code order} with {@code gfp} that
     * just failed the free lists (the allocator calls it as the kernel's slow path does: at ASYNC, then
     * at SYNC_LIGHT; mm/page_alloc.c: __alloc_pages_slowpath() (6.1)). The allocator retries the free lists after a result other than
     * {@link CompactionResult#NOT_ATTEMPTED}, {@link CompactionResult#SKIPPED} and
     * {@link CompactionResult#DEFERRED}, and reports the outcome with {@link #afterCompaction}.
     */
    CompactionResult compactDirect(int order, int gfp, CompactPriority priority, CompactionContext context);

    /**
     * The allocation that {@link #compactDirect} compacted for did ({@code allocated}) or did not get
     * its block on the retry (the kernel's {@code compact_success} / {@code compact_fail} and
     * deferral reset). By default nothing.
     */
    default void afterCompaction(int order, int gfp, boolean allocated, CompactionContext context) {
    }

    /**
     * An allocation of {@code order} entered the slow path and would wake kswapd, whose pass ends by
     * waking kcompactd for that order ({@code wakeup_kcompactd}); the policy may record it and act on
     * its next {@link #onTick}. By default nothing.
     */
    default void wakeKcompactd(int order, int highestZoneIndex) {
    }

    /** Periodic background work at simulated time {@code nowNanos} (kcompactd wakes, proactive compaction). */
    void onTick(long nowNanos, CompactionContext context);

    /** Compacts every zone of the node completely ({@code /proc/sys/vm/compact_memory}). */
    void compactNode(CompactionContext context);
}
