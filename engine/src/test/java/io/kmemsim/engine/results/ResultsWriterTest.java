package io.kmemsim.engine.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.run.RunResult;
import io.kmemsim.engine.run.Simulation;
import io.kmemsim.engine.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> ALL_FILES = List.of("buddyinfo.start", "pagetypeinfo.start", "buddyinfo",
            "pagetypeinfo", "zoneinfo", "vmstat", "meminfo", "slabinfo", "extfrag_unusable_index", "extfrag_index",
            "timeseries.csv", "results.json");

    @TempDir
    Path dir;

    static JsonNode schema() throws IOException {
        try (InputStream in = ResultsWriter.class.getClassLoader().getResourceAsStream(ResultsWriter.SCHEMA_RESOURCE)) {
            assertThat(in).as("schema resource").isNotNull();
            return MAPPER.readTree(in);
        }
    }

    private JsonNode results() throws IOException {
        return MAPPER.readTree(dir.resolve("results.json").toFile());
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    private List<String> filesInDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static RunResult run(ResultsRecorder recorder, Scenario s) {
        return new Simulation(s).observer(recorder).run();
    }

    @Test
    void finishedRun_writesEveryFile_resultsJsonLast_andNoTemporaryFile() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        RunResult result = run(recorder, ResultsFixtures.scenario());

        List<Path> written = ResultsWriter.write(dir, recorder, result);

        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactlyElementsOf(ALL_FILES);
        assertThat(filesInDir()).containsExactlyInAnyOrderElementsOf(ALL_FILES);
    }

    @Test
    void finishedRun_resultsJson_validatesAgainstTheSchema_andCarriesTheResult() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        RunResult result = run(recorder, ResultsFixtures.scenario());
        ResultsWriter.write(dir, recorder, result);

        JsonNode json = results();

        assertThat(SchemaSubset.validate(schema(), json)).isEmpty();
        assertThat(json.get("schema").asText()).isEqualTo("kmemsim-results/1");
        assertThat(json.get("status").asText()).isEqualTo("finished");
        assertThat(json.has("failure")).isFalse();
        assertThat(json.at("/scenario/name").asText()).isEqualTo("fixture");
        assertThat(json.at("/scenario/kernel").asText()).isEqualTo("6.1");
        assertThat(json.at("/scenario/seed").asLong()).isEqualTo(11);
        assertThat(json.at("/scenario/cpus").asInt()).isEqualTo(2);
        assertThat(json.at("/run/events").asLong()).isEqualTo(1000);
        assertThat(json.at("/run/ticks").asLong()).isEqualTo(result.ticks());
        assertThat(json.at("/run/simulatedNanos").asLong()).isEqualTo(999_000);
        assertThat(json.at("/run/wallNanos").asLong()).isEqualTo(result.wallNanos());
        assertThat(json.at("/run/loopNanos").asLong()).isEqualTo(result.loopNanos()).isPositive()
                .isLessThanOrEqualTo(result.wallNanos());
        assertThat(json.at("/run/eventsPerSecond").asLong()).isEqualTo(Math.round(1000 * 1e9 / result.loopNanos()));
        assertThat(json.at("/providers/1/id").asText()).isEqualTo("mini-buddy");
        assertThat(json.at("/providers/1/pluginId").asText()).isEqualTo("mini");
        assertThat(json.at("/providers/1/version").asText()).isEqualTo("2.0");
        assertThat(json.at("/pages/allocated").asLong()).isEqualTo(result.pages().allocated());
        assertThat(json.at("/slab/kmallocs").asLong()).isEqualTo(100);
        assertThat(json.at("/counters/page-allocator/nr_free_pages").asLong())
                .isEqualTo(result.counters().get("page-allocator").get("nr_free_pages"));
        assertThat(json.at("/memory/maxOrder").asInt()).isEqualTo(4);
        assertThat(json.at("/memory/zones/0/managedPages").asLong()).isEqualTo(256);
    }

    @Test
    void allocationsByOrder_listEveryOrderWithTheRunsSuccessesAndFailures() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        RunResult result = run(recorder, ResultsFixtures.scenario("page-allocator.options.pages=32"));
        ResultsWriter.write(dir, recorder, result);

        JsonNode orders = results().get("allocationsByOrder");

        assertThat(orders).hasSize(5);
        long[] ok = result.allocSuccessByOrder();
        long[] failed = result.allocFailureByOrder();
        for (int o = 0; o < 5; o++) {
            assertThat(orders.get(o).get("order").asInt()).isEqualTo(o);
            assertThat(orders.get(o).get("success").asLong()).isEqualTo(ok[o]);
            assertThat(orders.get(o).get("failure").asLong()).isEqualTo(failed[o]);
        }
        assertThat(failed[2]).as("32 pages run out for order 2").isPositive();
    }

    @Test
    void latency_isMarkedUnavailable_withNoInventedPercentiles() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        ResultsWriter.write(dir, recorder, run(recorder, ResultsFixtures.scenario()));

        JsonNode latency = results().get("latency");

        assertThat(latency.get("available").asBoolean()).isFalse();
        assertThat(latency.get("byOrder")).isEmpty();
        assertThat(latency.get("archCyclesTotal").asLong()).isZero();
    }

    @Test
    void pageblockOccupancy_isWrittenPerZone_withTheTotal() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        ResultsWriter.write(dir, recorder, run(recorder, ResultsFixtures.scenario()));

        JsonNode occ = results().get("pageblockOccupancy");

        assertThat(occ.get("pageblockOrder").asInt()).isEqualTo(3);
        assertThat(occ.at("/zones/0/zone").asText()).isEqualTo("Normal");
        assertThat(occ.at("/zones/0/tracked").asBoolean()).isTrue();
        assertThat(occ.at("/zones/0/pageblocks").asLong()).isEqualTo(32);
        assertThat(occ.at("/total/pageblocks").asLong()).isEqualTo(32);
        assertThat(occ.at("/total/withUnmovable").asLong()).isEqualTo(occ.at("/zones/0/withUnmovable").asLong());
    }

    @Test
    void snapshotsOfAnEmptyRun_areTheHandWorkedKernelFiles() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        RunResult result = run(recorder, ResultsFixtures.scenario("workload.options.events=0"));
        ResultsWriter.write(dir, recorder, result);

        // 256 free pages, maxOrder 4: sixteen order-4 blocks (mm/vmstat.c: frag_show_print() (6.1): "%6lu " per order, line ends with a space)
        String buddy = "Node 0, zone   Normal      0      0      0      0     16 \n";
        assertThat(read("buddyinfo.start")).isEqualTo(buddy);
        assertThat(read("buddyinfo")).isEqualTo(buddy);
        // mm/vmstat.c: fill_contig_page_info() (6.1): every order has a suitable block: unusable index 0, fragmentation index -1000 ("%2d.%03d" on 6.1)
        assertThat(read("extfrag_unusable_index"))
                .isEqualTo("Node 0, zone   Normal 0.000 0.000 0.000 0.000 0.000 \n");
        assertThat(read("extfrag_index"))
                .isEqualTo("Node 0, zone   Normal -1.000 -1.000 -1.000 -1.000 -1.000 \n");
        assertThat(read("slabinfo")).isEqualTo(SlabinfoRenderer.VERSION_LINE + "\n" + SlabinfoRenderer.COLUMN_LINE + "\n"
                + "kmalloc-128            0      0    128   32    1 : tunables    0    0    0 : slabdata      0      0      0\n"
                + "kmalloc-64             0      0     64   64    1 : tunables    0    0    0 : slabdata      0      0      0\n");
        assertThat(read("vmstat")).isEqualTo("nr_free_pages 256\npgalloc_normal 0\n");
        assertThat(read("zoneinfo")).startsWith("Node 0, zone   Normal\n  pages free     256\n        boost    0\n");
        assertThat(read("pagetypeinfo")).startsWith("Page block order: 3\nPages per block:  8\n");
    }

    @Test
    void timeseriesCsv_hasTheHeader_andOneRowPerSample_startingWithTheStartState() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        ResultsWriter.write(dir, recorder, run(recorder, ResultsFixtures.scenario()));

        List<String> lines = Files.readAllLines(dir.resolve("timeseries.csv"));

        assertThat(lines.get(0)).isEqualTo("events,sim_nanos,page_alloc_success,page_alloc_failure,page_free,"
                + "slab_alloc_success,slab_alloc_failure,slab_pages,arch_cycles,free_pages_node0_Normal,"
                + "free_blocks_order0,free_blocks_order1,free_blocks_order2,free_blocks_order3,free_blocks_order4,"
                + "unusable_index_node0_Normal,fragmentation_index_node0_Normal");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("0,0,0,0,0,0,0,0,0,256,0,0,0,0,16,0,-1000");
        assertThat(lines.get(2)).startsWith("1000,999000,");
        assertThat(results().at("/timeSeries/samples").asInt()).isEqualTo(2);
        assertThat(results().at("/timeSeries/columns")).hasSize(17);
    }

    @Test
    void timeSeries_isThinnedWhenFull_andStaysEvenlySpaced() throws IOException {
        int interval = Simulation.PROGRESS_INTERVAL;
        ResultsRecorder recorder = new ResultsRecorder(new ResultsOptions(interval, 4, false));
        RunResult result = run(recorder, ResultsFixtures.scenario("workload.options.events=" + 9L * interval,
                "workload.options.kmalloc-every=0"));
        ResultsWriter.write(dir, recorder, result);

        List<String> lines = Files.readAllLines(dir.resolve("timeseries.csv"));
        List<Long> events = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            events.add(Long.parseLong(line.substring(0, line.indexOf(','))));
        }

        // samples at 0, I, 2I, 3I; 4I arrives full -> 0, 2I, 4I; 6I; 8I arrives full -> 0, 4I, 8I; end at 9I
        assertThat(events).containsExactly(0L, 4L * interval, 8L * interval, 9L * interval);
        JsonNode ts = results().get("timeSeries");
        assertThat(ts.get("sampleEvery").asLong()).isEqualTo(4L * interval);
        assertThat(ts.get("thinnings").asInt()).isEqualTo(2);
        assertThat(ts.get("maxSamples").asInt()).isEqualTo(4);
        assertThat(results().get("snapshots").get("start")).isEmpty();
        assertThat(dir.resolve("buddyinfo.start")).doesNotExist();
    }

    @Test
    void runEndingOnAGridPoint_replacesTheLastSampleInsteadOfRepeatingIt() throws IOException {
        int interval = Simulation.PROGRESS_INTERVAL;
        ResultsRecorder recorder = new ResultsRecorder(new ResultsOptions(interval, 8, false));
        ResultsWriter.write(dir, recorder, run(recorder, ResultsFixtures.scenario(
                "workload.options.events=" + 2L * interval, "workload.options.kmalloc-every=0")));

        List<String> lines = Files.readAllLines(dir.resolve("timeseries.csv"));

        assertThat(lines).hasSize(4);
        assertThat(lines.get(3)).startsWith(2L * interval + ",");
    }

    @Test
    void failedRun_stillWritesResultsJsonWithTheFailure_andKeepsTheSnapshots() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        Scenario s = ResultsFixtures.scenario("page-allocator.options.fail-at=50");
        PluginFailureException e = catchThrowableOfType(PluginFailureException.class, () -> run(recorder, s));

        ResultsWriter.writeFailed(dir, recorder, e, 1234);

        assertThat(filesInDir()).containsExactlyInAnyOrderElementsOf(ALL_FILES);
        JsonNode json = results();
        assertThat(SchemaSubset.validate(schema(), json)).isEmpty();
        assertThat(json.get("status").asText()).isEqualTo("failed");
        assertThat(json.at("/failure/type").asText()).isEqualTo("PluginFailureException");
        assertThat(json.at("/failure/providerId").asText()).isEqualTo("mini-buddy");
        assertThat(json.at("/failure/operation").asText()).isEqualTo("allocate");
        assertThat(json.at("/failure/message").asText()).isEqualTo(e.getMessage());
        assertThat(json.at("/run/wallNanos").asLong()).isEqualTo(1234);
        assertThat(json.at("/run").has("ticks")).isFalse();
        assertThat(json.at("/run/events").asLong()).isEqualTo(recorder.totals().events()).isLessThan(1000);
        assertThat(json.at("/counters/page-allocator/pgalloc_normal").asLong()).isEqualTo(50);
        assertThat(json.at("/snapshots/problems")).isEmpty();
        assertThat(recorder.failure()).containsSame(e);
    }

    @Test
    void failedRun_whoseComponentsCannotBeRead_recordsTheProblems_andWritesTheRest() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        Scenario s = ResultsFixtures.scenario("page-allocator.options.fail-at=50",
                "page-allocator.options.broken-view=after-failure");
        PluginFailureException e = catchThrowableOfType(PluginFailureException.class, () -> run(recorder, s));

        ResultsWriter.writeFailed(dir, recorder, e, 0);

        JsonNode json = results();
        assertThat(SchemaSubset.validate(schema(), json)).isEmpty();
        List<String> unreadable = new ArrayList<>();
        json.at("/snapshots/problems").forEach(p -> unreadable.add(p.get("file").asText()));
        assertThat(unreadable).containsExactly("timeseries.csv", "buddyinfo", "pagetypeinfo", "zoneinfo",
                "extfrag_unusable_index", "extfrag_index");
        assertThat(json.at("/snapshots/problems/0/message").asText())
                .isEqualTo("the end sample is missing: page-allocator plugin 'mini-buddy' failed in zones:"
                        + " IllegalStateException: zone view unavailable");
        assertThat(json.at("/snapshots/problems/1/message").asText())
                .isEqualTo("page-allocator plugin 'mini-buddy' failed in buddyinfo: IllegalStateException: zone view unavailable");
        assertThat(filesInDir()).containsExactlyInAnyOrder("buddyinfo.start", "pagetypeinfo.start", "vmstat", "meminfo",
                "slabinfo", "timeseries.csv", "results.json");
        assertThat(json.at("/snapshots/end").toString()).isEqualTo("[\"vmstat\",\"meminfo\",\"slabinfo\"]");
    }

    @Test
    void kernelBefore5_10_hasNoZoneinfo_andSaysWhy() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        ResultsWriter.write(dir, recorder, run(recorder, ResultsFixtures.scenario("kernel=5.4")));

        JsonNode json = results();

        assertThat(SchemaSubset.validate(schema(), json)).isEmpty();
        assertThat(dir.resolve("zoneinfo")).doesNotExist();
        assertThat(json.at("/snapshots/problems/0/file").asText()).isEqualTo("zoneinfo");
        assertThat(json.at("/snapshots/problems/0/message").asText())
                .isEqualTo("zoneinfo layouts are described for kernels 5.10 and later: 5.4");
        assertThat(json.at("/snapshots/end").toString()).doesNotContain("zoneinfo");
    }

    @Test
    void pluginThrowingWhileTheRunIsHealthy_failsTheRun_namingThePluginAndTheReading() {
        ResultsRecorder recorder = new ResultsRecorder();
        Scenario s = ResultsFixtures.scenario("page-allocator.options.broken-view=always");

        assertThatThrownBy(() -> run(recorder, s))
                .isInstanceOf(PluginFailureException.class)
                .hasMessage("page-allocator plugin 'mini-buddy' failed in zones: IllegalStateException: zone view unavailable");
    }

    @Test
    void aDirectoryOfOtherFiles_isRefused_andLeftAsItWas() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        RunResult result = run(recorder, ResultsFixtures.scenario());
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("thesis.tex"), "x");

        assertThat(ResultsWriter.checkTarget(home)).get().asString().contains("not a kmemsim results directory");
        assertThatThrownBy(() -> ResultsWriter.write(home, recorder, result))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(home + " is not a kmemsim results directory");

        try (Stream<Path> s = Files.list(home)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("thesis.tex");
        }
        assertThat(siblingsOf(home)).containsExactly("home");
    }

    @Test
    void aForeignResultsJson_theHomeOrTheCurrentDirectory_areRefused() throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("results.json"), "{\"accuracy\": 0.9}");
        assertThat(ResultsWriter.checkTarget(foreign)).get().asString().contains("not a kmemsim results directory");

        Path out = dir.resolve("out");
        ResultsRecorder recorder = new ResultsRecorder();
        ResultsWriter.write(out, recorder, run(recorder, ResultsFixtures.scenario()));
        assertThat(ResultsWriter.checkTarget(out)).isEmpty();

        assertThat(ResultsWriter.checkTarget(Path.of(""))).get().asString().contains("the current directory");
        assertThat(ResultsWriter.checkTarget(Path.of(System.getProperty("user.home")))).isPresent();
        assertThat(ResultsWriter.checkTarget(Path.of("/"))).isPresent();
    }

    @Test
    void aFileWhereTheDirectoryShouldBe_isRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("out"), "x");
        assertThat(ResultsWriter.checkTarget(file)).get().asString().contains("not a directory");
        assertThat(ResultsWriter.checkTarget(dir.resolve("absent"))).isEmpty();
        assertThat(ResultsWriter.checkTarget(Files.createDirectory(dir.resolve("empty")))).isEmpty();
    }

    @Test
    void replacingAResultsDirectory_replacesItWhole_andLeavesNoTemporary() throws IOException {
        Path out = dir.resolve("out");
        ResultsRecorder first = new ResultsRecorder();
        ResultsWriter.write(out, first, run(first, ResultsFixtures.scenario("workload.options.events=10")));
        Files.writeString(out.resolve("notes-of-the-old-run"), "x");
        ResultsRecorder second = new ResultsRecorder();

        List<Path> written = ResultsWriter.write(out, second, run(second, ResultsFixtures.scenario()));

        assertThat(written).allSatisfy(p -> assertThat(p.getParent()).isEqualTo(out));
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(ALL_FILES);
        }
        assertThat(MAPPER.readTree(out.resolve("results.json").toFile()).at("/run/events").asLong()).isEqualTo(1000);
        assertThat(siblingsOf(out)).containsExactly("out");
    }

    @Test
    void resultsJson_recordsTheWorkloadAndItsOptions_asTheScenarioSpellsThem() throws IOException {
        ResultsRecorder recorder = new ResultsRecorder();
        ResultsWriter.write(dir, recorder, run(recorder, ResultsFixtures.scenario()));

        JsonNode workload = results().at("/scenario/workload");

        assertThat(workload.get("id").asText()).isEqualTo(ResultsFixtures.scenario().workload().id());
        assertThat(workload.get("options").isObject()).isTrue();
        assertThat(workload.at("/options/events").asLong()).isEqualTo(1000);
    }

    private List<String> siblingsOf(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p.getParent())) {
            return s.map(q -> q.getFileName().toString()).toList();
        }
    }

    @Test
    void writingAgain_replacesTheFiles_andLeavesNoTemporaryFile() throws IOException {
        ResultsRecorder first = new ResultsRecorder();
        ResultsWriter.write(dir, first, run(first, ResultsFixtures.scenario("workload.options.events=10")));
        ResultsRecorder second = new ResultsRecorder();
        ResultsWriter.write(dir, second, run(second, ResultsFixtures.scenario()));

        assertThat(filesInDir()).containsExactlyInAnyOrderElementsOf(ALL_FILES);
        assertThat(results().at("/run/events").asLong()).isEqualTo(1000);
    }

    @Test
    void sameScenario_givesTheSameFiles_apartFromTheWallTime(@TempDir Path other) throws IOException {
        ResultsRecorder a = new ResultsRecorder();
        ResultsWriter.write(dir, a, run(a, ResultsFixtures.scenario()).withWallNanos(0));
        ResultsRecorder b = new ResultsRecorder();
        ResultsWriter.write(other, b, run(b, ResultsFixtures.scenario()).withWallNanos(0));

        for (String f : ALL_FILES) {
            assertThat(Files.readAllBytes(other.resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve(f)));
        }
        assertThat(read("results.json")).startsWith("{\n  \"schema\": \"kmemsim-results/1\",\n  \"status\": \"finished\",\n");
    }

    @Test
    void writing_withoutARunStart_isRefused() {
        ResultsRecorder recorder = new ResultsRecorder();

        assertThatThrownBy(() -> ResultsWriter.writeFailed(dir, recorder, new IllegalStateException("x"), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not see the run start");
    }

    @Test
    void writingAFinishedRun_fromARecorderThatSawAFailure_isRefused() {
        ResultsRecorder recorder = new ResultsRecorder();
        RunResult ok = run(new ResultsRecorder(), ResultsFixtures.scenario());
        catchThrowableOfType(PluginFailureException.class,
                () -> run(recorder, ResultsFixtures.scenario("page-allocator.options.fail-at=5")));

        assertThatThrownBy(() -> ResultsWriter.write(dir, recorder, ok))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("writeFailed");
    }
}
