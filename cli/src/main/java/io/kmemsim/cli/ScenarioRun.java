package io.kmemsim.cli;

import io.kmemsim.api.mm.PageblockOccupancy;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.plugin.RefusedPlugin;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.report.ReportWriter;
import io.kmemsim.engine.results.ResultsRecorder;
import io.kmemsim.engine.results.ResultsWriter;
import io.kmemsim.engine.results.RunObservers;
import io.kmemsim.engine.results.ZoneSeries;
import io.kmemsim.engine.results.Temporaries;
import io.kmemsim.engine.run.AllocationLatency;
import io.kmemsim.engine.run.RunObserver;
import io.kmemsim.engine.run.RunResult;
import io.kmemsim.engine.run.RunState;
import io.kmemsim.engine.run.Simulation;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.scenario.ScenarioLoader;
import io.kmemsim.engine.trace.FtraceTextWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs one scenario for {@code run} and {@code replay}: opens the registry, loads the scenario, runs it
 * with a progress display, an optional trace writer and the before/after snapshots, and prints the
 * summary. The CLI's only simulation glue; everything else is the engine's.
 */
final class ScenarioRun {

    private ScenarioRun() {
    }

    static int run(CommandSpec spec, Path scenarioFile, List<String> overrides, RunOptions options) {
        return run(spec, scenarioFile, overrides, options, null);
    }

    /**
     * @param defaultResultsName the results directory's name under {@code results/} when {@code --out} is not
     *                           given; null for the scenario's name
     */
    static int run(CommandSpec spec, Path scenarioFile, List<String> overrides, RunOptions options,
                   String defaultResultsName) {
        if (options.report && options.noResults) {
            throw new InputException(new InputProblem("--report", 0, 0, "", "the report is written into the results"
                    + " directory: drop --no-results, or choose the directory with --out"));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (PluginRegistry registry = Main.of(spec).openRegistry()) {
            for (RefusedPlugin r : registry.refused()) {
                err.println("kmemsim: warning: plugin " + r.pluginId() + " was not loaded (" + r.source() + "): " + r.reason());
            }
            ScenarioLoader loader = new ScenarioLoader(ProviderLookup.of(registry));
            Scenario scenario = scenarioFile == null ? loader.loadDefault(overrides) : loader.load(scenarioFile, overrides);
            Path resultsDir = options.noResults ? null : options.out != null ? options.out
                    : Path.of("results", safeName(defaultResultsName != null ? defaultResultsName : scenario.name()));
            requireWritable(resultsDir, options.out != null ? "--out" : "results directory");
            Simulation simulation = new Simulation(scenario);
            Snapshots snapshots = new Snapshots(options.drainAtEnd);
            ResultsRecorder recorder = new ResultsRecorder();
            ZoneSeries zoneSeries = new ZoneSeries();
            List<RunObserver> observers = new ArrayList<>(List.of(snapshots, recorder, zoneSeries)); // snapshots first: it drains before the recorder reads
            if (!options.quiet && System.console() != null) {
                observers.add(new Progress(err, System::nanoTime));
            }
            simulation.observer(RunObservers.all(observers.toArray(RunObserver[]::new)));
            long t0 = System.nanoTime();
            RunResult result;
            try {
                result = options.traceOut != null ? runWithTrace(simulation, scenario, options.traceOut, observers)
                        : simulation.run();
            } catch (PluginFailureException | InputException e) {
                if (resultsDir != null && recorder.hasStarted()) {
                    writeFailed(err, resultsDir, recorder, zoneSeries, e, System.nanoTime() - t0);
                }
                throw e;
            }
            if (resultsDir != null) {
                writeResults(resultsDir, recorder, zoneSeries, result);
            }
            ReportWriter.Written report = options.report && resultsDir != null ? Reports.write(resultsDir) : null;
            if (!options.quiet) {
                RunSummary.print(out, scenario, result);
                snapshots.print(out, recorder);
                if (options.traceOut != null) {
                    out.println("trace      " + options.traceOut);
                }
                if (resultsDir != null) {
                    out.println("results    " + resultsDir + "/ (results.json, timeseries.csv, buddyinfo, zoneinfo, vmstat, slabinfo, ...)");
                }
                if (report != null) {
                    out.println("report     " + report.html() + " (" + (report.bytes() + 1023) / 1024 + " KiB)");
                }
            }
        }
        return Failures.OK;
    }

    /** Refuses, before the run, a results directory that could not be replaced afterwards. */
    private static void requireWritable(Path resultsDir, String key) {
        if (resultsDir != null) {
            ResultsWriter.checkTarget(resultsDir).ifPresent(problem -> {
                throw new InputException(new InputProblem(resultsDir.toString(), 0, 0, key, problem));
            });
        }
    }

    static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() ? "run" : s;
    }

