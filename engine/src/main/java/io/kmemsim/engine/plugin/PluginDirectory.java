package io.kmemsim.engine.plugin;

import io.kmemsim.api.ApiVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * The PF4J side of the registry: loads every {@code *.jar} file directly in one or more plugins
 * directories (directory by directory, in file name order; other files and subdirectories are ignored), starts the plugins PF4J accepts, finds their
 * providers and records every jar it refuses with the reason.
 *
 * <p>A plugin is refused when PF4J cannot read or validate its jar, when its {@code Plugin-Requires}
 * does not admit api {@link ApiVersion#CURRENT}, when its dependencies cannot be resolved, when its
 * {@code Plugin-Class} fails to start, or when one of its providers fails during discovery (then none of
 * its providers is registered). Discovery of a plugin with a usable {@link ProviderIndex} (the built-in
 * plugins) reads the index only; its providers are loaded when selected, and one that fails then fails
 * the command that selected it ({@link ProviderCandidate}).
 */
final class PluginDirectory implements AutoCloseable {

    private final KmemsimPluginManager manager;
    private final List<ProviderCandidate> entries = new ArrayList<>();
    private final List<RefusedPlugin> refused = new ArrayList<>();
    private boolean closed;

    private PluginDirectory(KmemsimPluginManager manager) {
        this.manager = manager;
    }

    /** Loads and starts the plugins of {@code dir} (an existing directory) with {@code parent} as their parent loader. */
    static PluginDirectory open(Path dir, ClassLoader parent) {
        return open(List.of(dir), parent);
    }

    /**
     * Loads and starts the plugins of every directory of {@code dirs} (existing directories) together,
     * directory by directory in the given order, with {@code parent} as their parent loader.
     */
    static PluginDirectory open(List<Path> dirs, ClassLoader parent) {
        List<Path> roots = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        for (Path dir : dirs) {
            Path root = dir.toAbsolutePath().normalize();
            if (!roots.contains(root)) {
                roots.add(root);
                jars.addAll(jars(root));
            }
        }
        PluginDirectory directory = new PluginDirectory(new KmemsimPluginManager(roots, parent));
        try {
            directory.loadAndStart(jars);
            return directory;
        } catch (RuntimeException | Error e) {
            directory.close();
            throw e;
        }
    }

    /**
     * The providers of the started plugins, by plugin jar name: those of a plugin with a usable
     * {@link ProviderIndex} not yet loaded, the others found and instantiated by ServiceLoader.
     */
    List<ProviderCandidate> entries() {
        return entries;
    }

    /** The refused jars, by path. */
    List<RefusedPlugin> refused() {
        return refused;
    }

    private void loadAndStart(List<Path> jars) {
        for (Path jar : jars) {
            try {
                PluginWrapper loaded = manager.loadJar(jar);
                String bad = unreadableVersion(loaded.getDescriptor());
                if (bad != null) {
                    // refused alone, before resolution: an unreadable version would stop PF4J resolving every plugin
                    manager.unloadAlone(loaded.getPluginId());
                    refused.add(new RefusedPlugin(loaded.getPluginId(), jar.toString(),
                            "plugin '" + loaded.getPluginId() + "' refused: " + bad));
                }
            } catch (RuntimeException e) {
                refused.add(new RefusedPlugin(pluginIdOf(jar), jar.toString(),
                        "cannot load plugin jar " + jar.getFileName() + ": " + describe(e)));
            }
        }
        String resolveFailure = "";
        try {
            manager.resolve();
        } catch (RuntimeException e) {
            resolveFailure = describe(e);
        }
        refused.addAll(manager.dropped());
        manager.startPlugins();
        List<PluginWrapper> plugins = new ArrayList<>(manager.getPlugins());
        plugins.sort(Comparator.comparing(PluginWrapper::getPluginPath));
        for (PluginWrapper plugin : plugins) {
            if (plugin.getPluginState() == PluginState.STARTED) {
                addProviders(plugin);
            } else {
                refused.add(refusal(plugin, whyNotStarted(plugin, resolveFailure)));
            }
        }
        refused.sort(Comparator.comparing(RefusedPlugin::source));
    }

    private void addProviders(PluginWrapper plugin) {
        ClassLoader loader = plugin.getPluginClassLoader();
        PluginDescriptor descriptor = plugin.getDescriptor();
        String where = "plugin '" + plugin.getPluginId() + "'";
        String source = plugin.getPluginPath().toString();
        Optional<List<ProviderIndex.Line>> index = ProviderIndex.read(plugin.getPluginPath());
        if (index.isPresent()) {
            for (ProviderIndex.Line line : index.get()) {
                entries.add(ProviderCandidate.indexed(line, plugin.getPluginId(), descriptor.getVersion(), source, loader));
            }
            return;
        }
        try {
            List<ProviderScan.Found> found = ProviderScan.scan(loader, where, type -> type.getClassLoader() == loader);
            for (ProviderScan.Found f : found) {
                entries.add(ProviderCandidate.found(new ProviderEntry(f.kind(), f.provider(), plugin.getPluginId(),
                        descriptor.getVersion(), source)));
            }
        } catch (PluginFailureException e) {
            refused.add(refusal(plugin, e.getMessage()));
        }
    }

    /** Why the descriptor's version or a dependency's version range cannot be read by PF4J, or null. */
    private String unreadableVersion(PluginDescriptor d) {
        org.pf4j.VersionManager versions = manager.getVersionManager();
        try {
            versions.compareVersions(d.getVersion(), d.getVersion());
        } catch (RuntimeException e) {
            return "its Plugin-Version is not a version: '" + String.valueOf(d.getVersion()).replace("'", "") + "'";
        }
        for (org.pf4j.PluginDependency dep : d.getDependencies()) {
            String range = dep.getPluginVersionSupport();
            if (range == null || range.isBlank() || "*".equals(range.trim())) {
                continue;
            }
            try {
                versions.checkVersionConstraint("0.0.0", range);
            } catch (RuntimeException e) {
                return "its Plugin-Dependencies give '" + dep.getPluginId().replace("'", "") + "' a version range that cannot be read: '"
                        + range.replace("'", "") + "'";
            }
        }
        return null;
    }

    private String whyNotStarted(PluginWrapper plugin, String resolveFailure) {
        PluginDescriptor descriptor = plugin.getDescriptor();
        String id = plugin.getPluginId();
        String requires = descriptor.getRequires() == null ? "" : descriptor.getRequires().trim();
        if (plugin.getPluginState() == PluginState.DISABLED && !admitsCurrentApi(requires)) {
            return "plugin '" + id + "' requires kmemsim api " + requires + " but this is api " + ApiVersion.CURRENT;
        }
        if (plugin.getPluginState() == PluginState.FAILED && plugin.getFailedException() != null) {
            return "plugin '" + id + "' failed to start: " + describe(plugin.getFailedException());
        }
        if (!resolveFailure.isEmpty()) {
            return "plugin '" + id + "' cannot be resolved: " + resolveFailure;
        }
        return "plugin '" + id + "' was not started (PF4J state: " + plugin.getPluginState() + ")";
    }

    /** PF4J's own rule: an empty or {@code *} requirement admits any api; a bare version means at least it. */
    private boolean admitsCurrentApi(String requires) {
        if (requires.isEmpty() || "*".equals(requires)) {
            return true;
        }
        String expression = requires.matches("\\d+\\.\\d+\\.\\d+") ? ">=" + requires : requires;
        try {
            return manager.getVersionManager().checkVersionConstraint(ApiVersion.CURRENT, expression);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static RefusedPlugin refusal(PluginWrapper plugin, String reason) {
        return new RefusedPlugin(plugin.getPluginId(), plugin.getPluginPath().toString(), reason);
    }

    private static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list plugins directory " + dir, e);
        }
    }

    /** The jar's {@code Plugin-Id}, or its file name when the manifest has none or cannot be read. */
    private static String pluginIdOf(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String id = manifest == null ? null : manifest.getMainAttributes().getValue("Plugin-Id");
            return id == null || id.isBlank() ? jar.getFileName().toString() : id.trim();
        } catch (IOException e) {
            return jar.getFileName().toString();
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage() == null ? inWords(t) : t.getMessage();
        Throwable cause = t.getCause();
        if (cause != null && cause != t) {
            String causeMessage = cause.getMessage() == null ? inWords(cause) : cause.getMessage();
            if (!message.contains(causeMessage)) {
                message = message + " (" + causeMessage + ")";
            }
        }
        return PlainWords.of(message);
    }

    /** A failure without a message, in words rather than its class name. */
    private static String inWords(Throwable t) {
        if (t instanceof java.io.EOFException) {
            return "the file ends too early (truncated)";
        }
        if (t instanceof java.util.zip.ZipException) {
            return "not a valid jar";
        }
        return t instanceof IOException ? "the file cannot be read" : "failed without a message";
    }

    /** Stops and unloads every plugin and closes their class loaders; the providers become unusable. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        manager.stopPlugins();
        for (PluginWrapper plugin : new ArrayList<>(manager.getPlugins())) {
            if (manager.getPlugin(plugin.getPluginId()) != null) {
                manager.unloadAlone(plugin.getPluginId());
            }
        }
    }
}
