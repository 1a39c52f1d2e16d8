package io.kmemsim.engine.scenario;

import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.plugin.ProviderEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The providers a scenario may name, by kind and id: {@link #of(PluginRegistry)} for the host's
 * registry, {@link #of(Collection)} for a fixed list (tests).
 */
public interface ProviderLookup {

    /** The provider of {@code kind} with {@code id}, or empty. */
    Optional<ProviderEntry> find(PluginKind kind, String id);

    /** Every provider of {@code kind}, in the registry's order. */
    List<ProviderEntry> providers(PluginKind kind);

    /** A lookup backed by {@code registry}. */
    static ProviderLookup of(PluginRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return new ProviderLookup() {
            @Override
            public Optional<ProviderEntry> find(PluginKind kind, String id) {
                return registry.find(kind, id);
            }

            @Override
            public List<ProviderEntry> providers(PluginKind kind) {
                return registry.providers(kind);
            }
        };
    }

    /**
     * A lookup over a fixed list of entries (e.g. {@code registry.providers()}).
     *
     * @throws IllegalArgumentException when two entries of one kind share an id
     */
    static ProviderLookup of(Collection<ProviderEntry> entries) {
        List<ProviderEntry> copy = List.copyOf(entries);
        for (int i = 0; i < copy.size(); i++) {
            for (int j = i + 1; j < copy.size(); j++) {
                if (copy.get(i).kind() == copy.get(j).kind() && copy.get(i).id().equals(copy.get(j).id())) {
                    throw new IllegalArgumentException("two " + copy.get(i).kind().label() + " providers have id '"
                            + copy.get(i).id() + "': " + copy.get(i).source() + " and " + copy.get(j).source());
                }
            }
        }
        return new ProviderLookup() {
            @Override
            public Optional<ProviderEntry> find(PluginKind kind, String id) {
                Objects.requireNonNull(id, "id");
                return copy.stream().filter(e -> e.kind() == kind && e.id().equals(id)).findFirst();
            }

            @Override
            public List<ProviderEntry> providers(PluginKind kind) {
                List<ProviderEntry> out = new ArrayList<>();
                for (ProviderEntry e : copy) {
                    if (e.kind() == kind) {
                        out.add(e);
                    }
                }
                return List.copyOf(out);
            }
        };
    }
}
