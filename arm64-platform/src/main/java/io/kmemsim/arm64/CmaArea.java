package io.kmemsim.arm64;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.ReservedRange;
import java.util.List;

/**
 * Where the kernel puts its CMA area (kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma).
 *
 * <ul>
 *   <li>The <b>default area</b> (size from {@code CONFIG_CMA_SIZE_MBYTES} or {@code cma=}) is carved
 *       top-down below {@code arm64_dma_phys_limit} (the top of ZONE_DMA): the highest pageblock-aligned
 *       range of free RAM below the limit (fixed reservations are stepped over). kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma says it sits at the very top only when nothing was reserved
 *       there earlier; this model reserves nothing else there, which matches the 8 GB ROCK 5A log
 *       ({@code 0x00000000ee000000}) when RAM extends above the limit. Its name is {@value #DEFAULT_NAME}.
 *       The size is rounded up to the pageblock size; that rounding and the pageblock alignment are the
 *       kernel's CMA minimum alignment, which kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma only calls "suitably aligned" (they change nothing with
 *       4K pages and MiB-multiple sizes).</li>
 *   <li>A <b>device-tree pool</b> ({@code linux,cma} with a fixed {@code reg}, as in the Rockchip vendor DTs:
 *       256 MiB at {@code 0x1000_0000}) keeps its place; its name is {@value #DT_POOL_NAME}.</li>
 * </ul>
 */
final class CmaArea {

    /** The {@link ReservedRange#name()} of the default (Kconfig / {@code cma=}) area. */
    static final String DEFAULT_NAME = "cma";

    /** The {@link ReservedRange#name()} of a fixed device-tree CMA pool. */
    static final String DT_POOL_NAME = "linux,cma";

    private CmaArea() {
    }

    /**
     * The default area of {@code size} bytes placed top-down below {@code limit} (exclusive).
     *
     * @throws IllegalArgumentException naming option {@code cma} when no bank below the limit has room
     */
    static ReservedRange placeDefault(String platform, List<MemoryBank> banks, List<ReservedRange> taken, long size,
                                      long limit, long pageblockBytes) {
        long rounded = roundUp(size, pageblockBytes);
        for (int i = banks.size() - 1; i >= 0; i--) {
            MemoryBank b = banks.get(i);
            long top = Math.min(b.base() + b.size(), limit) & -pageblockBytes;
            while (top - rounded >= b.base() && top > b.base()) {
                long base = top - rounded;
                ReservedRange clash = firstOverlap(taken, base, top);
                if (clash == null) {
                    return new ReservedRange(DEFAULT_NAME, base, rounded, false);
                }
                top = clash.base() & -pageblockBytes;
            }
        }
        throw new IllegalArgumentException(platform + " option cma: " + (rounded >> 20)
                + " MiB does not fit in free RAM below the DMA limit " + Sizes.hex(limit));
    }

    private static ReservedRange firstOverlap(List<ReservedRange> taken, long base, long endExclusive) {
        ReservedRange lowest = null;
        for (ReservedRange r : taken) {
            if (r.base() < endExclusive && r.end() >= base && (lowest == null || r.base() < lowest.base())) {
                lowest = r;
            }
        }
        return lowest;
    }

    /**
     * A fixed device-tree pool.
     *
     * @throws IllegalArgumentException naming option {@code cma} when the pool is not pageblock aligned
     *                                  or not inside one bank
     */
    static ReservedRange fixedPool(String platform, List<MemoryBank> banks, long base, long size, long pageblockBytes) {
        if (base % pageblockBytes != 0 || size % pageblockBytes != 0) {
            throw new IllegalArgumentException(platform + " option cma: the device-tree CMA pool at " + Sizes.hex(base)
                    + " (" + (size >> 20) + " MiB) must be aligned to the pageblock size " + (pageblockBytes >> 20)
                    + " MiB of this granule; choose another granule or size");
        }
        for (MemoryBank b : banks) {
            if (base >= b.base() && base + size <= b.base() + b.size()) {
                return new ReservedRange(DT_POOL_NAME, base, size, false);
            }
        }
        throw new IllegalArgumentException(platform + " option cma: the device-tree CMA pool " + Sizes.hex(base) + "+"
                + (size >> 20) + "M does not lie inside one RAM bank");
    }

    static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }
}
