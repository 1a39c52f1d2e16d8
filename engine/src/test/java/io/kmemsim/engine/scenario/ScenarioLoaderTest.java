package io.kmemsim.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioLoaderTest {

    private final ScenarioLoader loader = new ScenarioLoader(FakeProviders.lookup());

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static List<String> messages(InputException e, Path file) {
        return e.problems().stream().map(InputProblem::toString)
                .map(s -> s.replace(file.toString(), file.getFileName().toString())).toList();
    }

    private static final String MINIMAL = """
            kernel: "6.1"
            platform: { id: rock5b-plus-8g }
            page-allocator: { id: buddy }
            workload: { id: mix, options: { events: 1000 } }
            """;

    @Test
    void load_reportsTypoWrongTypeAndMissingRequiredTogether_withLineAndColumn() throws Exception {
        Path file = write("golden.yaml", """
                name: golden
                kernel: "6.1"
                platform: { id: rock5b-plus-8g }
                page-allocator:
                  id: buddy
                  options:
                    min-free-kbyts: 2048
                workload:
                  id: mix
                  options:
                    free-ratio: lots
                    mode: burst-then-idle
                """);

        InputException e = catchThrowableOfType(InputException.class, () -> loader.load(file, List.of()));

        assertThat(messages(e, file)).containsExactly(
                "golden.yaml:7:5: page-allocator.options.min-free-kbyts: unknown key (did you mean 'min-free-kbytes'?)",
                "golden.yaml:11:5: workload.options.events: missing required key",
                "golden.yaml:11:17: workload.options.free-ratio: expected a number: \"lots\"");
        assertThat(e.problems().get(0).key()).isEqualTo("page-allocator.options.min-free-kbyts");
        assertThat(e.problems().get(0).line()).isEqualTo(7);
        assertThat(e.problems().get(0).column()).isEqualTo(5);
    }

    @Test
    void load_bindsOptionsByKebabKey_andFillsDefaultsFromNoArgConstructor() throws Exception {
        Path file = write("bind.yaml", """
                kernel: "6.12.19"
                seed: 0x2A
                cpus: 4
                platform: rock5b-plus-8g
                page-allocator:
                  id: buddy
                  options:
                    watermark-scale-factor: 150
                    lowmem-reserve: { dma: 256, normal: 32 }
                workload:
                  id: mix
                  options:
                    events: 2_000_000
                    mode: burst-then-idle
                    orders: [0, 3, 9]
                    cpu-range: { low: 1, high: 2 }
                    page-size: 16K
                    verbose: true
                run: { check-invariants-every: 1000 }
                """);

        Scenario s = loader.load(file, List.of());

        assertThat(s.name()).isEqualTo("bind");
        assertThat(s.kernel()).isEqualTo(KernelVersion.of(6, 12, 19));
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.cpus()).isEqualTo(4);
        assertThat(s.platform().id()).isEqualTo("rock5b-plus-8g");
        assertThat(s.platform().options()).isEqualTo(new NoOptions());
        assertThat(s.pageAllocator().options())
                .isEqualTo(new FakeProviders.BuddyOptions(1024, 150, Map.of("dma", 256, "normal", 32)));
        assertThat(s.workload().options()).isEqualTo(new FakeProviders.MixOptions(2_000_000, 0.5,
                FakeProviders.Mode.BURST_THEN_IDLE, List.of(0, 3, 9), new FakeProviders.Range(1, 2),
                PageSize.SIZE_16K, true));
        assertThat(s.run()).isEqualTo(new RunSettings(1000, 0));
        assertThat(s.fallback()).isEmpty();
        assertThat(s.objectCache()).isEmpty();
        assertThat(s.workload().origin()).isEqualTo(new Origin(file.toString(), 11, 7));
    }

    @Test
    void load_appliesScenarioDefaults_whenKeysAreAbsent() throws Exception {
        Scenario s = loader.load(write("plain.yml", MINIMAL), List.of());

        assertThat(s.name()).isEqualTo("plain");
        assertThat(s.seed()).isEqualTo(ScenarioLoader.DEFAULT_SEED).isEqualTo(1);
        assertThat(s.cpus()).isZero();
        assertThat(s.run()).isEqualTo(new RunSettings());
        assertThat(s.components()).extracting(ComponentConfig::kind)
                .containsExactly(PluginKind.PLATFORM, PluginKind.PAGE_ALLOCATOR, PluginKind.WORKLOAD);
    }

    @Test
    void load_keepsTheKernelAsWritten_whenYamlWouldReadItAsANumber() throws Exception {
        Scenario s = loader.load(write("k.yaml", MINIMAL.replace("\"6.1\"", "6.10")), List.of());

        assertThat(s.kernel().toString()).isEqualTo("6.10");
    }

    @Test
    void load_readsJson_withLocations() throws Exception {
        String json = """
                {
                  "name": "j",
                  "kernel": "6.1",
                  "platform": {"id": "rock5b-plus-8g"},
                  "page-allocator": {"id": "buddy", "options": {"min-free-kbytes": 4096}},
                  "workload": {"id": "mix", "options": {"events": 77}}
                }
                """;
        Scenario s = loader.load(write("s.json", json), List.of());
        assertThat(s.name()).isEqualTo("j");
        assertThat(((FakeProviders.BuddyOptions) s.pageAllocator().options()).minFreeKbytes()).isEqualTo(4096);
        assertThat(((FakeProviders.MixOptions) s.workload().options()).events()).isEqualTo(77);

        Path bad = write("bad.json", json.replace("\"events\": 77", "\"events\": \"many\""));
        InputException e = catchThrowableOfType(InputException.class, () -> loader.load(bad, List.of()));
        assertThat(messages(e, bad)).containsExactly(
                "bad.json:6:51: workload.options.events: expected an integer: \"many\"");
    }

    @Test
    void load_reportsUnknownTopLevelKeys_withSuggestionOrTheValidKeys() throws Exception {
        Path file = write("top.yaml", MINIMAL + "kernal: \"6.1\"\nbogus-section: 1\n");

        InputException e = catchThrowableOfType(InputException.class, () -> loader.load(file, List.of()));

        assertThat(messages(e, file)).containsExactly(
                "top.yaml:5:1: kernal: unknown key (did you mean 'kernel'?)",
                "top.yaml:6:1: bogus-section: unknown key; valid keys: name, kernel, seed, cpus, platform, "
                        + "page-allocator, object-cache, arch, fallback, compaction, reclaim, workload, run");
    }

    @Test
    void load_reportsMissingRequiredKeys_atTheDocument() throws Exception {
        Path file = write("empty-ish.yaml", "name: nothing\n");

        InputException e = catchThrowableOfType(InputException.class, () -> loader.load(file, List.of()));

        assertThat(messages(e, file)).containsExactly(
                "empty-ish.yaml:1:1: kernel: missing required key",
                "empty-ish.yaml:1:1: platform: missing required key",
                "empty-ish.yaml:1:1: page-allocator: missing required key",
                "empty-ish.yaml:1:1: workload: missing required key");
    }

    @Test
    void load_reportsAnUnknownProviderId_atTheId_listingTheAvailableOnes() throws Exception {
        Path file = write("id.yaml", MINIMAL.replace("{ id: buddy }", "{ id: budy }"));

        InputException e = catchThrowableOfType(InputException.class, () -> loader.load(file, List.of()));

        assertThat(messages(e, file)).containsExactly(
                "id.yaml:3:23: page-allocator.id: unknown page-allocator 'budy' (did you mean 'buddy'?); available: buddy");
    }

    @Test
    void load_reportsAComponentKindWithoutProviders() throws Exception {
        Path file = write("oc.yaml", MINIMAL + "object-cache: { id: slub }\n");

        ScenarioLoader withoutCaches = new ScenarioLoader(FakeProviders.lookupWithout(PluginKind.OBJECT_CACHE));
        InputException e = catchThrowableOfType(InputException.class, () -> withoutCaches.load(file, List.of()));

        assertThat(messages(e, file)).containsExactly(
                "oc.yaml:5:21: object-cache.id: unknown object-cache 'slub'; no object-cache providers are installed");
    }

    @Test
    void load_reportsRecordConstructorErrors_andRequiresEveryKeyWithoutDefaults() throws Exception {
        Path file = write("board.yaml", MINIMAL.replace("{ id: rock5b-plus-8g }", "{ id: board, options: { memory-mb: 0 } }")
                + "run: { tick-nanos: -5 }\n");

        InputException e = catchThrowableOfType(InputException.class, () -> loader.load(file, List.of()));

        assertThat(messages(e, file)).containsExactly(
                "board.yaml:2:33: platform.options.cpus: missing required key",
                "board.yaml:5:6: run: tick-nanos must be >= 0: -5");
    }

    @Test
    void load_reportsInvalidRecordValues_fromTheCanonicalConstructor() throws Exception {
        Path file = write("range.yaml", MINIMAL.replace("events: 1000", "events: 1000, cpu-range: { low: 3, high: 1 }"));

        InputException e = catchThrowableOfType(InputException.class, () -> loader.load(file, List.of()));

        assertThat(messages(e, file)).containsExactly(
                "range.yaml:4:58: workload.options.cpu-range: low must be <= high: 3 > 1");
    }

    @Test
    void load_reportsBadEnumsIntegersOutOfRangeAndDuplicates() throws Exception {
        Path file = write("types.yaml", """
                kernel: "6.1"
                platform: rock5b-plus-8g
                seed: 1
                page-allocator: { id: buddy, options: { min-free-kbytes: 99999999999 } }
                workload:
                  id: mix
                  options: { events: 5, mode: sometimes, orders: [1, x], verbose: 1 }
                seed: 2
                """);

        InputException e = catchThrowableOfType(InputException.class, () -> loader.load(file, List.of()));

        assertThat(messages(e, file)).containsExactly(
                "types.yaml:4:58: page-allocator.options.min-free-kbytes: expected an integer in [-2147483648, 2147483647]: 99999999999",
                "types.yaml:7:31: workload.options.mode: expected one of steady, burst-then-idle: \"sometimes\"",
                "types.yaml:7:54: workload.options.orders[1]: expected an integer: \"x\"",
                "types.yaml:7:67: workload.options.verbose: expected true or false: 1",
                "types.yaml:8:1: seed: duplicate key (first given at line 3)");
    }

    @Test
    void load_reportsASyntaxErrorWithItsLine() throws Exception {
        Path file = write("syntax.yaml", "kernel: \"6.1\"\nplatform: [a, b\n");

        InputException e = catchThrowableOfType(InputException.class, () -> loader.load(file, List.of()));

        assertThat(messages(e, file)).containsExactly(
                "syntax.yaml:3:1: syntax error: while parsing a flow sequence: expected ',' or ']', but got <stream end>");
    }

    @Test
    void load_namesTheFile_whenItDoesNotExist() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> loader.load(missing, List.of()))
                .isInstanceOf(InputException.class)
                .hasMessage(missing + ": no such scenario file");
    }

    @Test
    void set_overridesNestedOptionsIdsAndTopLevelScalars() throws Exception {
        Path file = write("o.yaml", MINIMAL);

        Scenario s = loader.load(file, List.of("workload.options.events=5000", "kernel=6.12", "fallback.id=linux",
                "workload.options.orders=[4, 5]", "name=with spaces", "page-allocator.options.min-free-kbytes=8"));

        assertThat(((FakeProviders.MixOptions) s.workload().options()).events()).isEqualTo(5000);
        assertThat(((FakeProviders.MixOptions) s.workload().options()).orders()).containsExactly(4, 5);
        assertThat(s.kernel()).isEqualTo(KernelVersion.parse("6.12"));
        assertThat(s.fallback()).map(ComponentConfig::id).contains("linux");
        assertThat(s.name()).isEqualTo("with spaces");
        assertThat(((FakeProviders.BuddyOptions) s.pageAllocator().options()).minFreeKbytes()).isEqualTo(8);
    }

    @Test
    void set_null_removesAnOptionalComponent() throws Exception {
        Scenario s = loader.load(write("n.yaml", MINIMAL + "fallback: linux\n"), List.of("fallback=null"));

        assertThat(s.fallback()).isEmpty();
    }

    @Test
    void set_reportsEveryBadOverride_withSourceSet() throws Exception {
        Path file = write("o.yaml", MINIMAL);

        InputException e = catchThrowableOfType(InputException.class, () -> loader.load(file, List.of(
                "no-equals-sign", "workload..events=1", "workload.options.evnts=5", "seed=abc",
                "kernel.major=6", "workload.options.events=[1")));

        assertThat(e.problems()).allSatisfy(p -> assertThat(p.source()).isEqualTo("--set"));
        assertThat(messages(e, file)).containsExactly(
                "--set: expected key=value: \"no-equals-sign\"",
                "--set: workload..events: the key has an empty part: \"workload..events=1\"",
                "--set: workload.options.events: cannot read the value \"[1\": "
                        + "while parsing a flow sequence: expected ',' or ']', but got <stream end>",
                "--set: kernel.major: cannot set a key inside kernel: it is \"6.1\" (o.yaml:1:9), not a mapping",
                "--set: seed: expected an integer: \"abc\"",
                "--set: workload.options.evnts: unknown key (did you mean 'events'?)");
    }

    @Test
    void set_badEscapeInADoubleQuotedValue_isANamedInputError() throws Exception {
        // found by ScenarioLoaderFuzzTest: SnakeYAML 2.4 converts the (empty) digits of an escape at the end of the
        // text (an unterminated double-quoted value ending in backslash-x or backslash-u) as a number and throws
        Path file = write("x.yaml", MINIMAL);

        InputException e = catchThrowableOfType(InputException.class,
                () -> loader.load(file, List.of("workload.options.name=\"\\x", "workload.options.other=\"\\u")));

        assertThat(messages(e, file)).hasSize(2).allSatisfy(m -> assertThat(m)
                .startsWith("--set: workload.options.")
                .contains("cannot read the value ")
                .contains("must be followed by 2, 4 or 8 hexadecimal digits"));
    }

    @Test
    void defaultResource_parses_withEveryBuiltInComponent() {
        Scenario s = loader.loadDefault(List.of());

        assertThat(s.name()).isEqualTo("default");
        assertThat(s.kernel()).isEqualTo(KernelVersion.parse("6.1"));
        assertThat(s.platform().id()).isEqualTo("rock5b-plus-8g");
        assertThat(s.pageAllocator().id()).isEqualTo("buddy");
        assertThat(s.workload().id()).isEqualTo("mix");
        assertThat(((FakeProviders.MixOptions) s.workload().options()).events()).isGreaterThanOrEqualTo(1_000_000);
        assertThat(s.fallback()).map(c -> c.id()).contains("linux");
        assertThat(s.compaction()).map(c -> c.id()).contains("linux");
        assertThat(s.objectCache()).map(c -> c.id()).contains("slub");
        assertThat(s.arch()).map(c -> c.id()).contains("arm64");
    }

    @Test
    void loadResource_namesAMissingResource() {
        assertThatThrownBy(() -> loader.loadResource(getClass().getClassLoader(), "no/such.yaml", List.of()))
                .isInstanceOf(InputException.class)
                .hasMessage("no/such.yaml: no such scenario resource");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "42 | 42", "-1 | -1", "2_000_000 | 2000000", "0x2000 | 8192", "0b101 | 5", "017 | 17"})
    void integers_acceptTheDocumentedSpellings(String written, long value) throws Exception {
        Scenario s = loader.load(write("i.yaml", MINIMAL), List.of("seed=" + written));

        assertThat(s.seed()).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0.25 | 0.25", "3 | 3.0", "1e-3 | 0.001"})
    void numbers_acceptTheDocumentedSpellings(String written, double value) throws Exception {
        Scenario s = loader.load(write("d.yaml", MINIMAL), List.of("workload.options.free-ratio=" + written));

        assertThat(((FakeProviders.MixOptions) s.workload().options()).freeRatio()).isEqualTo(value);
    }
}
