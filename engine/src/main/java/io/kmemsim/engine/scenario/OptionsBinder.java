package io.kmemsim.engine.scenario;

import io.kmemsim.api.plugin.Required;
import io.kmemsim.engine.plugin.OptionConstraints;
import io.kmemsim.engine.plugin.OptionNames;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Binds a node of the scenario document ({@link Nodes}) to a provider's options record, reporting every
 * problem to {@link Problems}. The one binder of options: scenario files, {@code --set} and the CLI's
 * {@code -o KEY=VALUE} ({@link OptionTexts}) all go through it, with the same rules and messages.
 *
 * <p>Notes:
 * <ul>
 *   <li>Keys are the record's component names in kebab case ({@link OptionNames#toKey}); unknown keys are
 *       errors, with a suggestion when a key is close.</li>
 *   <li>A component not given takes its value from the record's public no-argument constructor; a
 *       component annotated {@link Required}, or any component of a record without such a constructor,
 *       must be given.</li>
 *   <li>Each value is converted on its own, so one bad value does not hide the others; the record is
 *       built with its canonical constructor only when all its values converted. An
 *       {@link IllegalArgumentException} from that constructor is a problem at the mapping.</li>
 *   <li>Types: {@code String}; {@code int/long/short/byte} and boxes (decimal, {@code 0x} hex,
 *       {@code _} separators); {@code double/float}; {@code boolean}; any type with a public static
 *       {@code parse(String)} returning it (e.g. {@code KernelVersion}, {@code PageSize}); enums (by
 *       constant name, any case, {@code -} for {@code _}); nested records; {@code List<T>};
 *       {@code Map<String, T>}.</li>
 * </ul>
 */
final class OptionsBinder {

    /** Marks a value that did not convert; its problem is already reported. */
    static final Object FAILED = new Object();

    private final Problems problems;
    private final String source;

    /** @param source the document's name, for the origins of its nodes */
    OptionsBinder(Problems problems, String source) {
        this.problems = problems;
        this.source = source;
    }

    private Origin at(Node node) {
        return Nodes.origin(node, source);
    }

    /**
     * Binds {@code node} (a mapping, or null when the scenario gives none) to an instance of {@code type}.
     *
     * @param missingAt where to report missing keys when {@code node} is null
     * @return the record, or {@link #FAILED}
     */
    Object bindRecord(Class<?> type, Node node, Origin missingAt, String path) {
        if (node != null && !(node instanceof MappingNode)) {
            problems.add(at(node), path, "expected a mapping: " + Nodes.describe(node));
            return FAILED;
        }
        MappingNode map = (MappingNode) node;
        RecordComponent[] components = type.getRecordComponents();
        List<String> keys = new ArrayList<>(components.length);
        for (RecordComponent c : components) {
            keys.add(OptionNames.toKey(c.getName()));
        }
        Origin at = map == null ? missingAt : at(map);
        if (map != null) {
            for (NodeTuple f : map.getValue()) {
                if (!keys.contains(Nodes.key(f))) {
                    problems.add(at(f.getKeyNode()), Problems.join(path, Nodes.key(f)), Names.unknownKey(Nodes.key(f), keys));
                }
            }
        }
        Object defaults = defaults(type, at, path);
        Object[] values = new Object[components.length];
        boolean ok = defaults != FAILED;
        for (int i = 0; i < components.length; i++) {
            Node given = map == null ? null : Nodes.get(map, keys.get(i));
            values[i] = given != null
                    ? checked(components[i], convert(components[i].getGenericType(), given, Problems.join(path, keys.get(i))),
                            given, Problems.join(path, keys.get(i)))
                    : missing(components[i], defaults, at, Problems.join(path, keys.get(i)));
            ok &= values[i] != FAILED;
        }
        return ok ? construct(type, components, values, at, path) : FAILED;
    }

