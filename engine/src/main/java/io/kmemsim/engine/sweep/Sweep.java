package io.kmemsim.engine.sweep;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.results.Temporaries;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver side of a sweep: expands the spec, loads every point's scenario first (so a bad axis value is reported
 * before anything runs, with the point that has it), names each point by its scenario's hash, hands the distinct
 * points to an engine, and writes {@code sweep.csv} and {@code summary.csv}.
 */
public final class Sweep {

    /** The per-run table. */
    public static final String SWEEP_CSV = "sweep.csv";
    /** The per-point (over seeds) table. */
    public static final String SUMMARY_CSV = "summary.csv";

    private final SweepSpec spec;
    private final SweepJob job;
    private final List<SweepPoint> points;

    private Sweep(SweepSpec spec, SweepJob job, List<SweepPoint> points) {
        this.spec = spec;
        this.job = job;
        this.points = points;
    }

    /**
     * Plans {@code spec}: checks every point against {@code registry} and computes its hash.
     *
     * @param pluginsDirs the plugins directories workers should load (empty: the classpath), recorded in the job
     * @throws InputException listing every point whose overrides do not bind
     */
    public static Sweep plan(SweepSpec spec, PluginRegistry registry, List<String> pluginsDirs, Path outDir) {
        List<SweepPoint> raw = SweepPlan.points(spec);
        List<String> axisKeys = spec.axes().stream().map(SweepSpec.Axis::key).toList();
        SweepJob unchecked = new SweepJob(spec.name(), spec.base() == null ? null : spec.base().toAbsolutePath().toString(),
                pluginsDirs, outDir.toAbsolutePath().toString(), axisKeys, spec.metrics(), spec.order(), raw);
        List<SweepPoint> checked = new ArrayList<>(raw.size());
        Map<String, InputProblem> problems = new LinkedHashMap<>(); // one message per axis assignment, not per seed
        for (SweepPoint p : raw) {
            try {
                checked.add(p.withHash(ScenarioHash.of(PointRunner.load(unchecked, p, registry))));
            } catch (InputException e) {
                for (InputProblem q : e.problems()) {
                    String where = describe(axisKeys, p);
                    problems.putIfAbsent(where + q, new InputProblem(spec.source(), 0, 0, q.key(), "point " + where + ": " + q));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InputException(List.copyOf(problems.values()).subList(0, Math.min(20, problems.size())));
        }
        // identical scenarios (e.g. an axis value equal to the base's) run once
        Map<String, SweepPoint> distinct = new LinkedHashMap<>();
        for (SweepPoint p : checked) {
            distinct.putIfAbsent(p.hash(), p);
        }
        SweepJob job = new SweepJob(unchecked.name(), unchecked.baseScenario(), pluginsDirs, unchecked.outDir(), axisKeys,
                spec.metrics(), spec.order(), List.copyOf(distinct.values()));
        return new Sweep(spec, job, checked);
    }

    /** The job the engine runs (distinct points only). */
    public SweepJob job() {
        return job;
    }

    /** Every point of the grid, in order. */
    public List<SweepPoint> points() {
        return points;
    }

    /** The spec. */
    public SweepSpec spec() {
        return spec;
    }

    /**
     * Runs the distinct points on {@code engine} and returns one result per grid point, sorted by point.
     */
    public List<PointResult> run(SweepEngine engine, SweepEngine.Listener listener) {
        Map<String, PointResult> byHash = new LinkedHashMap<>();
        for (PointResult r : engine.run(job, listener)) {
            byHash.put(r.point().hash(), r);
        }
        List<PointResult> all = new ArrayList<>(points.size());
        for (SweepPoint p : points) {
            PointResult r = byHash.get(p.hash());
            if (r == null) {
                throw new IllegalStateException("the engine returned no result for point " + p.index());
            }
            all.add(new PointResult(p, r.finished(), r.error(), r.metrics(), r.providers(), r.wallNanos(), r.reused()));
        }
        all.sort(Comparator.comparingInt(r -> r.point().index()));
        return all;
    }

    /** Writes sweep.csv and summary.csv into the job's output directory (each atomically). */
    public void writeTables(List<PointResult> results) throws IOException {
        Path out = Path.of(job.outDir());
        Files.createDirectories(out);
        write(out.resolve(SWEEP_CSV), SweepTables.perRun(job, results));
        write(out.resolve(SUMMARY_CSV), SweepTables.summary(job, results));
    }

    private static void write(Path target, String text) throws IOException {
        Temporaries.writeFile(target, text.getBytes(StandardCharsets.UTF_8));
    }

    static String describe(List<String> keys, SweepPoint p) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < keys.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(keys.get(i)).append('=').append(p.axisValues().get(i));
        }
        return sb.append(')').toString();
    }

    /** The default output directory of a spec: {@code sweeps/<name>}. */
    public static Path defaultOutDir(SweepSpec spec) {
        String s = spec.name().replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of("sweeps", s.isEmpty() ? "sweep" : s);
    }

}
