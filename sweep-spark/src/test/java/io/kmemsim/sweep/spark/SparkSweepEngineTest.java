package io.kmemsim.sweep.spark;

import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.sweep.LocalSweepEngine;
import io.kmemsim.engine.sweep.PointResult;
import io.kmemsim.engine.sweep.Sweep;
import io.kmemsim.engine.sweep.SweepEngine;
import io.kmemsim.engine.sweep.SweepSpec;
import io.kmemsim.engine.sweep.SweepSpecReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The same tiny sweep on the local engine and on Spark ({@code local[2]}, embedded) gives the same rows. */
class SparkSweepEngineTest {

    private static final String SCENARIO = """
            kernel: "6.1"
            platform:
              id: arm64-virt
              options: { size: 64M, cpus: 2, cma: "0" }
            page-allocator: buddy
            fallback: linux
            compaction: linux
            workload:
              id: thp
              options: { events: 3000, burst-size: 16, burst-interval: 1000, defrag: always, madvised: true }
            """;

    private static final String SPEC = """
            name: tiny
            base: small.yaml
            axes:
              kernel: ["6.1", "6.12"]
              fallback.id: [linux, never-claim]
            seeds: 2
            metrics: [success-rate, fallbacks, mixed-share, freed: pages.freed]
            """;

    @TempDir
    Path dir;

    @Test
    void sparkAndLocal_giveTheSameRows_andSparkResumesFromLocalResults() throws IOException {
        Files.writeString(dir.resolve("small.yaml"), SCENARIO, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tiny.yaml"), SPEC, StandardCharsets.UTF_8);
        SweepSpec spec = SweepSpecReader.read(dir.resolve("tiny.yaml"));
        try (PluginRegistry registry = PluginRegistry.fromClasspath(getClass().getClassLoader())) {
            Sweep local = Sweep.plan(spec, registry, List.of(), dir.resolve("local"));
            local.writeTables(local.run(new LocalSweepEngine(registry, 2), r -> { }));

            SweepEngine spark = ServiceLoader.load(SweepEngine.Factory.class).stream()
                    .map(ServiceLoader.Provider::get).filter(f -> f.id().equals("spark")).findFirst().orElseThrow()
                    .create(null, 2);
            assertThat(((SparkSweepEngine) spark).master()).isEqualTo("local[2]");
            Sweep onSpark = Sweep.plan(spec, registry, List.of(), dir.resolve("spark"));
            List<PointResult> sparkResults = onSpark.run(spark, r -> { });
            onSpark.writeTables(sparkResults);
            assertThat(sparkResults).hasSize(8).allMatch(PointResult::finished).noneMatch(PointResult::reused);
            assertThat(rows(dir.resolve("spark"))).isEqualTo(rows(dir.resolve("local")));
            assertThat(Files.readString(dir.resolve("spark/summary.csv"))).isEqualTo(Files.readString(dir.resolve("local/summary.csv")));

            // the same output directory a second time: every point is read back, on either engine
            Sweep again = Sweep.plan(spec, registry, List.of(), dir.resolve("local"));
            assertThat(again.run(spark, r -> { })).hasSize(8).allMatch(PointResult::reused);
        }
    }

    private static List<String> rows(Path out) throws IOException {
        return Files.readAllLines(out.resolve("sweep.csv")).stream().map(r -> r.substring(0, r.lastIndexOf(','))).toList();
    }
}