    /**
     * Checks a converted value against the component's declared constraints ({@code @Range},
     * {@code @Positive}, {@code @OneOf}); a list's elements one by one, each at its own origin.
     */
    private Object checked(RecordComponent component, Object value, Node given, String path) {
        if (value == FAILED || !OptionConstraints.any(component)) {
            return value;
        }
        if (value instanceof List<?> list && given instanceof SequenceNode nodes) {
            boolean ok = true;
            for (int i = 0; i < list.size(); i++) {
                Optional<String> broken = OptionConstraints.violation(component, list.get(i));
                if (broken.isPresent()) {
                    problems.add(at(nodes.getValue().get(i)), path + "[" + i + "]", broken.get());
                    ok = false;
                }
            }
            return ok ? value : FAILED;
        }
        Optional<String> broken = OptionConstraints.violation(component, value);
        if (broken.isPresent()) {
            problems.add(at(given), path, broken.get());
            return FAILED;
        }
        return value;
    }

    private Object missing(RecordComponent component, Object defaults, Origin at, String path) {
        if (defaults == null || defaults == FAILED || component.isAnnotationPresent(Required.class)) {
            if (defaults != FAILED) {
                problems.add(at, path, "missing required key");
            }
            return FAILED;
        }
        try {
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(defaults);
        } catch (ReflectiveOperationException | RuntimeException e) {
            problems.add(at, path, "cannot read the default of " + component.getDeclaringRecord().getName()
                    + "." + component.getName() + ": " + e);
            return FAILED;
        }
    }

