package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.FallbackContext;
import io.kmemsim.api.policy.FallbackPolicy;

/** A small fallback policy for tests: the largest fallback block (mm/page_alloc.c: fallbacks[] (6.1) table), claimed whole from a pageblock up, else taken. */
final class LargestFirstTestPolicy implements FallbackPolicy {

    private static final MigrateType[][] TABLE = {
        {MigrateType.RECLAIMABLE, MigrateType.MOVABLE},
        {MigrateType.RECLAIMABLE, MigrateType.UNMOVABLE},
        {MigrateType.UNMOVABLE, MigrateType.MOVABLE},
    };

    @Override
    public long fallback(FallbackContext ctx) {
        int min = ctx.noFragment() && ctx.order() < ctx.pageblockOrder() ? ctx.pageblockOrder() : ctx.order();
        for (int cur = ctx.maxOrder(); cur >= min; cur--) {
            for (MigrateType from : TABLE[ctx.requested().ordinal()]) {
                long b = ctx.headBlock(cur, from);
                if (b == PageAllocator.NO_PAGE) {
                    continue;
                }
                long page = cur >= ctx.pageblockOrder() ? ctx.claimWholeBlock(b, cur) : ctx.takeBlock(b, cur, from);
                ctx.recordFallback(page, cur, from);
                return page;
            }
        }
        return PageAllocator.NO_PAGE;
    }
}
