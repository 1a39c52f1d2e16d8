package io.kmemsim.buddy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.api.policy.ReclaimPolicy;

/**
 * {@code __alloc_pages_slowpath}. With a reclaim policy other than {@link ReclaimPolicy#NONE} it follows
 * 6.1's mm/page_alloc.c {@code __alloc_pages_slowpath} (see {@link ReclaimPath}); with NONE it is the
 * slow path without reclaim:
 *
 * <p>{@code __alloc_pages_slowpath} without reclaim (mm/page_alloc.c: __alloc_pages_slowpath(), __alloc_pages() (6.1)): the min
 * watermark with the version's reserve flags, reserve escalation for {@code __GFP_MEMALLOC}, direct
 * compaction through the compaction policy, "reclaim" that never makes progress (it drains the pcp
 * lists and unreserves highatomic blocks, counting {@code allocstall}), and the retry limits.
 *
 * <p>Notes: kswapd is not modelled beyond remembering that it was woken (a tick then clears the boost,
 * mm/page_alloc.c: boost_watermark() (6.1)); the OOM killer is not modelled, so a request that would reach it fails ({@code __GFP_NOFAIL}
 * included); compaction priorities are the policy's business (the first call is the async attempt, the
 * later ones sync-light). kcompactd is told of every slow-path entry that would wake kswapd.
 */
final class SlowPath {

    /** MAX_RECLAIM_RETRIES (include/linux/compaction.h: compact_gap() (6.1); mm/internal.h: ALLOC_WMARK_MASK (6.1)). */
    static final int MAX_RECLAIM_RETRIES = 16;

    private SlowPath() {
    }

    static int allocate(BuddyPageAllocator a, int order, int gfp, int mt, int hz) {
        if (a.reclaimPolicy != ReclaimPolicy.NONE) {
            return ReclaimPath.allocate(a, order, gfp, mt, hz);
        }
        int flags = AllocFlags.slowPath(gfp, order, MigrateType.of(mt), a.rules, a.cmaConfigured);
        if ((gfp & Gfp.KSWAPD_RECLAIM) != 0) {
            a.compactionPolicy.wakeKcompactd(order, hz);
        }
        int idx = a.getPageFromFreelist(order, gfp, flags, mt, hz);
        if (idx >= 0) {
            return idx;
        }
        boolean canReclaim = (gfp & Gfp.DIRECT_RECLAIM) != 0;
        boolean costly = order > PageOrders.COSTLY_ORDER;
        boolean escalate = (gfp & Gfp.MEMALLOC) != 0 && (gfp & Gfp.NOMEMALLOC) == 0;
        CompactionResult[] result = {CompactionResult.NOT_ATTEMPTED};
        boolean compactionAllowed = order > 0 && (gfp & Gfp.IO) != 0;
        if (canReclaim && compactionAllowed && !escalate && (costly || mt != MigrateType.MOVABLE.ordinal())) {
            idx = a.compactAndRetry(order, gfp, flags, mt, hz, CompactPriority.ASYNC, result);
            if (idx >= 0) {
                return idx;
            }
            if (costly && (gfp & Gfp.NORETRY) != 0
                    && (result[0] == CompactionResult.SKIPPED || result[0] == CompactionResult.DEFERRED)) {
                return -1;
            }
        }
        if (escalate) {
            flags = AllocFlags.NO_WATERMARKS | (flags & (AllocFlags.KSWAPD | AllocFlags.CMA));
        }
        int noProgress = 0;
        while (true) {
            idx = a.getPageFromFreelist(order, gfp, flags, mt, hz);
            if (idx >= 0 || !canReclaim) {
                return idx;
            }
            idx = reclaimWithoutProgress(a, order, gfp, flags, mt, hz);
            if (idx >= 0) {
                return idx;
            }
            if (compactionAllowed) {
                idx = a.compactAndRetry(order, gfp, flags, mt, hz, CompactPriority.SYNC_LIGHT, result);
                if (idx >= 0) {
                    return idx;
                }
            }
            if ((gfp & Gfp.NORETRY) != 0 || (costly && (gfp & Gfp.RETRY_MAYFAIL) == 0)) {
                return -1;
            }
            if (++noProgress > MAX_RECLAIM_RETRIES || !someZoneWouldPass(a, order, hz, flags)) {
                if (!Highatomic.unreserve(a, hz, mt, true)) {
                    return -1;
                }
                noProgress = 0;
            }
        }
    }

    /** Direct reclaim that frees nothing: allocstall, unreserve (not forced), drain all pcp lists, retry (mm/page_alloc.c: __alloc_pages_slowpath() (6.1)). */
    private static int reclaimWithoutProgress(BuddyPageAllocator a, int order, int gfp, int flags, int mt, int hz) {
        a.allocstall[hz]++;
        Highatomic.unreserve(a, hz, mt, false);
        a.drainPerCpuLists();
        return a.getPageFromFreelist(order, gfp, flags, mt, hz);
    }

    /** {@code should_reclaim_retry}'s test with no reclaimable pages: some zone passes the min watermark. */
    private static boolean someZoneWouldPass(BuddyPageAllocator a, int order, int hz, int flags) {
        for (int zi = hz; zi >= 0; zi--) {
            BuddyZone z = a.zones[zi];
            if (z.managed > 0 && a.zoneWatermarkOk(z, order, z.mark(AllocFlags.WMARK_MIN), hz, flags, z.freePages)) {
                return true;
            }
        }
        return false;
    }
}
