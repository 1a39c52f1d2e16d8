package io.kmemsim.workloads;

import java.util.Arrays;

/**
 * Virtual addresses for user mappings: per address space a bump pointer that hands out ranges
 * aligned to their folio size, and per address space and order a stack of ranges given back by
 * munmap, reused first (as the kernel's mmap reuses holes), so the address space in use stays
 * bounded by the live mappings and their page tables are reused.
 *
 * <p>Notes:
 * <ul>
 *   <li>Every address space starts at {@link #BASE} (1 GiB: aligned to the largest folio, 512 MiB on
 *       64K pages) and ends below {@code 2^VA_BITS} for the smallest {@code VA_BITS} Kconfig offers
 *       for the page size (39 on 4K, 36 on 16K, 42 on 64K; arch/arm64/Kconfig: ARM64_VA_BITS (6.1)), so the
 *       addresses are user addresses whatever {@code va-bits} the arch hooks are configured with.</li>
 *   <li>A range of order {@code o} is {@code 2^o} pages, aligned to its size; a freed range is only
 *       reused for the same order. When the bump pointer would pass the end, {@link #allocate}
 *       returns −1 (the caller then leaves the block unmapped).</li>
 *   <li>Stacks are primitive arrays created at first use and grown by doubling.</li>
 * </ul>
 */
final class UserVa {

    /** The lowest user address handed out. */
    static final long BASE = 1L << 30;

    private final int pageShift;
    private final int orders;
    private final long limit;
    private final long[] bump;
    private final long[][] freed;
    private final int[] freedCount;

    UserVa(int processes, int pageShift, int maxOrder) {
        this.pageShift = pageShift;
        this.orders = maxOrder + 1;
        this.limit = 1L << smallestVaBits(pageShift);
        this.bump = new long[processes];
        Arrays.fill(bump, BASE);
        this.freed = new long[processes * orders][];
        this.freedCount = new int[processes * orders];
    }

    /** The smallest {@code VA_BITS} Kconfig offers for the page size (arch/arm64/Kconfig: ARM64_VA_BITS (6.1)). */
    static int smallestVaBits(int pageShift) {
        return switch (pageShift) {
            case 12 -> 39;
            case 14 -> 36;
            case 16 -> 42;
            default -> throw new IllegalArgumentException("page shift must be 12, 14 or 16: " + pageShift);
        };
    }

    /** A range of {@code 2^order} pages in address space {@code process} (0-based), aligned to its size; −1 when none is left. */
    long allocate(int process, int order) {
        int i = process * orders + order;
        if (freedCount[i] > 0) {
            return freed[i][--freedCount[i]];
        }
        long size = (1L << order) << pageShift;
        long va = (bump[process] + size - 1) & -size;
        if (va > limit - size) {
            return -1;
        }
        bump[process] = va + size;
        return va;
    }

    /** Gives back the range at {@code va} that {@link #allocate} returned for {@code process} and {@code order}. */
    void release(int process, int order, long va) {
        int i = process * orders + order;
        long[] stack = freed[i];
        if (stack == null) {
            stack = new long[16];
        } else if (freedCount[i] == stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
        }
        freed[i] = stack;
        stack[freedCount[i]++] = va;
    }

    /** The end (exclusive) of the user addresses handed out. */
    long limit() {
        return limit;
    }
}
