package io.kmemsim.api.kernel;

import java.math.BigInteger;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The per-zone watermarks {@code min}, {@code low}, {@code high} and {@code promo} the kernel derives
 * from {@code vm.min_free_kbytes} and {@code vm.watermark_scale_factor}
 * ({@code __setup_per_zone_wmarks}, mm/page_alloc.c: __setup_per_zone_wmarks() (6.1)).
 *
 * <p>Notes (rules restated from mm/page_alloc.c: __setup_per_zone_wmarks() (6.1); all values in pages, integer arithmetic):
 * <pre>
 *   pages_min    = min_free_kbytes &gt;&gt; (PAGE_SHIFT - 10)
 *   lowmem_pages = sum of managed over every zone of every node that is not HighMem
 *                  [6.6+: and not Movable]
 *   per zone:  tmp = pages_min * managed / lowmem_pages          (64-bit, floor)
 *              min = clamp(managed / 1024, 32, 128)  for HighMem [6.6+: and Movable]
 *                    tmp                             otherwise
 *   4.6+      gap = max(tmp &gt;&gt; 2, managed * watermark_scale_factor / 10000)
 *             low = min + gap, high = min + 2 * gap, promo = min + 3 * gap  [promo: 6.1+]
 *   3.10-4.5  low = min + (tmp &gt;&gt; 2), high = min + (tmp &gt;&gt; 1)      (no scale factor)
 * </pre>
 * The split runs over every zone, populated or not: an empty zone gets 0, except an empty zone
 * taking the clamp branch (Movable from 6.6 on) which gets 32 for all of min/low/high/promo.
 * HighMem (32-bit only) is not modelled by {@link ZoneType}.
 *
 * <p>The reference describes the 4.6+ formula from 5.10 on and the older one as "before 4.6"; the
 * 4.6 – 5.9 kernels are assumed to use the 5.10 rule (no change was reported between them).
 * Kernels before 3.10 (which used present instead of managed pages) are refused.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Watermarks {

    /** {@code vm.watermark_scale_factor} default: 10, i.e. 0.1 % of the zone's managed pages. */
    public static final int DEFAULT_SCALE_FACTOR = 10;

    /** The clamp bounds of the HighMem/Movable {@code min} ({@code SWAP_CLUSTER_MAX} and 128). */
    public static final long CLAMP_MIN = 32;
    /** Upper clamp bound of the HighMem/Movable {@code min}. */
    public static final long CLAMP_MAX = 128;

    /**
     * The watermarks of one zone, unboosted ({@code _watermark[]}).
     *
     * @param min   WMARK_MIN
     * @param low   WMARK_LOW
     * @param high  WMARK_HIGH
     * @param promo WMARK_PROMO (6.1+); 0 for versions that have no promo watermark
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public record ZoneWatermarks(long min, long low, long high, long promo) {
    }

    private Watermarks() {
    }

    /**
     * Computes the watermarks of every zone.
     *
     * @param kernel               the kernel version (3.10+)
     * @param minFreeKbytes        {@code vm.min_free_kbytes} (≥ 0)
     * @param watermarkScaleFactor {@code vm.watermark_scale_factor}; ignored before 4.6
     * @param zones                every zone of every node (the split of min is machine-wide), in
     *                             node then zone order
     * @param managedPages         managed pages of each zone, same index as {@code zones}
     * @param pageSize             the base page size
     * @return one entry per zone, same index as {@code zones}
     * @throws IllegalArgumentException when the arrays differ in length, a value is negative, or the
     *         kernel is older than 3.10
     */
    public static ZoneWatermarks[] compute(KernelVersion kernel, long minFreeKbytes, int watermarkScaleFactor,
                                           ZoneType[] zones, long[] managedPages, PageSize pageSize) {
        int n = zones.length;
        long[] min = new long[n];
        long[] low = new long[n];
        long[] high = new long[n];
        long[] promo = new long[n];
        computeInto(kernel, minFreeKbytes, watermarkScaleFactor, zones, managedPages, pageSize, min, low, high, promo);
        ZoneWatermarks[] out = new ZoneWatermarks[n];
        for (int i = 0; i < n; i++) {
            out[i] = new ZoneWatermarks(min[i], low[i], high[i], promo[i]);
        }
        return out;
    }

    /**
     * The allocation-free form of {@link #compute}: writes the watermarks of zone {@code i} to
     * {@code min[i]}, {@code low[i]}, {@code high[i]}, {@code promo[i]} (each array at least as long as
     * {@code zones}).
     */
    public static void computeInto(KernelVersion kernel, long minFreeKbytes, int watermarkScaleFactor,
                                   ZoneType[] zones, long[] managedPages, PageSize pageSize,
                                   long[] min, long[] low, long[] high, long[] promo) {
        check(kernel, minFreeKbytes, zones, managedPages, pageSize);
        boolean scaled = hasScaleFactor(kernel);
        if (scaled) {
            checkScaleFactor(kernel, watermarkScaleFactor);
        }
        boolean promoExists = hasPromo(kernel);
        long pagesMin = pagesMin(minFreeKbytes, pageSize);
        long lowmem = lowmemPages(kernel, zones, managedPages);
        for (int i = 0; i < zones.length; i++) {
            long managed = managedPages[i];
            long tmp = share(pagesMin, managed, lowmem);
            long m = takesClampBranch(kernel, zones[i]) ? clampedMin(managed) : tmp;
            min[i] = m;
            if (scaled) {
                long gap = Math.max(tmp >> 2, managed * watermarkScaleFactor / 10000);
                low[i] = m + gap;
                high[i] = m + 2 * gap;
                promo[i] = promoExists ? m + 3 * gap : 0;
            } else {
                low[i] = m + (tmp >> 2);
                high[i] = m + (tmp >> 1);
                promo[i] = 0;
            }
        }
    }

    /** {@code pages_min = min_free_kbytes >> (PAGE_SHIFT - 10)}. */
    public static long pagesMin(long minFreeKbytes, PageSize pageSize) {
        return minFreeKbytes >> (pageSize.shift() - 10);
    }

    /** The sum the min split divides by: managed pages of the zones that take a share (not Movable from 6.6 on). */
    public static long lowmemPages(KernelVersion kernel, ZoneType[] zones, long[] managedPages) {
        long sum = 0;
        for (int i = 0; i < zones.length; i++) {
            if (!takesClampBranch(kernel, zones[i])) {
                sum += managedPages[i];
            }
        }
        return sum;
    }

    /**
     * True when the zone's {@code min} is the clamp {@code clamp(managed/1024, 32, 128)} instead of its
     * share of {@code pages_min}: ZONE_MOVABLE from 6.6 on (HighMem in every version, not modelled).
     */
    public static boolean takesClampBranch(KernelVersion kernel, ZoneType zone) {
        return zone == ZoneType.MOVABLE && excludesMovable(kernel);
    }

    /** The 6.6 rule: ZONE_MOVABLE takes no share of {@code pages_min} (absent in 6.5, present in 6.6). */
    public static boolean excludesMovable(KernelVersion kernel) {
        return kernel.has(Feature.WATERMARKS_SKIP_MOVABLE);
    }

    /** {@code vm.watermark_scale_factor} exists and decides the gap: 4.6+. */
    public static boolean hasScaleFactor(KernelVersion kernel) {
        return kernel.has(Feature.WATERMARK_SCALE_FACTOR);
    }

    /** The zone has a WMARK_PROMO watermark: 6.1+ (printed in zoneinfo from 6.12). */
    public static boolean hasPromo(KernelVersion kernel) {
        return kernel.has(Feature.WATERMARK_PROMO);
    }

    /**
     * The largest accepted {@code vm.watermark_scale_factor}: 1000 in 5.10, 3000 in 6.1+ (mm/page_alloc.c: __setup_per_zone_wmarks() (6.1),
     * docs/kernel-facts.md#sysctl-defaults). The reference does not describe 4.6 – 5.9 or 5.11 – 6.0; they are given the 5.10 bound.
     */
    public static int maxScaleFactor(KernelVersion kernel) {
        return kernel.has(Feature.WATERMARK_SCALE_FACTOR_3000) ? 3000 : 1000;
    }

    /** Checks {@code 1 <= factor <= maxScaleFactor(kernel)}. */
    public static int checkScaleFactor(KernelVersion kernel, int factor) {
        int max = maxScaleFactor(kernel);
        if (factor < 1 || factor > max) {
            throw new IllegalArgumentException("watermark_scale_factor must be in [1, " + max + "] for kernel "
                    + kernel + ": " + factor);
        }
        return factor;
    }

    private static long share(long pagesMin, long managed, long lowmem) {
        if (lowmem == 0) {
            return 0;
        }
        if (Math.multiplyHigh(pagesMin, managed) == 0 && pagesMin * managed >= 0) {
            return pagesMin * managed / lowmem;
        }
        return BigInteger.valueOf(pagesMin).multiply(BigInteger.valueOf(managed))
                .divide(BigInteger.valueOf(lowmem)).longValueExact();
    }

    private static long clampedMin(long managed) {
        return Math.max(CLAMP_MIN, Math.min(CLAMP_MAX, managed / 1024));
    }

    private static void check(KernelVersion kernel, long minFreeKbytes, ZoneType[] zones, long[] managed, PageSize ps) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(ps, "pageSize");
        if (!kernel.has(Feature.MODEL_WATERMARK_FORMULA)) {
            throw new IllegalArgumentException("watermark formulas are described for kernels 3.10 and later"
                    + " (older kernels used present instead of managed pages): " + kernel);
        }
        if (minFreeKbytes < 0) {
            throw new IllegalArgumentException("min_free_kbytes must be >= 0: " + minFreeKbytes);
        }
        if (zones.length != managed.length) {
            throw new IllegalArgumentException("zones and managedPages must have the same length: "
                    + zones.length + " != " + managed.length);
        }
        for (int i = 0; i < managed.length; i++) {
            if (managed[i] < 0) {
                throw new IllegalArgumentException("managed pages must be >= 0: zone " + i + " has " + managed[i]);
            }
        }
    }
}
