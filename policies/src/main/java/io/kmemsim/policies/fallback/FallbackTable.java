package io.kmemsim.policies.fallback;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.FallbackContext;

/**
 * The kernel's fallback table and the searches over it shared by the fallback and compaction policies
 * of this module (mm/page_alloc.c: fallbacks[], can_steal_fallback(), steal_suitable_fallback() (6.1)). Identical in 5.10 … 6.19 for the
 * three pcp types. Internal to the policies plugin.
 */
public final class FallbackTable {

    private static final MigrateType[][] FALLBACKS = {
        {MigrateType.RECLAIMABLE, MigrateType.MOVABLE},     // UNMOVABLE
        {MigrateType.RECLAIMABLE, MigrateType.UNMOVABLE},   // MOVABLE
        {MigrateType.UNMOVABLE, MigrateType.MOVABLE},       // RECLAIMABLE
    };

    private FallbackTable() {
    }

    /** The fallback row of {@code requested} (one of the three pcp types), in the order tried. */
    public static MigrateType[] fallbacks(MigrateType requested) {
        return FALLBACKS[requested.ordinal()].clone();
    }

    /** {@link #worthClaiming(FallbackContext, int, MigrateType)} without a context. */
    public static boolean worthClaiming(int order, MigrateType requested, int pageblockOrder, boolean mobilityDisabled) {
        return order >= pageblockOrder
                || order >= pageblockOrder / 2
                || requested == MigrateType.RECLAIMABLE
                || requested == MigrateType.UNMOVABLE
                || mobilityDisabled;
    }

    /** The first type of {@code requested}'s fallback row whose list at {@code order} is non-empty, or null. */
    static MigrateType firstWithBlock(FallbackContext ctx, int order, MigrateType requested) {
        for (MigrateType mt : FALLBACKS[requested.ordinal()]) {
            if (ctx.headBlock(order, mt) != PageAllocator.NO_PAGE) {
                return mt;
            }
        }
        return null;
    }

    /**
     * {@code can_steal_fallback} (5.10–6.14) / {@code should_try_claim_block} (6.15+): is a free block of
     * {@code order} worth taking its whole pageblock for a request of type {@code requested}? (mm/page_alloc.c: can_steal_fallback() (6.1); mm/page_alloc.c: should_try_claim_block() (6.15))
     */
    static boolean worthClaiming(FallbackContext ctx, int order, MigrateType requested) {
        return worthClaiming(order, requested, ctx.pageblockOrder(), ctx.mobilityGroupingDisabled());
    }

    /**
     * The claim threshold of mm/page_alloc.c: steal_suitable_fallback() (6.1): {@code free + alike >= pageblock_nr_pages / 2}, where {@code alike}
     * counts allocated pages compatible with the request, judged against the block's type before the claim.
     */
    static boolean enoughAlike(FallbackContext ctx, long pfn, int freePages, MigrateType blockType) {
        if (ctx.mobilityGroupingDisabled()) {
            return true;
        }
        int pbn = 1 << ctx.pageblockOrder();
        int movable = ctx.movablePagesInPageblock(pfn);
        int alike;
        if (ctx.requested() == MigrateType.MOVABLE) {
            alike = movable;
        } else if (blockType == MigrateType.MOVABLE) {
            alike = pbn - freePages - movable;
        } else {
            alike = 0;
        }
        return freePages + alike >= pbn >> 1;
    }

    /** The smallest order fallback may take from: the pageblock order under ALLOC_NOFRAGMENT (6.1+: only for smaller requests). */
    static int minOrder(FallbackContext ctx, boolean noFragmentForAllOrders) {
        int order = ctx.order();
        if (ctx.noFragment() && (noFragmentForAllOrders || order < ctx.pageblockOrder())) {
            return ctx.pageblockOrder();
        }
        return order;
    }
}
