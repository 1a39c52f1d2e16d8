package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.engine.compare.ComparisonTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kmemsim compare} with the built-in plugins on the test classpath, on a 64 MiB arm64-virt board. */
class CompareCommandTest {

    private static final String SCENARIO = """
            kernel: "6.1"
            seed: 3
            platform:
              id: arm64-virt
              options: { size: 64M, cpus: 2, cma: "0" }
            page-allocator: buddy
            fallback: linux
            compaction: linux
            workload:
              id: thp
              options: { events: 6000, burst-size: 16, burst-interval: 1000, defrag: always, madvised: true }
            """;

    @TempDir
    Path dir;
    private Path scenario;

    @BeforeEach
    void writeScenario() throws IOException {
        scenario = dir.resolve("small.yaml");
        Files.writeString(scenario, SCENARIO, StandardCharsets.UTF_8);
    }

    /** Runs {@code kmemsim args} with compare added to the top command if Main does not list it yet. */
    private static Cli run(String... args) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        if (!cl.getSubcommands().containsKey("compare")) {
            cl.addSubcommand("compare", new CompareCommand());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Failures failures = new Failures(() -> main.verbose);
        cl.setExecutionExceptionHandler(failures);
        cl.setParameterExceptionHandler(failures);
        cl.setExitCodeExceptionMapper(failures);
        int status = cl.execute(args);
        return new Cli(status, out.toString(), err.toString());
    }

    @Test
    void compare_printsOneRowPerVariantInOrder() {
        Cli c = run("compare", scenario.toString(), "--variant", "linux: fallback.id=linux",
                "--variant", "grouping-off: fallback=null", "--variant", "never-claim: fallback.id=never-claim");

        assertThat(c.status()).as(c.err()).isZero();
        List<String> lines = c.out().lines().toList();
        // the measures, a blank line, the plugins each variant ran
        assertThat(lines).hasSize(5 + 1 + 5);
        assertThat(lines.get(0)).startsWith("| variant | seeds | order-9 success | mixed pageblocks |");
        assertThat(lines.get(2)).startsWith("| linux (baseline) | 1 | ");
        assertThat(lines.get(3)).startsWith("| grouping-off | 1 | ").contains(" pp) |");
        assertThat(lines.get(4)).startsWith("| never-claim | 1 | ");
        assertThat(lines.get(6)).isEqualTo("| variant | fallback |");
        assertThat(lines.get(8)).startsWith("| linux | linux ").endsWith("(classpath) |");
        assertThat(lines.get(9)).isEqualTo("| grouping-off | none |");
        assertThat(c.err()).contains("compare: 1/3 linux seed 3 (").contains("compare: 3/3 never-claim seed 3 (");
    }

    @Test
    void compare_withoutVariants_runsTheBaseAlone_andQuietPrintsNoProgress() {
        Cli c = run("compare", scenario.toString(), "--quiet");

        assertThat(c.status()).as(c.err()).isZero();
        assertThat(c.out().lines().toList()).hasSize(3 + 1 + 3);
        assertThat(c.out().lines().toList().get(2)).startsWith("| base (baseline) | 1 | ");
        assertThat(c.err()).isEmpty();
    }

    @Test
    void csv_isWrittenWithTheHeaderAndOneLinePerVariant() throws IOException {
        Path csv = dir.resolve("out.csv");
        Cli c = run("compare", scenario.toString(), "-q", "--order", "0", "--csv", csv.toString(),
                "--variant", "a: compaction.id=none", "--variant", "b: compaction.id=linux");

        assertThat(c.status()).as(c.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(ComparisonTable.CSV_HEADER);
        assertThat(lines.get(1)).startsWith("a,compaction.id=none,0,");
        assertThat(lines.get(2)).startsWith("b,compaction.id=linux,0,");
        assertThat(c.out()).contains("order-0 success");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("small.yaml", "out.csv");
        }
    }

    @Test
    void sameSeed_givesTheSameRowForTheSameOverrides() {
        Cli c = run("compare", scenario.toString(), "-q", "--variant", "x: compaction.id=linux",
                "--variant", "y: compaction.id=linux");

        List<String> lines = c.out().lines().toList();
        assertThat(lines.get(3)).startsWith("| y | 1 | ");
        // equal runs: every delta from the baseline x is zero
        assertThat(lines.get(3).split("\\(")).allSatisfy(piece -> assertThat(piece).doesNotContainPattern("^[+-][1-9]"));
        assertThat(lines.get(3)).doesNotContainPattern("\\([+-]0*[1-9]");
    }

    @Test
    void badVariants_areAllReported_asUsageErrors() {
        Cli c = run("compare", scenario.toString(), "--variant", "fallback.id=linux", "--variant", "b: seed");

        assertThat(c.status()).isEqualTo(Failures.USAGE);
        assertThat(c.err()).contains("--variant: a variant is written 'name: key=value,key=value,...': \"fallback.id=linux\"")
                .contains("--variant: expected key=value after the name: \"seed\"");
        assertThat(c.errHasStackTrace()).isFalse();
        assertThat(c.out()).isEmpty();
    }

    @Test
    void badOverride_namesTheKey_beforeAnythingRuns() {
        Cli c = run("compare", scenario.toString(), "--variant", "a: fallback.id=linux",
                "--variant", "b: fallback.id=no-such-policy");

        assertThat(c.status()).isEqualTo(Failures.USAGE);
        assertThat(c.err()).contains("--set").contains("no-such-policy").doesNotContain("compare: 1/2");
    }

    @Test
    void orderAboveTheLargest_isAUsageError() {
        Cli c = run("compare", scenario.toString(), "--order", "11");

        assertThat(c.status()).isEqualTo(Failures.USAGE);
        assertThat(c.err()).contains("--order: order must be in [0, 10]");
    }

    @Test
    void missingScenario_isAUsageError() {
        Cli c = run("compare", dir.resolve("none.yaml").toString());

        assertThat(c.status()).isEqualTo(Failures.USAGE);
        assertThat(c.err()).contains("no such scenario file");
    }

    @Test
    void seeds_showMeanAndInterval_perVariant_andTheChosenBaseline() throws IOException {
        Path csv = dir.resolve("runs.csv");
        Cli c = run("compare", scenario.toString(), "-q", "--seeds", "3", "--threads", "2", "--baseline", "none",
                "--variant", "linux: compaction.id=linux", "--variant", "none: compaction.id=none", "--csv", csv.toString());

        assertThat(c.status()).as(c.err()).isZero();
        List<String> lines = c.out().lines().toList();
        assertThat(lines.get(2)).startsWith("| linux | 3 | ").contains(" ± ").contains(" pp) |");
        assertThat(lines.get(3)).startsWith("| none (baseline) | 3 | ");
        assertThat(lines).contains("| variant | compaction |");
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows).hasSize(1 + 6);
        assertThat(rows.get(1)).contains(",3,arm64-virt,");
        assertThat(rows.get(2)).contains(",4,arm64-virt,");
        // the same command with one thread prints the same table
        Cli serial = run("compare", scenario.toString(), "-q", "--seeds", "3", "--threads", "1", "--baseline", "none",
                "--variant", "linux: compaction.id=linux", "--variant", "none: compaction.id=none");
        assertThat(serial.out()).isEqualTo(c.out());
    }

    @Test
    void unknownBaseline_isAUsageError() {
        Cli c = run("compare", scenario.toString(), "--baseline", "nope", "--variant", "a:");

        assertThat(c.status()).isEqualTo(Failures.USAGE);
        assertThat(c.err()).contains("--baseline: no variant is named 'nope'; variants: a");
    }
}
