package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneStatThreshold;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import java.util.List;
import java.util.Objects;

/**
 * Renders {@code /proc/zoneinfo} from the allocators' {@link Zone} views (
 * mm/vmstat.c: zoneinfo_show_print() (6.1)), every configured zone, populated or not, in the layout of the given kernel version.
 *
 * <p>Printed, exactly as the kernel prints them:
 * <ul>
 *   <li>{@code Node %d, zone %8s}; {@code pages free}; {@code boost} (6.1+); {@code min}, {@code low},
 *       {@code high} (watermark + boost); {@code promo} (6.12+); {@code spanned}, {@code present},
 *       {@code managed}; {@code cma} (6.1+, {@link Zone#cmaPages()}); {@code protection: (…)} with one
 *       value per configured zone. An unpopulated zone ends there.</li>
 *   <li>The zone counters the allocator owns: {@code nr_free_pages} ({@link Zone#freePages()}),
 *       {@code nr_free_pages_blocks} (6.18+: pages in free blocks of order ≥ pageblock_order, from the
 *       free lists) and {@code nr_free_cma} (pages on the CMA free lists; 0 without CMA).</li>
 *   <li>{@code pagesets}: per CPU {@code count}, {@code high}, {@code batch} (and {@code high_min},
 *       {@code high_max} in the aligned 6.13+ form), each followed by {@code vm stats threshold}
 *       ({@link ZoneStatThreshold}).</li>
 *   <li>{@code node_unreclaimable} (always 0: no reclaim is modelled), {@code start_pfn}, and in
 *       6.19 {@code reserved_highatomic} ({@link Zone#reservedHighatomicPages()}) and
 *       {@code free_highatomic} (pages on the HighAtomic free lists).</li>
 * </ul>
 * Omitted, because the page-allocator view does not have them: the {@code per-node stats} block, the
 * LRU/mlock/bounce/zspages/unaccepted zone counters and the NUMA event counters. Output of a real kernel
 * therefore has more lines; every printed line is byte-exact.
 */
public final class ZoneinfoRenderer {

    private ZoneinfoRenderer() {
    }

    /**
     * The file for the given nodes.
     *
     * @param kernel kernel version (5.10+), decides the layout
     * @param config the configuration (page size for the threshold, CMA)
     * @param cpus   online CPUs, each printed as a pageset
     * @param nodes  one allocator per node, in node order
     */
    public static String render(KernelVersion kernel, KernelConfig config, int cpus, List<? extends PageAllocator> nodes) {
        Objects.requireNonNull(kernel, "kernel");
        if (!kernel.has(Feature.MODEL_ZONE_FORMULAS)) {
            throw new IllegalArgumentException("zoneinfo layouts are described for kernels 5.10 and later: " + kernel);
        }
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be >= 1: " + cpus);
        }
        StringBuilder sb = new StringBuilder(4096);
        for (PageAllocator node : nodes) {
            for (Zone z : node.zones()) {
                appendZone(sb, kernel, config, cpus, node, z);
            }
        }
        return sb.toString();
    }

    private static void appendZone(StringBuilder sb, KernelVersion k, KernelConfig config, int cpus,
                                   PageAllocator node, Zone z) {
        long boost = z.watermarkBoost();
        ProcText.nodeZone(sb, z.node(), z.name());
        sb.append("\n  pages free     ").append(z.freePages());
        if (k.has(Feature.ZONEINFO_BOOST_AND_CMA)) {
            sb.append("\n        boost    ").append(boost);
        }
        sb.append("\n        min      ").append(z.watermark(WatermarkLevel.MIN) + boost);
        sb.append("\n        low      ").append(z.watermark(WatermarkLevel.LOW) + boost);
        sb.append("\n        high     ").append(z.watermark(WatermarkLevel.HIGH) + boost);
        if (k.has(Feature.ZONEINFO_PROMO_LINE)) {
            sb.append("\n        promo    ").append(z.watermark(WatermarkLevel.PROMO) + boost);
        }
        sb.append("\n        spanned  ").append(z.spannedPages());
        sb.append("\n        present  ").append(z.presentPages());
        sb.append("\n        managed  ").append(z.managedPages());
        if (k.has(Feature.ZONEINFO_BOOST_AND_CMA)) {
            sb.append("\n        cma      ").append(z.cmaPages());
        }
        int nrZones = node.zones().size();
        sb.append("\n        protection: (").append(z.lowmemReserve(0));
        for (int i = 1; i < nrZones; i++) {
            sb.append(", ").append(z.lowmemReserve(i));
        }
        sb.append(')');
        if (!z.populated()) {
            sb.append('\n');
            return;
        }
        appendCounters(sb, k, config, node, z);
        appendPagesets(sb, k, config, cpus, z);
        sb.append("\n  node_unreclaimable:  0");
        sb.append("\n  start_pfn:           ").append(z.startPfn());
        if (k.has(Feature.ZONEINFO_HIGHATOMIC_LINES)) {
            sb.append("\n  reserved_highatomic: ").append(z.reservedHighatomicPages());
            sb.append("\n  free_highatomic:     ").append(freePagesOfType(z, MigrateType.HIGHATOMIC, node.maxOrder()));
        }
        sb.append('\n');
    }

    private static void appendCounters(StringBuilder sb, KernelVersion k, KernelConfig config, PageAllocator node, Zone z) {
        counter(sb, "nr_free_pages", z.freePages());
        if (k.has(Feature.ZONEINFO_FREE_PAGES_BLOCKS)) {
            long blocks = 0;
            for (int o = node.pageblockOrder(); o <= node.maxOrder(); o++) {
                blocks += z.freeBlocks(o) << o;
            }
            counter(sb, "nr_free_pages_blocks", blocks);
        }
        long cma = config.cma() ? freePagesOfType(z, MigrateType.CMA, node.maxOrder()) : 0;
        counter(sb, "nr_free_cma", cma);
    }

    private static void appendPagesets(StringBuilder sb, KernelVersion k, KernelConfig config, int cpus, Zone z) {
        boolean aligned = k.has(Feature.ZONEINFO_PAGESET_ALIGNED);
        int threshold = ZoneStatThreshold.normal(cpus, z.managedPages(), config.pageSize());
        sb.append("\n  pagesets");
        for (int cpu = 0; cpu < cpus; cpu++) {
            sb.append("\n    cpu: ").append(cpu);
            if (aligned) {
                sb.append("\n              count:    ").append(z.pcpCount(cpu));
                sb.append("\n              high:     ").append(z.pcpHigh(cpu));
                sb.append("\n              batch:    ").append(z.pcpBatch());
                sb.append("\n              high_min: ").append(z.pcpHighMin(cpu));
                sb.append("\n              high_max: ").append(z.pcpHighMax(cpu));
            } else {
                sb.append("\n              count: ").append(z.pcpCount(cpu));
                sb.append("\n              high:  ").append(z.pcpHigh(cpu));
                sb.append("\n              batch: ").append(z.pcpBatch());
            }
            sb.append("\n  vm stats threshold: ").append(threshold);
        }
    }

    private static void counter(StringBuilder sb, String name, long value) {
        sb.append("\n      ");
        ProcText.left(sb, name, 12).append(' ').append(value);
    }

    private static long freePagesOfType(Zone z, MigrateType mt, int maxOrder) {
        long pages = 0;
        for (int o = 0; o <= maxOrder; o++) {
            pages += z.freeBlocks(o, mt) << o;
        }
        return pages;
    }
}
