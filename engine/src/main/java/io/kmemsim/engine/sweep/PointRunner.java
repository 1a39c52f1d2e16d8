package io.kmemsim.engine.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.run.ProviderUse;
import io.kmemsim.engine.run.RunResult;
import io.kmemsim.engine.run.Simulation;
import io.kmemsim.engine.results.ResultsRecorder;
import io.kmemsim.engine.results.ResultsWriter;
import io.kmemsim.engine.results.Temporaries;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.scenario.ScenarioLoader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one point of a sweep wherever an engine calls it: loads the scenario with the point's overrides, checks that
 * it binds to the hash the plan computed, runs it single-threaded with a results recorder, writes the point's
 * results directory and, last, its {@code point.json}. A point whose directory already holds a {@code point.json}
 * is read back instead of run again, so an interrupted sweep resumes where it stopped.
 *
 * <p>Thread-safe: runs share only the plugin registry, and every run builds its own components.
 */
public final class PointRunner {

    /** The file that marks a point's directory complete; written last. */
    public static final String POINT_FILE = "point.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, PluginRegistry> REGISTRIES = new ConcurrentHashMap<>();

    private PointRunner() {
    }

    /**
     * The registry a worker JVM uses for {@code pluginsDirs} (empty: the classpath's providers), opened once per
     * JVM and kept for its lifetime (executors run many points).
     */
    public static PluginRegistry registryFor(List<String> pluginsDirs) {
        return REGISTRIES.computeIfAbsent(String.join(java.io.File.pathSeparator, pluginsDirs), key -> pluginsDirs.isEmpty()
                ? PluginRegistry.fromClasspath(PointRunner.class.getClassLoader())
                : PluginRegistry.load(PointRunner.class.getClassLoader(), pluginsDirs.stream().map(Path::of).toList()));
    }

    /** Loads {@code point}'s scenario as the job describes it. */
    public static Scenario load(SweepJob job, SweepPoint point, PluginRegistry registry) {
        ScenarioLoader loader = new ScenarioLoader(ProviderLookup.of(registry.providers()));
        return job.baseScenario() == null ? loader.loadDefault(point.overrides())
                : loader.load(Path.of(job.baseScenario()), point.overrides());
    }

    /** Runs {@code point} (or reads it back when its directory is complete). Never throws for a failed run. */
    public static PointResult run(SweepJob job, SweepPoint point, PluginRegistry registry) {
        Path dir = job.pointDir(point);
        PointResult earlier = readBack(job, point, dir);
        if (earlier != null) {
            return earlier;
        }
        long t0 = System.nanoTime();
        Scenario scenario;
        try {
            scenario = load(job, point, registry);
        } catch (InputException e) {
            return failed(job, point, "the scenario does not load here: " + e.getMessage(), List.of(), System.nanoTime() - t0);
        }
        String hash = ScenarioHash.of(scenario);
        if (!hash.equals(point.hash())) {
            return failed(job, point, "the scenario binds differently on this worker (hash " + hash + ", planned "
                    + point.hash() + "): are the same plugins and versions installed everywhere?", List.of(), System.nanoTime() - t0);
        }
        ResultsRecorder recorder = new ResultsRecorder();
        RunResult result;
        try {
            result = new Simulation(scenario).observer(recorder).run();
        } catch (PluginFailureException | InputException e) {
            long wall = System.nanoTime() - t0;
            if (recorder.hasStarted()) {
                try {
                    ResultsWriter.writeFailed(dir, recorder, e, wall);
                } catch (IOException | RuntimeException ignored) {
                    // the point is recorded as failed below either way
                }
            }
            return finish(job, point, dir, false, e.getMessage(), List.of(), wall);
        } catch (OutOfMemoryError e) {
            return failed(job, point, "out of memory (raise the heap, or run fewer points at once with --threads)",
                    List.of(), System.nanoTime() - t0);
        }
        long wall = System.nanoTime() - t0;
        try {
            ResultsWriter.write(dir, recorder, result.withWallNanos(wall));
        } catch (IOException e) {
            return failed(job, point, "cannot write " + dir + ": " + e.getMessage(), providers(result), wall);
        }
        return finish(job, point, dir, true, "", providers(result), wall);
    }

    private static List<String> providers(RunResult result) {
        List<String> out = new ArrayList<>();
        for (ProviderUse u : result.providers()) {
            out.add(u.kind() + "=" + u.id() + "@" + u.version());
        }
        return out;
    }

    private static PointResult failed(SweepJob job, SweepPoint point, String error, List<String> providers, long wall) {
        return finish(job, point, job.pointDir(point), false, error, providers, wall);
    }

    /** Reads the metrics (when finished), then writes point.json atomically: the point is complete from then on. */
    private static PointResult finish(SweepJob job, SweepPoint point, Path dir, boolean finished, String error,
                                      List<String> providers, long wall) {
        double[] metrics = new double[job.metrics().size()];
        Arrays.fill(metrics, Double.NaN);
        if (finished) {
            try {
                metrics = metrics(job, dir);
            } catch (IOException | IllegalArgumentException e) {
                finished = false;
                error = "cannot read the metrics: " + e.getMessage();
            }
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("schema", "kmemsim-sweep-point/1");
        doc.put("hash", point.hash());
        doc.put("seed", point.seed());
        ArrayNode overrides = doc.putArray("overrides");
        point.overrides().forEach(overrides::add);
        doc.put("status", finished ? "finished" : "failed");
        doc.put("error", error == null ? "" : error);
        ArrayNode ps = doc.putArray("providers");
        providers.forEach(ps::add);
        doc.put("wallNanos", wall);
        try {
            Files.createDirectories(dir);
            Temporaries.writeFile(dir.resolve(POINT_FILE),
                    (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new PointResult(point, false, "cannot write " + dir.resolve(POINT_FILE) + ": " + e.getMessage(),
                    metrics, providers, wall, false);
        }
        return new PointResult(point, finished, error == null ? "" : error, metrics, providers, wall, false);
    }

    private static double[] metrics(SweepJob job, Path dir) throws IOException {
        JsonNode results = JSON.readTree(dir.resolve(ResultsWriter.RESULTS_FILE).toFile());
        double[] values = new double[job.metrics().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = job.metrics().get(i).evaluate(results, job.order());
        }
        return values;
    }

    /** The point as an earlier run left it, or null when it must run. */
    private static PointResult readBack(SweepJob job, SweepPoint point, Path dir) {
        Path file = dir.resolve(POINT_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode doc = JSON.readTree(file.toFile());
            if (!point.hash().equals(doc.path("hash").asText())) {
                return null;
            }
            boolean finished = "finished".equals(doc.path("status").asText());
            List<String> providers = new ArrayList<>();
            doc.path("providers").forEach(p -> providers.add(p.asText()));
            double[] metrics = new double[job.metrics().size()];
            Arrays.fill(metrics, Double.NaN);
            String error = doc.path("error").asText("");
            if (finished) {
                try {
                    metrics = metrics(job, dir);
                } catch (IOException | IllegalArgumentException e) {
                    return null; // the run's files are damaged: run it again
                }
            }
            return new PointResult(point, finished, error, metrics, providers, doc.path("wallNanos").asLong(), true);
        } catch (IOException e) {
            return null;
        }
    }
}
