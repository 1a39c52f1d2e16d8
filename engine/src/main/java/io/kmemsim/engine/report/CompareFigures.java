package io.kmemsim.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmemsim.api.kernel.Fragmentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of a comparison: each measure over time overlaid per variant (free pages, free pages in whole
 * pageblocks, the unusable index at the pageblock order, cumulative fallbacks and compaction stalls, all summed
 * over the zones), and the latency p99 per order side by side.
 */
final class CompareFigures {

    private CompareFigures() {
    }

    /** A measure of a run's zone series at sample {@code i}. */
    private interface Measure {
        double at(RunData run, int i);
    }

    static List<Figure> of(List<RunData> runs) {
        List<Figure> out = new ArrayList<>();
        overlay(out, runs, "compare-free-pages", "Free pages over time per variant, summed over the zones.",
                "Free pages", "pages", (r, i) -> sumZones(r, "free", i));
        overlay(out, runs, "compare-free-in-pageblocks", "Free pages held in blocks of pageblock order or larger"
                + " (what a THP-sized allocation can use without compaction), per variant.",
                "Free pages in whole pageblocks", "pages", CompareFigures::freeInPageblocks);
        overlay(out, runs, "compare-unusable-index", "Unusable free space index at the pageblock order"
                + " (mm/vmstat.c: unusable_free_index(), 6.1) of the zones' free blocks summed, per variant.",
                "Unusable index at pageblock order", "index", CompareFigures::unusableAtPageblock);
        overlay(out, runs, "compare-fallbacks", "Migrate-type fallbacks so far (mm_page_alloc_extfrag events), per"
                + " variant.", "Fallbacks (cumulative)", "events", (r, i) -> counter(r, "kmemsim_extfrag_events", i));
        overlay(out, runs, "compare-compact-stall", "Direct-compaction stalls so far (compact_stall), per variant.",
                "Compaction stalls (cumulative)", "stalls", (r, i) -> counter(r, "compact_stall", i));
        Figure latency = latency(runs);
        if (latency != null) {
            out.add(latency);
        }
        return out;
    }

    private static void overlay(List<Figure> out, List<RunData> runs, String name, String caption, String title,
                                String unit, Measure m) {
        List<Charts.Line> lines = new ArrayList<>();
        boolean any = false;
        for (RunData r : runs) {
            if (r.zones == null) {
                continue;
            }
            long[] events = r.events();
            int[] idx = RunFigures.thin(events.length);
            double[] y = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                y[i] = m.at(r, idx[i]);
                any |= y[i] != 0;
            }
            lines.add(new Charts.Line(r.label, RunFigures.pick(events, idx), y));
        }
        if (any) {
            out.add(new Figure(name, caption, Charts.lines(title + " — per variant", "events", unit, lines, false),
                    Charts.WIDTH, Charts.HEIGHT));
        }
    }

    static double sumZones(RunData r, String field, int i) {
        double s = 0;
        for (JsonNode z : r.zones.path("zones")) {
            s += z.path(field).path(i).asLong();
        }
        return s;
    }

    static double counter(RunData r, String name, int i) {
        return r.zones.path("counters").path(name).path(i).asLong();
    }

    private static long[] summedBlocks(RunData r, int i) {
        int maxOrder = r.zones.path("maxOrder").asInt();
        long[] nrFree = new long[maxOrder + 1];
        for (JsonNode z : r.zones.path("zones")) {
            for (int o = 0; o <= maxOrder; o++) {
                nrFree[o] += z.path("freeBlocks").path(o).path(i).asLong();
            }
        }
        return nrFree;
    }

    static double freeInPageblocks(RunData r, int i) {
        long[] nrFree = summedBlocks(r, i);
        int pbo = Math.min(r.zones.path("pageblockOrder").asInt(), nrFree.length - 1);
        double s = 0;
        for (int o = pbo; o < nrFree.length; o++) {
            s += (double) (nrFree[o] << o);
        }
        return s;
    }

    static double unusableAtPageblock(RunData r, int i) {
        long[] nrFree = summedBlocks(r, i);
        int pbo = Math.min(r.zones.path("pageblockOrder").asInt(), nrFree.length - 1);
        return Fragmentation.unusableIndex(nrFree, pbo) / 1000.0;
    }

    private static Figure latency(List<RunData> runs) {
        int maxOrder = -1;
        for (RunData r : runs) {
            for (JsonNode o : r.results.path("latency").path("byOrder")) {
                maxOrder = Math.max(maxOrder, o.path("order").asInt());
            }
        }
        if (maxOrder < 0) {
            return null;
        }
        List<String> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (int o = 0; o <= maxOrder; o++) {
            columns.add("order " + o);
        }
        double[][] values = new double[runs.size()][maxOrder + 1];
        for (int k = 0; k < runs.size(); k++) {
            rows.add(runs.get(k).label);
            for (JsonNode o : runs.get(k).results.path("latency").path("byOrder")) {
                values[k][o.path("order").asInt()] = Math.max(1, o.path("p99").asDouble());
            }
            for (int o = 0; o <= maxOrder; o++) {
                values[k][o] = Math.max(1, values[k][o]);
            }
        }
        return new Figure("compare-latency-p99", "Page-allocation latency p99 per order and variant, in simulated"
                + " cycles (log scale; 1 where the variant made no allocation of that order).",
                Charts.bars("Latency p99 per order — per variant", "order", "cycles", rows, columns, values, true,
                        false), Charts.WIDTH, Charts.HEIGHT);
    }
}
