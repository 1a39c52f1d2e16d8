package io.kmemsim.engine.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a sweep spec (YAML) into a {@link SweepSpec}, reporting every problem at once with its
 * {@code file:line:column} and key. docs/sweeps.md is the format's documentation.
 */
public final class SweepSpecReader {

    /** The keys a spec may have. */
    public static final List<String> KEYS = List.of("name", "base", "set", "axes", "seeds", "exclude", "metrics", "order");

    /** The most points one spec may expand to (axes × seeds), so a typo cannot start a million runs. */
    public static final int MAX_POINTS = 100_000;

    private static final long MAX_SPEC_BYTES = 1 << 20;
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private final List<InputProblem> problems = new ArrayList<>();
    private String source;

    private SweepSpecReader() {
    }

    /** Reads the spec file {@code file}. */
    public static SweepSpec read(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new InputException(new InputProblem(source, 0, 0, "", "is a directory, not a sweep spec"));
            }
            if (Files.size(file) > MAX_SPEC_BYTES) {
                throw new InputException(new InputProblem(source, 0, 0, "", "a sweep spec is at most 1 MiB"));
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(new InputProblem(source, 0, 0, "", "no such sweep spec"));
        } catch (IOException e) {
            throw new InputException(new InputProblem(source, 0, 0, "", "cannot read the sweep spec: " + e.getMessage()));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(new InputProblem(source, 0, 0, "", "not UTF-8 text"));
        }
        Path dir = file.toAbsolutePath().getParent();
        String fileName = file.getFileName() == null ? "sweep" : file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        return parse(text, source, dot > 0 ? fileName.substring(0, dot) : fileName, dir);
    }

    /**
     * Reads spec {@code text}.
     *
     * @param baseDir the directory a relative {@code base} is resolved against
     */
    public static SweepSpec parse(String text, String source, String defaultName, Path baseDir) {
        SweepSpecReader r = new SweepSpecReader();
        r.source = source;
        Located root;
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken t = p.nextToken();
            root = t == null ? null : r.value(p);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new InputException(new InputProblem(source, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), "",
                    "not valid YAML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InputException(new InputProblem(source, 0, 0, "", "cannot read the sweep spec: " + e.getMessage()));
        }
        if (root == null || !(root.value instanceof Map)) {
            throw new InputException(new InputProblem(source, root == null ? 0 : root.line, 0, "",
                    "a sweep spec is a mapping with the keys " + KEYS));
        }
        SweepSpec spec = r.spec(root, defaultName, baseDir);
        if (!r.problems.isEmpty()) {
            throw new InputException(r.problems);
        }
        return spec;
    }

    @SuppressWarnings("unchecked")
    private SweepSpec spec(Located root, String defaultName, Path baseDir) {
        Map<String, Located> map = (Map<String, Located>) root.value;
        for (Map.Entry<String, Located> e : map.entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                problem(e.getValue(), e.getKey(), "unknown key; valid keys: " + String.join(", ", KEYS));
            }
        }
        String name = map.containsKey("name") ? scalar(map.get("name"), "name") : defaultName;
        Path base = null;
        if (map.containsKey("base") && map.get("base").value != null) {
            String b = scalar(map.get("base"), "base");
            if (b != null) {
                base = baseDir == null ? Path.of(b) : baseDir.resolve(b).normalize();
                if (!Files.isRegularFile(base)) {
                    problem(map.get("base"), "base", "no such scenario file: " + base);
                }
            }
        }
        List<String> common = new ArrayList<>();
        if (map.containsKey("set")) {
            for (Located item : list(map.get("set"), "set")) {
                String s = scalar(item, "set");
                if (s != null && s.indexOf('=') <= 0) {
                    problem(item, "set", "an override is KEY=VALUE: " + s);
                } else if (s != null) {
                    common.add(s);
                }
            }
        }
        List<SweepSpec.Axis> axes = axes(map.get("axes"));
        List<Long> seeds = seeds(map.get("seeds"));
        List<Map<String, String>> excludes = excludes(map.get("exclude"), axes);
        List<Metric> metrics = metrics(map.get("metrics"));
        int order = -1;
        if (map.containsKey("order")) {
            String o = scalar(map.get("order"), "order");
            order = o == null ? -1 : intIn(map.get("order"), "order", o, 0, 20);
        }
        long points = seeds.size();
        for (SweepSpec.Axis a : axes) {
            points *= Math.max(1, a.values().size());
            if (points > MAX_POINTS) {
                problem(map.get("axes"), "axes", "the grid has more than " + MAX_POINTS + " points; split the sweep");
                break;
            }
        }
        return problems.isEmpty() ? new SweepSpec(source, name == null ? defaultName : name, base, common, axes,
                seeds.isEmpty() ? List.of(1L) : seeds, excludes, metrics, order) : null;
    }

    @SuppressWarnings("unchecked")
    private List<SweepSpec.Axis> axes(Located node) {
        List<SweepSpec.Axis> axes = new ArrayList<>();
        if (node == null || node.value == null) {
            return axes;
        }
        if (!(node.value instanceof Map)) {
            problem(node, "axes", "a mapping of --set key to a list of values or a range {from, to, step}");
            return axes;
        }
        for (Map.Entry<String, Located> e : ((Map<String, Located>) node.value).entrySet()) {
            String key = "axes." + e.getKey();
            if (e.getKey().isBlank() || e.getKey().indexOf('=') >= 0) {
                problem(e.getValue(), key, "an axis is named by a --set key such as kernel or fallback.id");
                continue;
            }
            Located v = e.getValue();
            List<String> values = new ArrayList<>();
            if (v.value instanceof List) {
                for (Located item : (List<Located>) v.value) {
                    if (item.value instanceof Map || item.value instanceof List) {
                        problem(item, key, "an axis value is a scalar");
                    } else {
                        values.add(item.value == null ? "null" : (String) item.value);
                    }
                }
            } else if (v.value instanceof Map) {
                values.addAll(range((Map<String, Located>) v.value, v, key));
            } else {
                values.add(v.value == null ? "null" : (String) v.value);
            }
            if (values.isEmpty()) {
                problem(v, key, "an axis needs at least one value");
            } else if (Set.copyOf(values).size() != values.size()) {
                problem(v, key, "an axis value is repeated: " + values);
            }
            axes.add(new SweepSpec.Axis(e.getKey(), values));
        }
        return axes;
    }

    private List<String> range(Map<String, Located> m, Located at, String key) {
        for (String k : m.keySet()) {
            if (!List.of("from", "to", "step").contains(k)) {
                problem(m.get(k), key + "." + k, "unknown key; a range has from, to and step");
            }
        }
        if (!m.containsKey("from") || !m.containsKey("to")) {
            problem(at, key, "a range needs from and to (step defaults to 1)");
            return List.of();
        }
        try {
            BigDecimal from = new BigDecimal(scalar(m.get("from"), key + ".from"));
            BigDecimal to = new BigDecimal(scalar(m.get("to"), key + ".to"));
            BigDecimal step = m.containsKey("step") ? new BigDecimal(scalar(m.get("step"), key + ".step")) : BigDecimal.ONE;
            if (step.signum() <= 0) {
                problem(m.get("step"), key + ".step", "step must be > 0");
                return List.of();
            }
            if (to.compareTo(from) < 0) {
                problem(at, key, "to must be >= from");
                return List.of();
            }
            if (to.subtract(from).divide(step, java.math.MathContext.DECIMAL64).compareTo(BigDecimal.valueOf(MAX_POINTS)) > 0) {
                problem(at, key, "the range has more than " + MAX_POINTS + " values");
                return List.of();
            }
            List<String> values = new ArrayList<>();
            for (BigDecimal x = from; x.compareTo(to) <= 0; x = x.add(step)) {
                values.add(x.stripTrailingZeros().toPlainString());
            }
            return values;
        } catch (NumberFormatException | NullPointerException e) {
            problem(at, key, "from, to and step are numbers");
            return List.of();
        }
    }

    @SuppressWarnings("unchecked")
    private List<Long> seeds(Located node) {
        List<Long> seeds = new ArrayList<>();
        if (node == null || node.value == null) {
            seeds.add(1L);
            return seeds;
        }
        if (node.value instanceof List) {
            for (Located item : (List<Located>) node.value) {
                String s = scalar(item, "seeds");
                if (s != null) {
                    try {
                        long seed = Long.parseLong(s);
                        if (seeds.contains(seed)) {
                            problem(item, "seeds", "seed listed twice: " + seed);
                        }
                        seeds.add(seed);
                    } catch (NumberFormatException e) {
                        problem(item, "seeds", "a seed is an integer: " + s);
                    }
                }
            }
            if (seeds.isEmpty()) {
                problem(node, "seeds", "at least one seed");
            }
            return seeds;
        }
        String s = scalar(node, "seeds");
        int count = s == null ? 1 : intIn(node, "seeds", s, 1, MAX_POINTS);
        for (long i = 1; i <= count; i++) {
            seeds.add(i);
        }
        return seeds;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, String>> excludes(Located node, List<SweepSpec.Axis> axes) {
        List<Map<String, String>> out = new ArrayList<>();
        if (node == null || node.value == null) {
            return out;
        }
        for (Located item : list(node, "exclude")) {
            if (!(item.value instanceof Map)) {
                problem(item, "exclude", "an exclusion is a mapping of axis key to value");
                continue;
            }
            Map<String, String> one = new LinkedHashMap<>();
            for (Map.Entry<String, Located> e : ((Map<String, Located>) item.value).entrySet()) {
                SweepSpec.Axis axis = axes.stream().filter(a -> a.key().equals(e.getKey())).findFirst().orElse(null);
                String v = e.getValue().value == null ? "null" : scalar(e.getValue(), "exclude." + e.getKey());
                if (axis == null) {
                    problem(e.getValue(), "exclude." + e.getKey(), "not an axis of this sweep");
                } else if (v != null && !axis.values().contains(v)) {
                    problem(e.getValue(), "exclude." + e.getKey(), "not a value of the axis: " + v + " (values: " + axis.values() + ")");
                }
                one.put(e.getKey(), v);
            }
            out.add(one);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Metric> metrics(Located node) {
        if (node == null || node.value == null) {
            return Metric.defaults();
        }
        List<Metric> out = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (Located item : list(node, "metrics")) {
            String name;
            String expression;
            Located at = item;
            if (item.value instanceof Map && ((Map<String, Located>) item.value).size() == 1) {
                Map.Entry<String, Located> e = ((Map<String, Located>) item.value).entrySet().iterator().next();
                name = e.getKey();
                expression = scalar(e.getValue(), "metrics." + name);
                at = e.getValue();
            } else {
                expression = scalar(item, "metrics");
                name = expression;
            }
            if (expression == null) {
                continue;
            }
            String why = Metric.check(expression);
            if (why != null) {
                problem(at, "metrics", why);
            } else if (!names.add(name)) {
                problem(at, "metrics", "metric named twice: " + name);
            } else {
                out.add(new Metric(name, expression));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Located> list(Located node, String key) {
        if (node.value instanceof List) {
            return (List<Located>) node.value;
        }
        problem(node, key, "a list");
        return List.of();
    }

    private String scalar(Located node, String key) {
        if (node.value instanceof String s) {
            return s;
        }
        problem(node, key, node.value == null ? "a value is required" : "a single value, not a " + (node.value instanceof Map ? "mapping" : "list"));
        return null;
    }

    private int intIn(Located node, String key, String text, int min, int max) {
        try {
            long v = Long.parseLong(text);
            if (v >= min && v <= max) {
                return (int) v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problem(node, key, "an integer in [" + min + ", " + max + "]: " + text);
        return min;
    }

    private void problem(Located at, String key, String message) {
        problems.add(new InputProblem(source, at == null ? 0 : at.line, at == null ? 0 : at.column, key, message));
    }

    /** A YAML value with where it starts: a String, null, a List of Located or a Map of key to Located. */
    private record Located(Object value, int line, int column) {
    }

    private Located value(JsonParser p) throws IOException {
        JsonLocation l = p.currentTokenLocation();
        int line = l.getLineNr();
        int column = l.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Located> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation kl = p.currentTokenLocation();
                    p.nextToken();
                    Located v = value(p);
                    if (map.containsKey(key)) {
                        problems.add(new InputProblem(source, kl.getLineNr(), kl.getColumnNr(), key, "key given twice"));
                    }
                    map.put(key, v);
                }
                return new Located(map, line, column);
            }
            case START_ARRAY -> {
                List<Located> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                return new Located(list, line, column);
            }
            case VALUE_NULL -> {
                return new Located(null, line, column);
            }
            default -> {
                return new Located(p.getText(), line, column);
            }
        }
    }
}
