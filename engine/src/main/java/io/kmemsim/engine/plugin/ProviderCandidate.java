package io.kmemsim.engine.plugin;

import io.kmemsim.api.plugin.Provider;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;

/**
 * A provider the registry knows by kind and id. Either already found (the classpath's, and a plugin's
 * without a {@link ProviderIndex}: ServiceLoader instantiated it), or known from a plugin's provider index
 * and loaded on first use: {@link #entry()} then loads the class from the plugin's class loader,
 * instantiates it (public no-argument constructor, as ServiceLoader does on the class path), checks it as
 * discovery checks every provider (id, description, options type), and checks that its {@code id()} is the
 * index's. A failure there is a {@link PluginFailureException} naming the provider and the step; it
 * happens when a command selects the provider, not at start.
 */
final class ProviderCandidate {

    private final PluginKind kind;
    private final String id;
    private final String className;
    private final String pluginId;
    private final String version;
    private final String source;
    private final ClassLoader loader;
    private volatile ProviderEntry entry;

    private ProviderCandidate(PluginKind kind, String id, String className, String pluginId, String version, String source,
                              ClassLoader loader, ProviderEntry entry) {
        this.kind = kind;
        this.id = id;
        this.className = className;
        this.pluginId = pluginId;
        this.version = version;
        this.source = source;
        this.loader = loader;
        this.entry = entry;
    }

    /** A provider already instantiated. */
    static ProviderCandidate found(ProviderEntry entry) {
        return new ProviderCandidate(entry.kind(), entry.id(), entry.provider().getClass().getName(), entry.pluginId(),
                entry.version(), entry.source(), null, entry);
    }

    /** A provider of a plugin's index, loaded by {@code loader} (the plugin's) on first use. */
    static ProviderCandidate indexed(ProviderIndex.Line line, String pluginId, String version, String source, ClassLoader loader) {
        return new ProviderCandidate(line.kind(), line.id(), line.className(), pluginId, version, source,
                Objects.requireNonNull(loader, "loader"), null);
    }

    PluginKind kind() {
        return kind;
    }

    String id() {
        return id;
    }

    /** The provider's class name (from the index, or of the instance). */
    String className() {
        return className;
    }

    /** The PF4J plugin id, or {@code ""} on the classpath. */
    String pluginId() {
        return pluginId;
    }

    /** {@code "classpath"} or the plugin jar's path. */
    String source() {
        return source;
    }

    /** Whether the provider's class has been loaded and instantiated. */
    boolean loaded() {
        return entry != null;
    }

    /**
     * The provider, loaded and instantiated the first time.
     *
     * @throws PluginFailureException when the class cannot be loaded or instantiated, is not the kind's
     *                                provider, or its id, description or options type is not as discovery
     *                                requires or its id is not the index's
     */
    ProviderEntry entry() {
        ProviderEntry e = entry;
        if (e == null) {
            synchronized (this) {
                e = entry;
                if (e == null) {
                    e = load();
                    entry = e;
                }
            }
        }
        return e;
    }

    private ProviderEntry load() {
        String label = kind.label();
        Provider<?, ?> provider = FaultBoundary.call(id, label, "instantiate", this::instantiate);
        ProviderScan.check(kind, className, provider);
        String actual = provider.id();
        if (!id.equals(actual)) {
            throw new PluginFailureException(id, label, "id", new IllegalStateException("the plugin's provider index ("
                    + ProviderIndex.PATH + ") names it '" + id + "' but the provider says '" + actual + "': rebuild the plugin jar"));
        }
        return new ProviderEntry(kind, provider, pluginId, version, source);
    }

    private Provider<?, ?> instantiate() {
        try {
            Class<?> type = Class.forName(className, false, loader);
            if (type.getClassLoader() != loader) {
                throw new IllegalStateException("the plugin's provider index names " + className + ", which is not in the plugin jar");
            }
            if (!kind.providerInterface().isAssignableFrom(type)) {
                throw new IllegalStateException(className + " is not a " + kind.label() + " provider ("
                        + kind.providerInterface().getSimpleName() + ")");
            }
            return (Provider<?, ?>) type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("the constructor of " + className + " failed: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className + " (" + e.getMessage() + ")", e);
        }
    }
}
