package io.kmemsim.buddy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.CompactionResult;

/**
 * 6.1's {@code __alloc_pages_slowpath} (mm/page_alloc.c) with reclaim through the scenario's reclaim
 * policy: {@code wake_all_kswapds}, the first direct compaction at {@code INIT_COMPACT_PRIORITY}, then the
 * retry loop — {@code __alloc_pages_direct_reclaim} (the policy's {@code try_to_free_pages}; after progress
 * a failed retry unreserves highatomic blocks and drains the pcp lists, then retries once more), direct
 * compaction at the current priority, {@code should_reclaim_retry} (free plus reclaimable pages against the
 * min watermark, {@code MAX_RECLAIM_RETRIES}), {@code should_compact_retry} (only after reclaim progress),
 * with the {@code none} compaction policy the
 * CONFIG_COMPACTION=n variant (orders 1..3 retry while a zone meets its order-0 min watermark)), and
 * {@code __alloc_pages_may_oom} (a last attempt at the high watermark, then the policy's OOM killer for
 * non-costly requests that may use ZONE_NORMAL and do not carry {@code __GFP_RETRY_MAYFAIL} or
 * {@code __GFP_THISNODE}).
 *
 * <p>Notes: cpusets, memory cgroups, {@code PF_MEMALLOC} and the reclaim throttles are not modelled. A
 * {@code __GFP_NOFAIL} request that still fails tries {@code __alloc_pages_cpuset_fallback} at
 * {@code ALLOC_MIN_RESERVE} once and then fails, where the kernel would loop forever.
 */
final class ReclaimPath {

    private ReclaimPath() {
    }

    static int allocate(BuddyPageAllocator a, int order, int gfp, int mt, int hz) {
        int flags = AllocFlags.slowPath(gfp, order, MigrateType.of(mt), a.rules, a.cmaConfigured);
        boolean kswapd = (flags & AllocFlags.KSWAPD) != 0;
        if (kswapd) {
            a.reclaimPolicy.wakeKswapd(order, gfp, hz, a.reclaimContext);
        }
        int idx = a.getPageFromFreelist(order, gfp, flags, mt, hz);
        if (idx >= 0) {
            return idx;
        }
        boolean canReclaim = (gfp & Gfp.DIRECT_RECLAIM) != 0;
        boolean canCompact = (gfp & Gfp.IO) != 0;
        boolean costly = order > PageOrders.COSTLY_ORDER;
        boolean escalate = (gfp & Gfp.MEMALLOC) != 0 && (gfp & Gfp.NOMEMALLOC) == 0;
        CompactionResult[] result = {CompactionResult.SKIPPED};
        CompactPriority priority = CompactPriority.SYNC_LIGHT;
        if (canReclaim && canCompact && order > 0 && !escalate && (costly || mt != MigrateType.MOVABLE.ordinal())) {
            idx = a.compactAndRetry(order, gfp, flags, mt, hz, CompactPriority.ASYNC, result);
            if (idx >= 0) {
                return idx;
            }
            if (costly && (gfp & Gfp.NORETRY) != 0) {
                if (result[0] == CompactionResult.SKIPPED || result[0] == CompactionResult.DEFERRED) {
                    return -1;
                }
                priority = CompactPriority.ASYNC;
            }
        }
        int noProgressLoops = 0;
        int compactionRetries = 0;
        while (true) {
            if (kswapd) {
                a.reclaimPolicy.wakeKswapd(order, gfp, hz, a.reclaimContext);
            }
            if (escalate) {
                flags = AllocFlags.NO_WATERMARKS | (flags & (AllocFlags.KSWAPD | AllocFlags.CMA));
            }
            idx = a.getPageFromFreelist(order, gfp, flags, mt, hz);
            if (idx >= 0 || !canReclaim) {
                return idx;
            }
            long[] progress = {0};
            idx = directReclaim(a, order, gfp, flags, mt, hz, progress);
            if (idx >= 0) {
                return idx;
            }
            if (order > 0 && canCompact) {
                idx = a.compactAndRetry(order, gfp, flags, mt, hz, priority, result);
                if (idx >= 0) {
                    return idx;
                }
            } else if (order > 0) {
                result[0] = CompactionResult.SKIPPED;
            }
            if ((gfp & Gfp.NORETRY) != 0 || (costly && (!canCompact || (gfp & Gfp.RETRY_MAYFAIL) == 0))) {
                return -1;
            }
            noProgressLoops = RetryRules.noProgressLoops(progress[0] > 0, order, noProgressLoops);
            if (shouldReclaimRetry(a, order, hz, flags, noProgressLoops)) {
                continue;
            }
            if (progress[0] > 0 && canCompact && a.compactionPolicy == CompactionPolicy.NONE) {
                if (RetryRules.noCompactionRetryOrder(order) && someZoneAtMinOrderZero(a, hz, flags)) {
                    continue;
                }
            } else if (progress[0] > 0 && canCompact) {
                RetryRules.CompactRetry r = RetryRules.compactRetry(order, result[0], priority, compactionRetries,
                        result[0] == CompactionResult.SKIPPED && zonelistSuitable(a, order, hz, flags));
                priority = r.priority();
                compactionRetries = r.retries();
                if (r.retry()) {
                    continue;
                }
            }
            boolean[] oomProgress = {false};
            idx = mayOom(a, order, gfp, mt, hz, oomProgress);
            if (idx >= 0) {
                return idx;
            }
            if (oomProgress[0]) {
                noProgressLoops = 0;
                continue;
            }
            if ((gfp & Gfp.NOFAIL) != 0) {
                return a.getPageFromFreelist(order, gfp, AllocFlags.MIN_RESERVE | (flags & AllocFlags.CMA), mt, hz);
            }
            return -1;
        }
    }

