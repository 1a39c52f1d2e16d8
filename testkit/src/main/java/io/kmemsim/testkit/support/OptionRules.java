package io.kmemsim.testkit.support;

import io.kmemsim.api.plugin.OneOf;
import io.kmemsim.api.plugin.Positive;
import io.kmemsim.api.plugin.Range;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * What the host requires of an options record, checked without the host: every component has a type the
 * host binds, declared constraints ({@link Range}, {@link Positive}, {@link OneOf}) sit on components of a
 * fitting type, and a value satisfies them. {@link io.kmemsim.testkit.contract.ProviderContract} uses it;
 * plugin tests may too.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class OptionRules {

    private OptionRules() {
    }

    /**
     * The problems of {@code type} as an options record (empty when there are none): not a record, a
     * component of a type the host cannot bind, a constraint on a component of the wrong type.
     */
    public static List<String> checkType(Class<?> type) {
        List<String> problems = new ArrayList<>();
        if (!type.isRecord()) {
            problems.add(type.getName() + " is not a record");
            return problems;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            String where = type.getSimpleName() + "." + c.getName();
            if (!bindable(c.getGenericType(), 0)) {
                problems.add(where + ": the host cannot bind type " + c.getGenericType().getTypeName());
                continue;
            }
            Class<?> element = element(c.getGenericType());
            boolean numeric = element != null && numeric(element);
            if ((c.isAnnotationPresent(Range.class) || c.isAnnotationPresent(Positive.class)) && !numeric) {
                problems.add(where + ": @Range and @Positive need a numeric component, not " + c.getGenericType().getTypeName());
            }
            if (c.isAnnotationPresent(OneOf.class) && element != String.class) {
                problems.add(where + ": @OneOf needs a String component, not " + c.getGenericType().getTypeName());
            }
            Range r = c.getAnnotation(Range.class);
            if (r != null && !(r.min() <= r.max())) {
                problems.add(where + ": @Range min " + r.min() + " is above max " + r.max());
            }
            OneOf o = c.getAnnotation(OneOf.class);
            if (o != null && o.value().length == 0) {
                problems.add(where + ": @OneOf lists no value");
            }
        }
        return problems;
    }

    /** The components of {@code options} whose value breaks a declared constraint, as messages. */
    public static List<String> checkValues(Record options) {
        List<String> problems = new ArrayList<>();
        for (RecordComponent c : options.getClass().getRecordComponents()) {
            Object value;
            try {
                Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                value = accessor.invoke(options);
            } catch (ReflectiveOperationException | RuntimeException e) {
                problems.add(c.getName() + ": cannot read the value: " + e);
                continue;
            }
            Collection<?> values = value instanceof Collection<?> list ? list : Arrays.asList(value);
            for (Object v : values) {
                String broken = violation(c, v);
                if (broken != null) {
                    problems.add(c.getName() + ": " + broken);
                }
            }
        }
        return problems;
    }

    /** What {@code value} breaks of {@code component}'s constraints, or null. */
    static String violation(RecordComponent component, Object value) {
        Range r = component.getAnnotation(Range.class);
        if (r != null && value instanceof Number n && !(n.doubleValue() >= r.min() && n.doubleValue() <= r.max())) {
            return "must be in [" + r.min() + ", " + r.max() + "]: " + value;
        }
        if (component.isAnnotationPresent(Positive.class) && value instanceof Number n && !(n.doubleValue() > 0)) {
            return "must be > 0: " + value;
        }
        OneOf o = component.getAnnotation(OneOf.class);
        if (o != null && !Arrays.asList(o.value()).contains(value)) {
            return "must be one of " + String.join(", ", o.value()) + ": " + value;
        }
        return null;
    }

    private static Class<?> element(Type t) {
        if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            return element(p.getActualTypeArguments()[0]);
        }
        return t instanceof Class<?> c ? c : null;
    }

    private static boolean numeric(Class<?> c) {
        return c == int.class || c == long.class || c == short.class || c == byte.class || c == double.class
                || c == float.class || c == Integer.class || c == Long.class || c == Short.class || c == Byte.class
                || c == Double.class || c == Float.class;
    }

    /** The host binder's types (engine {@code OptionsBinder}); nesting bounded against recursive records. */
    private static boolean bindable(Type t, int depth) {
        if (depth > 8) {
            return false;
        }
        if (t instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            if (p.getRawType() == List.class) {
                return bindable(args[0], depth + 1);
            }
            return p.getRawType() == Map.class && args[0] == String.class && bindable(args[1], depth + 1);
        }
        if (!(t instanceof Class<?> c)) {
            return false;
        }
        if (c == String.class || c == boolean.class || c == Boolean.class || numeric(c) || c.isEnum()) {
            return true;
        }
        if (c.isRecord()) {
            return Arrays.stream(c.getRecordComponents()).allMatch(rc -> bindable(rc.getGenericType(), depth + 1));
        }
        try {
            Method parse = c.getMethod("parse", String.class);
            return Modifier.isStatic(parse.getModifiers()) && c.isAssignableFrom(parse.getReturnType());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
