package io.kmemsim.api.kernel;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The default {@code vm.min_free_kbytes}: the square-root value computed at boot and the value the THP
 * code raises it to (mm/page_alloc.c: init_per_zone_wmark_min() (6.1)).
 *
 * <p>Notes (restated from mm/page_alloc.c: init_per_zone_wmark_min() (6.1); integer arithmetic):
 * <pre>
 *   lowmem_kbytes = nr_free_buffer_pages * (PAGE_SIZE / 1024)
 *                   nr_free_buffer_pages = sum over DMA, DMA32, Normal of max(0, managed - high)
 *   sqrt value    = clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144)           5.10 ... 6.19
 *   THP value     = min(11 * PBN * nr_zones, nr_free_buffer_pages / 20) &lt;&lt; (PAGE_SHIFT - 10)
 *                   nr_zones = populated zones with index &lt;= Normal, over all nodes;
 *                   nr_free_buffer_pages taken with the high watermarks of the sqrt value
 *   default       = max(sqrt value, THP value) when THP is built in, enabled and the machine has
 *                   at least 512 MiB (managed pages); else the sqrt value
 * </pre>
 * The clamp bounds are those of 5.10 – 6.19; the reference does not give them for older kernels, so
 * {@link #sqrtValue} refuses kernels before 5.10. The THP rule dates from 2.6.38 (mm/page_alloc.c: init_per_zone_wmark_min() (6.1)).
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class MinFreeKbytes {

    /** Lower clamp of the square-root value (5.10+). */
    public static final long MIN_VALUE = 128;
    /** Upper clamp of the square-root value (5.10+). */
    public static final long MAX_VALUE = 262144;

    private MinFreeKbytes() {
    }

    /** {@code int_sqrt(x)}: the largest {@code r} with {@code r * r <= x} (3037000499 is the root of {@code Long.MAX_VALUE}). */
    public static long intSqrt(long x) {
        if (x < 0) {
            throw new IllegalArgumentException("int_sqrt argument must be >= 0: " + x);
        }
        long r = (long) Math.sqrt((double) x);
        while (r * r > x) {
            r--;
        }
        while (r < 3037000499L && (r + 1) * (r + 1) <= x) {
            r++;
        }
        return r;
    }

    /**
     * The square-root value {@code clamp(int_sqrt(lowmemKbytes * 16), 128, 262144)}.
     *
     * @throws IllegalArgumentException for kernels before 5.10 (bounds not described) or a negative input
     */
    public static long sqrtValue(KernelVersion kernel, long lowmemKbytes) {
        Objects.requireNonNull(kernel, "kernel");
        if (!kernel.has(Feature.MODEL_ZONE_FORMULAS)) {
            throw new IllegalArgumentException("the min_free_kbytes clamp is described for kernels 5.10 and later: " + kernel);
        }
        if (lowmemKbytes < 0) {
            throw new IllegalArgumentException("lowmem kbytes must be >= 0: " + lowmemKbytes);
        }
        return Math.max(MIN_VALUE, Math.min(MAX_VALUE, intSqrt(lowmemKbytes * 16)));
    }

    /** True for the zones {@code nr_free_buffer_pages()} counts: those GFP_USER may use (DMA, DMA32, Normal). */
    public static boolean isBufferZone(ZoneType zone) {
        return zone == ZoneType.DMA || zone == ZoneType.DMA32 || zone == ZoneType.NORMAL;
    }

    /**
     * {@code nr_free_buffer_pages()}: the sum over DMA, DMA32 and Normal zones of
     * {@code max(0, managed - high)}; pass {@code highWatermarks == null} for the boot-time value
     * (watermarks still 0).
     */
    public static long nrFreeBufferPages(ZoneType[] zones, long[] managedPages, long[] highWatermarks) {
        long sum = 0;
        for (int i = 0; i < zones.length; i++) {
            if (isBufferZone(zones[i])) {
                long high = highWatermarks == null ? 0 : highWatermarks[i];
                sum += Math.max(0, managedPages[i] - high);
            }
        }
        return sum;
    }

    /**
     * The THP-recommended value in kB: {@code min(11 * PBN * nrZones, nrFreeBufferPages / 20)} pages,
     * converted to kB.
     *
     * @param pageblockOrder     {@code pageblock_order}
     * @param nrZones            populated zones with index &lt;= Normal over all nodes
     * @param nrFreeBufferPages  {@link #nrFreeBufferPages} with the high watermarks of the sqrt value
     */
    public static long thpRecommended(int pageblockOrder, int nrZones, long nrFreeBufferPages, PageSize pageSize) {
        long pbn = 1L << pageblockOrder;
        long recPages = pbn * nrZones * 2 + pbn * nrZones * MigrateType.PCPTYPES * MigrateType.PCPTYPES;
        recPages = Math.min(recPages, nrFreeBufferPages / 20);
        return recPages << (pageSize.shift() - 10);
    }

    /**
     * The default a kernel boots with: the sqrt value from the managed pages of DMA/DMA32/Normal,
     * raised to the THP value when {@code thpEnabled} and the managed total is at least 512 MiB.
     *
     * @param zones          every zone of every node
     * @param managedPages   managed pages per zone (same index)
     * @param thpEnabled     THP built in and set to {@code always} or {@code madvise}
     * @param pageblockOrder {@code pageblock_order}
     * @param watermarkScaleFactor used for the high watermarks the THP step subtracts
     */
    public static long defaultValue(KernelVersion kernel, ZoneType[] zones, long[] managedPages, PageSize pageSize,
                                    boolean thpEnabled, int pageblockOrder, int watermarkScaleFactor) {
        long lowmemPages = nrFreeBufferPages(zones, managedPages, null);
        long sqrt = sqrtValue(kernel, lowmemPages * (pageSize.bytes() / 1024));
        if (!thpEnabled) {
            return sqrt;
        }
        long total = 0;
        int nrZones = 0;
        for (int i = 0; i < zones.length; i++) {
            total += managedPages[i];
            if (isBufferZone(zones[i]) && managedPages[i] > 0) {
                nrZones++;
            }
        }
        if (total < (512L << (20 - pageSize.shift()))) {
            return sqrt;
        }
        long[] min = new long[zones.length];
        long[] low = new long[zones.length];
        long[] high = new long[zones.length];
        long[] promo = new long[zones.length];
        Watermarks.computeInto(kernel, sqrt, watermarkScaleFactor, zones, managedPages, pageSize, min, low, high, promo);
        long rec = thpRecommended(pageblockOrder, nrZones, nrFreeBufferPages(zones, managedPages, high), pageSize);
        return Math.max(sqrt, rec);
    }
}
