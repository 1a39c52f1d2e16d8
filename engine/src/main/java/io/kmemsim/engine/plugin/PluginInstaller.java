package io.kmemsim.engine.plugin;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The user's plugin directory, and installing plugin jars into it and removing them.
 *
 * <p>The directory is {@code $KMEMSIM_PLUGINS} when that is set, else {@code $XDG_DATA_HOME/kmemsim/plugins}
 * (the XDG base directory for user data), else {@code ~/.local/share/kmemsim/plugins}. The host loads it
 * after the built-in plugins.
 *
 * <p>Installing copies a jar (or every plugin jar directly in a directory) into the user directory,
 * replacing an installed jar with the same {@code Plugin-Id}, and then loads every plugin directory the
 * way a run does: when the new plugin is refused (wrong api version, a provider that fails, an id that
 * clashes with an installed one) it is taken out again and the reason is the error. The user directory
 * is changed only by renaming complete files into it.
 */
public final class PluginInstaller {

    /** The environment variable that overrides the user plugin directory. */
    public static final String ENV = "KMEMSIM_PLUGINS";

    /**
     * One jar put in place.
     *
     * @param pluginId  its {@code Plugin-Id}
     * @param version   its {@code Plugin-Version}
     * @param path      where it is now
     * @param replaced  the jar it replaced, or empty
     * @param providers the providers it brought, as {@code kind id}
     */
    public record Installed(String pluginId, String version, Path path, Optional<Path> replaced, List<String> providers) {
    }

    private final Path userDir;
    private final List<Path> otherDirs;
    private final ClassLoader loader;