    /** {@code __alloc_pages_direct_reclaim}: counts {@code allocstall_<zone>} and asks the policy. */
    private static int directReclaim(BuddyPageAllocator a, int order, int gfp, int flags, int mt, int hz, long[] progress) {
        a.allocstall[hz]++;
        progress[0] = a.reclaimPolicy.directReclaim(order, gfp, hz, a.reclaimContext);
        if (progress[0] <= 0) {
            return -1;
        }
        int idx = a.getPageFromFreelist(order, gfp, flags, mt, hz);
        if (idx >= 0) {
            return idx;
        }
        Highatomic.unreserve(a, hz, mt, false);
        a.drainPerCpuLists();
        return a.getPageFromFreelist(order, gfp, flags, mt, hz);
    }

    /**
     * {@code should_reclaim_retry} after the loop count was updated: false beyond {@code MAX_RECLAIM_RETRIES};
     * else true when some zone would pass its min watermark with its reclaimable pages added to its free
     * pages. When it answers no, a forced {@code unreserve_highatomic_pageblock} decides.
     */
    static boolean shouldReclaimRetry(BuddyPageAllocator a, int order, int hz, int flags, int loops) {
        if (!RetryRules.tooManyLoops(loops)) {
            for (int zi = hz; zi >= 0; zi--) {
                BuddyZone z = a.zones[zi];
                if (z.managed == 0) {
                    continue;
                }
                long available = z.freePages + a.reclaimPolicy.zoneReclaimablePages(zi, a.reclaimContext);
                if (a.zoneWatermarkOk(z, order, z.mark(AllocFlags.WMARK_MIN), hz, flags, available)) {
                    return true;
                }
            }
        }
        return Highatomic.unreserve(a, hz, MigrateType.MOVABLE.ordinal(), true);
    }

    /**
     * {@code compaction_zonelist_suitable} (6.1 mm/compaction.c): some zone passes
     * {@code __compaction_suitable} with its reclaimable pages counted as free — its watermark at the
     * request's level, or the order-0 min (low for costly orders) watermark plus {@code compact_gap(order)}.
     */
    static boolean zonelistSuitable(BuddyPageAllocator a, int order, int hz, int flags) {
        for (int zi = hz; zi >= 0; zi--) {
            BuddyZone z = a.zones[zi];
            if (z.managed == 0) {
                continue;
            }
            long available = z.freePages + a.reclaimPolicy.zoneReclaimablePages(zi, a.reclaimContext);
            if (a.zoneWatermarkOk(z, order, z.mark(flags & AllocFlags.WMARK_MASK), hz, flags, z.freePages)) {
                return true;
            }
            long mark = (order > PageOrders.COSTLY_ORDER ? z.mark(AllocFlags.WMARK_LOW) : z.mark(AllocFlags.WMARK_MIN))
                    + RetryRules.compactGap(order);
            if (a.zoneWatermarkOk(z, 0, mark, hz, AllocFlags.CMA, available)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The CONFIG_COMPACTION=n {@code should_compact_retry} (the {@code none} compaction policy): some zone
     * meets its min watermark at order 0 with the request's flags.
     */
    private static boolean someZoneAtMinOrderZero(BuddyPageAllocator a, int hz, int flags) {
        for (int zi = hz; zi >= 0; zi--) {
            BuddyZone z = a.zones[zi];
            if (z.managed > 0 && a.zoneWatermarkOk(z, 0, z.mark(AllocFlags.WMARK_MIN), hz, flags, z.freePages)) {
                return true;
            }
        }
        return false;
    }

    /** {@code __alloc_pages_may_oom} (6.1). */
    private static int mayOom(BuddyPageAllocator a, int order, int gfp, int mt, int hz, boolean[] progress) {
        int idx = a.getPageFromFreelist(order, (gfp | Gfp.HARDWALL) & ~Gfp.DIRECT_RECLAIM,
                AllocFlags.WMARK_HIGH | AllocFlags.CPUSET, mt, hz);
        if (idx >= 0) {
            return idx;
        }
        if (order > PageOrders.COSTLY_ORDER || (gfp & (Gfp.RETRY_MAYFAIL | Gfp.THISNODE)) != 0
                || a.zones[hz].type.ordinal() < ZoneType.NORMAL.ordinal()) {
            return -1;
        }
        progress[0] = a.reclaimPolicy.outOfMemory(order, gfp, a.reclaimContext);
        return -1;
    }
}
