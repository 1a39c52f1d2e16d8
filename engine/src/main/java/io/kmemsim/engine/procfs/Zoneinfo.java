package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.ZoneType;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The content of a {@code /proc/zoneinfo} file as parsed (mm/vmstat.c: zoneinfo_show_print() (6.1)): per node
 * and zone the values exactly as printed. A value the file did not print is {@link #ABSENT}.
 *
 * @param zones   every zone of every node, in file order
 * @param missing for an excerpt ({@link ZoneinfoParser#parseExcerpt}): per zone ("node 0 zone Normal") the
 *                fields every kernel prints that the excerpt lacks, in file order; empty for a whole file
 */
public record Zoneinfo(List<ZoneEntry> zones, Map<String, List<String>> missing) {

    /** The value of a line the file did not have (e.g. {@code boost} before 6.1, {@code promo} before 6.12). */
    public static final long ABSENT = -1;

    public Zoneinfo {
        zones = List.copyOf(zones);
        missing = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(missing));
    }

    /** A whole file: nothing missing. */
    public Zoneinfo(List<ZoneEntry> zones) {
        this(zones, Map.of());
    }

    /**
     * One zone as printed. The watermarks are as printed, i.e. including the boost.
     *
     * @param line       1-based line of the zone's {@code Node …, zone …} header
     * @param node       node id
     * @param zone       zone type
     * @param pagesFree  {@code pages free}
     * @param boost      {@code boost} or {@link #ABSENT}
     * @param min        {@code min} (watermark + boost)
     * @param low        {@code low} (watermark + boost)
     * @param high       {@code high} (watermark + boost)
     * @param promo      {@code promo} or {@link #ABSENT}
     * @param spanned    {@code spanned}
     * @param present    {@code present}
     * @param managed    {@code managed}
     * @param cma        {@code cma} or {@link #ABSENT}
     * @param protection the {@code protection:} tuple
     * @param nodeStats  the {@code per-node stats} block printed under this zone (empty for other zones)
     * @param counters   every other {@code name value} / {@code name: value} line of the zone outside the
     *                   pagesets, in file order (zone stats, NUMA stats, {@code node_unreclaimable},
     *                   {@code start_pfn}, …)
     * @param pagesets   the per-CPU blocks; empty for an unpopulated zone
     * @param startPfn   {@code start_pfn} or {@link #ABSENT} (unpopulated zones do not print it)
     */
    public record ZoneEntry(int line, int node, ZoneType zone, long pagesFree, long boost, long min, long low,
                            long high, long promo, long spanned, long present, long managed, long cma,
                            List<Long> protection, Map<String, Long> nodeStats, Map<String, Long> counters,
                            List<Pageset> pagesets, long startPfn) {

        public ZoneEntry {
            Objects.requireNonNull(zone, "zone");
            protection = List.copyOf(protection);
            nodeStats = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(nodeStats));
            counters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counters));
            pagesets = List.copyOf(pagesets);
        }

        /** The printed boost, or 0 when the file has no boost line (before 6.1). */
        public long boostOrZero() {
            return boost == ABSENT ? 0 : boost;
        }
    }

    /**
     * One CPU's pageset block.
     *
     * @param cpu       the CPU
     * @param count     {@code count}
     * @param high      {@code high}
     * @param batch     {@code batch}
     * @param highMin   {@code high_min} (6.13+) or {@link #ABSENT}
     * @param highMax   {@code high_max} (6.13+) or {@link #ABSENT}
     * @param threshold the {@code vm stats threshold} printed after the block, or {@link #ABSENT}
     */
    public record Pageset(int cpu, long count, long high, long batch, long highMin, long highMax, long threshold) {
    }
}
