package io.kmemsim.bench.endtoend;

import io.kmemsim.bench.trace.TraceCorpus;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.run.RunResult;
import io.kmemsim.engine.run.Simulation;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole runs through {@link Simulation} (scenario binding, component creation, the event loop, results),
 * as {@code kmemsim run} does them minus the JVM start and plugin-jar loading: one op is one run.
 *
 * <ul>
 *   <li>{@code default}: the built-in default scenario (6.1, {@code rock5b-plus-8g}, {@code buddy},
 *       {@code slub}, the {@code linux} fallback and compaction policies, {@code arm64} hooks, {@code mix}
 *       of 3,000,000 events).</li>
 *   <li>{@code replay-text} / {@code replay-binary}: the {@code trace} workload in policy mode on
 *       {@code rock5b-plus-8g} + {@code buddy}, over a {@link TraceCorpus} page trace of {@value #LINES}
 *       lines as ftrace text or as kmemsim binary.</li>
 *   <li>{@code replay-kmem-text}: a whole {@code kmem:*} trace ({@link TraceCorpus.Mix#KMEM}) as text,
 *       with {@code slub} as the object cache and {@code slab-objects: true}.</li>
 * </ul>
 * Events per second = events of the run / seconds per op; the event counts are fixed (see
 * docs/performance.md).
 *
 * <p>Run (from the repository root, after {@code mvn -q install -pl bench -DskipTests}):
 * <pre>
 *   cd bench &amp;&amp; mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main 'io.kmemsim.bench.endtoend.*' -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class SimulationBenchmark {

    /** Lines of the generated traces. */
    public static final int LINES = 1 << 20;

    @Param({"default", "replay-text", "replay-binary", "replay-kmem-text"})
    public String scenario;

    private Path trace;
    private Scenario bound;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ScenarioLoader loader = new ScenarioLoader(ProviderLookup.of(
                PluginRegistry.fromClasspath(SimulationBenchmark.class.getClassLoader()).providers()));
        if (scenario.equals("default")) {
            bound = loader.loadDefault(List.of());
            return;
        }
        boolean binary = scenario.equals("replay-binary");
        boolean kmem = scenario.equals("replay-kmem-text");
        trace = Files.createTempFile("kmemsim-e2e", binary ? ".kmstrace" : ".trace");
        GenerateTrace.write(trace, LINES, kmem ? TraceCorpus.Mix.KMEM : TraceCorpus.Mix.PAGES, "6.1");
        bound = loader.parse(replayScenario(trace, kmem), "bench.yaml", "bench", ScenarioLoader.Format.YAML, List.of());
    }

    /** The replay scenario: what docs/performance.md shows for {@code ./kmemsim run}. */
    static String replayScenario(Path trace, boolean withSlub) {
        return "name: replay-bench\nkernel: \"6.1\"\nseed: 1\nplatform:\n  id: rock5b-plus-8g\npage-allocator:\n  id: buddy\n"
                + (withSlub ? "object-cache:\n  id: slub\n" : "")
                + "workload:\n  id: trace\n  options:\n    file: \"" + trace + "\"\n    mode: policy\n"
                + (withSlub ? "    slab-objects: true\n" : "");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (trace != null) {
            Files.deleteIfExists(trace);
        }
    }

    @Benchmark
    public long run() {
        RunResult result = new Simulation(bound).run();
        return result.events();
    }
}
