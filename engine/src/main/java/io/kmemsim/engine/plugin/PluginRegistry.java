package io.kmemsim.engine.plugin;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The providers the host can use, found through the one {@code META-INF/services/<provider interface>}
 * registration each provider has (see {@link PluginKind}) in two places:
 * <ul>
 *   <li><b>the classpath</b>, by ServiceLoader over a given class loader ({@link #fromClasspath}): for
 *       embedding kmemsim as a library and for tests; such entries have source {@code "classpath"};</li>
 *   <li><b>a plugins directory</b>, by PF4J 3.14.1 ({@link #load}): every {@code *.jar} directly in it is
 *       a plugin, with the host's classpath loader as parent. The system version is
 *       {@link io.kmemsim.api.ApiVersion#CURRENT}, so {@code Plugin-Requires} is enforced; a jar PF4J
 *       refuses is listed in {@link #refused()} with the reason, never dropped silently. Only providers
 *       whose class the plugin's own loader defined count as the plugin's; {@code Plugin-Class} is
 *       optional; the {@code io.kmemsim.api} classes always come from the parent loader.</li>
 * </ul>
 *
 * <p>Validation: every id matches {@value #ID_PATTERN} and is unique among the providers of its kind,
 * across both places. On the classpath a bad id is an {@link InputException} with one problem per bad
 * id, naming the id, the kind and both sources. In a plugins directory a bad plugin never takes the host
 * down: a plugin with a malformed id, or an id already taken (by the classpath, a built-in plugin, or a
 * plugin whose jar name sorts first), is refused as a whole and listed in {@link #refused()} with the
 * jar that came second named; so is a jar PF4J cannot load, one whose api version does not fit, and one
 * whose provider fails during discovery; a {@code .zip} file is listed as refused (jars only). Every call
 * into a provider during discovery is a {@link FaultBoundary}: a classpath provider that throws fails
 * discovery with a {@link PluginFailureException} naming its class and the call.
 *
 * <p>Lazy loading: a plugin jar with a provider index ({@code META-INF/kmemsim/providers}, written at
 * build time for the built-in plugins; see {@link ProviderIndex}) is known by its index alone — ids are
 * validated as above from it — and a provider's class is loaded and instantiated only when it is asked
 * for: {@link #find} and {@link #require} load the one provider, {@link #providers(PluginKind)} the
 * providers of that kind, {@link #providers()} all. Such a provider that fails to load fails the call
 * that asked for it with a {@link PluginFailureException} instead of refusing its plugin at start.
 *
 * <p>The registry is immutable and may be shared between threads. {@link #close()} stops and unloads the
 * PF4J plugins and closes their class loaders: their providers must not be used after it.
 */
public final class PluginRegistry implements AutoCloseable {

    /** The rule every provider id follows (see {@link io.kmemsim.api.plugin.Provider#id()}). */
    public static final String ID_PATTERN = "[a-z0-9][a-z0-9.-]*";

    /** The {@link ProviderEntry#source()} of providers found on the classpath. */
    public static final String CLASSPATH = "classpath";

    private static final Pattern ID = Pattern.compile(ID_PATTERN);
    /** The {@code Plugin-Provider} of the built-in plugins, which win an id clash with other plugins. */
    private static final String BUILT_IN_PROVIDER = "kmemsim";
    private static final Comparator<ProviderCandidate> ORDER =
            Comparator.comparing(ProviderCandidate::kind).thenComparing(ProviderCandidate::id);

    private final List<ProviderCandidate> providers;
    private final Map<PluginKind, List<ProviderCandidate>> byKind;
    private final List<RefusedPlugin> refused;
    private final PluginDirectory directory;

    private PluginRegistry(List<ProviderCandidate> providers, List<RefusedPlugin> refused, PluginDirectory directory) {
        List<ProviderCandidate> sorted = new ArrayList<>(providers);
        sorted.sort(ORDER);
        this.providers = List.copyOf(sorted);
        Map<PluginKind, List<ProviderCandidate>> kinds = new EnumMap<>(PluginKind.class);
        for (PluginKind kind : PluginKind.values()) {
            kinds.put(kind, this.providers.stream().filter(e -> e.kind() == kind).collect(Collectors.toUnmodifiableList()));
        }
        this.byKind = Collections.unmodifiableMap(kinds);
        this.refused = List.copyOf(refused);
        this.directory = directory;
    }

    /**
     * The providers registered in {@code META-INF/services} and visible to {@code loader}.
     *
     * @throws InputException          when an id is malformed or used twice within a kind
     * @throws PluginFailureException when a registration names a class that cannot be loaded or
     *                                instantiated, or a provider's {@code id()}, {@code description()}
     *                                or {@code optionsType()} throws or returns null
     */
    public static PluginRegistry fromClasspath(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        List<ProviderCandidate> entries = classpathEntries(loader);
        validate(entries);
        return new PluginRegistry(entries, List.of(), null);
    }

    /**
     * The classpath providers of {@code classpathLoader} plus the PF4J plugins in {@code pluginsDir}.
     * An empty directory is fine; refused plugins are in {@link #refused()}.
     *
     * @throws InputException          when {@code pluginsDir} is missing or not a directory, or an id
     *                                 is malformed or used twice within a kind
     * @throws PluginFailureException as {@link #fromClasspath}, for classpath providers
     */
    public static PluginRegistry load(ClassLoader classpathLoader, Path pluginsDir) {
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        return load(classpathLoader, List.of(pluginsDir));
    }

    /**
     * The classpath providers of {@code classpathLoader} plus the PF4J plugins in every directory of
     * {@code pluginsDirs}, loaded together (directory order, then file name); a plugin id found twice
     * is refused the second time.
     *
     * @throws InputException as {@link #load(ClassLoader, Path)}, for each directory
     */
    public static PluginRegistry load(ClassLoader classpathLoader, List<Path> pluginsDirs) {
        Objects.requireNonNull(classpathLoader, "classpathLoader");
        List<InputProblem> missing = new ArrayList<>();
        for (Path dir : pluginsDirs) {
            if (!Files.isDirectory(dir)) {
                String what = Files.exists(dir) ? "is not a directory" : "does not exist";
                missing.add(new InputProblem(dir.toString(), 0, 0, "", "plugins directory " + what));
            }
        }
        if (!missing.isEmpty()) {
            throw new InputException(missing);
        }
        List<ProviderCandidate> entries = classpathEntries(classpathLoader);
        validate(entries);
        if (pluginsDirs.isEmpty()) {
            return new PluginRegistry(entries, List.of(), null);
        }
        PluginDirectory directory = PluginDirectory.open(pluginsDirs, classpathLoader);
        try {
            List<RefusedPlugin> refused = new ArrayList<>(directory.refused());
            entries.addAll(admit(entries, directory.entries(), refused));
            for (Path dir : pluginsDirs) {
                refused.addAll(unsupportedFiles(dir));
            }
            refused.sort(Comparator.comparing(RefusedPlugin::source));
            return new PluginRegistry(entries, refused, directory);
        } catch (RuntimeException | Error e) {
            directory.close();
            throw e;
        }
    }

    /**
     * The plugin-directory providers that may join {@code accepted}: a plugin any of whose providers has a
     * malformed id, or an id that a provider accepted before it already has (the classpath's, then the
     * built-in plugins' — {@code Plugin-Provider: kmemsim} —, then the others' in jar file name order), is
     * refused as a whole and added to {@code refused}, naming the id and who had it first; the other
     * plugins keep working.
     */
    private static List<ProviderCandidate> admit(List<ProviderCandidate> accepted, List<ProviderCandidate> candidates,
                                                 List<RefusedPlugin> refused) {
        Map<PluginKind, Map<String, ProviderCandidate>> seen = new EnumMap<>(PluginKind.class);
        for (ProviderCandidate e : accepted) {
            seen.computeIfAbsent(e.kind(), k -> new HashMap<>()).put(e.id(), e);
        }
        // each jar's manifest is read once (the sort below compares each entry several times)
        Map<String, Boolean> builtIn = new HashMap<>();
        for (ProviderCandidate e : candidates) {
            builtIn.computeIfAbsent(e.source(), source -> BUILT_IN_PROVIDER.equals(providerOf(source)));
        }
        Map<String, List<ProviderCandidate>> byPlugin = new LinkedHashMap<>();
        candidates.stream()
                .sorted(Comparator.comparing((ProviderCandidate e) -> !builtIn.get(e.source()))
                        .thenComparing(ProviderCandidate::source))
                .forEach(e -> byPlugin.computeIfAbsent(e.source(), k -> new ArrayList<>()).add(e));
        List<ProviderCandidate> admitted = new ArrayList<>();
        for (List<ProviderCandidate> plugin : byPlugin.values()) {
            Optional<String> why = whyRefused(plugin, seen);
            ProviderCandidate first = plugin.get(0);
            if (why.isPresent()) {
                refused.add(new RefusedPlugin(first.pluginId(), first.source(), "plugin '" + first.pluginId() + "' ("
                        + fileName(first.source()) + ") refused: " + why.get()));
                continue;
            }
            for (ProviderCandidate e : plugin) {
                seen.computeIfAbsent(e.kind(), k -> new HashMap<>()).put(e.id(), e);
                admitted.add(e);
            }
        }
        return admitted;
    }

    private static Optional<String> whyRefused(List<ProviderCandidate> plugin, Map<PluginKind, Map<String, ProviderCandidate>> seen) {
        Map<PluginKind, Map<String, ProviderCandidate>> own = new EnumMap<>(PluginKind.class);
        for (ProviderCandidate e : plugin) {
            String id = e.id();
            String label = e.kind().label();
            if (!ID.matcher(id).matches()) {
                return Optional.of(label + " id must match " + ID_PATTERN + ": '" + id + "' (" + e.className() + ")");
            }
            ProviderCandidate first = seen.getOrDefault(e.kind(), Map.of()).get(id);
            if (first == null) {
                first = own.computeIfAbsent(e.kind(), k -> new HashMap<>()).putIfAbsent(id, e);
            }
            if (first != null) {
                return Optional.of(label + " id '" + id + "' is already provided by " + describeHolder(first));
            }
        }
        return Optional.empty();
    }

    /** Who holds an id: "plugin 'buddy' (kmemsim-buddy-0.1.0.jar)" or "the classpath (/x/y.jar)". */
    private static String describeHolder(ProviderCandidate e) {
        if (e.pluginId().isEmpty()) {
            return "the classpath" + ClasspathVersion.location(e.entry().provider().getClass()).map(p -> " (" + p + ")").orElse("");
        }
        return "plugin '" + e.pluginId() + "' (" + fileName(e.source()) + ")";
    }

    private static String fileName(String source) {
        Path name = Path.of(source).getFileName();
        return name == null ? source : name.toString();
    }

    private static String providerOf(String source) {
        try (JarFile jar = new JarFile(source)) {
            Manifest m = jar.getManifest();
            return m == null ? "" : String.valueOf(m.getMainAttributes().getValue("Plugin-Provider")).trim();
        } catch (IOException | RuntimeException ex) {
            return "";
        }
    }

    /**
     * Files in the plugins directory that look like plugins but are not loaded: {@code .zip} archives
     * (kmemsim loads plugin jars only; PF4J's zip plugins unpack into the plugins directory, which kmemsim
     * does not do).
     */
    private static List<RefusedPlugin> unsupportedFiles(Path dir) {
        List<RefusedPlugin> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{zip,ZIP}")) {
            for (Path f : files) {
                found.add(new RefusedPlugin(f.getFileName().toString(), f.toAbsolutePath().normalize().toString(),
                        "not loaded: kmemsim loads plugin jars (*.jar) only; rename or rebuild "
                        + f.getFileName() + " as a jar (a zip of a jar and its libraries: unpack it and put the jar here)"));
            }
        } catch (IOException e) {
            // the directory was listed a moment ago by the loader; nothing more to report
        }
        return found;
    }

    /**
     * Every provider, ordered by kind (declaration order of {@link PluginKind}), then id; loads every
     * provider not loaded yet.
     *
     * @throws PluginFailureException when a provider of a plugin's index fails to load
     */
    public List<ProviderEntry> providers() {
        return loaded(providers);
    }

    /**
     * The providers of {@code kind}, ordered by id; loads those of the kind not loaded yet.
     *
     * @throws PluginFailureException when a provider of a plugin's index fails to load
     */
    public List<ProviderEntry> providers(PluginKind kind) {
        return loaded(byKind.get(Objects.requireNonNull(kind, "kind")));
    }

    /**
     * The ids of the providers of {@code kind}, ordered; loads no provider.
     */
    public List<String> ids(PluginKind kind) {
        return byKind.get(Objects.requireNonNull(kind, "kind")).stream().map(ProviderCandidate::id).toList();
    }

    /**
     * The provider of {@code kind} with {@code id}, if there is one; loads that provider only.
     *
     * @throws PluginFailureException when it is a provider of a plugin's index and fails to load
     */
    public Optional<ProviderEntry> find(PluginKind kind, String id) {
        Objects.requireNonNull(id, "id");
        for (ProviderCandidate c : byKind.get(Objects.requireNonNull(kind, "kind"))) {
            if (c.id().equals(id)) {
                return Optional.of(c.entry());
            }
        }
        return Optional.empty();
    }

    private static List<ProviderEntry> loaded(List<ProviderCandidate> candidates) {
        List<ProviderEntry> entries = new ArrayList<>(candidates.size());
        for (ProviderCandidate c : candidates) {
            entries.add(c.entry());
        }
        return Collections.unmodifiableList(entries);
    }

    /**
     * The provider of {@code kind} with {@code id}; as {@link #require(PluginKind, String, String)} with
     * source {@code "plugins"}.
     */
    public ProviderEntry require(PluginKind kind, String id) {
        return require(kind, id, "plugins");
    }

    /**
     * The provider of {@code kind} with {@code id}.
     *
     * @param source where the id was asked for, e.g. the scenario file name; the problem's source
     * @throws InputException with key {@code <kind label>.id} (e.g. {@code workload.id}) listing the
     *                        available ids of that kind, when there is no such provider
     */
    public ProviderEntry require(PluginKind kind, String id, String source) {
        return find(kind, id).orElseThrow(() -> {
            List<String> available = ids(kind);
            String message = "unknown " + kind.label() + " id '" + id + "'; "
                    + (available.isEmpty()
                            ? "no " + kind.label() + " providers are installed"
                            : "available: " + String.join(", ", available));
            return new InputException(new InputProblem(source, 0, 0, kind.label() + ".id", message));
        });
    }

    /** The jars in the plugins directory that were not loaded, ordered by path; empty for {@link #fromClasspath}. */
    public List<RefusedPlugin> refused() {
        return refused;
    }

    /**
     * Fails when any plugin was refused.
     *
     * @throws InputException with one problem per refused plugin, whose source is the jar's path
     */
    public void requireNoRefused() {
        if (!refused.isEmpty()) {
            throw new InputException(refused.stream()
                    .map(r -> new InputProblem(r.source(), 0, 0, "", r.reason()))
                    .collect(Collectors.toList()));
        }
    }

    /** Stops and unloads the PF4J plugins; their providers must not be used afterwards. Idempotent. */
    @Override
    public void close() {
        if (directory != null) {
            directory.close();
        }
    }

    private static List<ProviderCandidate> classpathEntries(ClassLoader loader) {
        List<ProviderCandidate> entries = new ArrayList<>();
        for (ProviderScan.Found f : ProviderScan.scan(loader, CLASSPATH, type -> true)) {
            entries.add(ProviderCandidate.found(new ProviderEntry(f.kind(), f.provider(), "",
                    ClasspathVersion.of(f.provider().getClass()), CLASSPATH)));
        }
        return entries;
    }

    /** Classpath providers, all instantiated: ids unique per kind and well formed. */
    private static void validate(List<ProviderCandidate> candidates) {
        List<InputProblem> problems = new ArrayList<>();
        Map<PluginKind, Map<String, ProviderEntry>> seen = new EnumMap<>(PluginKind.class);
        for (ProviderCandidate candidate : candidates) {
            ProviderEntry entry = candidate.entry();
            String id = entry.id();
            String key = entry.kind().label() + ".id";
            if (!ID.matcher(id).matches()) {
                problems.add(new InputProblem(entry.source(), 0, 0, key, entry.kind().label() + " id must match "
                        + ID_PATTERN + ": '" + id + "' (" + origin(entry) + ")"));
                continue;
            }
            ProviderEntry first = seen.computeIfAbsent(entry.kind(), k -> new HashMap<>()).putIfAbsent(id, entry);
            if (first != null) {
                problems.add(new InputProblem(entry.source(), 0, 0, key, entry.kind().label() + " id '" + id
                        + "' is registered twice: by " + origin(first) + " and by " + origin(entry)));
            }
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
    }

    /** "demo.DemoProvider from classpath (/x/demo.jar)" or "demo.DemoProvider from /p/demo.jar (plugin 'demo')". */
    private static String origin(ProviderEntry entry) {
        Class<?> type = entry.provider().getClass();
        if (!entry.pluginId().isEmpty()) {
            return type.getName() + " from " + entry.source() + " (plugin '" + entry.pluginId() + "')";
        }
        return type.getName() + " from " + entry.source()
                + ClasspathVersion.location(type).map(p -> " (" + p + ")").orElse("");
    }
}
