package io.kmemsim.engine.plugin;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * across both places; otherwise {@link InputException} with one problem per bad id, naming the id, the
 * kind and both sources. Every call into a provider during discovery is a {@link FaultBoundary}: a
 * classpath provider that throws fails discovery with a {@link PluginFailureException} naming its class
 * and the call; a plugin-directory provider that throws gets its whole plugin refused.
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
    private static final Comparator<ProviderEntry> ORDER =
            Comparator.comparing(ProviderEntry::kind).thenComparing(ProviderEntry::id);

    private final List<ProviderEntry> providers;
    private final Map<PluginKind, List<ProviderEntry>> byKind;
    private final List<RefusedPlugin> refused;
    private final PluginDirectory directory;

    private PluginRegistry(List<ProviderEntry> providers, List<RefusedPlugin> refused, PluginDirectory directory) {
        List<ProviderEntry> sorted = new ArrayList<>(providers);
        sorted.sort(ORDER);
        this.providers = List.copyOf(sorted);
        Map<PluginKind, List<ProviderEntry>> kinds = new EnumMap<>(PluginKind.class);
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
        List<ProviderEntry> entries = classpathEntries(loader);
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
        List<ProviderEntry> entries = classpathEntries(classpathLoader);
        if (pluginsDirs.isEmpty()) {
            validate(entries);
            return new PluginRegistry(entries, List.of(), null);
        }
        PluginDirectory directory = PluginDirectory.open(pluginsDirs, classpathLoader);
        try {
            entries.addAll(directory.entries());
            validate(entries);
            return new PluginRegistry(entries, directory.refused(), directory);
        } catch (RuntimeException | Error e) {
            directory.close();
            throw e;
        }
    }

    /** Every provider, ordered by kind (declaration order of {@link PluginKind}), then id. */
    public List<ProviderEntry> providers() {
        return providers;
    }

    /** The providers of {@code kind}, ordered by id. */
    public List<ProviderEntry> providers(PluginKind kind) {
        return byKind.get(Objects.requireNonNull(kind, "kind"));
    }

    /** The provider of {@code kind} with {@code id}, if there is one. */
    public Optional<ProviderEntry> find(PluginKind kind, String id) {
        Objects.requireNonNull(id, "id");
        return providers(kind).stream().filter(e -> e.id().equals(id)).findFirst();
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
            List<ProviderEntry> available = providers(kind);
            String message = "unknown " + kind.label() + " id '" + id + "'; "
                    + (available.isEmpty()
                            ? "no " + kind.label() + " providers are installed"
                            : "available: " + available.stream().map(ProviderEntry::id).collect(Collectors.joining(", ")));
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

    private static List<ProviderEntry> classpathEntries(ClassLoader loader) {
        List<ProviderEntry> entries = new ArrayList<>();
        for (ProviderScan.Found f : ProviderScan.scan(loader, CLASSPATH, type -> true)) {
            entries.add(new ProviderEntry(f.kind(), f.provider(), "", ClasspathVersion.of(f.provider().getClass()), CLASSPATH));
        }
        return entries;
    }

    private static void validate(List<ProviderEntry> entries) {
        List<InputProblem> problems = new ArrayList<>();
        Map<PluginKind, Map<String, ProviderEntry>> seen = new EnumMap<>(PluginKind.class);
        for (ProviderEntry entry : entries) {
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
