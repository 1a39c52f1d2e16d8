package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inputs issue 12 found failing with a stack trace, an OutOfMemoryError or the wrong exit status:
 * each is now one line naming the file (and the line where there is one), exit 2, no Java class name.
 */
class InputErrorsTest {

    /** A qualified Java class name or an exception class, which a user message must not show. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(java|javax|com|org|io)\\.[a-z]+\\.[A-Za-z]|[A-Z][a-z]+(Exception|Error)\\b");

    @TempDir
    Path dir;

    private Path scenario(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void assertInputError(Cli r, String... expected) {
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.errHasStackTrace()).isFalse();
        assertThat(r.err()).contains(expected);
        assertThat(CLASS_NAME.matcher(r.err()).find()).as(r.err()).isFalse();
    }

    @Test
    void cpusBeyondAnyKernel_isRefusedAtItsLine() throws IOException {
        Path f = scenario("cpus.yaml", "kernel: \"6.1\"\ncpus: 2147483647\nplatform: arm64-virt\npage-allocator: buddy\nworkload: churn\n");
        assertInputError(Cli.run("run", f.toString(), "--no-results"), f + ":2:", "cpus must be in [1, 8192]");
    }

    @Test
    void aMachineLargerThanTheHeap_isRefusedWithTheNumberAndTheRemedy() throws IOException {
        Path f = scenario("big.yaml", "kernel: \"6.1\"\nplatform: { id: arm64-virt, options: { size: 4T } }\n"
                + "page-allocator: buddy\nworkload: churn\n");
        assertInputError(Cli.run("run", f.toString(), "--no-results"), f + ":2:", "4 TiB", "MiB of Java heap",
                "KMEMSIM_HEAP=", "JAVA_OPTS=-Xmx");
    }

    @Test
    void aDeviceAsStartBuddyinfo_isRefusedBeforeReading() throws IOException {
        Path f = scenario("zero.yaml", "kernel: \"6.1\"\nplatform: arm64-virt\npage-allocator: buddy\nworkload: churn\n"
                + "run: { start-buddyinfo: /dev/zero }\n");
        assertInputError(Cli.run("run", f.toString(), "--no-results"), "/dev/zero", "run.start-buddyinfo", "not a regular file");
    }

    @Test
    void aScenarioThatIsADirectoryOrNotUtf8_isNamed() throws IOException {
        assertInputError(Cli.run("run", dir.toString(), "--no-results"), dir.toString(), "is a directory");
        Path latin1 = Files.write(dir.resolve("latin1.yaml"),
                "kernel: \"6.1\"\nname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertInputError(Cli.run("run", latin1.toString(), "--no-results"), latin1 + ":2:10:", "byte 0xE9 at byte offset 23");
    }

    @Test
    void aMissingTraceNamedInAScenario_isAnInputError_namingTheTraceAndTheScenario() throws IOException {
        Path f = scenario("replay.yaml", "kernel: \"6.1\"\nplatform: arm64-virt\npage-allocator: buddy\n"
                + "workload: { id: trace, options: { file: traces/absent.trace } }\n");
        assertInputError(Cli.run("run", f.toString(), "--no-results"),
                dir.resolve("traces/absent.trace").toString(), "no such trace file", "replay.yaml:4");
    }

    @Test
    void anExactReplayPfnOutsideTheMachine_isAnInputError_atTheTraceLine() throws IOException {
        Path trace = Files.writeString(dir.resolve("outside.trace"), "# tracer: nop\n#\n"
                + "       kmemsim-0-1       [000] .....     0.000002: mm_page_alloc: page=fffffc0001000000 pfn=0x40000"
                + " order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE\n"
                + "       kmemsim-0-1       [000] .....     0.000003: mm_page_alloc: page=fffffc0001000000 pfn=0x9990000"
                + " order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE\n");
        Cli r = Cli.run("replay", trace.toString(), "--mode", "exact", "--scenario", "../scenarios/replay.yaml", "--no-results");
        assertInputError(r, trace + ":4:", "pfn 0x9990000", "outside the simulated machine");
    }

    @Test
    void pathsInAScenario_resolveAgainstTheScenarioFile_notTheCurrentDirectory() {
        Path replay = Path.of("..", "scenarios", "replay.yaml").toAbsolutePath().normalize();
        Cli r = Cli.run("run", replay.toString(), "--no-results", "-q");
        assertThat(r.status()).as(r.err()).isZero();
    }

    @Test
    void replay_writesToTraceNameAndMode_andResultsJsonRecordsTheMode(@TempDir Path out) throws IOException {
        Path trace = Path.of("..", "scenarios", "traces", "sample-6.1.trace").toAbsolutePath().normalize();
        Cli r = Cli.run("replay", trace.toString(), "--mode", "exact", "--scenario", "../scenarios/replay.yaml",
                "--out", out.resolve("x").toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("x/results.json").toFile());
        assertThat(json.at("/scenario/workload/id").asText()).isEqualTo("trace");
        assertThat(json.at("/scenario/workload/options/mode").asText()).isEqualTo("exact");
        assertThat(json.at("/scenario/workload/options/file").asText()).isEqualTo(trace.toString());
        assertThat(ReplayCommand.traceName(trace)).isEqualTo("sample-6.1");
        assertThat(ReplayCommand.traceName(Path.of("/x/pages.trace.gz"))).isEqualTo("pages");
    }

    @Test
    void aResultsDirectoryThatHoldsOtherFiles_isRefusedBeforeTheRun() throws IOException {
        Files.writeString(dir.resolve("thesis.tex"), "x");
        Cli r = Cli.run("run", "--set", "workload.options.events=1000", "--set", "object-cache.id=slub", "--out", dir.toString());
        assertInputError(r, dir.toString(), "not a kmemsim results directory");
        assertThat(dir.resolve("thesis.tex")).exists();
    }
}
