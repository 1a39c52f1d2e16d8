package io.kmemsim.buddy;

import io.kmemsim.api.mm.PageblockOccupancy;
import io.kmemsim.api.mm.Zone;

/**
 * Per-pageblock views of a zone, for sampling only: the pageblock map ({@link Zone#pageblockMap()}: each
 * pageblock's migrate type and whether it is mixed (allocated pages of both mobilities), free (no allocated
 * page) or holds a page of another type than its own), its summary ({@link Zone#pageblockOccupancy()}),
 * and the count of pageblocks of one type. One walk over the zone's pages, jumping over whole blocks.
 *
 * <p>Mobility: an allocated block is movable when its request asked for movable memory (the LRU bit),
 * otherwise unmovable. A block spanning several pageblocks counts in each; free and per-CPU pages count
 * for nothing.
 */
final class PageblockMaps {

    private static final int MOVABLE_SEEN = 1;
    private static final int UNMOVABLE_SEEN = 2;
    private static final int MISMATCH_SEEN = 4;

    private PageblockMaps() {
    }

    static byte[] of(FreeLists lists, BuddyZone z) {
        byte[] seen = classify(lists, z);
        int first = z.startIdx >> lists.pbo;
        byte[] map = new byte[seen.length];
        for (int i = 0; i < seen.length; i++) {
            int v = lists.pbType[first + i] & 7;
            v |= (seen[i] & 3) == (MOVABLE_SEEN | UNMOVABLE_SEEN) ? Zone.PAGEBLOCK_MIXED : 0;
            v |= (seen[i] & 3) == 0 ? Zone.PAGEBLOCK_FREE : 0;
            v |= (seen[i] & MISMATCH_SEEN) != 0 ? Zone.PAGEBLOCK_TYPE_MISMATCH : 0;
            v |= lists.sectionHasMemory((first + i) << lists.pbo) ? 0 : Zone.PAGEBLOCK_HOLE;
            map[i] = (byte) v;
        }
        return map;
    }

    static PageblockOccupancy occupancy(FreeLists lists, BuddyZone z) {
        byte[] seen = classify(lists, z);
        long unmovable = 0;
        long mixed = 0;
        long mismatch = 0;
        for (byte b : seen) {
            unmovable += (b & UNMOVABLE_SEEN) != 0 ? 1 : 0;
            mixed += (b & 3) == (MOVABLE_SEEN | UNMOVABLE_SEEN) ? 1 : 0;
            mismatch += (b & MISMATCH_SEEN) != 0 ? 1 : 0;
        }
        return new PageblockOccupancy(seen.length, unmovable, mixed, mismatch);
    }

    /**
     * Pageblocks of zone {@code z} whose type is {@code mt}, as 6.1 {@code mm/vmstat.c:
     * pagetypeinfo_showblockcount_print()} counts them: pageblocks in sparsemem sections without RAM (a
     * whole-section hole inside the zone span, e.g. x86's PCI hole below 4 GiB) are skipped.
     */
    static long count(FreeLists lists, BuddyZone z, int mt) {
        if (z.spanned == 0) {
            return 0;
        }
        long n = 0;
        for (int b = z.startIdx >> lists.pbo; b <= (z.endIdx - 1) >> lists.pbo; b++) {
            if (lists.pbType[b] == mt && lists.sectionHasMemory(b << lists.pbo)) {
                n++;
            }
        }
        return n;
    }

    /** One byte per pageblock of the zone: which mobilities its allocated blocks have, and a type mismatch. */
    private static byte[] classify(FreeLists lists, BuddyZone z) {
        if (z.spanned == 0) {
            return new byte[0];
        }
        int pbo = lists.pbo;
        int first = z.startIdx >> pbo;
        int blocks = ((z.endIdx - 1) >> pbo) - first + 1;
        byte[] seen = new byte[blocks];
        int idx = z.startIdx;
        while (idx < z.endIdx) {
            int st = lists.state(idx);
            if (st != FreeLists.ST_ALLOC && st != FreeLists.ST_PCP && st != FreeLists.ST_FREE) {
                idx++;
                continue;
            }
            int span = 1 << lists.order[idx];
            if (st == FreeLists.ST_ALLOC) {
                int mt = lists.typeBits(idx);
                int cls = (lists.flags[idx] & FreeLists.LRU) != 0 ? MOVABLE_SEEN : UNMOVABLE_SEEN;
                int last = Math.min((idx + span - 1) >> pbo, first + blocks - 1);
                for (int b = idx >> pbo; b <= last; b++) {
                    seen[b - first] |= (byte) (cls | (lists.pbType[b] != mt ? MISMATCH_SEEN : 0));
                }
            }
            idx += span;
        }
        return seen;
    }
}
