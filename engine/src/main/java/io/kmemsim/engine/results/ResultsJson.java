package io.kmemsim.engine.results;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmemsim.api.mm.PageblockOccupancy;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.OptionNames;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.run.AllocationLatency;
import io.kmemsim.engine.run.PageTotals;
import io.kmemsim.engine.run.ProviderUse;
import io.kmemsim.engine.run.RunResult;
import io.kmemsim.engine.run.SlabTotals;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code results.json} tree (docs/results.md, results.schema.json). Keys are added in a fixed
 * order, so the same run gives the same bytes apart from the host times {@code run.wallNanos},
 * {@code run.loopNanos} and {@code run.eventsPerSecond}.
 */
final class ResultsJson {

    /** The value of the {@code schema} key. */
    static final String SCHEMA = "kmemsim-results/1";

    /** Why {@code latency.available} is false when no component has a cost model. */
    static final String NO_LATENCY = "neither the page allocator nor the arch hooks charge simulated cycles"
            + " (no cost model), so allocations have no latency";

    /** What {@code latency} measures when it is available. */
    static final String LATENCY_SOURCE = "simulated cycles charged by the page allocator's cost model and the"
            + " arch hooks during each successful page allocation (HdrHistogram, 2 significant digits: values are bucket"
            + " upper ends, at most 1 % high)";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ResultsJson() {
    }

    /**
     * The tree for a run.
     *
     * @param r          the recorder (started)
     * @param result     the run's result, or null for a failed run
     * @param failure    the failure, or null for a finished run
     * @param wallNanos  the wall time (used when {@code result} is null)
     * @param startFiles the names of the start snapshot files written
     * @param endFiles   the names of the end snapshot files written
     */
    static ObjectNode of(ResultsRecorder r, RunResult result, Throwable failure, long wallNanos,
                         List<String> startFiles, List<String> endFiles) {
        ObjectNode root = F.objectNode();
        root.put("schema", SCHEMA);
        root.put("status", failure == null ? "finished" : "failed");
        if (failure != null) {
            root.set("failure", failure(failure));
        }
        RunIdentity id = r.identity();
        ObjectNode scenario = root.putObject("scenario");
        scenario.put("name", id.scenarioName());
        scenario.put("kernel", id.kernel());
        scenario.put("seed", id.seed());
        scenario.put("cpus", id.cpus());
        ObjectNode workload = scenario.putObject("workload");
        workload.put("id", id.workloadId());
        workload.set("options", options(id.workload()));
        root.set("providers", providers(result == null ? id.providers() : result.providers()));
        root.set("run", run(r, result, wallNanos));
        if (r.layout() != null) {
            root.set("memory", memory(r.layout()));
        }
        LoopTotals t = r.totals();
        root.set("pages", pages(result == null ? t.pages() : result.pages()));
        root.set("slab", slab(result == null ? t.slab() : result.slab()));
        root.set("allocationsByOrder", byOrder(result == null ? t.allocSuccess() : result.allocSuccessByOrder(),
                result == null ? t.allocFailure() : result.allocFailureByOrder()));
        Map<String, Map<String, Long>> counters = result == null ? r.counters() : result.counters();
        if (counters != null) {
            root.set("counters", counters(counters));
            ObjectNode reclaim = reclaim(counters.get("page-allocator"));
            if (reclaim != null) {
                root.set("reclaim", reclaim);
            }
        }
        root.set("latency", latency(r.archCycles(), r.latency()));
        if (r.occupancy() != null && r.layout() != null) {
            root.set("pageblockOccupancy", occupancy(r.layout().pageblockOrder(), r.occupancy()));
        }
        if (r.series() != null) {
            root.set("timeSeries", timeSeries(r.series()));
        }
        root.set("snapshots", snapshots(startFiles, endFiles, r.problems()));
        return root;
    }

