package io.kmemsim.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kmemsim sweep} with the built-in plugins on the test classpath, on a 64 MiB arm64-virt board. */
class SweepCommandTest {

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
              options: { events: 4000, burst-size: 16, burst-interval: 1000, defrag: always, madvised: true }
            """;

    private static final String SPEC = """
            name: tiny
            base: small.yaml
            axes:
              kernel: ["6.1", "6.12"]
              compaction.id: [linux, none]
            exclude:
              - { kernel: "6.12", compaction.id: none }
            seeds: 3
            metrics:
              - success-rate
              - fallbacks
              - freed: pages.freed
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void write() throws IOException {
        Files.writeString(dir.resolve("small.yaml"), SCENARIO, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tiny.yaml"), SPEC, StandardCharsets.UTF_8);
    }

    @Test
    void sweep_writesARowPerRunAndASummaryPerPoint() throws IOException {
        Path out = dir.resolve("out");
        Cli cli = Cli.run("sweep", dir.resolve("tiny.yaml").toString(), "-o", out.toString(), "-q");
        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("9 runs, 0 failed, 0 read back");
        List<String> rows = Files.readAllLines(out.resolve("sweep.csv"));
        assertThat(rows.get(0)).isEqualTo("point,seed,kernel,compaction.id,hash,status,success-rate,fallbacks,freed,"
                + "providers,error,wall_seconds");
        assertThat(rows).hasSize(1 + 9);
        assertThat(rows.subList(1, rows.size())).allSatisfy(r -> assertThat(r).contains(",finished,"));
        assertThat(rows).noneMatch(r -> r.contains(",6.12,none,"));
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertThat(summary).hasSize(1 + 3);
        assertThat(summary.get(1)).startsWith("0,6.1,linux,3,0,3,");
        try (Stream<Path> points = Files.list(out.resolve("points"))) {
            assertThat(points.filter(p -> Files.isRegularFile(p.resolve("point.json"))
                    && Files.isRegularFile(p.resolve("results.json")))).hasSize(9);
        }
    }

    @Test
    void rerun_readsCompletePointsBack_andRunsOnlyWhatIsMissing() throws IOException {
        Path out = dir.resolve("out");
        Cli first = Cli.run("sweep", dir.resolve("tiny.yaml").toString(), "-o", out.toString(), "--threads", "1", "-q");
        assertThat(first.status()).as(first.err()).isZero();
        List<String> rowsFirst = withoutWallTime(Files.readAllLines(out.resolve("sweep.csv")));
        // an interrupted sweep: two points never got their point.json
        List<String> hashes = Files.readAllLines(out.resolve("sweep.csv")).stream().skip(1).map(r -> r.split(",")[4]).toList();
        Files.delete(out.resolve("points").resolve(hashes.get(0)).resolve("point.json"));
        Files.delete(out.resolve("points").resolve(hashes.get(5)).resolve("point.json"));
        Cli resumed = Cli.run("sweep", dir.resolve("tiny.yaml").toString(), "-o", out.toString(), "--resume", "--threads", "2", "-q");
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("9 runs, 0 failed, 7 read back");
        assertThat(withoutWallTime(Files.readAllLines(out.resolve("sweep.csv")))).isEqualTo(rowsFirst);
    }

    @Test
    void aChangedPointReruns_underANewHash() throws IOException {
        Path out = dir.resolve("out");
        assertThat(Cli.run("sweep", dir.resolve("tiny.yaml").toString(), "-o", out.toString(), "-q").status()).isZero();
        Cli changed = Cli.run("sweep", dir.resolve("tiny.yaml").toString(), "-o", out.toString(), "-q",
                "--set", "workload.options.events=3000");
        assertThat(changed.status()).as(changed.err()).isZero();
        assertThat(changed.out()).contains("9 runs, 0 failed, 0 read back");
    }

    @Test
    void threadCount_doesNotChangeTheRows() throws IOException {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        assertThat(Cli.run("sweep", dir.resolve("tiny.yaml").toString(), "-o", one.toString(), "--threads", "1", "-q").status()).isZero();
        assertThat(Cli.run("sweep", dir.resolve("tiny.yaml").toString(), "-o", two.toString(), "--threads", "2", "-q").status()).isZero();
        assertThat(withoutWallTime(Files.readAllLines(two.resolve("sweep.csv"))))
                .isEqualTo(withoutWallTime(Files.readAllLines(one.resolve("sweep.csv"))));
        assertThat(Files.readString(two.resolve("summary.csv"))).isEqualTo(Files.readString(one.resolve("summary.csv")));
    }

    @Test
    void badSpec_isAnInputError_namingFileLineAndKey() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), """
                base: small.yaml
                axes:
                  kernel: ["6.1", "4.4"]
                seeds: 0
                metrics: [success-rate, "no such metric!"]
                colour: red
                """, StandardCharsets.UTF_8);
        Cli cli = Cli.run("sweep", dir.resolve("bad.yaml").toString(), "-o", dir.resolve("o").toString(), "-q");
        assertThat(cli.status()).isEqualTo(2);
        assertThat(cli.err()).contains("bad.yaml:4:8: seeds: an integer in [1, 100000]: 0")
                .contains("bad.yaml:5:25: metrics: not a metric")
                .contains("bad.yaml:6:9: colour: unknown key")
                .doesNotContain("\tat ");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void axisValueThatDoesNotBind_isReportedOncePerPoint_beforeAnythingRuns() {
        Cli cli = Cli.run("sweep", dir.resolve("tiny.yaml").toString(), "-o", dir.resolve("o").toString(), "-q",
                "--set", "workload.options.colour=red");
        assertThat(cli.status()).isEqualTo(2);
        assertThat(cli.err()).contains("point (kernel=6.1, compaction.id=linux)");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void aFailingPoint_isRecordedWithItsError_andDoesNotStopTheSweep() throws IOException {
        Path out = dir.resolve("out");
        Cli cli = Cli.run("sweep", dir.resolve("tiny.yaml").toString(), "-o", out.toString(), "-q",
                "--set", "workload.options.burst-size=-1");
        assertThat(cli.status()).isEqualTo(1);
        assertThat(cli.out()).contains("9 runs, 9 failed").contains("point 0 (seed 1) failed: ");
        List<String> rows = Files.readAllLines(out.resolve("sweep.csv"));
        assertThat(rows).hasSize(10);
        assertThat(rows.subList(1, rows.size())).allSatisfy(r -> assertThat(r).contains(",failed,"));
        assertThat(Files.readAllLines(out.resolve("summary.csv")).get(1)).startsWith("0,6.1,linux,0,3,0,,,,");
    }

    @Test
    void unknownEngine_namesTheAvailableOnes() {
        Cli cli = Cli.run("sweep", dir.resolve("tiny.yaml").toString(), "--engine", "mpi", "-o", dir.resolve("o").toString());
        assertThat(cli.status()).isEqualTo(2);
        assertThat(cli.err()).contains("--engine: no engine 'mpi' here; available: local");
    }

    private static List<String> withoutWallTime(List<String> rows) {
        return rows.stream().map(r -> r.substring(0, r.lastIndexOf(','))).toList();
    }
}
