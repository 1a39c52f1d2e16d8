package io.kmemsim.policies.fallback;

import io.kmemsim.api.kernel.KernelVersion.FallbackEra;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.FallbackContext;
import io.kmemsim.api.policy.FallbackPolicy;

/**
 * The kernel's migrate-type fallback, in the three families of mm/page_alloc.c: __rmqueue_fallback() (6.1); mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.12); mm/page_alloc.c: __rmqueue_claim(), __rmqueue_steal() (6.15).
 *
 * <p>Notes (our restatement of the algorithms; see the reference for the evidence):
 * <pre>
 * STEAL_AND_MOVE (5.10 – 6.8)
 *   search orders from the largest down to min_order for the first fallback type with a free block;
 *   a MOVABLE request whose block is not worth claiming searches again from the requested order up.
 *   Take the head block B of that list:
 *     B's pageblock is HIGHATOMIC      -> move B to the requested type's list
 *     B is a whole pageblock or more   -> re-type the pageblocks, B goes to the requested list
 *     otherwise boost the watermark;   not worth claiming -> move B alone to the requested list
 *                                      worth claiming     -> move every free block of the pageblock to
 *                                        the requested lists, claim the block on the alike threshold
 *   record the fallback (pfn of B), then allocate the smallest block of the requested type
 *   (free pages moved without a claim "pollute" the requested lists: fixed in 6.10)
 * STRICT_FREELISTS (6.10 – 6.14; 6.12.0 – 6.12.28)
 *   same search; nothing moves unless the block is claimed; an unclaimed fallback takes B and leaves
 *   its remainders on the fallback type's lists (HIGHATOMIC blocks: on the HIGHATOMIC lists)
 * CLAIM_THEN_STEAL (6.15+; 6.12.29+)
 *   claim: largest order first, stopping at the first order not worth claiming; a failed claim tries
 *   the next smaller order; steal (not under ALLOC_NOFRAGMENT): smallest order first, take B alone.
 * </pre>
 */
final class LinuxFallbackPolicy implements FallbackPolicy {

    private final FallbackEra era;
    private final boolean noFragmentForAllOrders;

    /**
     * @param era                    the algorithm family
     * @param noFragmentForAllOrders true for 5.10, where ALLOC_NOFRAGMENT raises the minimum order to the
     *                               pageblock order for every request (6.1+: only for smaller requests)
     */
    LinuxFallbackPolicy(FallbackEra era, boolean noFragmentForAllOrders) {
        this.era = era;
        this.noFragmentForAllOrders = noFragmentForAllOrders;
    }

    @Override
    public long fallback(FallbackContext ctx) {
        return switch (era) {
            case STEAL_AND_MOVE -> stealAndMove(ctx);
            case STRICT_FREELISTS -> strict(ctx);
            case CLAIM_THEN_STEAL -> claimThenSteal(ctx);
        };
    }

    // ---- 5.10 – 6.8 -------------------------------------------------------------------------

    private long stealAndMove(FallbackContext ctx) {
        int cur = findOrder(ctx);
        if (cur < 0) {
            return PageAllocator.NO_PAGE;
        }
        MigrateType requested = ctx.requested();
        MigrateType fallbackType = FallbackTable.firstWithBlock(ctx, cur, requested);
        boolean canSteal = FallbackTable.worthClaiming(ctx, cur, requested);
        long b = ctx.headBlock(cur, fallbackType);
        MigrateType blockType = ctx.pageblockType(b);
        if (blockType == MigrateType.HIGHATOMIC) {
            ctx.moveBlock(b, cur, requested);
        } else if (cur >= ctx.pageblockOrder()) {
            for (long p = b; p < b + (1L << cur); p += 1L << ctx.pageblockOrder()) {
                ctx.setPageblockType(p, requested);
            }
            ctx.moveBlock(b, cur, requested);
        } else {
            ctx.boostWatermark();
            if (!canSteal || !ctx.pageblockInZone(b)) {
                ctx.moveBlock(b, cur, requested);
            } else {
                int free = ctx.moveFreePagesOfPageblock(b, requested);
                if (FallbackTable.enoughAlike(ctx, b, free, blockType)) {
                    ctx.setPageblockType(b, requested);
                }
            }
        }
        ctx.recordFallback(b, cur, fallbackType);
        return ctx.allocateSmallest(requested);
    }

