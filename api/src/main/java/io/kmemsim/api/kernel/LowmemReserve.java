package io.kmemsim.api.kernel;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The per-zone {@code lowmem_reserve[]} arrays (zoneinfo's "protection") derived from
 * {@code vm.lowmem_reserve_ratio} and the zones' managed pages (mm/page_alloc.c: setup_per_zone_lowmem_reserve() (6.1)).
 *
 * <p>Notes (restated from mm/page_alloc.c: setup_per_zone_lowmem_reserve() (6.1)):
 * <pre>
 *   for each zone i of a node:  running = 0
 *     for j = i+1 .. last zone:  running += managed(j)
 *        reserve[i][j] = (ratio(i) == 0 or managed(i) == 0) ? 0 : running / ratio(i)
 *   reserve[i][j] = 0 for j &lt;= i
 *   6.10 - 6.12.18, 6.13.0 - 6.13.6: reserve[i][j] = 0 also when zone j is empty
 *   (the change was reverted in 6.14-rc, 6.12.19 and the matching 6.13.y)
 * </pre>
 * The reserves are per node (zones of one node only). The reference names the matching 6.13.y of the
 * revert only as "matching"; 6.13.7 (released with 6.12.19) is taken as the first reverted 6.13.
 * Only 5.10+ is described; older kernels are refused.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class LowmemReserve {

    private LowmemReserve() {
    }

    /** The default ratio of a zone type: DMA 256, DMA32 256, Normal 32, Movable 0, Device 0 (5.10 – 6.19). */
    public static int defaultRatio(ZoneType zone) {
        return switch (zone) {
            case DMA, DMA32 -> 256;
            case NORMAL -> 32;
            case MOVABLE, DEVICE -> 0;
        };
    }

    /** The default {@code vm.lowmem_reserve_ratio} of a configuration, one value per configured zone. */
    public static int[] defaultRatios(KernelConfig config) {
        List<ZoneType> zones = config.zones();
        int[] ratios = new int[zones.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = defaultRatio(zones.get(i));
        }
        return ratios;
    }

    /** True for the kernels that print 0 for an empty upper zone (6.10 – 6.12.18, 6.13.0 – 6.13.6). */
    public static boolean zeroForEmptyUpperZone(KernelVersion kernel) {
        return kernel.has(Feature.LOWMEM_RESERVE_ZERO_FOR_EMPTY_ZONE);
    }

    /**
     * The reserves of one node.
     *
     * @param managedPages managed pages of each configured zone of the node, in zone order
     * @param ratios       {@code vm.lowmem_reserve_ratio}, same length (values &lt; 1 count as 0)
     * @return {@code reserve[i][j]}: pages zone {@code i} keeps back from requests whose highest
     *         usable zone index is {@code j}
     */
    public static long[][] compute(KernelVersion kernel, long[] managedPages, int[] ratios) {
        long[][] out = new long[managedPages.length][managedPages.length];
        for (int i = 0; i < managedPages.length; i++) {
            computeInto(kernel, managedPages, ratios, i, out[i]);
        }
        return out;
    }

    /** Writes {@code reserve[zone][0..n-1]} of one zone into {@code out} without allocating. */
    public static void computeInto(KernelVersion kernel, long[] managedPages, int[] ratios, int zone, long[] out) {
        Objects.requireNonNull(kernel, "kernel");
        if (!kernel.has(Feature.MODEL_ZONE_FORMULAS)) {
            throw new IllegalArgumentException("lowmem_reserve rules are described for kernels 5.10 and later: " + kernel);
        }
        if (ratios.length != managedPages.length) {
            throw new IllegalArgumentException("lowmem_reserve_ratio must have one value per zone: "
                    + ratios.length + " values for " + managedPages.length + " zones");
        }
        boolean zeroEmpty = zeroForEmptyUpperZone(kernel);
        long ratio = Math.max(0, ratios[zone]);
        long running = 0;
        for (int j = 0; j < managedPages.length; j++) {
            if (j <= zone) {
                out[j] = 0;
                continue;
            }
            running += managedPages[j];
            boolean none = ratio == 0 || managedPages[zone] == 0 || (zeroEmpty && managedPages[j] == 0);
            out[j] = none ? 0 : running / ratio;
        }
    }
}
