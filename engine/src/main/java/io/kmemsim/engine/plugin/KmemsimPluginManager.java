package io.kmemsim.engine.plugin;

import io.kmemsim.api.ApiVersion;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.pf4j.DependencyResolver;
import org.pf4j.JarPluginManager;
import org.pf4j.Plugin;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginFactory;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.util.FileUtils;

/**
 * PF4J's jar plugin manager, adapted to kmemsim plugins.
 *
 * <ul>
 *   <li>System version {@link ApiVersion#CURRENT}: a jar whose {@code Plugin-Requires} asks for another
 *       api is disabled before any of its classes load.</li>
 *   <li>{@code Plugin-Class} is optional. PF4J 3.14.1's {@code DefaultPluginFactory} loads the class
 *       named there unconditionally (and logs and returns null when it cannot); kmemsim plugins
 *       register providers in {@code META-INF/services} and need no lifecycle class, so a jar without
 *       one gets a plain {@link Plugin}, and a named class that cannot be created is an exception that
 *       fails the plugin with its cause.</li>
 *   <li>Each plugin gets an {@link ApiFirstPluginClassLoader} whose parent is the host's classpath
 *       loader.</li>
 *   <li>Every jar in the directory is enabled: PF4J's {@code enabled.txt}/{@code disabled.txt} are not
 *       read (remove a jar to disable it).</li>
 * </ul>
 *
 * <p>PF4J's own {@code loadPlugins()} logs and drops a jar it cannot load; {@link #loadJar} lets the
 * caller see the exception instead.
 */
final class KmemsimPluginManager extends JarPluginManager {

    /** Set after construction; PF4J's constructor creates the plugin loader before subclass fields exist. */
    private ClassLoader parent;

    /** Plugins that dependency resolution had to drop, with the reason. */
    private final List<RefusedPlugin> dropped = new ArrayList<>();

    KmemsimPluginManager(List<Path> pluginsDirs, ClassLoader parent) {
        super(pluginsDirs.toArray(Path[]::new));
        this.parent = parent;
        setSystemVersion(ApiVersion.CURRENT);
        // one plugin's missing or wrong-version dependency must not stop the others from resolving
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
    }

    /** Loads one jar (descriptor, validation, class loader); throws instead of logging. */
    PluginWrapper loadJar(Path jar) {
        return loadPluginFromPath(jar);
    }

    /**
     * Resolves the dependencies of everything loaded so far, isolating failures: a plugin whose
     * dependency is missing or of the wrong version is unloaded (with its dependents) and the rest resolve
     * (PF4J's {@code IGNORE_PLUGIN_AND_CONTINUE}); a dependency cycle unloads every plugin that declares
     * dependencies and resolves the rest. What was dropped is in {@link #dropped()}.
     */
    void resolve() {
        Map<String, PluginWrapper> before = new LinkedHashMap<>();
        for (PluginWrapper p : getPlugins()) {
            before.put(p.getPluginId(), p);
        }
        String why = "its dependencies (Plugin-Dependencies) cannot be resolved: a plugin it needs is missing,"
                + " refused, or of a version it does not accept";
        try {
            resolvePlugins();
        } catch (DependencyResolver.CyclicDependencyException e) {
            for (PluginWrapper p : new ArrayList<>(getPlugins())) {
                if (!p.getDescriptor().getDependencies().isEmpty()) {
                    unloadPlugin(p.getPluginId(), false);
                }
            }
            why = "the plugins' dependencies (Plugin-Dependencies) form a cycle";
            resolvePlugins();
        }
        for (Map.Entry<String, PluginWrapper> e : before.entrySet()) {
            if (getPlugin(e.getKey()) == null) {
                String deps = e.getValue().getDescriptor().getDependencies().stream()
                        .map(d -> "'" + (d.getPluginId() + (d.getPluginVersionSupport() == null ? "" : "@" + d.getPluginVersionSupport()))
                                .replace("'", "") + "'")
                        .collect(Collectors.joining(", "));
                dropped.add(new RefusedPlugin(e.getKey(), e.getValue().getPluginPath().toString(), "plugin '" + e.getKey()
                        + "' refused: " + why + (deps.isEmpty() ? "" : " (it needs " + deps + ")")));
            }
        }
    }

    /**
     * Stops and unloads one plugin without touching its dependents. PF4J 3.14.1's public
     * {@code unloadPlugin(id)} also unloads the dependents by walking the dependency graph of the last
     * resolution, and that walk never ends when the graph has a cycle (a plugin that depends on itself).
     */
    void unloadAlone(String pluginId) {
        unloadPlugin(pluginId, false);
    }

    /** The plugins {@link #resolve()} unloaded, with the reason. */
    List<RefusedPlugin> dropped() {
        return List.copyOf(dropped);
    }

    @Override
    protected PluginFactory createPluginFactory() {
        return KmemsimPluginManager::createPlugin;
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new PluginLoader() {
            @Override
            public boolean isApplicable(Path pluginPath) {
                return Files.isRegularFile(pluginPath) && FileUtils.isJarFile(pluginPath);
            }

            @Override
            public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
                PluginClassLoader loader = new ApiFirstPluginClassLoader(KmemsimPluginManager.this, descriptor, parent);
                loader.addFile(pluginPath.toFile());
                return loader;
            }
        };
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        return new PluginStatusProvider() {
            @Override
            public boolean isPluginDisabled(String pluginId) {
                return false;
            }

            @Override
            public void disablePlugin(String pluginId) {
                throw new UnsupportedOperationException("kmemsim enables every jar in the plugins directory");
            }

            @Override
            public void enablePlugin(String pluginId) {
                // every plugin is always enabled
            }
        };
    }

    private static Plugin createPlugin(PluginWrapper wrapper) {
        String className = wrapper.getDescriptor().getPluginClass();
        if (className == null || className.isBlank()) {
            return new Plugin();
        }
        try {
            Class<?> type = wrapper.getPluginClassLoader().loadClass(className);
            if (!Plugin.class.isAssignableFrom(type)) {
                throw new PluginRuntimeException("Plugin-Class '{}' is not a plugin class: it must extend PF4J's Plugin"
                        + " (or leave Plugin-Class out: kmemsim plugins need none)", className);
            }
            return instantiate(type, wrapper);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new PluginRuntimeException(cause, "cannot create Plugin-Class '{}'", className);
        }
    }

    private static Plugin instantiate(Class<?> type, PluginWrapper wrapper) throws ReflectiveOperationException {
        try {
            return (Plugin) type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            return (Plugin) type.getConstructor(PluginWrapper.class).newInstance(wrapper);
        }
    }
}
