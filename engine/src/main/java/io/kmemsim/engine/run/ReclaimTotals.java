package io.kmemsim.engine.run;

/**
 * What the loop saw of reclaim.
 *
 * @param reclaimedBlocks live page allocations the allocator freed by reclaim or the OOM killer
 * @param reclaimedPages  their pages
 * @param oomKilledBlocks those freed by the OOM killer
 * @param accesses        PAGE_ACCESS events of live allocations
 * @param unknownAccesses PAGE_ACCESS events whose allocation was not live
 * @param writebacks      WRITEBACK events
 */
public record ReclaimTotals(long reclaimedBlocks, long reclaimedPages, long oomKilledBlocks, long accesses,
                            long unknownAccesses, long writebacks) {

    /** Nothing reclaimed, accessed or written back. */
    public static final ReclaimTotals NONE = new ReclaimTotals(0, 0, 0, 0, 0, 0);
}
