package io.kmemsim.engine.scenario;

import io.kmemsim.engine.fuzz.FuzzOracle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the scenario loader: valid scenarios mutated byte by byte and token by token (YAML syntax
 * characters, anchors and aliases, tags, huge and malformed numbers, invalid UTF-8, truncation, duplicated
 * lines), and random {@code --set} overrides. Every input must load or give a well-formed input error
 * naming the file or the override ({@link FuzzOracle}). A fixed number of tries keeps it to a few seconds;
 * an input that ever fails goes into {@code src/test/resources/fuzz-corpus/scenario/} and is replayed by
 * {@link ScenarioCorpusTest} from then on.
 */
class ScenarioLoaderFuzzTest {

    private static final List<String> SEEDS = List.of("""
            kernel: "6.1"
            platform: { id: rock5b-plus-8g }
            page-allocator: { id: buddy }
            workload: { id: mix, options: { events: 1000 } }
            """, """
            name: bind
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
            run: { check-invariants-every: 1000, start-buddyinfo: buddyinfo.txt }
            """, """
            {"kernel": "6.1", "platform": {"id": "rock5b-plus-8g"}, "page-allocator": "buddy",
             "workload": {"id": "mix", "options": {"events": 5}}}
            """);

    private static final List<String> TOKENS = List.of(":", ": ", "{", "}", "[", "]", ",", "-", "- ", "&a ", "*a",
            "<<: *a", "!!java.lang.Runtime ", "!!binary ", "!custom ", "? ", "|", ">", "\"", "'", "#", "\t", "\n", "\r\n",
            "  ", "~", "null", "true", "0x", "0o17", "1e999", "-1", "9223372036854775808", "-9223372036854775809",
            "2147483648", ".inf", ".nan", "16K", "4T", "99999999999999999999P", "\u0000", "\u00e9", "\uFEFF", "---\n",
            "...\n", "%YAML 1.2\n", "kernel: \"9.99\"", "cpus: 0", "id: no-such", "options: {", "events: -5",
            "page-allocator: ", "workload:\n  id: mix\n", "\\", "\\u", "\"\\x", "@", "`");

    private static Path dir;
    private static int counter;

    private final ScenarioLoader loader = new ScenarioLoader(FakeProviders.lookup());

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("kmemsim-scenario-fuzz-");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** A mutation of a byte array; applied in sequence. */
    private interface Mutation {
        byte[] apply(byte[] in);
    }

    @Provide
    Arbitrary<byte[]> mutatedScenarios() {
        Arbitrary<Mutation> flip = Combinators.combine(Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 255)).as((at, value) -> in -> {
                    if (in.length == 0) {
                        return in;
                    }
                    byte[] out = in.clone();
                    out[at % out.length] = (byte) (int) value;
                    return out;
                });
        Arbitrary<Mutation> insert = Combinators.combine(Arbitraries.integers().between(0, 10_000),
                Arbitraries.of(TOKENS)).as((at, token) -> in -> splice(in, at, 0, token.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Mutation> badUtf8 = Arbitraries.integers().between(0, 10_000)
                .map(at -> in -> splice(in, at, 0, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}));
        Arbitrary<Mutation> delete = Combinators.combine(Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(1, 40)).as((at, n) -> in -> splice(in, at, n, new byte[0]));
        Arbitrary<Mutation> truncate = Arbitraries.integers().between(0, 10_000)
                .map(at -> in -> java.util.Arrays.copyOf(in, in.length == 0 ? 0 : at % in.length));
        Arbitrary<Mutation> duplicate = Arbitraries.integers().between(0, 10_000).map(at -> in -> {
            String s = new String(in, StandardCharsets.ISO_8859_1);
            String[] lines = s.split("\n", -1);
            String line = lines[at % lines.length];
            return (s + "\n" + line + "\n").getBytes(StandardCharsets.ISO_8859_1);
        });
        Arbitrary<Mutation> any = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, flip), net.jqwik.api.Tuple.of(6, insert), net.jqwik.api.Tuple.of(1, badUtf8),
                net.jqwik.api.Tuple.of(2, delete), net.jqwik.api.Tuple.of(1, truncate), net.jqwik.api.Tuple.of(1, duplicate));
        return Combinators.combine(Arbitraries.of(SEEDS), any.list().ofMinSize(1).ofMaxSize(8)).as((seed, mutations) -> {
            byte[] bytes = seed.getBytes(StandardCharsets.UTF_8);
            for (Mutation m : mutations) {
                bytes = m.apply(bytes);
            }
            return bytes;
        });
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        int pos = in.length == 0 ? 0 : at % (in.length + 1);
        int end = Math.min(in.length, pos + remove);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(in, 0, pos);
        out.writeBytes(insert);
        out.write(in, end, in.length - end);
        return out.toByteArray();
    }

    @Property(tries = 300)
    void mutatedScenarios_loadOrGiveNamedInputErrors(@ForAll("mutatedScenarios") byte[] content) throws IOException {
        Path file = dir.resolve("fuzz-" + (counter++) + (content.length > 0 && content[0] == '{' ? ".json" : ".yaml"));
        Files.write(file, content);
        FuzzOracle.check(() -> loader.load(file, List.of()), List.of(file.toString(), "--set"));
        Files.delete(file);
    }

    @Provide
    Arbitrary<String> overrides() {
        Arbitrary<String> key = Arbitraries.of("seed", "cpus", "kernel", "name", "workload", "workload.options.events",
                "workload.options.orders", "page-allocator.options.lowmem-reserve", "platform.id", "run.tick-nanos",
                "workload.options", "no.such.key", "", "workload..id", ".", "workload.options.events.deeper");
        Arbitrary<String> value = Combinators.combine(Arbitraries.of(TOKENS).list().ofMaxSize(4),
                Arbitraries.strings().ofMaxLength(12)).as((ts, s) -> String.join("", ts) + s);
        return Combinators.combine(key, Arbitraries.of("=", "", "==", " = "), value).as((k, eq, v) -> k + eq + v);
    }

    @Property(tries = 200)
    void randomOverrides_applyOrGiveNamedInputErrors(@ForAll("overrides") String override) throws IOException {
        Path file = dir.resolve("base.yaml");
        Files.writeString(file, SEEDS.get(1));
        FuzzOracle.check(() -> loader.load(file, List.of(override)), List.of(file.toString(), "--set"));
    }
}
