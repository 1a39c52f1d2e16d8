package io.kmemsim.engine.plugin;

import io.kmemsim.api.plugin.Provider;
import java.util.Objects;

/**
 * One provider the host found.
 *
 * @param kind     its kind
 * @param provider the provider instance
 * @param pluginId the PF4J plugin id, or {@code ""} for a provider found on the classpath
 * @param version  the plugin's version ({@code Plugin-Version}), or the implementation version of its
 *                 jar on the classpath, or {@code "unknown"}
 * @param source   {@code "classpath"} or the path of the plugin jar or directory
 */
public record ProviderEntry(PluginKind kind, Provider<?, ?> provider, String pluginId, String version, String source) {

    public ProviderEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
    }

    /** The provider's id. */
    public String id() {
        return provider.id();
    }
}
