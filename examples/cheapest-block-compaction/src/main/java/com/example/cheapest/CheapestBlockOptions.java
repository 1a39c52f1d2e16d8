package com.example.cheapest;

import io.kmemsim.api.plugin.Doc;
import io.kmemsim.api.plugin.Positive;
import io.kmemsim.api.plugin.Range;

/**
 * Options of the {@code cheapest-block} compaction policy.
 *
 * @param minOrder direct compaction runs only for allocations of at least this order
 * @param budget   at most this many pages are migrated by one direct compaction
 */
public record CheapestBlockOptions(
        @Doc("compact only for allocations of at least this order (the kernel compacts from order 1; costly orders start at 4)")
        @Range(min = 1, max = 10) int minOrder,
        @Doc("at most this many pages migrated per direct compaction")
        @Positive int budget) {

    /** Costly orders (above PAGE_ALLOC_COSTLY_ORDER = 3) with a budget of one pageblock of 4K pages. */
    public CheapestBlockOptions() {
        this(4, 512);
    }
}