    private static void writeResults(Path dir, ResultsRecorder recorder, ZoneSeries series, RunResult result) {
        try {
            ResultsWriter.write(dir, recorder, result, zoneSeriesFile(series));
        } catch (IOException e) {
            throw OutputException.of("cannot write the results directory " + dir, e);
        }
    }

    /** {@code zoneseries.json}, committed with the rest of the results directory (none when the run never started). */
    private static java.util.Map<String, byte[]> zoneSeriesFile(ZoneSeries series) throws IOException {
        return series.hasStarted() ? java.util.Map.of(ZoneSeries.FILE, series.bytes()) : java.util.Map.of();
    }

    private static void writeFailed(PrintWriter err, Path dir, ResultsRecorder recorder, ZoneSeries series,
                                    RuntimeException failure, long wall) {
        try {
            ResultsWriter.writeFailed(dir, recorder, failure, wall, zoneSeriesFile(series));
        } catch (IOException | RuntimeException e) {
            err.println("kmemsim: could not write the results of the failed run to " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Runs with an ftrace writer (header written when the run starts, with the machine's CPU count);
     * the file appears, atomically, only when the run got to its end.
     */
    private static RunResult runWithTrace(Simulation simulation, Scenario scenario, Path traceOut, List<RunObserver> observers) {
        Path target = traceOut.toAbsolutePath();
        Path tmp;
        try {
            tmp = Temporaries.newFile(target);
        } catch (IOException e) {
            throw OutputException.of("cannot write the trace " + traceOut, e);
        }
        try {
            RunResult result;
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                 FtraceTextWriter trace = new FtraceTextWriter(w, scenario.kernel(), simulation.clock())) {
                List<RunObserver> all = new ArrayList<>(observers);
                all.add(0, new RunObserver() {
                    @Override
                    public void started(RunState state) {
                        trace.header(state.cpus());
                    }
                });
                result = simulation.traceListener(trace).observer(RunObservers.all(all.toArray(RunObserver[]::new))).run();
            }
            Temporaries.commitFile(tmp, target);
            return result;
        } catch (IOException | UncheckedIOException e) {
            throw OutputException.of("cannot write the trace " + traceOut, e);
        } finally {
            Temporaries.discard(tmp);
        }
    }

    /**
     * The summary's end-of-run view: drains the per-CPU lists first when asked (it must observe before the
     * recorder), keeps the slab rows, and prints what the recorder rendered and read — buddyinfo before
     * and after, pageblock occupancy, arch cycles, allocation latency.
     */
    static final class Snapshots implements RunObserver {
        private static final int CACHES_SHOWN = 8;
        private final boolean drainAtEnd;
        private List<CacheInfo> caches = List.of();
        private long pageSize = 4096;

        Snapshots(boolean drainAtEnd) {
            this.drainAtEnd = drainAtEnd;
        }

        @Override
        public void started(RunState state) {
            pageSize = state.platform().kernelConfig().pageSize().bytes();
        }

        @Override
        public void finished(RunState state) {
            if (drainAtEnd) {
                state.pageAllocator().drainPerCpuLists();
            }
            caches = state.objectCache().map(c -> c.slabinfo()).orElse(List.of());
        }

        void print(PrintWriter out, ResultsRecorder recorder) {
            out.println("buddyinfo before");
            out.print(indent(recorder.snapshot("buddyinfo.start").orElse("")));
            out.println("buddyinfo after" + (drainAtEnd ? " (per-CPU lists drained)" : ""));
            out.print(indent(recorder.snapshot("buddyinfo").orElse("")));
            PageblockOccupancy occupancy = recorder.totalOccupancy();
            if (occupancy.pageblocks() > 0) {
                out.printf(Locale.ROOT, "pageblocks %d: %d with unmovable pages (%.1f%%), %d mixed (%.1f%%), %d holding pages of another type%n",
                        occupancy.pageblocks(), occupancy.withUnmovable(), 100.0 * occupancy.withUnmovable() / occupancy.pageblocks(),
                        occupancy.mixed(), 100.0 * occupancy.mixed() / occupancy.pageblocks(), occupancy.typeMismatch());
            }
            if (!caches.isEmpty()) {
                printCaches(out);
            }
            if (recorder.archCycles() > 0) {
                out.printf(Locale.ROOT, "arch       %,d simulated cycles (counters above)%n", recorder.archCycles());
            }
            printLatency(out, recorder.latency());
        }

        private static void printLatency(PrintWriter out, AllocationLatency latency) {
            if (latency == null) {
                return;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"  order", "count", "p50", "p99", "max"});
            for (int o = 0; o <= latency.maxOrder(); o++) {
                if (latency.count(o) > 0 && latency.max(o) > 0) {
                    rows.add(new String[] {"  " + o, Long.toString(latency.count(o)), Long.toString(latency.percentile(o, 0.5)),
                        Long.toString(latency.percentile(o, 0.99)), Long.toString(latency.max(o))});
                }
            }
            if (rows.size() > 1) {
                out.println("allocation latency (simulated cycles of the cost model)");
                Table.print(out, rows);
            }
        }

        private void printCaches(PrintWriter out) {
            List<CacheInfo> top = new ArrayList<>(caches);
            top.sort(Comparator.comparingLong((CacheInfo c) -> c.numSlabs() * c.pagesPerSlab()).reversed());
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"  cache", "active_objs", "num_objs", "objsize", "objperslab", "pagesperslab", "slabs", "memory"});
            for (CacheInfo c : top.subList(0, Math.min(CACHES_SHOWN, top.size()))) {
                long bytes = c.numSlabs() * c.pagesPerSlab() * pageSize;
                rows.add(new String[] {"  " + c.name(), Long.toString(c.activeObjs()), Long.toString(c.numObjs()),
                    Integer.toString(c.objSize()), Integer.toString(c.objPerSlab()), Integer.toString(c.pagesPerSlab()),
                    Long.toString(c.numSlabs()), (bytes >> 10) + "K"});
            }
            out.println("slabinfo (the " + (rows.size() - 1) + " caches using most memory, of " + caches.size() + ")");
            Table.print(out, rows);
        }

        private static String indent(String text) {
            StringBuilder sb = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty()) {
                    sb.append("  ").append(line).append('\n');
                }
            }
            return sb.toString();
        }
    }

    /** A one-line progress display with rate and ETA on a terminal's stderr. */
    static final class Progress implements RunObserver {
        private final PrintWriter err;
        private final LongSupplier wallClock;
        private long start;

        Progress(PrintWriter err, LongSupplier wallClock) {
            this.err = err;
            this.wallClock = wallClock;
        }

        @Override
        public void started(RunState state) {
            start = wallClock.getAsLong();
        }

        @Override
        public void progress(long events, long expected) {
            double seconds = Math.max(1e-9, (wallClock.getAsLong() - start) / 1e9);
            double rate = events / seconds;
            if (expected > 0) {
                double eta = Math.max(0, expected - events) / Math.max(rate, 1);
                err.printf(Locale.ROOT, "\r%3d%%  %,d / %,d events  %,.0f events/s  ETA %.0f s ",
                        Math.min(100, events * 100 / expected), events, expected, rate, eta);
            } else {
                err.printf(Locale.ROOT, "\r%,d events  %,.0f events/s ", events, rate);
            }
            err.flush();
        }

        @Override
        public void finished(RunState state) {
            clear();
        }

        @Override
        public void failed(RunState state, RuntimeException failure) {
            clear();
        }

        private void clear() {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
