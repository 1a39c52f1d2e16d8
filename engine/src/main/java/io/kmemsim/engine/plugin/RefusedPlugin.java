package io.kmemsim.engine.plugin;

import java.util.Objects;

/**
 * A jar in the plugins directory that the host did not load, and why. A refused plugin contributes no
 * providers; {@link PluginRegistry#requireNoRefused()} turns the refusals into input errors.
 *
 * @param pluginId its {@code Plugin-Id}, or the jar's file name when the manifest cannot be read
 * @param source   the jar's absolute path
 * @param reason   what is wrong, e.g. {@code plugin 'x' requires kmemsim api >=9.0.0 but this is api 0.1.0}
 */
public record RefusedPlugin(String pluginId, String source, String reason) {

    public RefusedPlugin {
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }
}
