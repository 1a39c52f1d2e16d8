package com.example.claimthreshold;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.FallbackContext;
import io.kmemsim.api.policy.FallbackPolicy;

/**
 * A migrate-type fallback whose only difference from the kernel's is the claim rule, so a comparison
 * against {@code linux} isolates that one decision.
 *
 * <p>Like Linux 6.1 ({@code mm/page_alloc.c: __rmqueue_fallback()}), the policy looks for the largest
 * free block of another mobility type (or, with {@code smallestFirst}, the smallest one that fits, to
 * keep large blocks whole for huge pages), in the order of the kernel's fallback table
 * ({@code fallbacks[]}: UNMOVABLE falls back to RECLAIMABLE then MOVABLE, RECLAIMABLE to UNMOVABLE then
 * MOVABLE, MOVABLE to RECLAIMABLE then UNMOVABLE), only whole pageblocks under {@code noFragment}. Then:
 * <ul>
 *   <li>a block of at least {@code pageblock_order} is claimed whole (every pageblock it covers is
 *       re-typed);</li>
 *   <li>a smaller block claims its pageblock when its order is at least {@code minClaimOrder} and the
 *       free pages plus the pages already of the requested mobility make up at least
 *       {@code claimThreshold} of the pageblock — the kernel's rule ({@code steal_suitable_fallback()})
 *       is a fixed half; the free blocks of the pageblock move to the requested lists and the block is
 *       served from there;</li>
 *   <li>otherwise only the block is stolen; its remainders stay on the fallback type's lists.</li>
 * </ul>
 * Every block handed out is recorded once with {@link FallbackContext#recordFallback} (the kernel's
 * {@code mm_page_alloc_extfrag} event). The policy keeps no state: the same zone and request give the
 * same decision.
 */
final class ClaimThresholdPolicy implements FallbackPolicy {

    private static final MigrateType[][] FALLBACKS = new MigrateType[MigrateType.values().length][];

    static {
        FALLBACKS[MigrateType.UNMOVABLE.ordinal()] = new MigrateType[] {MigrateType.RECLAIMABLE, MigrateType.MOVABLE};
        FALLBACKS[MigrateType.MOVABLE.ordinal()] = new MigrateType[] {MigrateType.RECLAIMABLE, MigrateType.UNMOVABLE};
        FALLBACKS[MigrateType.RECLAIMABLE.ordinal()] = new MigrateType[] {MigrateType.UNMOVABLE, MigrateType.MOVABLE};
    }

    private final double claimThreshold;
    private final int minClaimOrder;
    private final boolean smallestFirst;

    ClaimThresholdPolicy(double claimThreshold, int minClaimOrder, boolean smallestFirst) {
        this.claimThreshold = claimThreshold;
        this.minClaimOrder = minClaimOrder;
        this.smallestFirst = smallestFirst;
    }

    @Override
    public long fallback(FallbackContext ctx) {
        MigrateType requested = ctx.requested();
        MigrateType[] candidates = FALLBACKS[requested.ordinal()];
        if (candidates == null) {
            return PageAllocator.NO_PAGE;
        }
        int lowest = ctx.noFragment() ? Math.max(ctx.order(), ctx.pageblockOrder()) : ctx.order();
        for (int i = 0; i <= ctx.maxOrder() - lowest; i++) {
            int order = smallestFirst ? lowest + i : ctx.maxOrder() - i;
            for (MigrateType from : candidates) {
                long block = ctx.headBlock(order, from);
                if (block != PageAllocator.NO_PAGE) {
                    long page = serve(ctx, block, order, from);
                    ctx.recordFallback(page, order, from);
                    return page;
                }
            }
        }
        return PageAllocator.NO_PAGE;
    }

    private long serve(FallbackContext ctx, long block, int order, MigrateType from) {
        if (order >= ctx.pageblockOrder()) {
            return ctx.claimWholeBlock(block, order);
        }
        if (order >= minClaimOrder && ctx.pageblockInZone(block) && alikeShare(ctx, block) >= claimThreshold) {
            ctx.moveFreePagesOfPageblock(block, ctx.requested());
            ctx.setPageblockType(block, ctx.requested());
            long page = ctx.allocateSmallest(ctx.requested());
            if (page != PageAllocator.NO_PAGE) {
                return page;
            }
        }
        return ctx.takeBlock(block, order, from);
    }

    /** (free pages + pages already of the requested mobility) / pages of the pageblock of {@code block}. */
    private static double alikeShare(FallbackContext ctx, long block) {
        long pages = 1L << ctx.pageblockOrder();
        int free = ctx.freePagesInPageblock(block);
        int movable = ctx.movablePagesInPageblock(block);
        long alike;
        if (ctx.requested() == MigrateType.MOVABLE) {
            alike = movable;
        } else if (ctx.pageblockType(block) == MigrateType.MOVABLE) {
            // in a movable pageblock, what is neither free nor movable was allocated unmovable/reclaimable
            alike = Math.max(0, pages - free - movable);
        } else {
            alike = 0;
        }
        return (double) (free + alike) / pages;
    }
}
