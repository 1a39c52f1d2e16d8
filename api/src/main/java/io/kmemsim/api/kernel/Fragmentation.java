package io.kmemsim.api.kernel;

import org.apiguardian.api.API;

/**
 * The kernel's fragmentation metrics of a zone, computed from its free blocks per order
 * ({@code free_area[o].nr_free}, all migrate types), mm/vmstat.c: fill_contig_page_info() (6.1). All methods are
 * allocation-free and take {@code nrFree[o]} for {@code o = 0 .. maxOrder} (the array length is the
 * number of orders).
 *
 * <p>Notes (restated from mm/vmstat.c: fill_contig_page_info() (6.1); integer arithmetic, values in thousandths or percent):
 * <pre>
 *   free_blocks_total    = sum nr_free[o]
 *   free_pages           = sum nr_free[o] &lt;&lt; o
 *   free_blocks_suitable = sum over o &gt;= order of nr_free[o] &lt;&lt; (o - order)
 *   fragmentation index  = 0 if total == 0; -1000 if suitable &gt; 0;
 *                          else 1000 - (1000 + free_pages * 1000 / 2^order) / total
 *   unusable index       = 1000 if free_pages == 0;
 *                          else (free_pages - (suitable &lt;&lt; order)) * 1000 / free_pages
 *   extfrag_for_order    = 0 if free_pages == 0;
 *                          else (free_pages - (suitable &lt;&lt; order)) * 100 / free_pages
 * </pre>
 * These rules are the same in every version the reference covers (5.10 – 6.19). Proactive compaction
 * watermarks changed between 6.14 and 6.18 (see {@link #proactiveHighWatermark}).
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Fragmentation {

    /** {@code vm.extfrag_threshold} default. */
    public static final int DEFAULT_EXTFRAG_THRESHOLD = 500;
    /** {@code vm.compaction_proactiveness} default. */
    public static final int DEFAULT_PROACTIVENESS = 20;

    private Fragmentation() {
    }

    /** {@code free_blocks_total}: free blocks of any order. */
    public static long freeBlocksTotal(long[] nrFree) {
        long sum = 0;
        for (long n : nrFree) {
            sum += n;
        }
        return sum;
    }

    /** {@code free_pages}: free pages on the buddy lists. */
    public static long freePages(long[] nrFree) {
        long sum = 0;
        for (int o = 0; o < nrFree.length; o++) {
            sum += nrFree[o] << o;
        }
        return sum;
    }

    /** {@code free_blocks_suitable}: blocks of {@code 2^order} pages obtainable by splitting free blocks. */
    public static long freeBlocksSuitable(long[] nrFree, int order) {
        checkOrder(nrFree, order);
        long sum = 0;
        for (int o = order; o < nrFree.length; o++) {
            sum += nrFree[o] << (o - order);
        }
        return sum;
    }

    /**
     * {@code __fragmentation_index}: −1000 when a suitable block exists, 0 when nothing is free,
     * otherwise 0 … 999 (near 0: too little memory, near 1000: too fragmented).
     */
    public static int fragmentationIndex(long[] nrFree, int order) {
        checkOrder(nrFree, order);
        long total = freeBlocksTotal(nrFree);
        if (total == 0) {
            return 0;
        }
        if (freeBlocksSuitable(nrFree, order) > 0) {
            return -1000;
        }
        long requested = 1L << order;
        return (int) (1000 - (1000 + freePages(nrFree) * 1000 / requested) / total);
    }

    /** The unusable free space index in thousandths (debugfs {@code unusable_index}). */
    public static int unusableIndex(long[] nrFree, int order) {
        checkOrder(nrFree, order);
        long free = freePages(nrFree);
        if (free == 0) {
            return 1000;
        }
        return (int) ((free - (freeBlocksSuitable(nrFree, order) << order)) * 1000 / free);
    }

    /** {@code extfrag_for_order} in percent (0 … 100), used by proactive compaction. */
    public static int extfragForOrder(long[] nrFree, int order) {
        checkOrder(nrFree, order);
        long free = freePages(nrFree);
        if (free == 0) {
            return 0;
        }
        return (int) ((free - (freeBlocksSuitable(nrFree, order) << order)) * 100 / free);
    }

    /**
     * A zone's weighted proactive-compaction score:
     * {@code zonePresent * extfrag_for_order(COMPACTION_HPAGE_ORDER) / (nodePresent + 1)}; the node
     * score is the sum over its populated zones.
     */
    public static long weightedZoneScore(long zonePresentPages, int zoneScore, long nodePresentPages) {
        return zonePresentPages * zoneScore / (nodePresentPages + 1);
    }

    /** The node score at which proactive compaction stops a zone: ≤6.14 {@code max(100 − p, 5)}; 6.18+ {@code 100 − p}. */
    public static int proactiveLowWatermark(KernelVersion kernel, int proactiveness) {
        checkProactiveness(proactiveness);
        return leewayRule(kernel) ? 100 - proactiveness : Math.max(100 - proactiveness, 5);
    }

    /**
     * The node score above which proactive compaction starts: ≤6.14 {@code min(low + 10, 100)};
     * 6.18+ {@code min(low + min(10, low / 2), 100)}. The reference brackets the change between 6.14
     * and 6.18 without naming a release; 6.15 – 6.17 are given the 6.14 rule.
     */
    public static int proactiveHighWatermark(KernelVersion kernel, int proactiveness) {
        int low = proactiveLowWatermark(kernel, proactiveness);
        int leeway = leewayRule(kernel) ? Math.min(10, low / 2) : 10;
        return Math.min(low + leeway, 100);
    }

    private static boolean leewayRule(KernelVersion kernel) {
        return kernel.has(Feature.PROACTIVE_LEEWAY);
    }

    private static void checkProactiveness(int p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("compaction_proactiveness must be in [0, 100]: " + p);
        }
    }

    private static void checkOrder(long[] nrFree, int order) {
        if (order < 0 || order >= nrFree.length) {
            throw new IllegalArgumentException("order must be in [0, " + (nrFree.length - 1) + "]: " + order);
        }
    }
}