    /**
     * The search of mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.1): the largest order with a fallback block; a MOVABLE request whose
     * candidate is not worth claiming and larger than needed restarts from the requested order upwards.
     *
     * @return the order to take from, or −1
     */
    private int findOrder(FallbackContext ctx) {
        MigrateType requested = ctx.requested();
        int minOrder = FallbackTable.minOrder(ctx, noFragmentForAllOrders);
        for (int cur = ctx.maxOrder(); cur >= minOrder; cur--) {
            if (FallbackTable.firstWithBlock(ctx, cur, requested) == null) {
                continue;
            }
            boolean canSteal = FallbackTable.worthClaiming(ctx, cur, requested);
            if (!canSteal && requested == MigrateType.MOVABLE && cur > ctx.order()) {
                return smallestOrderWithFallback(ctx, ctx.order());
            }
            return cur;
        }
        return -1;
    }

    private static int smallestOrderWithFallback(FallbackContext ctx, int from) {
        for (int cur = from; cur <= ctx.maxOrder(); cur++) {
            if (FallbackTable.firstWithBlock(ctx, cur, ctx.requested()) != null) {
                return cur;
            }
        }
        return -1;
    }

    // ---- 6.10 – 6.14 ------------------------------------------------------------------------

    private long strict(FallbackContext ctx) {
        int cur = findOrder(ctx);
        if (cur < 0) {
            return PageAllocator.NO_PAGE;
        }
        MigrateType requested = ctx.requested();
        MigrateType fallbackType = FallbackTable.firstWithBlock(ctx, cur, requested);
        boolean canSteal = FallbackTable.worthClaiming(ctx, cur, requested);
        long b = ctx.headBlock(cur, fallbackType);
        MigrateType blockType = ctx.pageblockType(b);
        long page;
        if (blockType == MigrateType.HIGHATOMIC) {
            page = ctx.takeBlock(b, cur, MigrateType.HIGHATOMIC);
        } else if (cur >= ctx.pageblockOrder()) {
            page = ctx.claimWholeBlock(b, cur);
        } else {
            ctx.boostWatermark();
            page = canSteal ? tryClaim(ctx, b, blockType) : PageAllocator.NO_PAGE;
            if (page == PageAllocator.NO_PAGE) {
                page = ctx.takeBlock(b, cur, fallbackType);
            }
        }
        ctx.recordFallback(page, cur, fallbackType);
        return page;
    }

    /**
     * Claims the pageblock of {@code b} when the alike threshold is met, without moving anything
     * otherwise: the free blocks move to the requested lists and the block is re-typed.
     *
     * @return the allocated PFN, or NO_PAGE when the block was not claimed
     */
    private static long tryClaim(FallbackContext ctx, long b, MigrateType blockType) {
        if (!ctx.pageblockInZone(b)) {
            return PageAllocator.NO_PAGE;
        }
        int free = ctx.freePagesInPageblock(b);
        if (!FallbackTable.enoughAlike(ctx, b, free, blockType)) {
            return PageAllocator.NO_PAGE;
        }
        ctx.moveFreePagesOfPageblock(b, ctx.requested());
        ctx.setPageblockType(b, ctx.requested());
        return ctx.allocateSmallest(ctx.requested());
    }

    // ---- 6.15+ ------------------------------------------------------------------------------

    private long claimThenSteal(FallbackContext ctx) {
        MigrateType requested = ctx.requested();
        int minOrder = FallbackTable.minOrder(ctx, false);
        for (int cur = ctx.maxOrder(); cur >= minOrder; cur--) {
            if (!FallbackTable.worthClaiming(ctx, cur, requested)) {
                break;
            }
            MigrateType fallbackType = FallbackTable.firstWithBlock(ctx, cur, requested);
            if (fallbackType == null) {
                continue;
            }
            long b = ctx.headBlock(cur, fallbackType);
            long page;
            if (cur >= ctx.pageblockOrder()) {
                page = ctx.claimWholeBlock(b, cur);
            } else {
                ctx.boostWatermark();
                page = tryClaim(ctx, b, ctx.pageblockType(b));
            }
            if (page != PageAllocator.NO_PAGE) {
                ctx.recordFallback(page, cur, fallbackType);
                return page;
            }
        }
        if (ctx.noFragment()) {
            return PageAllocator.NO_PAGE;
        }
        for (int cur = ctx.order(); cur <= ctx.maxOrder(); cur++) {
            MigrateType fallbackType = FallbackTable.firstWithBlock(ctx, cur, requested);
            if (fallbackType != null) {
                long page = ctx.takeBlock(ctx.headBlock(cur, fallbackType), cur, fallbackType);
                ctx.recordFallback(page, cur, fallbackType);
                return page;
            }
        }
        return PageAllocator.NO_PAGE;
    }
}
