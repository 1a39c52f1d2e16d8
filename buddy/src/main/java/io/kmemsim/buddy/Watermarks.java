package io.kmemsim.buddy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;

/**
 * The zone watermark checks of a {@link BuddyPageAllocator}: {@code __zone_watermark_unusable_free},
 * {@code __zone_watermark_ok} and {@code zone_watermark_fast} ({@code mm/page_alloc.c}), per the version's
 * rules. Reads the zone counters and the free-list counts; writes nothing.
 */
final class Watermarks {

    private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();
    private static final int CMA = MigrateType.CMA.ordinal();

    private final KernelRules rules;
    private final FreeLists lists;
    private final int maxOrder;
    // the rules the order-0 check reads, held here so the pcp fast path does not go through rules
    private final int reserveRightsMask;
    private final boolean unusableFreeHighatomic;
    private final boolean fastCheckClamped;

    Watermarks(KernelRules rules, FreeLists lists) {
        this.rules = rules;
        this.lists = lists;
        this.maxOrder = rules.maxOrder;
        this.reserveRightsMask = rules.allocFlagsReworked ? AllocFlags.RESERVES : AllocFlags.NON_BLOCK | AllocFlags.OOM;
        this.unusableFreeHighatomic = rules.unusableFreeHighatomic;
        this.fastCheckClamped = rules.fastCheckClamped;
    }

    long unusableFree(BuddyZone z, int o, int allocFlags) {
        long unusable = (1L << o) - 1;
        if ((allocFlags & reserveRightsMask) == 0) { // !AllocFlags.hasReserveRights
            unusable += unusableFreeHighatomic ? z.freeHighatomic : z.reservedHighatomic;
        }
        if ((allocFlags & AllocFlags.CMA) == 0) {
            unusable += z.freeCma;
        }
        return unusable;
    }

    /** {@code __zone_watermark_ok}. */
    boolean zoneWatermarkOk(BuddyZone z, int o, long mark, int highestIdx, int allocFlags, long free) {
        free -= unusableFree(z, o, allocFlags);
        long min = AllocFlags.reduceMin(mark, allocFlags, rules);
        if (free <= min + z.lowmemReserve[highestIdx]) {
            return false;
        }
        return o == 0 || freeBlockAtOrAbove(z, o, allocFlags);
    }

    /** The order part of {@code __zone_watermark_ok}: a free block of order {@code o} or more on a list the request may use. */
    boolean freeBlockAtOrAbove(BuddyZone z, int o, int allocFlags) {
        boolean cma = (allocFlags & AllocFlags.CMA) != 0;
        boolean highatomic = AllocFlags.mayUseHighatomicList(allocFlags, rules);
        for (int cur = o; cur <= maxOrder; cur++) {
            if (lists.nrFree(z.index, cur) == 0) {
                continue;
            }
            for (int mt = 0; mt < MigrateType.PCPTYPES; mt++) {
                if (lists.nrFree(z.index, cur, mt) > 0) {
                    return true;
                }
            }
            if ((cma && lists.nrFree(z.index, cur, CMA) > 0) || (highatomic && lists.nrFree(z.index, cur, HIGHATOMIC) > 0)) {
                return true;
            }
        }
        return false;
    }

    /** The order-0 shortcut of {@code zone_watermark_fast}: usable free pages above the mark and the lowmem reserve. */
    boolean order0Ok(BuddyZone z, long mark, int highestIdx, int allocFlags) {
        long free = z.freePages;
        long reserved = unusableFree(z, 0, allocFlags);
        long usable = fastCheckClamped ? free - Math.min(free, reserved) : free - reserved;
        return usable > mark + z.lowmemReserve[highestIdx];
    }

    /** {@code zone_watermark_fast}. */
    boolean zoneWatermarkFast(BuddyZone z, int o, long mark, int highestIdx, int allocFlags, int gfp) {
        long free = z.freePages;
        if (o == 0 && order0Ok(z, mark, highestIdx, allocFlags)) {
            return true;
        }
        if (zoneWatermarkOk(z, o, mark, highestIdx, allocFlags, free)) {
            return true;
        }
        boolean retry = rules.boostRetryByGfpAtomic ? (gfp & Gfp.ATOMIC) != 0 : (allocFlags & AllocFlags.MIN_RESERVE) != 0;
        if (o == 0 && retry && z.boost > 0 && (allocFlags & AllocFlags.WMARK_MASK) == AllocFlags.WMARK_MIN) {
            return zoneWatermarkOk(z, o, z.watermark[AllocFlags.WMARK_MIN], highestIdx, allocFlags, free);
        }
        return false;
    }
}
