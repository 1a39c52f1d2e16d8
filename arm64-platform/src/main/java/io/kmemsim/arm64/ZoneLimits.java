package io.kmemsim.arm64;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;

/**
 * The arm64 zone limits ({@code max_zone_pfns[]} of DMA, DMA32 and Normal) by kernel era, per
 * arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1).
 *
 * <p>Notes, all in bytes with exclusive ends, {@code start} = first RAM byte, {@code end} = one past the
 * last RAM byte ({@code memblock_end_of_DRAM()}):
 * <ul>
 *   <li><b>FIXED_30_BIT</b> (mainline 5.5–5.10): ZONE_DMA = {@code min(offset30 + 1 GiB, end)} with
 *       {@code offset30 = start} rounded down to 1 GiB; ZONE_DMA32 the same with 4 GiB. A DT
 *       {@code dma-ranges} limit is not consulted.</li>
 *   <li><b>DT_BITS</b> (5.11–6.11; 6.1 read in Debian 6.1.192; also the Rockchip 5.10 BSP, whose ROCK 5B
 *       log shows this result): {@code bits = min(32, fls64(limit))} (no limit: 32), mask
 *       {@code M = 2^bits − 1}; zone end for M: all RAM when RAM starts above 4 GiB, else
 *       {@code min(M', end − 1) + 1} with {@code M' = 4 GiB − 1} when RAM starts above M. DMA32 uses
 *       {@code M = 4 GiB − 1}.</li>
 *   <li><b>LIMIT_612</b> (6.12 series, read in 6.12.117): {@code limit} (no limit: unlimited), lowered to
 *       4 GiB − 1 when RAM starts below 4 GiB; zone end = {@code min(limit, end − 1) + 1}; DMA32 with
 *       4 GiB − 1.</li>
 *   <li><b>LIMIT_613</b> (6.13 on, arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1) numbered procedure): the clamped limit as in 6.12, then the
 *       DT_BITS special cases (all RAM above 4 GiB → all RAM; limit below RAM start → 4 GiB − 1).</li>
 * </ul>
 * Normal always ends at {@code max_pfn} = {@code PFN_DOWN(end)}. A zone whose limit equals the one below
 * it prints {@code empty} (arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1)) — this is how DMA32 ends up empty on RK3588.
 */
final class ZoneLimits {

    private static final long FOUR_GIB = 1L << 32;
    private static final long U32_MAX = FOUR_GIB - 1;
    private static final long UNLIMITED = Long.MAX_VALUE;

    /** The rule families of arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1). */
    enum Era {
        FIXED_30_BIT, DT_BITS, LIMIT_612, LIMIT_613;

        /** The mainline rule of {@code kernel}; kernels before 5.10 are refused by the providers. */
        static Era of(KernelVersion kernel) {
            if (kernel.has(Feature.ARM64_ZONE_LIMIT_6_13)) {
                return LIMIT_613;
            }
            if (kernel.has(Feature.ARM64_ZONE_LIMIT_6_12)) {
                return LIMIT_612;
            }
            return kernel.has(Feature.ARM64_ZONE_DMA_FROM_DT) ? DT_BITS : FIXED_30_BIT;
        }
    }

    private ZoneLimits() {
    }

    /**
     * The exclusive end PFNs of DMA, DMA32 and Normal.
     *
     * @param dmaLimit the highest CPU address every DMA-limited bus reaches (DT {@code dma-ranges}), or
     *                 −1 for none
     */
    static long[] endPfns(Era era, long start, long end, long dmaLimit, int pageShift) {
        long dma;
        long dma32;
        switch (era) {
            case FIXED_30_BIT -> {
                dma = Math.min((start & -(1L << 30)) + (1L << 30), end);
                dma32 = Math.min((start & -FOUR_GIB) + FOUR_GIB, end);
            }
            case DT_BITS -> {
                int bits = dmaLimit < 0 ? 32 : Math.min(32, 64 - Long.numberOfLeadingZeros(dmaLimit));
                dma = maskedEnd((1L << bits) - 1, start, end);
                dma32 = maskedEnd(U32_MAX, start, end);
            }
            case LIMIT_612 -> {
                long limit = clampedLimit(dmaLimit, start);
                dma = Math.min(limit, end - 1) + 1;
                dma32 = Math.min(U32_MAX, end - 1) + 1;
            }
            case LIMIT_613 -> {
                dma = maskedEnd(clampedLimit(dmaLimit, start), start, end);
                dma32 = maskedEnd(U32_MAX, start, end);
            }
            default -> throw new IllegalStateException("unknown era " + era);
        }
        return new long[] {dma >>> pageShift, dma32 >>> pageShift, end >>> pageShift};
    }

    /** 6.1's zone end for mask {@code mask}: all RAM above 4 GiB; RAM above the mask uses 4 GiB − 1. */
    private static long maskedEnd(long mask, long start, long end) {
        long m = mask;
        if (start > U32_MAX) {
            m = UNLIMITED;
        } else if (start > m) {
            m = U32_MAX;
        }
        return Math.min(m, end - 1) + 1;
    }

    private static long clampedLimit(long dmaLimit, long start) {
        long limit = dmaLimit < 0 ? UNLIMITED : dmaLimit;
        return start < FOUR_GIB ? Math.min(limit, U32_MAX) : limit;
    }
}
