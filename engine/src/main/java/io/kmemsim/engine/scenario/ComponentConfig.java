package io.kmemsim.engine.scenario;

import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.ProviderEntry;
import java.util.Objects;

/**
 * One component a scenario names: its provider and the bound options.
 *
 * @param kind    which component ({@code kind.label()} is the scenario key)
 * @param entry   the provider found for the scenario's id
 * @param options an instance of {@code entry.provider().optionsType()}, defaults filled in
 * @param origin  where the component's id was written (for errors the provider raises on create)
 */
public record ComponentConfig(PluginKind kind, ProviderEntry entry, Record options, Origin origin) {

    public ComponentConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(origin, "origin");
        if (entry.kind() != kind) {
            throw new IllegalArgumentException("a " + entry.kind().label() + " provider cannot be the " + kind.label());
        }
        if (!entry.provider().optionsType().isInstance(options)) {
            throw new IllegalArgumentException(kind.label() + " '" + entry.id() + "' takes options of type "
                    + entry.provider().optionsType().getName() + ", not " + options.getClass().getName());
        }
    }

    /** The provider's id. */
    public String id() {
        return entry.id();
    }
}
