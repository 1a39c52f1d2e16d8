package io.kmemsim.slab;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small, obviously correct page allocator for tests: first fit over aligned positions of a page
 * bitmap. It records every request and can be told to refuse some.
 */
final class FixturePageAllocator implements PageAllocator {

    /** One request as the slab allocator made it. */
    record Request(int order, int gfp, long pfn) {
    }

    private final boolean[] used;
    private final int[] headOrder;
    private final long firstPfn;
    final List<Request> requests = new ArrayList<>();
    /** Requests with __GFP_NORETRY and an order above this fail (−1: none fail). */
    int failNoretryAbove = Integer.MAX_VALUE;
    /** Every request fails while set. */
    boolean exhausted;
    long allocatedPages;

    FixturePageAllocator(int pages, long firstPfn) {
        this.used = new boolean[pages];
        this.headOrder = new int[pages];
        this.firstPfn = firstPfn;
        Arrays.fill(headOrder, -1);
    }

    @Override
    public long allocate(int order, int gfp, int cpu) {
        if (order < 0 || order > maxOrder()) {
            throw new IllegalArgumentException("order must be in [0, " + maxOrder() + "]: " + order);
        }
        long pfn = NO_PAGE;
        boolean refused = exhausted || ((gfp & io.kmemsim.api.kernel.Gfp.NORETRY) != 0 && order > failNoretryAbove);
        int n = 1 << order;
        for (int start = 0; !refused && start + n <= used.length; start += n) {
            if (isFree(start, n)) {
                Arrays.fill(used, start, start + n, true);
                headOrder[start] = order;
                pfn = firstPfn + start;
                allocatedPages += n;
                break;
            }
        }
        requests.add(new Request(order, gfp, pfn));
        return pfn;
    }

    private boolean isFree(int start, int n) {
        for (int i = start; i < start + n; i++) {
            if (used[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void free(long pfn, int order, int cpu) {
        int i = (int) (pfn - firstPfn);
        if (i < 0 || i >= used.length || headOrder[i] != order) {
            throw new IllegalArgumentException("free of a block that is not allocated: pfn " + pfn + " order " + order);
        }
        headOrder[i] = -1;
        Arrays.fill(used, i, i + (1 << order), false);
        allocatedPages -= 1L << order;
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
        long count = 0;
        for (boolean u : used) {
            count += u ? 1 : 0;
        }
        if (count != allocatedPages) {
            throw new IllegalStateException("fixture: " + count + " pages marked, " + allocatedPages + " counted");
        }
    }
}
