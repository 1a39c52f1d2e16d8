package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;

/**
 * The highatomic reserve (mm/page_alloc.c: reserve_highatomic_pageblock(), unreserve_highatomic_pageblock() (6.1)): reserving the pageblock of a successful
 * high-order atomic allocation, and giving reserved pageblocks back, plus the free-page moves both use
 * ({@code move_freepages_block}).
 */
final class Highatomic {

    private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();

    private Highatomic() {
    }

    /** {@code reserve_highatomic_pageblock} after a successful allocation of {@code order} at {@code idx}. */
    static void reserve(BuddyPageAllocator a, BuddyZone z, int idx, int order) {
        long pbn = 1L << a.pbo;
        long limit;
        if (a.rules.highatomicAlignedLimit) {
            long pct = z.managed / 100;
            if (pct < pbn) {
                return;
            }
            limit = (pct + pbn - 1) / pbn * pbn;
        } else {
            limit = z.managed / 100 + pbn;
        }
        if (z.reservedHighatomic >= limit) {
            return;
        }
        int mt = a.pageblockTypeAt(idx);
        if (!FreeLists.mergeable(mt)) {
            return;
        }
        if (a.rules.highatomicWholeAllocation && order >= a.pbo) {
            for (int p = idx; p < idx + (1 << order); p += 1 << a.pbo) {
                a.setPageblockType(p, HIGHATOMIC);
            }
            z.reservedHighatomic += 1L << order;
            z.refreshFastFloor();
            return;
        }
        if (a.rules.highatomicWholeAllocation && !pageblockInZone(a.lists, z, idx)) {
            return;
        }
        z.reservedHighatomic += pbn;
        z.refreshFastFloor();
        a.setPageblockType(idx, HIGHATOMIC);
        moveFreePagesOfPageblock(a.lists, z, idx, HIGHATOMIC);
    }

    /**
     * {@code unreserve_highatomic_pageblock}: for each zone of the zonelist, the first HIGHATOMIC free
     * block (by order) whose pageblock is still HIGHATOMIC is given back to {@code mt}.
     *
     * @return true when some free pages moved
     */
    static boolean unreserve(BuddyPageAllocator a, int highestIdx, int mt, boolean force) {
        long pbn = 1L << a.pbo;
        for (int zi = highestIdx; zi >= 0; zi--) {
            BuddyZone z = a.zones[zi];
            if (z.managed == 0 || (!force && z.reservedHighatomic <= pbn)) {
                continue;
            }
            for (int o = 0; o <= a.maxOrder; o++) {
                int idx = a.head(z, o, HIGHATOMIC);
                if (idx < 0) {
                    continue;
                }
                if (a.pageblockTypeAt(idx) == HIGHATOMIC) {
                    long step = a.rules.highatomicWholeAllocation ? Math.max(pbn, 1L << o) : pbn;
                    z.reservedHighatomic -= Math.min(step, z.reservedHighatomic);
                    z.refreshFastFloor();
                }
                int last = a.rules.highatomicWholeAllocation && o > a.pbo ? idx + (1 << o) - 1 : idx;
                for (int p = idx; p <= last; p += 1 << a.pbo) {
                    a.setPageblockType(p, mt);
                }
                int moved = 0;
                for (int p = idx; p <= last; p += 1 << a.pbo) {
                    moved += moveFreePagesOfPageblock(a.lists, z, p, mt);
                }
                if (moved > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when the whole pageblock containing {@code idx} lies inside the zone. */
    static boolean pageblockInZone(FreeLists a, BuddyZone z, int idx) {
        int start = idx & -(1 << a.pbo);
        return z.spans(start) && z.spans(start + (1 << a.pbo) - 1);
    }

    /**
     * {@code move_freepages_block}: every free block of the pageblock to the tail of {@code to}'s list of
     * its order. As in 5.10 – 6.8, a pageblock whose last page is outside the zone moves nothing and one
     * whose first page is outside starts at {@code idx}.
     *
     * @return pages moved
     */
    static int moveFreePagesOfPageblock(FreeLists a, BuddyZone z, int idx, int to) {
        int start = idx & -(1 << a.pbo);
        int end = start + (1 << a.pbo);
        if (!z.spans(end - 1)) {
            return 0;
        }
        if (!z.spans(start)) {
            start = idx;
        }
        int moved = 0;
        int p = start;
        while (p < end) {
            if (a.state(p) != FreeLists.ST_FREE) {
                p++;
                continue;
            }
            int o = a.order[p];
            a.moveToTail(z, p, to);
            moved += 1 << o;
            p += 1 << o;
        }
        return moved;
    }
}
