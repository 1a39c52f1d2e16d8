package io.kmemsim.engine.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.ScannerException;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A scenario document as the YAML parser composes it: SnakeYAML's own nodes, each with the {@link Mark}
 * it was written at, read through a few helpers (the value's kind, its origin, a key's value).
 *
 * <p>Notes:
 * <ul>
 *   <li>A node's {@link Origin} is its start mark (0-based in SnakeYAML, 1-based in messages); a node
 *       without a mark was made by a {@code --set} override and has {@link Origin#OVERRIDE}.</li>
 *   <li>{@link #read} checks every mapping once: a duplicate key is reported and the later value kept
 *       (its earlier tuple removed), a key that is not a scalar is reported and dropped; so a mapping's
 *       tuples have unique scalar keys afterwards.</li>
 *   <li>A scalar's kind is SnakeYAML's resolved tag (YAML 1.1 rules: {@code 0x}, {@code 0b}, {@code _}
 *       in integers; {@code yes/no/on/off} are booleans; quoted values are strings); the text is kept as
 *       written, so {@code kernel: 6.10} stays {@code 6.10}.</li>
 * </ul>
 */
final class Nodes {

    /** What a scalar was read as. */
    enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    private static final Pattern TRUE = Pattern.compile("true|True|TRUE|yes|Yes|YES|on|On|ON|y|Y");

    private Nodes() {
    }

    /** The parser's limits: a scenario-sized document, the default nesting depth and alias count. */
    static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit((int) ScenarioLoader.MAX_SCENARIO_BYTES);
        options.setAllowDuplicateKeys(true);
        return options;
    }

    /**
     * Composes the one YAML document of {@code text}; null when it has none.
     *
     * @throws org.yaml.snakeyaml.error.YAMLException on a syntax error or a parser limit
     */
    static Node readYaml(String text, String source, Problems problems) {
        LoaderOptions options = loaderOptions();
        StreamReader reader = new StreamReader(text);
        ParserImpl parser = new ParserImpl(reader, options);
        Composer composer = new Composer(parser, new Resolver(), options);
        Node root;
        boolean more;
        try {
            if (!composer.checkNode()) {
                return null;
            }
            root = composer.getNode();
            more = composer.checkNode();
        } catch (NumberFormatException e) {
            // SnakeYAML 2.4 converts the (empty) digits of an escape that ends the text, an unterminated double-quoted
            // value ending in backslash-x, -u or -U, as a number without checking them first
            throw new ScannerException("while scanning a double-quoted value", null,
                    "an escape \\x, \\u or \\U must be followed by 2, 4 or 8 hexadecimal digits", reader.getMark());
        }
        if (more) {
            Mark next = parser.peekEvent().getStartMark();
            problems.add(new Origin(source, next.getLine() + 1, next.getColumn() + 1), "",
                    "a scenario holds one document; found more after the first");
        }
        check(root, source, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()));
        return root;
    }

    /** Reports duplicate and non-scalar keys of every mapping below {@code node} (each node once: aliases may share). */
    static void check(Node node, String source, String path, Problems problems, Set<Node> seen) {
        if (!seen.add(node)) {
            return;
        }
        if (node instanceof SequenceNode s) {
            for (int i = 0; i < s.getValue().size(); i++) {
                check(s.getValue().get(i), source, path + "[" + i + "]", problems, seen);
            }
        } else if (node instanceof MappingNode m) {
            Map<String, NodeTuple> first = new LinkedHashMap<>();
            List<NodeTuple> kept = new ArrayList<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode key)) {
                    problems.add(origin(t.getKeyNode(), source), path, "a key must be a single value, not "
                            + describe(t.getKeyNode()));
                    continue;
                }
                NodeTuple earlier = first.get(key.getValue());
                if (earlier != null) {
                    problems.add(origin(key, source), Problems.join(path, key.getValue()), "duplicate key (first given at line "
                            + origin(earlier.getKeyNode(), source).line() + ")");
                    kept.remove(earlier);
                } else {
                    first.put(key.getValue(), t);
                }
                kept.add(t);
                check(t.getValueNode(), source, Problems.join(path, key.getValue()), problems, seen);
            }
            m.setValue(kept);
        }
    }

    /** Where {@code node} was written in {@code source}; {@link Origin#OVERRIDE} for a node without a mark. */
    static Origin origin(Node node, String source) {
        Mark m = node.getStartMark();
        return m == null ? Origin.OVERRIDE : new Origin(source, m.getLine() + 1, m.getColumn() + 1);
    }

    /** What a scalar was read as (see the class notes). */
    static Kind kind(ScalarNode s) {
        Tag tag = s.getTag();
        if (Tag.NULL.equals(tag)) {
            return Kind.NULL;
        }
        if (Tag.BOOL.equals(tag)) {
            return Kind.BOOLEAN;
        }
        if (Tag.INT.equals(tag)) {
            return Kind.INTEGER;
        }
        return Tag.FLOAT.equals(tag) ? Kind.FLOAT : Kind.STRING;
    }

    /** A boolean scalar's value. */
    static boolean isTrue(ScalarNode s) {
        return TRUE.matcher(s.getValue()).matches();
    }

    /** True for a null scalar ({@code null}, {@code ~} or nothing). */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && kind(s) == Kind.NULL;
    }

    /** How the value reads in an error message: {@code "lots"}, {@code 12}, {@code a mapping}. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        return switch (kind(s)) {
            case STRING -> ScenarioLoader.quoted(s.getValue());
            case NULL -> "null";
            default -> s.getValue();
        };
    }

    /** The key of a checked mapping's tuple. */
    static String key(NodeTuple t) {
        return ((ScalarNode) t.getKeyNode()).getValue();
    }

    /** The tuple of {@code key} in a checked mapping, or null. */
    static NodeTuple field(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (key(t).equals(key)) {
                return t;
            }
        }
        return null;
    }

    /** The value of {@code key} in a checked mapping, or null. */
    static Node get(MappingNode map, String key) {
        NodeTuple t = field(map, key);
        return t == null ? null : t.getValueNode();
    }

    /** Sets {@code key} to {@code value}, in the place of an existing key or at the end. */
    static void put(MappingNode map, ScalarNode key, Node value) {
        List<NodeTuple> tuples = map.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            if (key(tuples.get(i)).equals(key.getValue())) {
                tuples.set(i, new NodeTuple(tuples.get(i).getKeyNode(), value));
                return;
            }
        }
        tuples.add(new NodeTuple(key, value));
    }

    /** A string scalar written at {@code like}'s place (null for an override). */
    static ScalarNode string(String text, Node like) {
        return new ScalarNode(Tag.STR, text, like == null ? null : like.getStartMark(),
                like == null ? null : like.getEndMark(), DumperOptions.ScalarStyle.PLAIN);
    }

    /** An empty mapping written at {@code like}'s place (null for an override). */
    static MappingNode mapping(Node like) {
        return new MappingNode(Tag.MAP, true, new ArrayList<>(), like == null ? null : like.getStartMark(),
                like == null ? null : like.getEndMark(), DumperOptions.FlowStyle.AUTO);
    }

    /**
     * {@code node} without marks: the value of a {@code --set}, whose positions inside the value text mean
     * nothing (an alias shared in the value stays shared).
     */
    static Node unmarked(Node node, Map<Node, Node> done) {
        Node copy = done.get(node);
        if (copy != null) {
            return copy;
        }
        if (node instanceof ScalarNode s) {
            copy = new ScalarNode(s.getTag(), s.getValue(), null, null, s.getScalarStyle());
            done.put(node, copy);
        } else if (node instanceof SequenceNode s) {
            List<Node> items = new ArrayList<>(s.getValue().size());
            SequenceNode seq = new SequenceNode(s.getTag(), items, s.getFlowStyle());
            done.put(node, seq);
            for (Node item : s.getValue()) {
                items.add(unmarked(item, done));
            }
            copy = seq;
        } else {
            MappingNode m = (MappingNode) node;
            List<NodeTuple> tuples = new ArrayList<>(m.getValue().size());
            MappingNode map = new MappingNode(m.getTag(), tuples, m.getFlowStyle());
            done.put(node, map);
            for (NodeTuple t : m.getValue()) {
                tuples.add(new NodeTuple(unmarked(t.getKeyNode(), done), unmarked(t.getValueNode(), done)));
            }
            copy = map;
        }
        return copy;
    }
}