    /**
     * A bound options record as the scenario would spell it: keys by {@link OptionNames#toKey}, numbers,
     * booleans and strings as themselves, enums by name, anything else by {@code toString()}.
     */
    static ObjectNode options(Record options) {
        ObjectNode n = F.objectNode();
        if (options == null) {
            return n;
        }
        for (RecordComponent c : options.getClass().getRecordComponents()) {
            Object v;
            try {
                c.getAccessor().setAccessible(true);
                v = c.getAccessor().invoke(options);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            String key = OptionNames.toKey(c.getName());
            if (v == null) {
                n.putNull(key);
            } else if (v instanceof Boolean b) {
                n.put(key, b);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                n.put(key, ((Number) v).longValue());
            } else if (v instanceof Number num) {
                n.put(key, num.doubleValue());
            } else if (v instanceof Enum<?> e) {
                n.put(key, e.name());
            } else {
                n.put(key, v.toString());
            }
        }
        return n;
    }

    private static ObjectNode failure(Throwable failure) {
        ObjectNode f = F.objectNode();
        f.put("type", failure.getClass().getSimpleName());
        f.put("message", failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage());
        if (failure instanceof PluginFailureException p) {
            f.put("providerId", p.providerId());
            f.put("operation", p.operation());
        }
        if (failure instanceof InputException e) {
            ArrayNode problems = f.putArray("inputProblems");
            for (InputProblem p : e.problems()) {
                ObjectNode n = problems.addObject();
                n.put("source", p.source());
                n.put("line", p.line());
                n.put("column", p.column());
                n.put("key", p.key());
                n.put("message", p.message());
            }
        }
        return f;
    }

    private static ArrayNode providers(List<ProviderUse> used) {
        ArrayNode a = F.arrayNode();
        for (ProviderUse p : used) {
            ObjectNode n = a.addObject();
            n.put("kind", p.kind());
            n.put("id", p.id());
            n.put("pluginId", p.pluginId());
            n.put("version", p.version());
        }
        return a;
    }

    private static ObjectNode run(ResultsRecorder r, RunResult result, long wallNanos) {
        ObjectNode run = F.objectNode();
        run.put("events", result == null ? r.totals().events() : result.events());
        if (result != null) {
            run.put("ticks", result.ticks());
        }
        run.put("simulatedNanos", result == null ? r.totals().simulatedNanos() : result.simulatedNanos());
        run.put("wallNanos", result == null ? wallNanos : result.wallNanos());
        if (result != null) {
            run.put("loopNanos", result.loopNanos());
            run.put("eventsPerSecond", Math.round(result.eventsPerSecond()));
        }
        return run;
    }

    private static ObjectNode memory(MemoryLayout m) {
        ObjectNode n = F.objectNode();
        n.put("pageSizeBytes", m.pageSizeBytes());
        n.put("maxOrder", m.maxOrder());
        n.put("pageblockOrder", m.pageblockOrder());
        ArrayNode zones = n.putArray("zones");
        for (MemoryLayout.ZoneLayout z : m.zones()) {
            ObjectNode zn = zones.addObject();
            zn.put("node", z.node());
            zn.put("zone", z.name());
            zn.put("startPfn", z.startPfn());
            zn.put("spannedPages", z.spanned());
            zn.put("presentPages", z.present());
            zn.put("managedPages", z.managed());
        }
        return n;
    }

    private static ObjectNode pages(PageTotals p) {
        ObjectNode n = F.objectNode();
        n.put("allocated", p.allocated());
        n.put("failed", p.failed());
        n.put("freed", p.freed());
        n.put("unknownFrees", p.unknownFrees());
        n.put("migrated", p.migrated());
        return n;
    }

    private static ObjectNode slab(SlabTotals s) {
        ObjectNode n = F.objectNode();
        n.put("kmallocs", s.kmallocs());
        n.put("kmallocFailures", s.kmallocFailures());
        n.put("kfrees", s.kfrees());
        n.put("unknownKfrees", s.unknownKfrees());
        n.put("cachesCreated", s.cachesCreated());
        n.put("cachesDestroyed", s.cachesDestroyed());
        n.put("cacheAllocs", s.cacheAllocs());
        n.put("cacheAllocFailures", s.cacheAllocFailures());
        n.put("cacheFrees", s.cacheFrees());
        n.put("unknownCacheFrees", s.unknownCacheFrees());
        return n;
    }

    private static ArrayNode byOrder(long[] success, long[] failure) {
        ArrayNode a = F.arrayNode();
        for (int o = 0; o < success.length; o++) {
            ObjectNode n = a.addObject();
            n.put("order", o);
            n.put("success", success[o]);
            n.put("failure", failure[o]);
        }
        return a;
    }

    /**
     * The reclaim summary (docs/results.md) from the page allocator's vmstat counters, or null when the
     * allocator reports no reclaim counters (no reclaim policy and no LRU pages).
     */
    static ObjectNode reclaim(Map<String, Long> c) {
        if (c == null || !c.containsKey("pgscan_kswapd") && !c.containsKey("nr_inactive_file")) {
            return null;
        }
        ObjectNode n = F.objectNode();
        ObjectNode kswapd = n.putObject("kswapd");
        kswapd.put("runs", c.getOrDefault("pageoutrun", 0L));
        kswapd.put("scanned", c.getOrDefault("pgscan_kswapd", 0L));
        kswapd.put("reclaimed", c.getOrDefault("pgsteal_kswapd", 0L));
        ObjectNode direct = n.putObject("direct");
        long stalls = 0;
        for (Map.Entry<String, Long> e : c.entrySet()) {
            stalls += e.getKey().startsWith("allocstall_") ? e.getValue() : 0;
        }
        direct.put("stalls", stalls);
        direct.put("scanned", c.getOrDefault("pgscan_direct", 0L));
        direct.put("reclaimed", c.getOrDefault("pgsteal_direct", 0L));
        n.put("oomKills", c.getOrDefault("oom_kill", 0L));
        ObjectNode lru = n.putObject("lru");
        for (String k : new String[] {"nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
            "nr_file_pages", "nr_dirty"}) {
            lru.put(k, c.getOrDefault(k, 0L));
        }
        return n;
    }

    private static ObjectNode counters(Map<String, Map<String, Long>> counters) {
        ObjectNode n = F.objectNode();
        counters.forEach((kind, values) -> {
            ObjectNode c = n.putObject(kind);
            values.forEach(c::put);
        });
        return n;
    }

    private static ObjectNode latency(long archCycles, AllocationLatency latency) {
        ObjectNode n = F.objectNode();
        boolean any = false;
        for (int o = 0; latency != null && o <= latency.maxOrder(); o++) {
            any |= latency.max(o) > 0;
        }
        n.put("available", any);
        n.put("reason", any ? LATENCY_SOURCE : NO_LATENCY);
        n.put("unit", "cycles");
        if (archCycles >= 0) {
            n.put("archCyclesTotal", archCycles);
        }
        ArrayNode byOrder = n.putArray("byOrder");
        for (int o = 0; any && o <= latency.maxOrder(); o++) {
            if (latency.count(o) == 0) {
                continue;
            }
            ObjectNode row = byOrder.addObject();
            row.put("order", o);
            row.put("count", latency.count(o));
            row.put("p50", latency.percentile(o, 0.50));
            row.put("p90", latency.percentile(o, 0.90));
            row.put("p99", latency.percentile(o, 0.99));
            row.put("p999", latency.percentile(o, 0.999));
            row.put("max", latency.max(o));
        }
        return n;
    }

    private static ObjectNode occupancy(int pageblockOrder, List<ZoneOccupancy> zones) {
        ObjectNode n = F.objectNode();
        n.put("pageblockOrder", pageblockOrder);
        ArrayNode a = n.putArray("zones");
        PageblockOccupancy total = new PageblockOccupancy(0, 0, 0, 0);
        for (ZoneOccupancy z : zones) {
            ObjectNode zn = a.addObject();
            zn.put("node", z.node());
            zn.put("zone", z.zone());
            counts(zn, z.occupancy());
            total = total.plus(z.occupancy());
        }
        counts(n.putObject("total"), total);
        return n;
    }

    private static void counts(ObjectNode n, PageblockOccupancy o) {
        boolean tracked = o.pageblocks() >= 0;
        n.put("tracked", tracked);
        if (tracked) {
            n.put("pageblocks", o.pageblocks());
            n.put("withUnmovable", o.withUnmovable());
            n.put("mixed", o.mixed());
            n.put("typeMismatch", o.typeMismatch());
        }
    }

    private static ObjectNode timeSeries(TimeSeries s) {
        ObjectNode n = F.objectNode();
        n.put("file", ResultsWriter.TIMESERIES_FILE);
        n.put("samples", s.size());
        n.put("sampleEvery", s.interval());
        n.put("maxSamples", s.capacity());
        n.put("thinnings", s.thinnings());
        ArrayNode cols = n.putArray("columns");
        s.columns().forEach(cols::add);
        return n;
    }

    private static ObjectNode snapshots(List<String> startFiles, List<String> endFiles, List<SnapshotProblem> problems) {
        ObjectNode n = F.objectNode();
        ArrayNode start = n.putArray("start");
        startFiles.forEach(start::add);
        ArrayNode end = n.putArray("end");
        endFiles.forEach(end::add);
        ArrayNode p = n.putArray("problems");
        for (SnapshotProblem sp : problems) {
            ObjectNode pn = p.addObject();
            pn.put("file", sp.file());
            pn.put("message", sp.message());
        }
        return n;
    }
}
