package io.kmemsim.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.kmemsim.api.ApiVersion;
import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.testkit.plugin.PluginJarBuilder;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;

class PluginRegistryTest {

    private static final ClassLoader HOST = WithoutEngineServices.HOST;

    @TempDir
    Path plugins;

    @TempDir
    Path elsewhere;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private PluginRegistry load(ClassLoader classpath) {
        PluginRegistry registry = PluginRegistry.load(classpath, plugins);
        toClose.add(registry);
        return registry;
    }

    private URLClassLoader classpathWith(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        URLClassLoader loader = new URLClassLoader(urls, HOST);
        toClose.add(loader);
        return loader;
    }

    @Test
    void load_findsPluginProviderThroughPf4j() {
        Path jar = DemoPlugins.workloadPlugin("demo", "demo").version("1.2.3").build(plugins);

        PluginRegistry registry = load(HOST);

        ProviderEntry entry = registry.require(PluginKind.WORKLOAD, "demo");
        assertThat(entry.source()).isEqualTo(jar.toString());
        assertThat(entry.version()).isEqualTo("1.2.3");
        assertThat(entry.pluginId()).isEqualTo("demo");
        assertThat(entry.provider().getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
        assertThat(entry.provider().description()).isEqualTo("test workload demo");
        assertThat(DemoPlugins.create(entry, null)).isInstanceOf(Workload.class);
        assertThat(registry.refused()).isEmpty();
    }

    @Test
    void fromClasspath_findsSameProviderWithClasspathSourceAndManifestVersion() throws IOException {
        Path jar = DemoPlugins.workloadPlugin("demo", "demo").version("1.2.3").build(elsewhere);

        PluginRegistry registry = PluginRegistry.fromClasspath(classpathWith(jar));

        ProviderEntry entry = registry.require(PluginKind.WORKLOAD, "demo");
        assertThat(entry.source()).isEqualTo("classpath");
        assertThat(entry.pluginId()).isEmpty();
        assertThat(entry.version()).isEqualTo("1.2.3");
        assertThat(registry.refused()).isEmpty();
    }

    @Test
    void fromClasspath_versionIsUnknownWithoutPluginVersionOrImplementationVersion() throws IOException {
        Path jar = DemoPlugins.workloadPlugin("demo", "demo").build(elsewhere);
        Path bare = PluginJarBuilder.plugin("ignored").requires("")
                .source("bare.Provider", DemoPlugins.workloadProvider("bare", "Provider", "bare", "return null;"))
                .service(WorkloadProvider.class, "bare.Provider")
                .manifestAttribute("Plugin-Version", " ")
                .build(elsewhere);

        PluginRegistry registry = PluginRegistry.fromClasspath(classpathWith(jar, bare));

        assertThat(registry.require(PluginKind.WORKLOAD, "bare").version()).isEqualTo("unknown");
    }

    @Test
    void load_keepsOnlyProvidersDefinedByThePluginItself() throws IOException {
        Path onClasspath = DemoPlugins.workloadPlugin("alpha", "alpha").build(elsewhere);
        Path inDir = DemoPlugins.workloadPlugin("beta", "beta").build(plugins);

        PluginRegistry registry = load(classpathWith(onClasspath));

        assertThat(registry.providers(PluginKind.WORKLOAD))
                .extracting(ProviderEntry::id, ProviderEntry::source)
                .containsExactly(
                        tuple("alpha", "classpath"),
                        tuple("beta", inDir.toString()));
    }

    @Test
    void load_refusesPluginRequiringNewerApiNamingBothVersions() {
        Path jar = DemoPlugins.workloadPlugin("future", "future").requires(">=9.0.0").build(plugins);

        PluginRegistry registry = load(HOST);

        assertThat(registry.providers()).isEmpty();
        assertThat(registry.refused()).containsExactly(new RefusedPlugin("future", jar.toString(),
                "plugin 'future' requires kmemsim api >=9.0.0 but this is api " + ApiVersion.CURRENT));
        assertThat(ApiVersion.CURRENT).isEqualTo("0.2.0");
        assertThatThrownBy(registry::requireNoRefused)
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.problems())
                        .extracting(InputProblem::source).containsExactly(jar.toString()))
                .hasMessageContaining("9.0.0").hasMessageContaining("0.2.0").hasMessageContaining("'future'");
    }

    @Test
    void load_acceptsPluginWhoseBareRequiredVersionIsTheCurrentApi() {
        DemoPlugins.workloadPlugin("exact", "exact").requires(ApiVersion.CURRENT).build(plugins);

        PluginRegistry registry = load(HOST);

        assertThat(registry.find(PluginKind.WORKLOAD, "exact")).isPresent();
        registry.requireNoRefused();
    }

    @Test
    void load_refusesBrokenJarWithItsPath() throws IOException {
        Path broken = Files.write(plugins.resolve("broken.jar"), new byte[] {1, 2, 3, 4});
        DemoPlugins.workloadPlugin("demo", "demo").build(plugins);

        PluginRegistry registry = load(HOST);

        assertThat(registry.find(PluginKind.WORKLOAD, "demo")).isPresent();
        assertThat(registry.refused()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo(broken.toAbsolutePath().toString());
            assertThat(r.pluginId()).isEqualTo("broken.jar");
            assertThat(r.reason()).contains("broken.jar");
        });
    }

    @Test
    void load_refusesJarWithoutPluginId() {
        PluginJarBuilder.plugin("x").manifestAttribute("Plugin-Id", "")
                .source("noid.Provider", DemoPlugins.workloadProvider("noid", "Provider", "noid", "return null;"))
                .service(WorkloadProvider.class, "noid.Provider")
                .fileName("noid.jar").build(plugins);

        PluginRegistry registry = load(HOST);

        assertThat(registry.providers()).isEmpty();
        assertThat(registry.refused()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("noid.jar").contains("id"));
    }

    @Test
    void load_refusesPluginWhosePluginClassCannotBeCreated() {
        DemoPlugins.workloadPlugin("classy", "classy").manifestAttribute("Plugin-Class", "classy.Missing").build(plugins);

        PluginRegistry registry = load(HOST);

        assertThat(registry.providers()).isEmpty();
        assertThat(registry.refused()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("'classy'", "failed to start", "classy.Missing"));
    }

    @Test
    void load_failsForMissingDirectoryNamingIt() {
        Path missing = plugins.resolve("nope");

        assertThatThrownBy(() -> PluginRegistry.load(HOST, missing))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.problems())
                        .extracting(InputProblem::source).containsExactly(missing.toString()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void load_acceptsEmptyDirectory() {
        PluginRegistry registry = load(HOST);

        assertThat(registry.providers()).isEmpty();
        assertThat(registry.refused()).isEmpty();
    }

    @Test
    void load_refusesThePluginWhoseIdTheClasspathAlreadyHas_namingBothSources_andKeepsTheOthers() throws IOException {
        Path jar = DemoPlugins.workloadPlugin("demo", "demo").build(plugins);
        DemoPlugins.workloadPlugin("other", "other-wl").build(plugins);
        ClassLoader classpath = classpathWith(jar);

        try (PluginRegistry registry = PluginRegistry.load(classpath, plugins)) {
            assertThat(registry.refused()).singleElement().satisfies(r -> {
                assertThat(r.source()).isEqualTo(jar.toString());
                assertThat(r.reason()).contains("workload id 'demo' is already provided by the classpath (" + jar + ")",
                        "plugin 'demo' (" + jar.getFileName() + ") refused");
            });
            assertThat(registry.find(PluginKind.WORKLOAD, "demo")).get().extracting(ProviderEntry::source)
                    .isEqualTo(PluginRegistry.CLASSPATH);
            assertThat(registry.find(PluginKind.WORKLOAD, "other-wl")).isPresent();
        }
    }

    @Test
    void load_refusesTheSecondJarWithAnIdTheFirstHas_namingBoth() {
        Path first = DemoPlugins.workloadPlugin("first", "same").build(plugins);
        Path second = DemoPlugins.workloadPlugin("second", "same").build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.refused()).singleElement().satisfies(r -> {
                assertThat(r.source()).isEqualTo(second.toString());
                assertThat(r.reason()).contains("'same' is already provided by plugin 'first' (" + first.getFileName() + ")");
            });
            assertThat(registry.find(PluginKind.WORKLOAD, "same")).get().extracting(ProviderEntry::source)
                    .isEqualTo(first.toString());
        }
    }

    @Test
    void load_aBuiltInPlugin_winsAnIdClash_evenWhenTheOtherJarSortsFirst() {
        Path builtIn = DemoPlugins.workloadPlugin("zz-builtin", "same").provider("kmemsim").build(plugins);
        Path thirdParty = DemoPlugins.workloadPlugin("aa-third", "same").build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.refused()).singleElement().satisfies(r -> {
                assertThat(r.source()).isEqualTo(thirdParty.toString());
                assertThat(r.reason()).contains("already provided by plugin 'zz-builtin' (" + builtIn.getFileName() + ")");
            });
        }
    }

    @Test
    void load_aMissingDependency_refusesThatPluginOnly() {
        Path needy = DemoPlugins.workloadPlugin("needy", "needy-wl").manifestAttribute("Plugin-Dependencies", "absent@>=1.0.0")
                .build(plugins);
        DemoPlugins.workloadPlugin("fine", "fine-wl").build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.find(PluginKind.WORKLOAD, "fine-wl")).isPresent();
            assertThat(registry.refused()).singleElement().satisfies(r -> {
                assertThat(r.source()).isEqualTo(needy.toString());
                assertThat(r.reason()).contains("dependencies", "absent@>=1.0.0");
            });
        }
    }

    @Test
    void load_aDependencyCycle_refusesThePluginsInIt_andKeepsTheOthers() {
        DemoPlugins.workloadPlugin("ping", "ping-wl").manifestAttribute("Plugin-Dependencies", "pong").build(plugins);
        DemoPlugins.workloadPlugin("pong", "pong-wl").manifestAttribute("Plugin-Dependencies", "ping").build(plugins);
        DemoPlugins.workloadPlugin("fine", "fine-wl").build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.find(PluginKind.WORKLOAD, "fine-wl")).isPresent();
            assertThat(registry.refused()).extracting(RefusedPlugin::pluginId).containsExactlyInAnyOrder("ping", "pong");
            assertThat(registry.refused()).allSatisfy(r -> assertThat(r.reason()).contains("cycle"));
        }
    }

    @Test
    void load_aTruncatedJar_isRefusedInWords() throws IOException {
        Path whole = DemoPlugins.workloadPlugin("cut", "cut-wl").build(elsewhere);
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(plugins.resolve("cut.jar"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.refused()).singleElement().satisfies(r ->
                    assertThat(r.reason()).contains("cut.jar").doesNotContain("Exception"));
        }
    }

    @Test
    void load_listsZipFilesAsRefused() throws IOException {
        Files.write(plugins.resolve("policy.zip"), new byte[] {'P', 'K', 3, 4});

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.refused()).singleElement().satisfies(r -> assertThat(r.reason()).contains("jars (*.jar) only"));
        }
    }

    @Test
    void ids_mayRepeatAcrossKinds() throws IOException {
        Path jar = PluginJarBuilder.plugin("both")
                .source("both.WorkloadSide", DemoPlugins.workloadProvider("both", "WorkloadSide", "linux", "return null;"))
                .source("both.Fallback", """
                        package both;
                        import io.kmemsim.api.plugin.NoOptions;
                        import io.kmemsim.api.plugin.ProviderContext;
                        import io.kmemsim.api.policy.FallbackPolicy;
                        import io.kmemsim.api.plugin.FallbackPolicyProvider;
                        public final class Fallback implements FallbackPolicyProvider<NoOptions> {
                            public String id() { return "linux"; }
                            public String description() { return "fallback"; }
                            public Class<NoOptions> optionsType() { return NoOptions.class; }
                            public FallbackPolicy create(NoOptions o, ProviderContext c) { return null; }
                        }
                        """)
                .service(WorkloadProvider.class, "both.WorkloadSide")
                .service(FallbackPolicyProvider.class, "both.Fallback")
                .build(elsewhere);

        PluginRegistry registry = PluginRegistry.fromClasspath(classpathWith(jar));

        assertThat(registry.providers()).extracting(ProviderEntry::kind)
                .containsExactly(PluginKind.FALLBACK_POLICY, PluginKind.WORKLOAD);
    }

    @Test
    void providers_areOrderedByKindThenId() throws IOException {
        Path zeta = DemoPlugins.workloadPlugin("zeta", "zeta").build(elsewhere);
        Path alpha = DemoPlugins.workloadPlugin("alpha", "alpha").build(elsewhere);
        DemoPlugins.workloadPlugin("mid", "mid").build(plugins);

        PluginRegistry registry = load(classpathWith(zeta, alpha));

        assertThat(registry.providers()).extracting(ProviderEntry::id).containsExactly("alpha", "mid", "zeta");
        assertThat(registry.providers(PluginKind.PLATFORM)).isEmpty();
    }

    @Test
    void require_listsAvailableIdsOfTheKindWhenMissing() throws IOException {
        Path a = DemoPlugins.workloadPlugin("b", "b").build(elsewhere);
        Path b = DemoPlugins.workloadPlugin("a", "a").build(elsewhere);
        PluginRegistry registry = PluginRegistry.fromClasspath(classpathWith(a, b));

        assertThatThrownBy(() -> registry.require(PluginKind.WORKLOAD, "nope", "scenario.yaml"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.problems()).containsExactly(
                        new InputProblem("scenario.yaml", 0, 0, "workload.id", "unknown workload id 'nope'; available: a, b")));
        assertThatThrownBy(() -> registry.require(PluginKind.PLATFORM, "rock5b"))
                .hasMessage("plugins: platform.id: unknown platform id 'rock5b'; no platform providers are installed");
    }

    @Test
    void create_failureIsReportedWithProviderIdAndOperation() {
        DemoPlugins.workloadPlugin("boom", "boom", "throw new IllegalStateException(\"no events today\");")
                .build(plugins);
        ProviderEntry entry = load(HOST).require(PluginKind.WORKLOAD, "boom");

        assertThatThrownBy(() -> DemoPlugins.create(entry, null))
                .isInstanceOfSatisfying(PluginFailureException.class, e -> {
                    assertThat(e.providerId()).isEqualTo("boom");
                    assertThat(e.operation()).isEqualTo("create");
                })
                .hasMessage("workload plugin 'boom' failed in create: IllegalStateException: no events today")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void create_linkageErrorFromPluginBuiltAgainstAnotherApiIsReportedAsApiMismatch() {
        // The plugin is compiled against an api class the host's api does not have (a newer api); the
        // plugin jar's own copy must not be used, because api classes come from the host only.
        DemoPlugins.workloadPlugin("newer", "newer", "return io.kmemsim.api.FromTheFuture.workload();")
                .source("io.kmemsim.api.FromTheFuture", """
                        package io.kmemsim.api;
                        public final class FromTheFuture {
                            public static io.kmemsim.api.workload.Workload workload() { return into -> false; }
                        }
                        """)
                .build(plugins);
        ProviderEntry entry = load(HOST).require(PluginKind.WORKLOAD, "newer");

        assertThatThrownBy(() -> DemoPlugins.create(entry, null))
                .isInstanceOf(PluginFailureException.class)
                .hasMessageContaining("workload plugin 'newer' failed in create: api version mismatch")
                .hasMessageContaining("io/kmemsim/api/FromTheFuture")
                .hasCauseInstanceOf(NoClassDefFoundError.class);
    }

    @Test
    void load_takesApiClassesFromTheHostEvenWhenThePluginBundlesACopy() {
        DemoPlugins.workloadPlugin("bundler", "bundler")
                .source("io.kmemsim.api.plugin.NoOptions", """
                        package io.kmemsim.api.plugin;
                        public record NoOptions(int notInTheRealApi) {
                        }
                        """)
                .source("bundler.Options", """
                        package bundler;
                        public final class Options {
                            public static Class<?> noOptions() { return io.kmemsim.api.plugin.NoOptions.class; }
                        }
                        """)
                .build(plugins);
        ProviderEntry entry = load(HOST).require(PluginKind.WORKLOAD, "bundler");
        ClassLoader pluginLoader = entry.provider().getClass().getClassLoader();

        assertThat(pluginLoader).isInstanceOf(PluginClassLoader.class);
        assertThat(FaultBoundary.call(entry, "test", () -> load(pluginLoader, "io.kmemsim.api.plugin.NoOptions")))
                .isSameAs(NoOptions.class);
        assertThat(FaultBoundary.call(entry, "test", () -> load(pluginLoader, "io.kmemsim.api.plugin.WorkloadProvider")))
                .isSameAs(WorkloadProvider.class);
    }

    private static Class<?> load(ClassLoader loader, String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fromClasspath_rejectsMalformedIdNamingIdKindAndSource() throws IOException {
        Path jar = DemoPlugins.workloadPlugin("bad", "Bad_Id").build(elsewhere);
        ClassLoader classpath = classpathWith(jar);

        assertThatThrownBy(() -> PluginRegistry.fromClasspath(classpath))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.source()).isEqualTo("classpath");
                            assertThat(p.key()).isEqualTo("workload.id");
                        }))
                .hasMessageContaining("workload id must match [a-z0-9][a-z0-9.-]*: 'Bad_Id'")
                .hasMessageContaining("bad.Provider")
                .hasMessageContaining(jar.toString());
    }

    @Test
    void load_refusesAPluginWithAMalformedId_andKeepsTheOthers() {
        Path jar = DemoPlugins.workloadPlugin("bad", "Bad_Id").build(plugins);
        DemoPlugins.workloadPlugin("good", "good-wl").build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.refused()).singleElement().satisfies(r -> {
                assertThat(r.source()).isEqualTo(jar.toString());
                assertThat(r.reason()).contains("'Bad_Id'", "must match");
            });
            assertThat(registry.find(PluginKind.WORKLOAD, "good-wl")).isPresent();
        }
    }

    @Test
    void fromClasspath_providerThrowingInIdIsReportedWithItsClass() throws IOException {
        Path jar = DemoPlugins.workloadPlugin("idless", "unused")
                .source("idless.Thrower", DemoPlugins.workloadProvider("idless", "Thrower", "x", "return null;")
                        .replace("return \"x\";", "throw new UnsupportedOperationException(\"no id\");"))
                .service(WorkloadProvider.class, "idless.Thrower")
                .build(elsewhere);
        ClassLoader classpath = classpathWith(jar);

        assertThatThrownBy(() -> PluginRegistry.fromClasspath(classpath))
                .isInstanceOf(PluginFailureException.class)
                .hasMessage("workload plugin 'idless.Thrower' failed in id: UnsupportedOperationException: no id");
    }

    @Test
    void fromClasspath_registrationOfMissingClassIsReported() throws IOException {
        Path jar = DemoPlugins.workloadPlugin("ghost", "ghost")
                .service(WorkloadProvider.class, "ghost.DoesNotExist")
                .build(elsewhere);
        ClassLoader classpath = classpathWith(jar);

        assertThatThrownBy(() -> PluginRegistry.fromClasspath(classpath))
                .isInstanceOf(PluginFailureException.class)
                .hasMessageContaining("workload plugin 'classpath' failed in discover")
                .hasMessageContaining("ghost.DoesNotExist");
    }

    @Test
    void load_pluginWhoseProviderCannotBeInstantiatedIsRefusedWithTheReason() {
        Path jar = PluginJarBuilder.plugin("ctor")
                .source("ctor.Provider", DemoPlugins.workloadProvider("ctor", "Provider", "ctor", "return null;")
                        .replace("public record Options", "public Provider() { throw new IllegalStateException(\"no\"); }\n    public record Options"))
                .service(WorkloadProvider.class, "ctor.Provider")
                .build(plugins);

        PluginRegistry registry = load(HOST);

        assertThat(registry.providers()).isEmpty();
        assertThat(registry.refused()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo(jar.toString());
            assertThat(r.reason()).contains("'ctor.Provider' failed in instantiate", "IllegalStateException: no");
        });
    }

    @Test
    void close_unloadsPluginsAndClosesTheirClassLoaders() {
        DemoPlugins.workloadPlugin("demo", "demo").build(plugins);
        PluginRegistry registry = PluginRegistry.load(HOST, plugins);
        PluginClassLoader loader = (PluginClassLoader) registry.require(PluginKind.WORKLOAD, "demo")
                .provider().getClass().getClassLoader();

        registry.close();
        registry.close();

        assertThat(loader.isClosed()).isTrue();
    }
}
