package io.kmemsim.engine.scenario;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputFiles;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.ProviderEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.IdentityHashMap;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a scenario (YAML or JSON, from a file, a classpath resource or text), applies {@code --set}
 * overrides, validates it and binds every component's options to its provider's options record.
 * docs/scenarios.md documents the format.
 *
 * <p>All problems of a scenario are reported together in one {@link InputException}, each with the
 * file, line, column and full key path (e.g. {@code workload.options.evnts}); a syntax error stops
 * reading the file at that point, so it is reported with the override problems only.
 *
 * <p>Notes: a YAML document is composed by SnakeYAML (the parser under Jackson's YAML module), whose
 * nodes carry the marks where they were written; a JSON document is read by Jackson's JSON parser into
 * the same nodes ({@link JsonNodes}). Overrides are applied to that tree (creating mappings along their
 * path), then the tree is validated and bound ({@link OptionsBinder}).
 */
public final class ScenarioLoader {

    /** The classpath resource of the built-in default scenario. */
    public static final String DEFAULT_RESOURCE = "io/kmemsim/engine/scenario/default.yaml";

    /** The {@link InputProblem#source()} of problems in {@code --set} overrides. */
    public static final String OVERRIDE_SOURCE = "--set";

    /** The scenario's top-level keys, in documentation order. */
    /**
     * The most CPUs a machine may have: 8192, the largest {@code NR_CPUS} Linux 6.1 can be built with
     * ({@code arch/x86/Kconfig}: {@code NR_CPUS_RANGE_END} with {@code MAXSMP}; arm64 allows 2–4096).
     */
    public static final int MAX_CPUS = 8192;

    /** Why {@link #MAX_CPUS}, for messages. */
    public static final String MAX_CPUS_WHY = "the largest NR_CPUS of Linux 6.1, x86_64 with MAXSMP; arm64 allows up to 4096";

    /** The largest scenario file read: 4 MiB (a scenario is a few hundred bytes; the cap keeps a wrong file from filling the heap). */
    public static final long MAX_SCENARIO_BYTES = 4L << 20;

    public static final List<String> TOP_LEVEL_KEYS = List.of("name", "kernel", "seed", "cpus",
            PluginKind.PLATFORM.label(), PluginKind.PAGE_ALLOCATOR.label(), PluginKind.OBJECT_CACHE.label(),
            PluginKind.ARCH_HOOKS.label(), PluginKind.FALLBACK_POLICY.label(), PluginKind.COMPACTION_POLICY.label(),
            PluginKind.RECLAIM_POLICY.label(), PluginKind.WORKLOAD.label(), "run");

    /** The seed when the scenario gives none. */
    public static final long DEFAULT_SEED = 1;

    private static final List<String> COMPONENT_KEYS = List.of("id", "options");
    private static final JsonFactory JSON = new JsonFactory();

    /** The syntax of a scenario document. */
    public enum Format {
        YAML, JSON;

        /** JSON for names ending in {@code .json} (any case), YAML otherwise. */
        public static Format ofFileName(String name) {
            return name.toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        }
    }

    private final ProviderLookup lookup;

    /** A loader that resolves provider ids with {@code lookup}. */
    public ScenarioLoader(ProviderLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * Loads the scenario file {@code file} (JSON when it ends in {@code .json}).
     *
     * @param overrides {@code key=value} texts, applied in order
     * @throws InputException listing every problem, or naming the file when it cannot be read (missing, a
     *                        directory or device, larger than {@value #MAX_SCENARIO_BYTES} bytes, not UTF-8:
     *                        then with the line and byte offset of the first bad byte)
     */
    public Scenario load(Path file, List<String> overrides) {
        String source = file.toString();
        String text = InputFiles.readUtf8(file, "scenario", "", MAX_SCENARIO_BYTES);
        Path fileName = file.getFileName();
        return parse(text, source, baseName(fileName == null ? source : fileName.toString()),
                Format.ofFileName(source), overrides);
    }

    /**
     * Loads the scenario resource {@code resource} of {@code loader} (e.g. {@link #DEFAULT_RESOURCE}).
     *
     * @throws InputException when it does not exist or has problems
     */
    public Scenario loadResource(ClassLoader loader, String resource, List<String> overrides) {
        String text;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new InputException(new InputProblem(resource, 0, 0, "", "no such scenario resource"));
            }
            text = InputFiles.decodeUtf8(in.readNBytes((int) MAX_SCENARIO_BYTES), resource, "");
        } catch (IOException e) {
            throw new InputException(new InputProblem(resource, 0, 0, "", "cannot read the scenario: " + e.getMessage()));
        }
        String simple = resource.substring(resource.lastIndexOf('/') + 1);
        return parse(text, resource, baseName(simple), Format.ofFileName(resource), overrides);
    }

    /** Loads the built-in default scenario ({@link #DEFAULT_RESOURCE}). */
    public Scenario loadDefault(List<String> overrides) {
        return loadResource(ScenarioLoader.class.getClassLoader(), DEFAULT_RESOURCE, overrides);
    }

    /**
     * Reads scenario {@code text}.
     *
     * @param source      the name problems are reported against (a file name)
     * @param defaultName the scenario name when the text has no {@code name}
     * @throws InputException listing every problem
     */
    public Scenario parse(String text, String source, String defaultName, Format format, List<String> overrides) {
        Problems problems = new Problems();
        Node root = read(text, source, format, problems);
        List<Override> parsed = new ArrayList<>();
        for (String o : overrides) {
            parseOverride(o, problems).ifPresent(parsed::add);
        }
        if (root == null && problems.isEmpty()) {
            problems.add(new Origin(source, 0, 0), "", "the scenario is empty");
        } else if (root != null && !(root instanceof MappingNode)) {
            problems.add(Nodes.origin(root, source), "", "a scenario is a mapping of keys: " + Nodes.describe(root));
        }
        if (!(root instanceof MappingNode map)) {
            problems.throwIfAny();
            throw new IllegalStateException("no root and no problem");
        }
        normalizeShorthands(map);
        for (Override o : parsed) {
            apply(map, o, source, problems);
        }
        Scenario scenario = new Binding(problems, defaultName, source).bind(map);
        problems.throwIfAny();
        return scenario;
    }

    private static String baseName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static Node read(String text, String source, Format format, Problems problems) {
        if (format == Format.YAML) {
            try {
                return Nodes.readYaml(text, source, problems);
            } catch (YAMLException e) {
                yamlError(e, source, problems);
                return null;
            }
        }
        try (JsonParser parser = JSON.createParser(text)) {
            Node root = JsonNodes.read(parser, source, problems);
            if (root != null) {
                Nodes.check(root, source, "", problems, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
            }
            return root;
        } catch (JsonProcessingException e) {
            syntaxError(e, source, problems);
            return null;
        } catch (IOException e) {
            problems.add(new Origin(source, 0, 0), "", "cannot read the scenario: " + e.getMessage());
            return null;
        }
    }

    /** Reports a YAML syntax error (or a parser limit) at the parser's problem mark. */
    private static void yamlError(YAMLException e, String source, Problems problems) {
        Origin at = new Origin(source, 0, 0);
        if (e instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            at = new Origin(source, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1);
        }
        problems.add(at, "", "syntax error: " + yamlMessage(e));
    }

    private static String yamlMessage(YAMLException e) {
        if (e instanceof MarkedYAMLException m && m.getProblem() != null) {
            return withoutClassNames(m.getContext() == null ? m.getProblem() : m.getContext() + ": " + m.getProblem());
        }
        return withoutClassNames(firstLine(e.getMessage()));
    }

    /** Reports a syntax error at the place the parser found it, with SnakeYAML's problem text when it has one. */
    private static void syntaxError(JsonProcessingException e, String source, Problems problems) {
        JsonLocation loc = e.getLocation();
        Origin at = loc == null ? new Origin(source, 0, 0)
                : new Origin(source, Math.max(loc.getLineNr(), 0), Math.max(loc.getColumnNr(), 0));
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            at = new Origin(source, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1);
        }
        problems.add(at, "", "syntax error: " + syntaxMessage(e));
    }

    private static String syntaxMessage(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null) {
            return withoutClassNames(m.getContext() == null ? m.getProblem() : m.getContext() + ": " + m.getProblem());
        }
        return withoutClassNames(firstLine(e.getOriginalMessage()));
    }

    /**
     * The parser's text with the parser's own class names replaced by what they mean: Jackson's YAML
     * messages name SnakeYAML events, e.g. {@code <org.yaml.snakeyaml.events.MappingStartEvent(anchor=null, …)>}
     * becomes {@code the start of a mapping}.
     */
    static String withoutClassNames(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<?org\\.yaml\\.snakeyaml\\.[a-z.]*\\.([A-Za-z]+?)(Event|Token)?(\\([^)]*\\))?>?").matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(describeEvent(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString()
                .replaceAll("\\s*(due to )?\\((java|javax|com|org)\\.[\\w.$]+\\)", "")
                .replaceAll("\\b(java|javax|com|org)\\.[a-z]+\\.[\\w.$]+", "the parser");
    }

    private static String describeEvent(String name) {
        return switch (name) {
            case "MappingStart" -> "the start of a mapping";
            case "MappingEnd" -> "the end of a mapping";
            case "SequenceStart" -> "the start of a list";
            case "SequenceEnd" -> "the end of a list";
            case "Scalar" -> "a value";
            case "Alias" -> "an alias";
            case "DocumentStart" -> "the start of a document";
            case "DocumentEnd" -> "the end of a document";
            case "StreamEnd" -> "the end of the text";
            default -> "a YAML " + name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    /** One parsed {@code --set}: the dotted path and the value read as YAML. */
    record Override(String key, String[] path, Node value) {
    }

    /** Parses {@code KEY=VALUE}, the value read as YAML (its nodes without marks: they are {@code --set}'s). */
    static Optional<Override> parseOverride(String text, Problems problems) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            problems.add(Origin.OVERRIDE, "", "expected key=value: " + quoted(text));
            return Optional.empty();
        }
        String key = text.substring(0, eq).strip();
        String[] path = key.split("\\.", -1);
        for (String segment : path) {
            if (segment.isEmpty()) {
                problems.add(Origin.OVERRIDE, key, "the key has an empty part: " + quoted(text));
                return Optional.empty();
            }
        }
        String valueText = text.substring(eq + 1);
        try {
            Problems inValue = new Problems();
            Node value = Nodes.readYaml(valueText, OVERRIDE_SOURCE, inValue);
            if (!inValue.isEmpty()) {
                problems.add(Origin.OVERRIDE, key, "cannot read the value " + quoted(valueText) + ": "
                        + inValue.messages().get(0));
                return Optional.empty();
            }
            return Optional.of(new Override(key, path, value == null
                    ? new ScalarNode(org.yaml.snakeyaml.nodes.Tag.NULL, "null", null, null,
                            org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN)
                    : Nodes.unmarked(value, new IdentityHashMap<>())));
        } catch (YAMLException e) {
            problems.add(Origin.OVERRIDE, key, "cannot read the value " + quoted(valueText) + ": " + yamlMessage(e));
            return Optional.empty();
        }
    }

    /** {@code page-allocator: buddy} stands for {@code page-allocator: {id: buddy}}. */
    private static void normalizeShorthands(MappingNode root) {
        for (PluginKind kind : PluginKind.values()) {
            Node value = Nodes.get(root, kind.label());
            if (value instanceof ScalarNode s && !Nodes.isNull(s)) {
                MappingNode m = Nodes.mapping(s);
                Nodes.put(m, Nodes.string("id", s), s);
                Nodes.put(root, Nodes.string(kind.label(), null), m);
            }
        }
    }

    /** Sets {@code o}'s key in {@code root}, creating the mappings along its path. */
    static void apply(MappingNode root, Override o, String source, Problems problems) {
        MappingNode current = root;
        for (int i = 0; i < o.path().length - 1; i++) {
            String segment = o.path()[i];
            Node value = Nodes.get(current, segment);
            if (value == null || Nodes.isNull(value)) {
                MappingNode created = Nodes.mapping(null);
                Nodes.put(current, Nodes.string(segment, null), created);
                current = created;
            } else if (value instanceof MappingNode m) {
                current = m;
            } else {
                String prefix = String.join(".", Arrays.copyOf(o.path(), i + 1));
                problems.add(Origin.OVERRIDE, o.key(), "cannot set a key inside " + prefix + ": it is "
                        + Nodes.describe(value) + " (" + Nodes.origin(value, source) + "), not a mapping");
                return;
            }
        }
        String last = o.path()[o.path().length - 1];
        Nodes.put(current, Nodes.string(last, null), o.value());
    }

    /** Validates and binds one scenario tree. */
    private final class Binding {

        private final Problems problems;
        private final String defaultName;
        private final String source;
        private final OptionsBinder binder;

        Binding(Problems problems, String defaultName, String source) {
            this.problems = problems;
            this.defaultName = defaultName;
            this.source = source;
            this.binder = new OptionsBinder(problems, source);
        }

        private Origin at(Node node) {
            return Nodes.origin(node, source);
        }

        Scenario bind(MappingNode root) {
            for (NodeTuple f : root.getValue()) {
                if (!TOP_LEVEL_KEYS.contains(Nodes.key(f))) {
                    problems.add(at(f.getKeyNode()), Nodes.key(f), Names.unknownKey(Nodes.key(f), TOP_LEVEL_KEYS));
                }
            }
            Object name = scalar(root, "name", String.class, defaultName);
            KernelVersion kernel = kernel(root);
            Object seed = scalar(root, "seed", long.class, DEFAULT_SEED);
            Object cpus = scalar(root, "cpus", int.class, 0);
            if (cpus instanceof Integer c && (c < 1 || c > MAX_CPUS) && Nodes.get(root, "cpus") != null) {
                problems.add(at(Nodes.get(root, "cpus")), "cpus", "cpus must be in [1, " + MAX_CPUS + "]"
                        + (c > MAX_CPUS ? " (" + MAX_CPUS_WHY + ")" : "") + ": " + c);
            }
            ComponentConfig[] components = new ComponentConfig[PluginKind.values().length];
            for (PluginKind kind : PluginKind.values()) {
                components[kind.ordinal()] = component(root, kind, isRequired(kind));
            }
            Object run = binder.bindRecord(RunSettings.class, nullToAbsent(Nodes.get(root, "run")), at(root), "run");
            if (!problems.isEmpty()) {
                return null;
            }
            return new Scenario((String) name, kernel, (Long) seed, (Integer) cpus,
                    components[PluginKind.PLATFORM.ordinal()],
                    Optional.ofNullable(components[PluginKind.FALLBACK_POLICY.ordinal()]),
                    Optional.ofNullable(components[PluginKind.COMPACTION_POLICY.ordinal()]),
                    Optional.ofNullable(components[PluginKind.RECLAIM_POLICY.ordinal()]),
                    Optional.ofNullable(components[PluginKind.ARCH_HOOKS.ordinal()]),
                    components[PluginKind.PAGE_ALLOCATOR.ordinal()],
                    Optional.ofNullable(components[PluginKind.OBJECT_CACHE.ordinal()]),
                    components[PluginKind.WORKLOAD.ordinal()], (RunSettings) run);
        }

        private Object scalar(MappingNode root, String key, Class<?> type, Object dflt) {
            Node node = Nodes.get(root, key);
            return node == null ? dflt : binder.convert(type, node, key);
        }

        private KernelVersion kernel(MappingNode root) {
            Node node = Nodes.get(root, "kernel");
            if (node == null) {
                problems.add(at(root), "kernel", "missing required key");
                return null;
            }
            if (!(node instanceof ScalarNode s) || Nodes.isNull(s)) {
                problems.add(at(node), "kernel", "expected a kernel version such as \"6.1\": " + Nodes.describe(node));
                return null;
            }
            try {
                return KernelVersion.parse(s.getValue());
            } catch (IllegalArgumentException e) {
                problems.add(at(node), "kernel", e.getMessage());
                return null;
            }
        }

        private ComponentConfig component(MappingNode root, PluginKind kind, boolean required) {
            String label = kind.label();
            Node node = nullToAbsent(Nodes.get(root, label));
            if (node == null) {
                if (required) {
                    problems.add(at(root), label, "missing required key");
                }
                return null;
            }
            if (!(node instanceof MappingNode m)) {
                problems.add(at(node), label, "expected a mapping with id and options, or a provider id: "
                        + Nodes.describe(node));
                return null;
            }
            for (NodeTuple f : m.getValue()) {
                if (!COMPONENT_KEYS.contains(Nodes.key(f))) {
                    problems.add(at(f.getKeyNode()), label + "." + Nodes.key(f), Names.unknownKey(Nodes.key(f), COMPONENT_KEYS));
                }
            }
            Optional<ProviderEntry> entry = provider(kind, m);
            if (entry.isEmpty()) {
                return null;
            }
            Object options = binder.bindRecord(entry.get().provider().optionsType(), nullToAbsent(Nodes.get(m, "options")),
                    at(m), label + ".options");
            return options == OptionsBinder.FAILED ? null
                    : new ComponentConfig(kind, entry.get(), (Record) options, at(Nodes.get(m, "id")));
        }

        private Optional<ProviderEntry> provider(PluginKind kind, MappingNode m) {
            String key = kind.label() + ".id";
            Node idNode = Nodes.get(m, "id");
            if (idNode == null) {
                problems.add(at(m), key, "missing required key");
                return Optional.empty();
            }
            if (!(idNode instanceof ScalarNode s) || Nodes.isNull(s)) {
                problems.add(at(idNode), key, "expected a provider id: " + Nodes.describe(idNode));
                return Optional.empty();
            }
            Optional<ProviderEntry> entry = lookup.find(kind, s.getValue());
            if (entry.isEmpty()) {
                problems.add(at(s), key, unknownProvider(kind, s.getValue()));
            }
            return entry;
        }

        private String unknownProvider(PluginKind kind, String id) {
            List<String> ids = new ArrayList<>();
            for (ProviderEntry e : lookup.providers(kind)) {
                ids.add(e.id());
            }
            String head = "unknown " + kind.label() + " '" + id + "'";
            if (ids.isEmpty()) {
                return head + "; no " + kind.label() + " providers are installed";
            }
            String hint = Names.suggest(id, ids).map(s -> " (did you mean '" + s + "'?)").orElse("");
            return head + hint + "; available: " + String.join(", ", ids);
        }
    }

    private static boolean isRequired(PluginKind kind) {
        return kind == PluginKind.PLATFORM || kind == PluginKind.PAGE_ALLOCATOR || kind == PluginKind.WORKLOAD;
    }

    private static Node nullToAbsent(Node node) {
        return Nodes.isNull(node) ? null : node;
    }

    /** {@code text} as the user wrote it, in double quotes, its own quotes and backslashes escaped. */
    static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
