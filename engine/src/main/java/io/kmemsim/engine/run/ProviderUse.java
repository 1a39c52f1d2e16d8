package io.kmemsim.engine.run;

/**
 * A provider a run used.
 *
 * @param kind     the component's scenario key ({@code PluginKind.label()})
 * @param id       the provider id
 * @param pluginId the PF4J plugin id, or "" from the classpath
 * @param version  the plugin's version
 */
public record ProviderUse(String kind, String id, String pluginId, String version) {
}
