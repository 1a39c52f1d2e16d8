package io.kmemsim.bench.trace;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.engine.util.HandleTable;

/**
 * The allocator with one handle map and nothing else: PAGE_ALLOC allocates and maps the workload's handle to the
 * block ({@code pfn << 6 | order}), PAGE_FREE frees the handle's block (driven by {@link ArrayPageSource#drive}).
 * No event loop: no counters, no latency histogram, no checks, no fault boundary; {@link ReplayBenchmark#allocatorBare}
 * measures the allocator's own share with it.
 */
final class PageReplay {

    private static final int ORDER_BITS = 6;
    private static final long ORDER_MASK = (1L << ORDER_BITS) - 1;

    private final PageAllocator allocator;
    private final HandleTable pfnByHandle = new HandleTable(1 << 12); // as the loop's
    private long failed;

    PageReplay(PageAllocator allocator) {
        this.allocator = allocator;
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
