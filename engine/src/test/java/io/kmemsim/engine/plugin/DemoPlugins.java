package io.kmemsim.engine.plugin;

import io.kmemsim.api.plugin.Provider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.testkit.plugin.PluginJarBuilder;

/** Java sources of small providers for plugin jars built in tests. */
final class DemoPlugins {

    private DemoPlugins() {
    }

    /**
     * The source of {@code <pkg>.<cls>}, a workload provider with id {@code id} whose options record has
     * one component {@code events} (default 10) and whose {@code create} runs {@code createBody}
     * (by default it returns an empty workload).
     */
    static String workloadProvider(String pkg, String cls, String id, String createBody) {
        return """
                package %1$s;

                import io.kmemsim.api.plugin.ProviderContext;
                import io.kmemsim.api.workload.Workload;
                import io.kmemsim.api.plugin.WorkloadProvider;

                public final class %2$s implements WorkloadProvider<%2$s.Options> {
                    public record Options(int events) {
                        public Options() {
                            this(10);
                        }
                    }

                    @Override public String id() { return "%3$s"; }
                    @Override public String description() { return "test workload %3$s"; }
                    @Override public Class<Options> optionsType() { return Options.class; }
                    @Override public Workload create(Options options, ProviderContext context) {
                        %4$s
                    }
                }
                """.formatted(pkg, cls, id, createBody);
    }

    /** A plugin jar {@code pluginId} with one workload provider {@code <pluginId>.Provider} of id {@code providerId}. */
    static PluginJarBuilder workloadPlugin(String pluginId, String providerId) {
        return workloadPlugin(pluginId, providerId, "return into -> false;");
    }

    /** As {@link #workloadPlugin(String, String)} with {@code create} running {@code createBody}. */
    static PluginJarBuilder workloadPlugin(String pluginId, String providerId, String createBody) {
        String pkg = pluginId.replaceAll("[^a-z0-9]", "");
        return PluginJarBuilder.plugin(pluginId)
                .version("1.0.0")
                .requires(">=0.1.0")
                .source(pkg + ".Provider", workloadProvider(pkg, "Provider", providerId, createBody))
                .service(WorkloadProvider.class, pkg + ".Provider");
    }

    /** Calls {@code create} on {@code entry}'s provider with the default options, through the fault boundary. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object create(ProviderEntry entry, ProviderContext context) {
        return FaultBoundary.call(entry, "create", () -> {
            Provider raw = entry.provider();
            try {
                Record options = (Record) raw.optionsType().getConstructor().newInstance();
                return raw.create(options, context);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("test options record has no usable no-argument constructor", e);
            }
        });
    }
}
