package io.kmemsim.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.engine.InputException;
import io.kmemsim.testkit.plugin.PluginJarBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lazy plugin loading through the provider index ({@code META-INF/kmemsim/providers}): ids from the
 * index, a provider's class loaded only when it is asked for, and the index ignored when it is not exactly
 * the jar's registrations.
 */
class ProviderIndexTest {

    private static final ClassLoader HOST = WithoutEngineServices.HOST;

    private static final String WORKLOAD = WorkloadProvider.class.getName();

    @TempDir
    Path plugins;

    /** A plugin with a good provider {@code <pkg>.Good} (id good) and one whose constructor throws, {@code <pkg>.Broken} (id broken). */
    private static PluginJarBuilder twoProviders(String pluginId) {
        String pkg = pluginId.replaceAll("[^a-z0-9]", "");
        String broken = DemoPlugins.workloadProvider(pkg, "Broken", "broken", "return into -> false;")
                .replace("public final class Broken implements WorkloadProvider<Broken.Options> {",
                        "public final class Broken implements WorkloadProvider<Broken.Options> {\n"
                                + "    public Broken() { throw new IllegalStateException(\"boom in the constructor\"); }");
        return PluginJarBuilder.plugin(pluginId).version("1.0.0").requires(">=0.1.0")
                .source(pkg + ".Good", DemoPlugins.workloadProvider(pkg, "Good", "good", "return into -> false;"))
                .source(pkg + ".Broken", broken)
                .service(WorkloadProvider.class, pkg + ".Good", pkg + ".Broken");
    }

    private static String index(String... lines) {
        return "# test index\n" + String.join("\n", lines) + "\n";
    }

    @Test
    void withoutIndex_aProviderThatFailsRefusesItsPluginAtStart() {
        twoProviders("noindex").build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.ids(PluginKind.WORKLOAD)).isEmpty();
            assertThat(registry.refused()).singleElement().satisfies(r -> assertThat(r.reason()).contains("boom in the constructor"));
        }
    }

    @Test
    void withIndex_providersAreKnownByIdAndLoadedOnlyWhenAskedFor() {
        Path jar = twoProviders("indexed")
                .resource(ProviderIndex.PATH, index(WORKLOAD + " good indexed.Good", WORKLOAD + " broken indexed.Broken"))
                .build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            // the broken provider's constructor has not run: nothing is refused, both ids are known
            assertThat(registry.refused()).isEmpty();
            assertThat(registry.ids(PluginKind.WORKLOAD)).containsExactly("broken", "good");
            ProviderEntry good = registry.require(PluginKind.WORKLOAD, "good");
            assertThat(good.source()).isEqualTo(jar.toString());
            assertThat(good.pluginId()).isEqualTo("indexed");
            assertThat(good.version()).isEqualTo("1.0.0");
            assertThat(good.provider().description()).isEqualTo("test workload good");
            assertThat(registry.find(PluginKind.WORKLOAD, "good")).containsSame(good);
            // an unknown id lists the available ids without loading the broken one
            assertThatThrownBy(() -> registry.require(PluginKind.WORKLOAD, "nope", "s.yaml"))
                    .isInstanceOf(InputException.class)
                    .hasMessageContaining("unknown workload id 'nope'; available: broken, good");
            // selecting the broken one fails that call, naming the provider and the step
            assertThatThrownBy(() -> registry.require(PluginKind.WORKLOAD, "broken"))
                    .isInstanceOf(PluginFailureException.class)
                    .hasMessageContaining("workload plugin 'broken' failed in instantiate")
                    .hasMessageContaining("boom in the constructor");
            assertThatThrownBy(registry::providers).isInstanceOf(PluginFailureException.class);
        }
    }

    @Test
    void withIndex_anIdThatIsNotTheProvidersFailsWhenSelected() {
        twoProviders("wrongid")
                .resource(ProviderIndex.PATH, index(WORKLOAD + " other wrongid.Good", WORKLOAD + " broken wrongid.Broken"))
                .build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThatThrownBy(() -> registry.require(PluginKind.WORKLOAD, "other"))
                    .isInstanceOf(PluginFailureException.class)
                    .hasMessageContaining("names it 'other' but the provider says 'good'");
        }
    }

    @Test
    void anIndexThatIsNotTheJarsRegistrations_isIgnored_andThePluginScannedAsBefore() {
        // the index leaves Broken out: the services file is the truth, so the plugin is scanned and refused
        twoProviders("stale").resource(ProviderIndex.PATH, index(WORKLOAD + " good stale.Good")).build(plugins);
        // a malformed line: no index
        twoProviders("malformed").resource(ProviderIndex.PATH, index(WORKLOAD + " good")).build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.refused()).extracting(RefusedPlugin::pluginId).containsExactly("malformed", "stale");
        }
    }

    @Test
    void indexedIds_areValidatedAtStart_likeScannedOnes() {
        DemoPlugins.workloadPlugin("aa-first", "same").build(plugins);
        Path second = DemoPlugins.workloadPlugin("bb-second", "same")
                .resource(ProviderIndex.PATH, index(WORKLOAD + " same bbsecond.Provider")).build(plugins);
        DemoPlugins.workloadPlugin("cc-bad", "Bad_Id")
                .resource(ProviderIndex.PATH, index(WORKLOAD + " Bad_Id ccbad.Provider")).build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.ids(PluginKind.WORKLOAD)).containsExactly("same");
            assertThat(registry.refused()).hasSize(2);
            assertThat(registry.refused()).anySatisfy(r -> {
                assertThat(r.source()).isEqualTo(second.toString());
                assertThat(r.reason()).contains("workload id 'same' is already provided by plugin 'aa-first'");
            });
            assertThat(registry.refused()).anySatisfy(r ->
                    assertThat(r.reason()).contains("workload id must match", "'Bad_Id' (ccbad.Provider)"));
        }
    }

    @Test
    void providersOfOneKind_loadOnlyThatKind() {
        twoProviders("kinds")
                .resource(ProviderIndex.PATH, index(WORKLOAD + " good kinds.Good", WORKLOAD + " broken kinds.Broken"))
                .build(plugins);

        try (PluginRegistry registry = PluginRegistry.load(HOST, plugins)) {
            assertThat(registry.providers(PluginKind.PLATFORM)).isEmpty();
            assertThatThrownBy(() -> registry.providers(PluginKind.WORKLOAD)).isInstanceOf(PluginFailureException.class);
        }
    }
}