    /**
     * @param userDir   the user plugin directory (created when missing)
     * @param otherDirs the other directories a run loads (the built-in plugins), for the check after install
     * @param loader    the host's class loader
     */
    public PluginInstaller(Path userDir, List<Path> otherDirs, ClassLoader loader) {
        this.userDir = Objects.requireNonNull(userDir, "userDir").toAbsolutePath().normalize();
        this.otherDirs = List.copyOf(otherDirs);
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** The user plugin directory for {@code env} (environment variables) and {@code home} (the user's home). */
    public static Path userDirectory(Map<String, String> env, Path home) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String data = env.get("XDG_DATA_HOME");
        // the XDG spec: a relative XDG_DATA_HOME is invalid and must be ignored
        if (data != null && !data.isBlank() && Path.of(data).isAbsolute()) {
            return Path.of(data, "kmemsim", "plugins");
        }
        return home.resolve(".local").resolve("share").resolve("kmemsim").resolve("plugins");
    }

    /** The user plugin directory this installer writes. */
    public Path userDir() {
        return userDir;
    }

    /**
     * Installs the plugin jar {@code source}, or every jar with a {@code Plugin-Id} directly in the
     * directory {@code source}.
     *
     * @throws InputException when {@code source} is missing, holds no plugin jar, or a jar is refused
     *                        (nothing of that jar stays installed)
     */
    public List<Installed> install(Path source) {
        List<Path> jars = pluginJars(source);
        createUserDir();
        List<Installed> installed = new ArrayList<>();
        for (Path jar : jars) {
            installed.add(installOne(jar));
        }
        return installed;
    }

    /**
     * Removes the installed plugin {@code id}: a {@code Plugin-Id} of a jar in the user directory, or the
     * id of a provider such a jar brings.
     *
     * @return the removed jar
     * @throws InputException when no jar of the user directory matches (naming a built-in plugin as such)
     */
    public Path remove(String id) {
        List<Path> matches = new ArrayList<>();
        for (Path jar : Files.isDirectory(userDir) ? jarsIn(userDir) : List.<Path>of()) {
            if (id.equals(pluginId(jar).orElse(""))) {
                matches.add(jar);
            }
        }
        if (matches.isEmpty()) {
            matches.addAll(jarsProviding(id));
        }
        if (matches.isEmpty()) {
            throw new InputException(new InputProblem("plugins remove", 0, 0, "", whyNotRemovable(id)));
        }
        if (matches.size() > 1) {
            throw new InputException(new InputProblem("plugins remove", 0, 0, "", "'" + id + "' names several installed jars: "
                    + matches.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "))
                    + "; remove one by its plugin id (kmemsim plugins list shows them)"));
        }
        try {
            Files.delete(matches.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + matches.get(0) + ": " + e.getMessage(), e);
        }
        return matches.get(0);
    }

    private String whyNotRemovable(String id) {
        try (PluginRegistry registry = PluginRegistry.load(loader, existing(otherDirs))) {
            Optional<ProviderEntry> other = registry.providers().stream()
                    .filter(e -> e.id().equals(id) || e.pluginId().equals(id)).findFirst();
            if (other.isPresent()) {
                return "'" + id + "' is not installed in " + userDir + " (it comes from " + other.get().source()
                        + "); only plugins added with 'kmemsim plugins install' can be removed";
            }
        } catch (RuntimeException e) {
            // the question is only which message to give
        }
        return "no plugin '" + id + "' is installed in " + userDir;
    }

    private List<Path> jarsProviding(String providerId) {
        if (!Files.isDirectory(userDir)) {
            return List.of();
        }
        try (PluginRegistry registry = PluginRegistry.load(loader, List.of(userDir))) {
            return registry.providers().stream().filter(e -> e.id().equals(providerId) && !e.pluginId().isEmpty())
                    .map(e -> Path.of(e.source())).distinct().collect(Collectors.toList());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private Installed installOne(Path jar) {
        String id = pluginId(jar).orElseThrow();
        Path target = userDir.resolve(jar.getFileName().toString());
        Optional<Path> previous = jarsIn(userDir).stream().filter(p -> id.equals(pluginId(p).orElse(""))).findFirst();
        Path backup = null;
        Path temp = null;
        try {
            if (previous.isPresent()) {
                // kept beside, under a name that is not loaded (only *.jar files are), until the new jar passed
                backup = Files.createTempFile(userDir, ".replaced-", ".bak");
                Files.move(previous.get(), backup, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = Files.createTempFile(userDir, "." + jar.getFileName(), ".tmp");
            Files.copy(jar, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            List<String> providers = check(target, id);
            if (backup != null) {
                Files.deleteIfExists(backup);
            }
            return new Installed(id, version(target), target, previous, providers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + jar + " into " + userDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            undo(target, previous, backup);
            throw e;
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover hidden temp file is harmless: only *.jar files are loaded
                }
            }
        }
    }

    /** Loads every directory as a run would; the new jar must be started with at least one provider. */
    private List<String> check(Path target, String id) {
        List<Path> dirs = new ArrayList<>(existing(otherDirs));
        dirs.add(userDir);
        try (PluginRegistry registry = PluginRegistry.load(loader, dirs)) {
            for (RefusedPlugin r : registry.refused()) {
                if (Path.of(r.source()).equals(target)) {
                    throw new InputException(new InputProblem(target.getFileName().toString(), 0, 0, "", "not installed: " + r.reason()));
                }
            }
            List<String> providers = registry.providers().stream().filter(e -> Path.of(e.source()).equals(target))
                    .map(e -> e.kind().label() + " " + e.id()).collect(Collectors.toList());
            if (providers.isEmpty()) {
                throw new InputException(new InputProblem(target.getFileName().toString(), 0, 0, "", "not installed: plugin '" + id
                        + "' registers no provider (a provider is listed in META-INF/services/io.kmemsim.api.plugin.<Kind>Provider)"));
            }
            return providers;
        } catch (InputException e) {
            List<InputProblem> problems = e.problems().stream()
                    .map(p -> p.message().startsWith("not installed") ? p
                            : new InputProblem(p.source(), p.line(), p.column(), p.key(), "not installed: " + p.message()))
                    .collect(Collectors.toList());
            throw new InputException(problems);
        }
    }

    private static void undo(Path target, Optional<Path> previous, Path backup) {
        try {
            Files.deleteIfExists(target);
            if (backup != null && previous.isPresent()) {
                Files.move(backup, previous.get(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot undo the install of " + target + ": " + e.getMessage(), e);
        }
    }

    private void createUserDir() {
        try {
            Files.createDirectories(userDir);
        } catch (IOException e) {
            throw new InputException(new InputProblem(userDir.toString(), 0, 0, "", "cannot create the plugin directory: " + e.getMessage()));
        }
    }

    private static List<Path> pluginJars(Path source) {
        if (Files.isRegularFile(source)) {
            if (pluginId(source).isEmpty()) {
                throw new InputException(new InputProblem(source.toString(), 0, 0, "",
                        "not a kmemsim plugin jar: no Plugin-Id in its manifest (docs/plugins.md, section \"The project\")"));
            }
            return List.of(source);
        }
        if (!Files.isDirectory(source)) {
            throw new InputException(new InputProblem(source.toString(), 0, 0, "", "no such file or directory"));
        }
        List<Path> jars = jarsIn(source).stream().filter(j -> pluginId(j).isPresent()).collect(Collectors.toList());
        if (jars.isEmpty()) {
            throw new InputException(new InputProblem(source.toString(), 0, 0, "",
                    "no plugin jar (a *.jar with a Plugin-Id in its manifest) directly in this directory"));
        }
        return jars;
    }

    private static List<Path> existing(List<Path> dirs) {
        return dirs.stream().filter(Files::isDirectory).collect(Collectors.toList());
    }

    private static List<Path> jarsIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The jar's {@code Plugin-Id}, or empty when it has none or is not a readable jar. */
    static Optional<String> pluginId(Path jar) {
        return manifest(jar, "Plugin-Id");
    }

    private static String version(Path jar) {
        return manifest(jar, "Plugin-Version").orElse("");
    }

    private static Optional<String> manifest(Path jar, String attribute) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String value = manifest == null ? null : manifest.getMainAttributes().getValue(attribute);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
