package io.kmemsim.engine.plugin;

import io.kmemsim.api.plugin.Provider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Predicate;

/**
 * Runs ServiceLoader for every {@link PluginKind} over one class loader, with every call into a
 * provider (loading and instantiating its class, {@code id()}, {@code description()},
 * {@code optionsType()}) behind a {@link FaultBoundary}.
 *
 * <p>Before a provider is instantiated its class is offered to a filter; PF4J plugins use it to keep
 * only the classes their own class loader defined, since parent delegation makes ServiceLoader see the
 * classpath's registrations too.
 */
final class ProviderScan {

    /** A provider whose id, description and options type answered sanely. */
    record Found(PluginKind kind, Provider<?, ?> provider) {
    }

    private ProviderScan() {
    }

    /**
     * Finds the providers visible to {@code loader}.
     *
     * @param where  names the loader in errors before a provider class is known ({@code classpath} or
     *               {@code plugin 'x'})
     * @param accept which provider classes to instantiate
     * @throws PluginFailureException when a registration or a provider call fails
     */
    static List<Found> scan(ClassLoader loader, String where, Predicate<Class<?>> accept) {
        List<Found> found = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            scanKind(kind, loader, where, accept, found);
        }
        return found;
    }

    @SuppressWarnings("rawtypes")
    private static void scanKind(PluginKind kind, ClassLoader loader, String where, Predicate<Class<?>> accept,
            List<Found> into) {
        String label = kind.label();
        Iterator<? extends ServiceLoader.Provider<? extends Provider>> it =
                ServiceLoader.load(kind.providerInterface(), loader).stream().iterator();
        while (FaultBoundary.call(where, label, "discover", it::hasNext)) {
            ServiceLoader.Provider<? extends Provider> candidate = FaultBoundary.call(where, label, "discover", it::next);
            Class<? extends Provider> type = candidate.type();
            if (accept.test(type)) {
                into.add(new Found(kind, checked(kind, type.getName(), candidate)));
            }
        }
    }

    @SuppressWarnings("rawtypes")
    private static Provider<?, ?> checked(PluginKind kind, String className, ServiceLoader.Provider<? extends Provider> candidate) {
        String label = kind.label();
        Provider<?, ?> provider = FaultBoundary.call(className, label, "instantiate", candidate::get);
        check(kind, className, provider);
        return provider;
    }

    /** Checks a new provider as discovery does: {@code id()} and {@code description()} answer, {@code optionsType()} is a record. */
    static void check(PluginKind kind, String className, Provider<?, ?> provider) {
        String label = kind.label();
        String id = FaultBoundary.call(className, label, "id", () -> nonNull(provider.id(), "id()"));
        FaultBoundary.call(id, label, "description", () -> nonNull(provider.description(), "description()"));
        FaultBoundary.call(id, label, "optionsType", () -> {
            Class<?> options = nonNull(provider.optionsType(), "optionsType()");
            if (!options.isRecord()) {
                throw new IllegalStateException("optionsType() must be a record class: " + options.getName());
            }
            return options;
        });
    }

    private static <T> T nonNull(T value, String call) {
        if (value == null) {
            throw new IllegalStateException(call + " returned null");
        }
        return value;
    }
}
