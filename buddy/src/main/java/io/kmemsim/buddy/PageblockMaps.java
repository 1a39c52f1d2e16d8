package io.kmemsim.buddy;

import io.kmemsim.api.mm.Zone;

/**
 * The per-pageblock map of a zone ({@link Zone#pageblockMap()}): each pageblock's migrate type and whether
 * it is mixed (allocated pages of both mobilities), free (no allocated page) or holds a page of another
 * type than its own. One walk over the zone's pages, jumping over whole blocks; for sampling only.
 *
 * <p>Mobility follows {@link BuddyPageAllocator#occupancy}: an allocated block is movable when its request
 * asked for movable memory (the LRU bit), otherwise unmovable. A block spanning several pageblocks counts in
 * each.
 */
final class PageblockMaps {

    private static final int MOVABLE_SEEN = 1;
    private static final int UNMOVABLE_SEEN = 2;

    private PageblockMaps() {
    }

    static byte[] of(BuddyPageAllocator a, BuddyZone z) {
        if (z.spanned == 0) {
            return new byte[0];
        }
        int pbo = a.pbo;
        int first = z.startIdx >> pbo;
        int blocks = ((z.endIdx - 1) >> pbo) - first + 1;
        byte[] seen = new byte[blocks];
        byte[] mismatch = new byte[blocks];
        int idx = z.startIdx;
        while (idx < z.endIdx) {
            int st = a.state(idx);
            if (st != BuddyPageAllocator.ST_ALLOC && st != BuddyPageAllocator.ST_PCP && st != BuddyPageAllocator.ST_FREE) {
                idx++;
                continue;
            }
            int span = 1 << a.order[idx];
            if (st == BuddyPageAllocator.ST_ALLOC) {
                int mt = a.typeBits(idx);
                int cls = (a.flags[idx] & BuddyPageAllocator.LRU) != 0 ? MOVABLE_SEEN : UNMOVABLE_SEEN;
                int last = Math.min((idx + span - 1) >> pbo, first + blocks - 1);
                for (int b = idx >> pbo; b <= last; b++) {
                    seen[b - first] |= (byte) cls;
                    if (a.pbType[b] != mt) {
                        mismatch[b - first] = 1;
                    }
                }
            }
            idx += span;
        }
        byte[] map = new byte[blocks];
        for (int i = 0; i < blocks; i++) {
            int v = a.pbType[first + i] & 7;
            v |= seen[i] == (MOVABLE_SEEN | UNMOVABLE_SEEN) ? Zone.PAGEBLOCK_MIXED : 0;
            v |= seen[i] == 0 ? Zone.PAGEBLOCK_FREE : 0;
            v |= mismatch[i] != 0 ? Zone.PAGEBLOCK_TYPE_MISMATCH : 0;
            map[i] = (byte) v;
        }
        return map;
    }
}
