package io.kmemsim.testkit.support;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small, obviously correct page allocator for object-cache tests: first fit over aligned positions
 * of a page bitmap (no zones, largest order 10). It records every request — so a test can check the
 * order and gfp flags a slab allocator asked with — and can be told to refuse some.
 */
public final class RecordingPageAllocator implements PageAllocator {

    /** One request as the caller made it, with the PFN handed out (−1 when refused). */
    public record Request(int order, int gfp, long pfn) {
    }

    private final boolean[] used;
    private final int[] headOrder;
    private final long firstPfn;
    private final List<Request> requests = new ArrayList<>();
    private int failNoretryAbove = Integer.MAX_VALUE;
    private boolean exhausted;
    private long allocatedPages;

    /** An allocator of {@code pages} pages starting at {@code firstPfn}. */
    public RecordingPageAllocator(int pages, long firstPfn) {
        this.used = new boolean[pages];
        this.headOrder = new int[pages];
        this.firstPfn = firstPfn;
        Arrays.fill(headOrder, -1);
    }

    /** Every request so far, in order (a test may clear it). */
    public List<Request> requests() {
        return requests;
    }

    /** Requests with {@code __GFP_NORETRY} and an order above {@code order} fail from now on. */
    public void failNoretryAbove(int order) {
        this.failNoretryAbove = order;
    }

    /** While set, every request fails. */
    public void exhausted(boolean exhausted) {
        this.exhausted = exhausted;
    }

    /** Pages currently allocated. */
    public long allocatedPages() {
        return allocatedPages;
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
            throw new IllegalStateException("recording allocator: " + count + " pages marked, " + allocatedPages + " counted");
        }
    }
}
