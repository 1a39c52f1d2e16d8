package io.kmemsim.engine.plugin;

import io.kmemsim.api.plugin.Doc;
import io.kmemsim.api.plugin.Required;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Describes a provider's options record for {@code kmemsim plugins info}: one {@link OptionInfo} per
 * record component, in declaration order.
 *
 * <p>The option name is the component's scenario key ({@link OptionNames#toKey}); the default comes from
 * the record's public no-argument constructor when it has one (the contract of
 * {@link io.kmemsim.api.plugin.Provider#optionsType()}); {@link Required} and {@link Doc} are read from
 * the components. Types print as the scenario author writes them: {@code int}, {@code long},
 * {@code boolean}, {@code string}, {@code list<string>}, {@code map<string, int>}, {@code one of: A, B}
 * for an enum (its constant names), {@code object} for a nested record; boxed types print as their
 * primitive, other classes by simple name.
 */
public final class OptionsDescriber {

    private static final Map<Class<?>, String> SCALARS = Map.ofEntries(
            Map.entry(Integer.class, "int"), Map.entry(Long.class, "long"), Map.entry(Short.class, "short"),
            Map.entry(Byte.class, "byte"), Map.entry(Double.class, "double"), Map.entry(Float.class, "float"),
            Map.entry(Boolean.class, "boolean"), Map.entry(Character.class, "char"),
            Map.entry(String.class, "string"), Map.entry(CharSequence.class, "string"));

    private OptionsDescriber() {
    }

    /**
     * The options of {@code entry}'s provider; calling {@code optionsType()} and the record's
     * no-argument constructor is a {@link FaultBoundary}.
     *
     * @throws PluginFailureException when either throws
     */
    public static List<OptionInfo> describe(ProviderEntry entry) {
        return FaultBoundary.call(entry, "optionsType", () -> describe(entry.provider().optionsType()));
    }

    /**
     * The options of record {@code optionsType}.
     *
     * @throws IllegalArgumentException when {@code optionsType} is not a record
     * @throws IllegalStateException    when its no-argument constructor or an accessor throws or is not
     *                                  accessible (the cause is the original exception)
     */
    public static List<OptionInfo> describe(Class<? extends Record> optionsType) {
        if (!optionsType.isRecord()) {
            throw new IllegalArgumentException("options type must be a record class: " + optionsType.getName());
        }
        Optional<Record> defaults = defaults(optionsType);
        List<OptionInfo> options = new ArrayList<>();
        for (RecordComponent component : optionsType.getRecordComponents()) {
            Doc doc = component.getAnnotation(Doc.class);
            options.add(new OptionInfo(
                    OptionNames.toKey(component.getName()),
                    typeName(component.getGenericType()),
                    defaults.map(d -> render(value(optionsType, component, d))).orElse(""),
                    component.isAnnotationPresent(Required.class),
                    doc == null ? "" : doc.value(),
                    OptionConstraints.describe(component)));
        }
        return options;
    }

    /** The readable name of an option type, as in the class comment. */
    static String typeName(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (Map.class.isAssignableFrom(raw) && args.length == 2) {
                return "map<" + typeName(args[0]) + ", " + typeName(args[1]) + ">";
            }
            if (Optional.class.equals(raw)) {
                return typeName(args[0]);
            }
            String arguments = Arrays.stream(args).map(OptionsDescriber::typeName).collect(Collectors.joining(", "));
            return collectionName(raw) + "<" + arguments + ">";
        }
        if (type instanceof WildcardType w) {
            return typeName(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return v.getName();
        }
        return className((Class<?>) type);
    }

    private static String className(Class<?> c) {
        if (c.isPrimitive()) {
            return c.getName();
        }
        if (SCALARS.containsKey(c)) {
            return SCALARS.get(c);
        }
        if (c.isEnum()) {
            return "one of: " + Arrays.stream(c.getEnumConstants())
                    .map(e -> ((Enum<?>) e).name()).collect(Collectors.joining(", "));
        }
        if (c.isArray()) {
            return "list<" + className(c.getComponentType()) + ">";
        }
        if (c.isRecord()) {
            return "object";
        }
        if (Map.class.isAssignableFrom(c)) {
            return "map";
        }
        return Collection.class.isAssignableFrom(c) ? collectionName(c) : c.getSimpleName();
    }

    private static String collectionName(Class<?> raw) {
        if (Set.class.isAssignableFrom(raw)) {
            return "set";
        }
        return Collection.class.isAssignableFrom(raw) || Iterable.class.equals(raw) ? "list" : raw.getSimpleName();
    }

    /** The default value as text: "" for none, {@code ""} (quotes) for an empty string, lists as {@code [a, b]}. */
    static String render(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s.isEmpty() ? "\"\"" : s;
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof Optional<?> o) {
            return o.map(OptionsDescriber::render).orElse("");
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(OptionsDescriber::render).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value.getClass().isArray()) {
            return IntStream.range(0, Array.getLength(value)).mapToObj(i -> render(Array.get(value, i)))
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> render(e.getKey()) + ": " + render(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(value);
    }

    private static Optional<Record> defaults(Class<? extends Record> type) {
        Constructor<? extends Record> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(constructor.newInstance());
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the no-argument constructor of options record " + type.getName()
                    + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call the no-argument constructor of options record "
                    + type.getName() + " (is the record public?): " + e, e);
        }
    }

    private static Object value(Class<?> type, RecordComponent component, Record instance) {
        try {
            return component.getAccessor().invoke(instance);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("accessor " + component.getName() + "() of options record "
                    + type.getName() + " threw " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read component " + component.getName() + " of options record "
                    + type.getName() + " (is the record public?)", e);
        }
    }
}
