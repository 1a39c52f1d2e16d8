package io.kmemsim.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.engine.fuzz.FuzzOracle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the plugin-jar loader: a working plugin jar is rewritten with random manifest values
 * ({@code Plugin-Id}, {@code Plugin-Requires}, {@code Plugin-Version}, {@code Plugin-Class},
 * {@code Plugin-Dependencies}), random service registrations, and random byte damage, then put in a plugins
 * directory beside a good plugin. The registry must load: the good plugin always usable, the fuzzed jar
 * either loaded or listed as refused with a reason, no exception, no Java class name in a reason. A case
 * that ever fails goes into {@code fuzz-corpus/plugin-manifest/} ({@link PluginJarCorpusTest}).
 */
class PluginJarFuzzTest {

    static final String GOOD_ID = "good-wl";
    static byte[] baseJar;
    static byte[] goodJar;
    private static Path work;
    private static int counter;

    @BeforeContainer
    static void buildJars() throws IOException {
        work = Files.createTempDirectory("kmemsim-jar-fuzz-");
        Path built = Files.createDirectories(work.resolve("built"));
        baseJar = Files.readAllBytes(DemoPlugins.workloadPlugin("fuzzed", "fuzzed-wl").build(built));
        goodJar = Files.readAllBytes(DemoPlugins.workloadPlugin("good", GOOD_ID).build(built));
    }

    @AfterContainer
    static void deleteWork() throws IOException {
        deleteTree(work);
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** {@code jar} with its manifest's main attributes changed ({@code null} value: removed) and, if given, its service file replaced. */
    static byte[] rewrite(byte[] jar, Map<String, String> attributes, String services) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = in.getManifest() == null ? new Manifest() : in.getManifest();
            Attributes main = manifest.getMainAttributes();
            main.putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
            attributes.forEach((k, v) -> {
                if (v == null) {
                    main.remove(new Attributes.Name(k));
                } else {
                    main.put(new Attributes.Name(k), v);
                }
            });
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                JarEntry e;
                while ((e = in.getNextJarEntry()) != null) {
                    byte[] content = in.readAllBytes();
                    if (services != null && e.getName().startsWith("META-INF/services/")) {
                        content = services.getBytes(StandardCharsets.UTF_8);
                    }
                    out.putNextEntry(new JarEntry(e.getName()));
                    out.write(content);
                    out.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads a plugins directory holding the good plugin and {@code fuzzed} as {@code fileName}, and checks the
     * oracle; returns the registry's refusals.
     */
    static List<RefusedPlugin> loadBesideGood(byte[] fuzzed, String fileName) throws IOException {
        Path dir = Files.createDirectories(work.resolve("plugins-" + (counter++)));
        try {
            Files.write(dir.resolve("good.jar"), goodJar);
            Files.write(dir.resolve(fileName), fuzzed);
            List<RefusedPlugin>[] refused = new List[1];
            FuzzOracle.check(() -> {
                try (PluginRegistry registry = PluginRegistry.load(PluginJarFuzzTest.class.getClassLoader(), dir)) {
                    refused[0] = registry.refused();
                    boolean goodRefused = refused[0].stream().anyMatch(r -> r.source().endsWith("good.jar"));
                    // the good plugin works, unless the fuzzed jar (loaded first: its name sorts first) took its
                    // Plugin-Id, and then the good jar is listed as refused, with the reason
                    assertThat(registry.find(PluginKind.WORKLOAD, GOOD_ID).isPresent() || goodRefused && "good".equals(
                            pluginIdOf(fuzzed))).as("the good plugin, or its refusal for a taken id: " + refused[0]).isTrue();
                }
                return null;
            }, null);
            for (RefusedPlugin r : refused[0]) {
                assertThat(r.reason()).isNotBlank().hasSizeLessThan(FuzzOracle.MAX_MESSAGE);
                assertThat(FuzzOracle.CLASS_NAME.matcher(FuzzOracleAccess.withoutQuotes(r.reason())).find())
                        .as("a Java class name in: " + r.reason()).isFalse();
            }
            return refused[0];
        } finally {
            deleteTree(dir);
        }
    }

    private static String pluginIdOf(byte[] jar) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            return in.getManifest() == null ? null : in.getManifest().getMainAttributes().getValue("Plugin-Id");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Provide
    Arbitrary<String> manifestValues() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "*", ">=0.1.0", ">=99.0.0", "0.1.0", "<0.0.1", ">=0.1.0 & <0.2.0", "^1", "~0",
                        ">=", "0.1", "x.y.z", "1.0.0-SNAPSHOT", "good", "fuzzed", "Bad_Id", "a".repeat(300), "\u00e9t\u00e9",
                        "io.kmemsim.api.ApiVersion", "java.lang.Object", "org.pf4j.Plugin", "no.such.Class", "good@1.0.0",
                        "fuzzed@>=1.0.0", "nope@*", "good, nope"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20));
    }

    @Provide
    Arbitrary<Map<String, String>> manifests() {
        Arbitrary<String> key = Arbitraries.of("Plugin-Id", "Plugin-Requires", "Plugin-Version", "Plugin-Class",
                "Plugin-Dependencies", "Plugin-Provider", "Plugin-License");
        return Arbitraries.maps(key, Arbitraries.oneOf(manifestValues(), Arbitraries.just((String) null)).injectNull(0.0))
                .ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 60)
    void jarsWithFuzzedManifests_loadOrAreRefused_andTheGoodPluginWorks(@ForAll("manifests") Map<String, String> manifest)
            throws IOException {
        loadBesideGood(rewrite(baseJar, manifest, null), "fuzzed.jar");
    }

    @Provide
    Arbitrary<String> serviceFiles() {
        Arbitrary<String> line = Arbitraries.oneOf(Arbitraries.of("fuzzed.Provider", "# comment", "", "  fuzzed.Provider  ",
                "no.such.Provider", "fuzzed.Provider extra", "1abc", "java.lang.String", "io.kmemsim.engine.trace.TraceWorkloadProvider",
                "\u00e9.Provider"), Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30));
        return line.list().ofMaxSize(4).map(l -> String.join("\n", l));
    }

    @Property(tries = 40)
    void jarsWithFuzzedServiceFiles_loadOrAreRefused(@ForAll("serviceFiles") String services) throws IOException {
        loadBesideGood(rewrite(baseJar, Map.of(), services), "fuzzed.jar");
    }

    @Property(tries = 40)
    void damagedJars_areRefused_andTheGoodPluginWorks(@ForAll("damage") byte[] jar) throws IOException {
        loadBesideGood(jar, "damaged.jar");
    }

    @Provide
    Arbitrary<byte[]> damage() {
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, 100_000)
                .map(n -> java.util.Arrays.copyOf(baseJar, n % (baseJar.length + 1)));
        Arbitrary<byte[]> flipped = Combinators.combine(Arbitraries.integers().between(0, 100_000).list().ofMinSize(1).ofMaxSize(16),
                Arbitraries.bytes()).as((at, b) -> {
                    byte[] out = baseJar.clone();
                    for (int i : at) {
                        out[i % out.length] ^= (byte) (b | 1);
                    }
                    return out;
                });
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
        return Arbitraries.oneOf(truncated, flipped, noise);
    }
}
