package io.kmemsim.bench.slub;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import java.util.Arrays;
import java.util.List;

/**
 * A constant-time page allocator for benchmarking the slab layer alone: per-order stacks of freed
 * blocks, else an aligned bump pointer. Blocks are never merged or split (fine for a benchmark whose
 * slab orders repeat); misuse is not checked.
 */
final class BenchPageAllocator implements PageAllocator {

    private final long[][] stacks = new long[11][1024];
    private final int[] depth = new int[11];
    private long bump = 0x40000;

    @Override
    public long allocate(int order, int gfp, int cpu) {
        if (depth[order] > 0) {
            return stacks[order][--depth[order]];
        }
        long n = 1L << order;
        long pfn = (bump + n - 1) & -n;
        bump = pfn + n;
        return pfn;
    }

    @Override
    public void free(long pfn, int order, int cpu) {
        if (depth[order] == stacks[order].length) {
            stacks[order] = Arrays.copyOf(stacks[order], depth[order] * 2);
        }
        stacks[order][depth[order]++] = pfn;
    }

    @Override
    public int maxOrder() {
        return 10;
    }

    @Override
    public int pageblockOrder() {
        return 9;
    }

    @Override
    public List<? extends Zone> zones() {
        return List.of();
    }

    @Override
    public void drainPerCpuLists() {
    }

    @Override
    public void checkInvariants() {
    }
}
