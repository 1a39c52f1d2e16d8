package io.kmemsim.policies.fallback;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.FallbackContext;
import io.kmemsim.api.policy.FallbackPolicy;

/**
 * The alternatives to the kernel's fallback that docs/policies.md describes, each with the kernel's
 * fallback table and ALLOC_NOFRAGMENT rule (6.1+ form) but its own answer to "take the whole pageblock?".
 *
 * <pre>
 * NO_FALLBACK   only whole free pageblocks (order >= pageblock_order) may change type; anything
 *               smaller fails, leaving the request to compaction (vm.defrag_mode=1, 6.15)
 * ALWAYS_CLAIM  every fallback takes the whole pageblock: its free blocks move to the requested type
 *               and the block is re-typed, whatever its occupancy
 * NEVER_CLAIM   a fallback takes only the block it needs (smallest first), split remainders stay on
 *               the fallback type's lists, and no pageblock is ever re-typed
 * </pre>
 */
final class AlternativeFallbackPolicy implements FallbackPolicy {

    enum Kind { NO_FALLBACK, ALWAYS_CLAIM, NEVER_CLAIM }

    private final Kind kind;

    AlternativeFallbackPolicy(Kind kind) {
        this.kind = kind;
    }

    @Override
    public long fallback(FallbackContext ctx) {
        return switch (kind) {
            case NO_FALLBACK -> wholeBlocksOnly(ctx);
            case ALWAYS_CLAIM -> alwaysClaim(ctx);
            case NEVER_CLAIM -> neverClaim(ctx);
        };
    }

    private static long wholeBlocksOnly(FallbackContext ctx) {
        int pbo = ctx.pageblockOrder();
        for (int cur = Math.max(pbo, ctx.order()); cur <= ctx.maxOrder(); cur++) {
            MigrateType from = FallbackTable.firstWithBlock(ctx, cur, ctx.requested());
            if (from != null) {
                long page = ctx.claimWholeBlock(ctx.headBlock(cur, from), cur);
                ctx.recordFallback(page, cur, from);
                return page;
            }
        }
        return PageAllocator.NO_PAGE;
    }

    private static long alwaysClaim(FallbackContext ctx) {
        int minOrder = FallbackTable.minOrder(ctx, false);
        for (int cur = ctx.maxOrder(); cur >= minOrder; cur--) {
            MigrateType from = FallbackTable.firstWithBlock(ctx, cur, ctx.requested());
            if (from == null) {
                continue;
            }
            long b = ctx.headBlock(cur, from);
            long page;
            if (cur >= ctx.pageblockOrder()) {
                page = ctx.claimWholeBlock(b, cur);
            } else if (ctx.pageblockInZone(b)) {
                ctx.moveFreePagesOfPageblock(b, ctx.requested());
                ctx.setPageblockType(b, ctx.requested());
                page = ctx.allocateSmallest(ctx.requested());
            } else {
                page = ctx.takeBlock(b, cur, ctx.requested());
            }
            ctx.recordFallback(page, cur, from);
            return page;
        }
        return PageAllocator.NO_PAGE;
    }

    private static long neverClaim(FallbackContext ctx) {
        int minOrder = FallbackTable.minOrder(ctx, false);
        for (int cur = minOrder; cur <= ctx.maxOrder(); cur++) {
            MigrateType from = FallbackTable.firstWithBlock(ctx, cur, ctx.requested());
            if (from != null) {
                long page = ctx.takeBlock(ctx.headBlock(cur, from), cur, from);
                ctx.recordFallback(page, cur, from);
                return page;
            }
        }
        return PageAllocator.NO_PAGE;
    }
}
