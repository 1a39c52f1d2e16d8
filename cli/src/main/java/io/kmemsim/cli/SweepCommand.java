package io.kmemsim.cli;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.plugin.RefusedPlugin;
import io.kmemsim.engine.sweep.LocalSweepEngine;
import io.kmemsim.engine.sweep.PointResult;
import io.kmemsim.engine.sweep.Sweep;
import io.kmemsim.engine.sweep.SweepEngine;
import io.kmemsim.engine.sweep.SweepSpec;
import io.kmemsim.engine.sweep.SweepSpecReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code kmemsim sweep SPEC}: runs a grid of scenario points (docs/sweeps.md) on all cores or on Spark, and writes
 * {@code sweep.csv} (a row per run) and {@code summary.csv} (mean, sd and 95 % CI per point over seeds). The work is
 * the engine's {@link Sweep}; this class picks the engine and shows progress.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a grid of scenario points (axes of --set keys × seeds) and aggregate their metrics.",
            "Each point gets its own results directory named by its scenario's hash; points already complete there",
            "are read back, so a rerun or --resume continues where an interrupted sweep stopped."},
        footer = {"", "Example:", "  kmemsim sweep scenarios/sweep-mobility.yaml            # all cores",
            "  kmemsim sweep scenarios/sweep-mobility.yaml --engine spark   # Spark, local[*]"})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "the sweep spec (YAML; docs/sweeps.md)")
    Path specFile;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local",
            description = "where the points run: local (this machine's cores) or spark (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "the Spark master (default local[*]); only with --engine spark")
    String master;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "runs at once on this machine (default: the number of cores)")
    int threads;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "output directory (default: sweeps/<spec name>)")
    Path outDir;

    @Option(names = "--resume", description = "continue an interrupted sweep in DIR: complete points are kept "
            + "(the default whenever DIR holds them; this flag also refuses a DIR without an earlier sweep)")
    boolean resume;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "an override applied to every point after the spec's own set (repeatable), e.g. a shorter run")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "no progress on stderr")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (threads < 0) {
            throw new InputException(new InputProblem("--threads", 0, 0, "", "must be >= 0: " + threads));
        }
        if (master != null && !"spark".equals(engine)) {
            throw new InputException(new InputProblem("--master", 0, 0, "", "only with --engine spark"));
        }
        SweepSpec read = SweepSpecReader.read(specFile);
        List<String> common = new ArrayList<>(read.common());
        common.addAll(overrides);
        SweepSpec sweepSpec = new SweepSpec(read.source(), read.name(), read.base(), common, read.axes(), read.seeds(),
                read.excludes(), read.metrics(), read.order());
        Path dir = outDir != null ? outDir : Sweep.defaultOutDir(sweepSpec);
        if (resume && !java.nio.file.Files.isDirectory(dir.resolve("points"))) {
            throw new InputException(new InputProblem("--resume", 0, 0, "", "no earlier sweep in " + dir));
        }
        Main main = Main.of(spec);
        try (PluginRegistry registry = main.openRegistry()) {
            for (RefusedPlugin r : registry.refused()) {
                err.println("kmemsim: warning: plugin " + r.pluginId() + " was not loaded (" + r.source() + "): " + r.reason());
            }
            List<String> pluginsDirs = main.pluginsDirs().stream().map(p -> p.toAbsolutePath().toString()).toList();
            Sweep sweep = Sweep.plan(sweepSpec, registry, pluginsDirs, dir);
            SweepEngine chosen = engine(registry);
            int total = sweep.job().points().size();
            if (!quiet) {
                err.printf(Locale.ROOT, "sweep %s: %d runs (%d distinct) on %s -> %s%n", sweepSpec.name(), sweep.points().size(),
                        total, describe(chosen), dir);
                err.flush();
            }
            Progress progress = new Progress(err, total, quiet);
            List<PointResult> results = sweep.run(chosen, progress::ended);
            progress.done();
            try {
                sweep.writeTables(results);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the sweep tables to " + dir + ": " + e.getMessage(), e);
            }
            long failed = results.stream().filter(r -> !r.finished()).count();
            long reused = results.stream().filter(PointResult::reused).count();
            out.printf(Locale.ROOT, "sweep %s: %d runs, %d failed, %d read back from earlier runs%n", sweepSpec.name(),
                    results.size(), failed, reused);
            for (PointResult r : results) {
                if (!r.finished()) {
                    out.printf(Locale.ROOT, "  point %d (seed %d) failed: %s%n", r.point().index(), r.point().seed(), r.error());
                }
            }
            out.println("tables     " + dir.resolve(Sweep.SWEEP_CSV) + ", " + dir.resolve(Sweep.SUMMARY_CSV));
            out.flush();
            return failed == 0 ? Failures.OK : Failures.FAILED;
        }
    }

    private SweepEngine engine(PluginRegistry registry) {
        if (LocalSweepEngine.ID.equals(engine)) {
            return new LocalSweepEngine(registry, threads);
        }
        List<String> ids = new ArrayList<>(List.of(LocalSweepEngine.ID));
        for (SweepEngine.Factory f : ServiceLoader.load(SweepEngine.Factory.class, SweepCommand.class.getClassLoader())) {
            if (f.id().equals(engine)) {
                return f.create(master, threads);
            }
            ids.add(f.id());
        }
        String hint = "spark".equals(engine) ? " (the spark engine is the module sweep-spark: build it with"
                + " 'mvn -pl sweep-spark -am package' and run through ./kmemsim, which adds it for 'sweep')" : "";
        throw new InputException(new InputProblem("--engine", 0, 0, "", "no engine '" + engine + "' here; available: "
                + String.join(", ", ids) + hint));
    }

    private String describe(SweepEngine e) {
        if (e instanceof LocalSweepEngine local) {
            return "local engine, " + local.threads() + " threads";
        }
        return engine + " engine" + (master == null ? "" : " at " + master);
    }

    /** Runs done, failed, rate and ETA, redrawn on a terminal; nothing when quiet or not a terminal. */
    private static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final boolean show;
        private final long start = System.nanoTime();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();

        Progress(PrintWriter err, int total, boolean quiet) {
            this.err = err;
            this.total = total;
            this.show = !quiet && System.console() != null;
        }

        void ended(PointResult r) {
            int d = done.incrementAndGet();
            int f = r.finished() ? failed.get() : failed.incrementAndGet();
            if (!show) {
                return;
            }
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            double rate = d / seconds;
            synchronized (err) {
                err.printf(Locale.ROOT, "\r%d / %d runs  %d failed  %.2f runs/s  ETA %.0f s ", d, total, f, rate,
                        (total - d) / Math.max(rate, 1e-9));
                err.flush();
            }
        }

        void done() {
            if (show) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
