package io.kmemsim.bench.trace;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.util.LongMaps;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

/**
 * What the engine's event loop does for page events, without its checks and fault boundary: PAGE_ALLOC
 * allocates and maps the workload's handle to the block ({@code pfn << 6 | order}); PAGE_FREE frees the
 * handle's block; TICK ticks the allocator. A failed allocation is reported to the workload. Other events are
 * rejected (a page-only trace has none). Like the loop, no PFN → handle map: the loop builds that one only
 * when the allocator first migrates or reclaims a block, which the bench machine (no policies) never does. The
 * {@code trace} workload keeps its own live blocks in a direct PFN table, as in a real run.
 */
final class PageReplay {

    private static final int ORDER_BITS = 6;
    private static final long ORDER_MASK = (1L << ORDER_BITS) - 1;

    private final PageAllocator allocator;
    private final Event event = new Event();
    private final Long2LongOpenHashMap pfnByHandle = LongMaps.create(1 << 12, -1); // as the loop's
    private long failed;

    PageReplay(PageAllocator allocator) {
        this.allocator = allocator;
    }

    /** Runs {@code workload} to its end; returns the number of events. */
    long run(Workload workload) {
        long n = 0;
        Event e = event;
        while (workload.next(e)) {
            n++;
            switch (e.type()) {
                case PAGE_ALLOC -> {
                    if (!alloc(e.handle(), e.order(), e.gfp(), e.cpu())) {
                        workload.allocationFailed(e.handle());
                    }
                }
                case PAGE_FREE -> free(e.handle(), e.cpu());
                case TICK -> allocator.tick(e.timeNanos());
                default -> throw new IllegalStateException("a page replay takes page events and ticks only: " + e);
            }
        }
        return n;
    }

    /** Allocates for {@code handle}; false when the allocator had no block. */
    boolean alloc(long handle, int order, int gfp, int cpu) {
        long pfn = allocator.allocate(order, gfp, cpu);
        if (pfn == PageAllocator.NO_PAGE) {
            failed++;
            return false;
        }
        pfnByHandle.put(handle, pfn << ORDER_BITS | order);
        return true;
    }

    /** Frees the block of {@code handle}, if it is live. */
    void free(long handle, int cpu) {
        long block = pfnByHandle.remove(handle);
        if (block >= 0) {
            allocator.free(block >>> ORDER_BITS, (int) (block & ORDER_MASK), cpu);
        }
    }

    /** Allocations that failed so far. */
    long failed() {
        return failed;
    }

    /** Blocks still live. */
    int live() {
        return pfnByHandle.size();
    }
}
