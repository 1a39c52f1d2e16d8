package io.kmemsim.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmemsim.api.kernel.Fragmentation;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.engine.results.ZoneSeries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The figures of one run: per zone, free pages by order, free pages against the watermarks, the unusable
 * and fragmentation indexes per order (mm/vmstat.c: {@code unusable_free_index()} and
 * {@code __fragmentation_index()}, as {@link Fragmentation} computes them); the fragmentation and compaction
 * events per sampling interval; the latency percentiles per order; the largest slab caches.
 *
 * <p>Series are drawn from at most {@link #MAX_POINTS} evenly spaced samples (the first and the last kept),
 * so a figure's size does not grow with the run.
 */
final class RunFigures {

    static final int MAX_POINTS = 400;
    static final int TOP_CACHES = 15;

    private RunFigures() {
    }

    static List<Figure> of(RunData run) {
        List<Figure> out = new ArrayList<>();
        if (run.zones != null) {
            zoneFigures(run, out);
            eventFigures(run, out);
        }
        Figure latency = latency(run);
        if (latency != null) {
            out.add(latency);
        }
        Figure slabs = slabs(run);
        if (slabs != null) {
            out.add(slabs);
        }
        return out;
    }

    /** The indexes of at most {@link #MAX_POINTS} evenly spaced samples of {@code n}, first and last included. */
    static int[] thin(int n) {
        if (n <= MAX_POINTS) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] picked = new int[MAX_POINTS];
        for (int i = 0; i < MAX_POINTS; i++) {
            picked[i] = (int) Math.round((double) i * (n - 1) / (MAX_POINTS - 1));
        }
        return picked;
    }

    static double[] pick(long[] v, int[] idx) {
        double[] d = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            d[i] = v[idx[i]];
        }
        return d;
    }

    static String zoneLabel(JsonNode zone) {
        return "node " + zone.path("node").asInt() + ", zone " + zone.path("zone").asText();
    }

    static String zoneStem(JsonNode zone) {
        return "node" + zone.path("node").asInt() + "-" + zone.path("zone").asText();
    }

    private static void zoneFigures(RunData run, List<Figure> out) {
        long[] events = run.events();
        int[] idx = thin(events.length);
        double[] x = pick(events, idx);
        int maxOrder = run.zones.path("maxOrder").asInt();
        for (JsonNode zone : run.zones.path("zones")) {
            String label = zoneLabel(zone);
            String stem = zoneStem(zone);
            long[][] blocks = new long[maxOrder + 1][];
            for (int o = 0; o <= maxOrder; o++) {
                blocks[o] = RunData.longs(zone.path("freeBlocks").path(o));
                if (blocks[o].length != events.length) {
                    throw run.bad("zones[" + zone.path("zone").asText() + "].freeBlocks[" + o + "]", "has "
                            + blocks[o].length + " values for " + events.length + " samples");
                }
            }
            List<String> names = new ArrayList<>();
            List<double[]> pages = new ArrayList<>();
            for (int o = 0; o <= maxOrder; o++) {
                names.add("order " + o);
                double[] p = pick(blocks[o], idx);
                for (int i = 0; i < p.length; i++) {
                    p[i] *= 1L << o;
                }
                pages.add(p);
            }
            out.add(new Figure(stem + "-free-by-order", "Free pages of " + label + " by the order of the free block"
                    + " holding them (blocks × 2^order), stacked from order 0 at the bottom; the top edge is the zone's"
                    + " free pages on the buddy lists.",
                    Charts.stacked("Free pages by block order — " + label, "events", "pages", x, names, pages),
                    Charts.WIDTH, Charts.HEIGHT));
            List<Charts.Line> marks = new ArrayList<>();
            for (String f : List.of("free", "min", "low", "high")) {
                marks.add(new Charts.Line(f.equals("free") ? "free pages" : f, x,
                        pick(run.zoneColumn(zone, f, events.length), idx)));
            }
            out.add(new Figure(stem + "-watermarks", "Free pages of " + label + " against its min, low and high"
                    + " watermarks (boost included), in pages.",
                    Charts.lines("Free pages and watermarks — " + label, "events", "pages", marks, false),
                    Charts.WIDTH, Charts.HEIGHT));
            out.add(indexFigure(stem, label, x, idx, blocks, true));
            out.add(indexFigure(stem, label, x, idx, blocks, false));
        }
    }

    private static Figure indexFigure(String stem, String label, double[] x, int[] idx, long[][] blocks,
                                      boolean unusable) {
        int orders = blocks.length;
        long[] nrFree = new long[orders];
        List<Charts.Line> lines = new ArrayList<>();
        for (int o = 1; o < orders; o++) {
            double[] y = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                for (int k = 0; k < orders; k++) {
                    nrFree[k] = blocks[k][idx[i]];
                }
                y[i] = index(nrFree, o, unusable);
            }
            lines.add(new Charts.Line("order " + o, x, y));
        }
        String name = unusable ? "unusable index" : "fragmentation (extfrag) index";
        String caption = unusable
                ? "Unusable free space index of " + label + " per order (mm/vmstat.c: unusable_free_index(), 6.1):"
                        + " the share of free pages in blocks too small for the order, 0 to 1."
                : "Fragmentation index of " + label + " per order (mm/vmstat.c: __fragmentation_index(), 6.1):"
                        + " near 0 a failure would be for lack of memory, near 1 for fragmentation; −1 while a"
                        + " block of the order is free (the kernel prints −1.000).";
        return new Figure(stem + (unusable ? "-unusable-index" : "-extfrag-index"), caption,
                Charts.lines(Character.toUpperCase(name.charAt(0)) + name.substring(1) + " per order — " + label,
                        "events", "index", lines, false), Charts.WIDTH, Charts.HEIGHT);
    }

    /**
     * The value a figure plots for a zone's free blocks {@code nrFree} (per order) at {@code order}: the unusable
     * free space index or the fragmentation index, as the kernel's debugfs {@code extfrag} files print them
     * (thousandths, −1 when a block of the order is free).
     */
    static double index(long[] nrFree, int order, boolean unusable) {
        int v = unusable ? Fragmentation.unusableIndex(nrFree, order) : Fragmentation.fragmentationIndex(nrFree, order);
        return v / 1000.0;
    }

    private static void eventFigures(RunData run, List<Figure> out) {
        long[] events = run.events();
        if (events.length < 2) {
            return;
        }
        JsonNode counters = run.zones.path("counters");
        List<Charts.Line> frag = new ArrayList<>();
        addDelta(frag, counters, "kmemsim_extfrag_events", "fallbacks (mm_page_alloc_extfrag)", events);
        Charts.Line retyped = retyped(run);
        if (retyped != null) {
            frag.add(retyped);
        }
        if (!frag.isEmpty()) {
            out.add(new Figure("fragmentation-events", "Fragmentation events per sampling interval: migrate-type"
                    + " fallbacks (each an mm_page_alloc_extfrag event: a steal, or a claim when the pageblock"
                    + " changed owner) and pageblocks whose type changed between two pageblock maps (claims).",
                    Charts.lines("Fragmentation events per interval", "events", "count", frag, true),
                    Charts.WIDTH, Charts.HEIGHT));
        }
        List<Charts.Line> compaction = new ArrayList<>();
        for (String c : List.of("compact_stall", "compact_success", "compact_fail", "compact_daemon_wake")) {
            addDelta(compaction, counters, c, c.equals("compact_daemon_wake") ? "kcompactd wakeups" : c, events);
        }
        if (!compaction.isEmpty()) {
            out.add(new Figure("compaction-events", "Compaction per sampling interval: direct-compaction stalls,"
                    + " their success and failure, and kcompactd wakeups (the /proc/vmstat counters).",
                    Charts.lines("Compaction events per interval", "events", "count", compaction, true),
                    Charts.WIDTH, Charts.HEIGHT));
        }
        List<Charts.Line> migrated = new ArrayList<>();
        addDelta(migrated, counters, "pgmigrate_success", "pages migrated", events);
        addDelta(migrated, counters, "pgmigrate_fail", "migrations failed", events);
        addDelta(migrated, counters, "compact_isolated", "pages isolated", events);
        if (!migrated.isEmpty()) {
            out.add(new Figure("pages-migrated", "Pages migrated, failed to migrate and isolated by compaction per"
                    + " sampling interval.", Charts.lines("Pages migrated per interval", "events", "pages", migrated,
                    true), Charts.WIDTH, Charts.HEIGHT));
        }
    }

    private static void addDelta(List<Charts.Line> lines, JsonNode counters, String name, String label, long[] events) {
        if (!counters.has(name)) {
            return;
        }
        long[] v = RunData.longs(counters.path(name));
        if (v.length != events.length || v[v.length - 1] == 0) {
            return;
        }
        int[] idx = thin(events.length);
        double[] x = pick(events, idx);
        double[] y = new double[idx.length];
        for (int i = 1; i < idx.length; i++) {
            y[i] = v[idx[i]] - v[idx[i - 1]];
        }
        lines.add(new Charts.Line(label, x, y));
    }

    /** Pageblocks whose migrate type differs between consecutive maps, summed over the zones. */
    private static Charts.Line retyped(RunData run) {
        JsonNode mapEvents = run.zones.path("mapEvents");
        if (mapEvents.size() < 2) {
            return null;
        }
        double[] x = new double[mapEvents.size()];
        double[] y = new double[mapEvents.size()];
        for (JsonNode zone : run.zones.path("zones")) {
            JsonNode maps = zone.path("pageblockMaps");
            byte[] prev = null;
            for (int i = 0; i < maps.size(); i++) {
                byte[] map = ZoneSeries.decodeRunLength(maps.get(i).asText());
                x[i] = mapEvents.get(i).asLong();
                if (prev != null) {
                    for (int b = 0; b < Math.min(map.length, prev.length); b++) {
                        y[i] += (map[b] & 7) != (prev[b] & 7) ? 1 : 0;
                    }
                }
                prev = map;
            }
        }
        return new Charts.Line("pageblocks retyped (map to map)", x, y);
    }

    private static Figure latency(RunData run) {
        JsonNode byOrder = run.results.path("latency").path("byOrder");
        if (!run.results.path("latency").path("available").asBoolean() || byOrder.isEmpty()) {
            return null;
        }
        List<String> rows = List.of("p50", "p90", "p99", "p999", "max");
        List<String> columns = new ArrayList<>();
        for (JsonNode o : byOrder) {
            columns.add("order " + o.path("order").asInt());
        }
        double[][] values = new double[rows.size()][columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            for (int r = 0; r < rows.size(); r++) {
                values[r][c] = Math.max(1, byOrder.get(c).path(rows.get(r)).asDouble());
            }
        }
        return new Figure("latency-by-order", "Page-allocation latency percentiles per order, in simulated cycles of"
                + " the cost model (log scale; docs/results.md says what is charged).",
                Charts.bars("Allocation latency per order", "order", "cycles", rows, columns, values, true, false),
                Charts.WIDTH, Charts.HEIGHT);
    }

    private static Figure slabs(RunData run) {
        if (run.slabs.isEmpty()) {
            return null;
        }
        List<CacheInfo> top = new ArrayList<>(run.slabs);
        top.sort(Comparator.comparingLong((CacheInfo c) -> c.numObjs() * (long) c.objSize()).reversed()
                .thenComparing(CacheInfo::name));
        top = top.subList(0, Math.min(TOP_CACHES, top.size()));
        List<String> columns = new ArrayList<>();
        double[][] values = new double[2][top.size()];
        for (int i = 0; i < top.size(); i++) {
            CacheInfo c = top.get(i);
            columns.add(c.name());
            values[0][i] = c.activeObjs() * (double) c.objSize() / 1024;
            values[1][i] = c.numObjs() * (double) c.objSize() / 1024;
        }
        return new Figure("slab-top-caches", "The " + top.size() + " slab caches holding the most memory at the end"
                + " (slabinfo): active objects against all objects in their slabs, in KiB; the gap is the cache's"
                + " internal fragmentation.", Charts.bars("Largest slab caches", "cache", "KiB",
                List.of("active objects", "total objects"), columns, values, false, true),
                Charts.WIDTH, Math.max(Charts.HEIGHT, 60 + 22 * top.size()));
    }
}
