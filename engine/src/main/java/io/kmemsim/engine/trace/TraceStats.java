package io.kmemsim.engine.trace;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of a trace: events per type, page events per order and migrate type, gfp values of page
 * allocations, and the time span. Fed one record at a time; memory grows only with distinct gfp values.
 */
public final class TraceStats {

    private static final int ORDERS = 16;

    private final long[] perType = new long[TraceEventType.values().length];
    private final long[][] perTypeOrder = new long[TraceEventType.values().length][ORDERS];
    private final long[] allocPerMigratetype = new long[8];
    private final Map<Integer, Long> allocPerGfp = new TreeMap<>();
    private long failedAllocs;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private long total;

    /** Adds one record. */
    public void add(TraceRecord r) {
        total++;
        int t = r.type.ordinal();
        perType[t]++;
        if (r.order >= 0 && r.order < ORDERS) {
            perTypeOrder[t][r.order]++;
        }
        if (r.type == TraceEventType.MM_PAGE_ALLOC) {
            if (r.pfn < 0) {
                failedAllocs++;
            }
            if (r.migratetype >= 0 && r.migratetype < allocPerMigratetype.length) {
                allocPerMigratetype[r.migratetype]++;
            }
            allocPerGfp.merge(r.gfp, 1L, Long::sum);
        }
        first = Math.min(first, r.timeNanos);
        last = Math.max(last, r.timeNanos);
    }

    /** Events counted. */
    public long total() {
        return total;
    }

    /** Events of {@code type}. */
    public long count(TraceEventType type) {
        return perType[type.ordinal()];
    }

    /** Events of {@code type} with {@code order}. */
    public long count(TraceEventType type, int order) {
        return order >= 0 && order < ORDERS ? perTypeOrder[type.ordinal()][order] : 0;
    }

    /** Failed {@code mm_page_alloc} events (NULL page). */
    public long failedAllocs() {
        return failedAllocs;
    }

    /** Time between the first and the last event, in nanoseconds (0 for fewer than two events). */
    public long spanNanos() {
        return total < 2 ? 0 : last - first;
    }

    /** A readable report; gfp values are printed in {@code kernel}'s names. */
    public String render(KernelVersion kernel) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("events: %d   time span: %.6f s%n", total, spanNanos() / 1e9));
        sb.append(String.format("%-28s %12s%n", "event", "count"));
        for (TraceEventType t : TraceEventType.values()) {
            if (perType[t.ordinal()] > 0) {
                sb.append(String.format("%-28s %12d%n", t.kernelName(), perType[t.ordinal()]));
            }
        }
        appendOrders(sb);
        if (count(TraceEventType.MM_PAGE_ALLOC) > 0) {
            sb.append(String.format("%nmm_page_alloc by migratetype (failed: %d)%n", failedAllocs));
            for (int mt = 0; mt < allocPerMigratetype.length; mt++) {
                if (allocPerMigratetype[mt] > 0) {
                    String name = migrateTypeName(mt, kernel);
                    sb.append(String.format("  %-14s %12d%n", name, allocPerMigratetype[mt]));
                }
            }
            sb.append(String.format("%nmm_page_alloc by gfp_flags%n"));
            allocPerGfp.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> sb.append(String.format("  %12d  %s%n", e.getValue(), Gfp.format(e.getKey(), kernel))));
        }
        return sb.toString();
    }

    /**
     * The name kernel {@code k} gives migrate type {@code mt} ({@code migratetype_names[]}, mm/vmstat.c up to
     * 4.x, mm/page_alloc.c later; CMA configured): before 3.5 Unmovable, Reclaimable, Movable, Reserve,
     * Isolate; 3.5 added CMA before Isolate; 4.4 ("mm, page_alloc: use masks and shifts when converting GFP
     * flags to migrate types", "… reserve pageblocks for high-order atomic allocations on demand") put
     * Movable before Reclaimable and replaced Reserve by HighAtomic, today's order ({@link MigrateType}).
     * The number is the one the trace printed, so an old trace's 1 is Reclaimable.
     */
    static String migrateTypeName(int mt, KernelVersion k) {
        String[] names;
        if (!k.atLeast(3, 5)) {
            names = new String[] {"Unmovable", "Reclaimable", "Movable", "Reserve", "Isolate"};
        } else if (!k.atLeast(4, 4)) {
            names = new String[] {"Unmovable", "Reclaimable", "Movable", "Reserve", "CMA", "Isolate"};
        } else {
            names = new String[MigrateType.values().length];
            for (MigrateType t : MigrateType.values()) {
                names[t.ordinal()] = t.printedName();
            }
        }
        return mt >= 0 && mt < names.length ? names[mt] : "type " + mt;
    }

    private void appendOrders(StringBuilder sb) {
        TraceEventType[] paged = {TraceEventType.MM_PAGE_ALLOC, TraceEventType.MM_PAGE_FREE};
        if (count(paged[0]) + count(paged[1]) == 0) {
            return;
        }
        sb.append(String.format("%n%-6s %14s %14s%n", "order", "mm_page_alloc", "mm_page_free"));
        for (int o = 0; o < ORDERS; o++) {
            long a = count(paged[0], o);
            long f = count(paged[1], o);
            if (a + f > 0) {
                sb.append(String.format("%-6d %14d %14d%n", o, a, f));
            }
        }
    }
}
