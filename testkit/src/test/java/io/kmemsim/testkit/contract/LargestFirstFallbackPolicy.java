package io.kmemsim.testkit.contract;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.FallbackContext;
import io.kmemsim.api.policy.FallbackPolicy;

/**
 * A minimal well-behaved fallback policy for the kit's own tests: takes the largest free block of the
 * other pcp types (only whole pageblocks under noFragment), remainders to the requested type.
 */
final class LargestFirstFallbackPolicy implements FallbackPolicy {

    @Override
    public long fallback(FallbackContext c) {
        int lowest = c.noFragment() ? Math.max(c.order(), c.pageblockOrder()) : c.order();
        for (int o = c.maxOrder(); o >= lowest; o--) {
            for (MigrateType mt : new MigrateType[] {MigrateType.UNMOVABLE, MigrateType.MOVABLE, MigrateType.RECLAIMABLE}) {
                long head = mt == c.requested() ? PageAllocator.NO_PAGE : c.headBlock(o, mt);
                if (head != PageAllocator.NO_PAGE) {
                    long pfn = c.takeBlock(head, o, c.requested());
                    c.recordFallback(pfn, o, mt);
                    return pfn;
                }
            }
        }
        return PageAllocator.NO_PAGE;
    }
}
