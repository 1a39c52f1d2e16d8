package io.kmemsim.cli;

import io.kmemsim.engine.run.PageTotals;
import io.kmemsim.engine.run.ProviderUse;
import io.kmemsim.engine.run.RunResult;
import io.kmemsim.engine.run.SlabTotals;
import io.kmemsim.engine.scenario.Scenario;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The readable summary {@code kmemsim run} prints: what ran, what happened, how long it took. */
final class RunSummary {

    private static final int COUNTERS_SHOWN = 25;

    private RunSummary() {
    }

    static void print(PrintWriter out, Scenario scenario, RunResult r) {
        out.printf(Locale.ROOT, "scenario   %s (kernel %s, seed %d)%n", r.scenarioName(), r.kernel(), scenario.seed());
        out.println("plugins");
        List<String[]> plugins = new ArrayList<>();
        for (ProviderUse p : r.providers()) {
            plugins.add(new String[] {"  " + p.kind(), p.id(), p.version(), p.pluginId().isEmpty() ? "classpath" : "plugin " + p.pluginId()});
        }
        Table.print(out, plugins);
        out.printf(Locale.ROOT, "events     %d (%d ticks, %.3f s simulated)%n", r.events(), r.ticks(), r.simulatedNanos() / 1e9);
        printOrders(out, r);
        PageTotals p = r.pages();
        out.printf(Locale.ROOT, "pages      %d allocated, %d failed, %d freed, %d unknown frees, %d migrated%n",
                p.allocated(), p.failed(), p.freed(), p.unknownFrees(), p.migrated());
        SlabTotals s = r.slab();
        if (s.kmallocs() + s.kmallocFailures() + s.cachesCreated() > 0) {
            out.printf(Locale.ROOT, "kmalloc    %d allocated, %d failed, %d freed, %d unknown frees%n",
                    s.kmallocs(), s.kmallocFailures(), s.kfrees(), s.unknownKfrees());
            out.printf(Locale.ROOT, "caches     %d created, %d destroyed; objects %d allocated, %d failed, %d freed, %d unknown frees%n",
                    s.cachesCreated(), s.cachesDestroyed(), s.cacheAllocs(), s.cacheAllocFailures(), s.cacheFrees(), s.unknownCacheFrees());
        }
        printReclaim(out, r.counters().get("page-allocator"));
        printCounters(out, r.counters());
        out.printf(Locale.ROOT, "wall time  %.3f s (event loop %.3f s: %.2f M events/s)%n", r.wallNanos() / 1e9,
                r.loopNanos() / 1e9, r.eventsPerSecond() / 1e6);
    }

    /** The reclaim line, from the page allocator's vmstat counters (only when it reports them). */
    private static void printReclaim(PrintWriter out, Map<String, Long> c) {
        if (c == null || !c.containsKey("pgscan_kswapd")) {
            return;
        }
        long stalls = 0;
        for (Map.Entry<String, Long> e : c.entrySet()) {
            stalls += e.getKey().startsWith("allocstall_") ? e.getValue() : 0;
        }
        out.printf(Locale.ROOT, "reclaim    kswapd %d runs, %d scanned, %d reclaimed; direct %d stalls, %d scanned, %d reclaimed;"
                        + " %d OOM kills; page cache %d pages (%d active)%n",
                c.getOrDefault("pageoutrun", 0L), c.getOrDefault("pgscan_kswapd", 0L), c.getOrDefault("pgsteal_kswapd", 0L),
                stalls, c.getOrDefault("pgscan_direct", 0L), c.getOrDefault("pgsteal_direct", 0L),
                c.getOrDefault("oom_kill", 0L), c.getOrDefault("nr_file_pages", 0L), c.getOrDefault("nr_active_file", 0L));
    }

    private static void printOrders(PrintWriter out, RunResult r) {
        long[] ok = r.allocSuccessByOrder();
        long[] failed = r.allocFailureByOrder();
        out.println("page allocations by order");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  order", "success", "failure"});
        for (int o = 0; o < ok.length; o++) {
            if (ok[o] + failed[o] > 0) {
                rows.add(new String[] {"  " + o, Long.toString(ok[o]), Long.toString(failed[o])});
            }
        }
        if (rows.size() == 1) {
            out.println("  none");
        } else {
            Table.print(out, rows);
        }
    }

    /** Non-zero counters per component, at most {@value #COUNTERS_SHOWN} each (SLUB alone has hundreds). */
    private static void printCounters(PrintWriter out, Map<String, Map<String, Long>> counters) {
        for (Map.Entry<String, Map<String, Long>> component : counters.entrySet()) {
            List<String[]> rows = new ArrayList<>();
            int hidden = 0;
            for (Map.Entry<String, Long> c : component.getValue().entrySet()) {
                if (c.getValue() == 0) {
                    continue;
                }
                if (rows.size() < COUNTERS_SHOWN) {
                    rows.add(new String[] {"  " + c.getKey(), Long.toString(c.getValue())});
                } else {
                    hidden++;
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            out.println("counters: " + component.getKey() + " (non-zero)");
            Table.print(out, rows);
            if (hidden > 0) {
                out.println("  ... and " + hidden + " more");
            }
        }
    }
}