    /** The record made by the public no-argument constructor, null when there is none, or FAILED. */
    private Object defaults(Class<?> type, Origin at, String path) {
        Constructor<?> noArg;
        try {
            noArg = type.getConstructor();
        } catch (NoSuchMethodException e) {
            return null;
        }
        if (type.getRecordComponents().length == 0) {
            return null;
        }
        try {
            noArg.setAccessible(true);
            return noArg.newInstance();
        } catch (InvocationTargetException e) {
            problems.add(at, path, "the defaults of " + type.getName() + " are invalid: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            problems.add(at, path, "cannot create the defaults of " + type.getName() + ": " + e);
        }
        return FAILED;
    }

    private Object construct(Class<?> type, RecordComponent[] components, Object[] values, Origin at, String path) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            problems.add(at, path, message);
        } catch (ReflectiveOperationException | RuntimeException e) {
            problems.add(at, path, "cannot create " + type.getName() + ": " + e);
        }
        return FAILED;
    }

    /** Converts {@code node} to {@code type}; reports and returns {@link #FAILED} when it does not fit. */
    Object convert(Type type, Node node, String path) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return convertList(p.getActualTypeArguments()[0], node, path);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class
                && p.getActualTypeArguments()[0] == String.class) {
            return convertMap(p.getActualTypeArguments()[1], node, path);
        }
        if (!(type instanceof Class<?> c)) {
            problems.add(at(node), path, "unsupported option type " + type.getTypeName());
            return FAILED;
        }
        if (c.isRecord()) {
            return bindRecord(c, node, at(node), path);
        }
        if (!(node instanceof ScalarNode s) || Nodes.isNull(s)) {
            return fail(node, path, "expected " + expectation(c));
        }
        return convertScalar(c, s, path);
    }

    private Object convertList(Type element, Node node, String path) {
        if (!(node instanceof SequenceNode list)) {
            return fail(node, path, "expected a list");
        }
        List<Object> out = new ArrayList<>(list.getValue().size());
        boolean ok = true;
        for (int i = 0; i < list.getValue().size(); i++) {
            Object v = convert(element, list.getValue().get(i), path + "[" + i + "]");
            ok &= v != FAILED;
            out.add(v);
        }
        return ok ? Collections.unmodifiableList(out) : FAILED;
    }

    private Object convertMap(Type valueType, Node node, String path) {
        if (!(node instanceof MappingNode map)) {
            return fail(node, path, "expected a mapping");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean ok = true;
        for (NodeTuple f : map.getValue()) {
            Object v = convert(valueType, f.getValueNode(), Problems.join(path, Nodes.key(f)));
            ok &= v != FAILED;
            out.put(Nodes.key(f), v);
        }
        return ok ? Collections.unmodifiableMap(out) : FAILED;
    }

    private Object convertScalar(Class<?> c, ScalarNode s, String path) {
        if (c == String.class) {
            return s.getValue();
        }
        if (c == boolean.class || c == Boolean.class) {
            return Nodes.kind(s) == Nodes.Kind.BOOLEAN ? (Object) Nodes.isTrue(s)
                    : fail(s, path, "expected true or false");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return convertFloating(c, s, path);
        }
        long[] range = integerRange(c);
        if (range != null) {
            return convertInteger(c, range, s, path);
        }
        Method parse = parseMethod(c);
        if (parse != null) {
            return invokeParse(parse, s, path);
        }
        if (c.isEnum()) {
            return convertEnum(c, s, path);
        }
        return fail(s, path, "unsupported option type " + c.getName());
    }

    private Object convertFloating(Class<?> c, ScalarNode s, String path) {
        if (Nodes.kind(s) != Nodes.Kind.INTEGER && Nodes.kind(s) != Nodes.Kind.FLOAT) {
            return fail(s, path, "expected a number");
        }
        try {
            double d = Double.parseDouble(s.getValue().replace("_", ""));
            return c == float.class || c == Float.class ? (Object) (float) d : (Object) d;
        } catch (NumberFormatException e) {
            return fail(s, path, "expected a number");
        }
    }

    private Object convertInteger(Class<?> c, long[] range, ScalarNode s, String path) {
        BigInteger value = Nodes.kind(s) == Nodes.Kind.INTEGER ? parseInteger(s.getValue()) : null;
        if (value == null) {
            return fail(s, path, "expected an integer");
        }
        if (value.compareTo(BigInteger.valueOf(range[0])) < 0 || value.compareTo(BigInteger.valueOf(range[1])) > 0) {
            return fail(s, path, "expected an integer in [" + range[0] + ", " + range[1] + "]");
        }
        long v = value.longValue();
        if (c == int.class || c == Integer.class) {
            return (int) v;
        }
        if (c == short.class || c == Short.class) {
            return (short) v;
        }
        if (c == byte.class || c == Byte.class) {
            return (byte) v;
        }
        return v;
    }

    /**
     * Decimal (a leading 0 stays decimal), {@code 0x} hex, {@code 0o} octal or {@code 0b} binary, with an
     * optional sign and {@code _} separators; null when {@code text} is none of these.
     */
    static BigInteger parseInteger(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        int radix = 10;
        if (t.length() > 2 && t.charAt(0) == '0' && "xXoObB".indexOf(t.charAt(1)) >= 0) {
            char r = Character.toLowerCase(t.charAt(1));
            radix = r == 'x' ? 16 : r == 'o' ? 8 : 2;
            t = t.substring(2);
        }
        if (t.isEmpty() || t.charAt(0) == '-' || t.charAt(0) == '+') {
            return null;
        }
        try {
            BigInteger v = new BigInteger(t, radix);
            return negative ? v.negate() : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long[] integerRange(Class<?> c) {
        if (c == int.class || c == Integer.class) {
            return new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
        }
        if (c == long.class || c == Long.class) {
            return new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        }
        if (c == short.class || c == Short.class) {
            return new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
        }
        if (c == byte.class || c == Byte.class) {
            return new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
        }
        return null;
    }

    private static Method parseMethod(Class<?> c) {
        try {
            Method m = c.getMethod("parse", String.class);
            return Modifier.isStatic(m.getModifiers()) && c.isAssignableFrom(m.getReturnType()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private Object invokeParse(Method parse, ScalarNode s, String path) {
        try {
            return parse.invoke(null, s.getValue());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            problems.add(at(s), path, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (IllegalAccessException e) {
            problems.add(at(s), path, "cannot call " + parse + ": " + e);
        }
        return FAILED;
    }

    private Object convertEnum(Class<?> c, ScalarNode s, String path) {
        String wanted = s.getValue().replace('-', '_');
        List<String> names = new ArrayList<>();
        for (Object constant : c.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            if (name.equalsIgnoreCase(wanted)) {
                return constant;
            }
            names.add(name.toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return fail(s, path, "expected one of " + String.join(", ", names));
    }

    private static String expectation(Class<?> c) {
        if (c == String.class) {
            return "a string";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (integerRange(c) != null) {
            return "an integer";
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return "a number";
        }
        return "a value of type " + c.getSimpleName();
    }

    private Object fail(Node node, String path, String expected) {
        problems.add(at(node), path, expected + ": " + Nodes.describe(node));
        return FAILED;
    }
}
