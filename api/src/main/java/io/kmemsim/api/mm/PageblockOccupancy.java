package io.kmemsim.api.mm;

import org.apiguardian.api.API;

/**
 * Counts of a zone's pageblocks by what is allocated in them. "Movable" pages are those allocated with
 * {@code __GFP_MOVABLE} (LRU pages: anonymous and page cache), whatever free list they came from;
 * "unmovable" are all other allocated pages (unmovable and reclaimable kernel allocations).
 *
 * @param pageblocks          pageblocks of the zone (whole or partial)
 * @param withUnmovable       pageblocks holding at least one unmovable page
 * @param mixed               pageblocks holding both movable and unmovable pages
 * @param typeMismatch        pageblocks holding at least one allocated page whose migrate type differs
 *                            from the pageblock's type (the list "pollution" fallbacks cause)
 */
@API(status = API.Status.STABLE, since = "0.1")
public record PageblockOccupancy(long pageblocks, long withUnmovable, long mixed, long typeMismatch) {

    /** The value of an allocator that does not track occupancy. */
    public static final PageblockOccupancy UNKNOWN = new PageblockOccupancy(-1, -1, -1, -1);

    /** The sum of two zones' counts (UNKNOWN if either is). */
    public PageblockOccupancy plus(PageblockOccupancy o) {
        if (pageblocks < 0 || o.pageblocks < 0) {
            return UNKNOWN;
        }
        return new PageblockOccupancy(pageblocks + o.pageblocks, withUnmovable + o.withUnmovable, mixed + o.mixed,
                typeMismatch + o.typeMismatch);
    }
}
