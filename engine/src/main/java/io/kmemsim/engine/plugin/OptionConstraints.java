package io.kmemsim.engine.plugin;

import io.kmemsim.api.plugin.OneOf;
import io.kmemsim.api.plugin.Positive;
import io.kmemsim.api.plugin.Range;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The constraints an options-record component declares with {@link Range}, {@link Positive} and
 * {@link OneOf}: how {@code plugins info} and the scenario schema show them, and what the host's binder
 * reports for a value that breaks one. A {@code List} component's constraints apply to each element.
 */
public final class OptionConstraints {

    private OptionConstraints() {
    }

    /** The constraints of {@code component} as text, e.g. {@code in [0, 1000]}, {@code > 0}, {@code one of: a, b}; "" for none. */
    public static String describe(RecordComponent component) {
        List<String> parts = new ArrayList<>();
        Range r = component.getAnnotation(Range.class);
        if (r != null) {
            parts.add(describeRange(r));
        }
        if (component.isAnnotationPresent(Positive.class)) {
            parts.add("> 0");
        }
        OneOf o = component.getAnnotation(OneOf.class);
        if (o != null) {
            parts.add("one of: " + String.join(", ", o.value()));
        }
        return String.join(", ", parts);
    }

    /**
     * What {@code value} (the component's value, or one element of a list component) breaks, as a message
     * naming the rule and the value; empty when it breaks nothing or is of a type the constraints do not
     * apply to.
     */
    public static Optional<String> violation(RecordComponent component, Object value) {
        Range r = component.getAnnotation(Range.class);
        if (r != null && value instanceof Number n) {
            double v = n.doubleValue();
            if (v < r.min() || v > r.max() || Double.isNaN(v)) {
                return Optional.of("must be " + describeRange(r) + ": " + value);
            }
        }
        if (component.isAnnotationPresent(Positive.class) && value instanceof Number n && !(n.doubleValue() > 0)) {
            return Optional.of("must be > 0: " + value);
        }
        OneOf o = component.getAnnotation(OneOf.class);
        if (o != null && value instanceof String s && !Arrays.asList(o.value()).contains(s)) {
            return Optional.of("must be one of " + String.join(", ", o.value()) + ": " + s);
        }
        return Optional.empty();
    }

    /** True when {@code component} declares any constraint. */
    public static boolean any(RecordComponent component) {
        return component.isAnnotationPresent(Range.class) || component.isAnnotationPresent(Positive.class)
                || component.isAnnotationPresent(OneOf.class);
    }

    private static String describeRange(Range r) {
        if (Double.isInfinite(r.min())) {
            return "<= " + number(r.max());
        }
        if (Double.isInfinite(r.max())) {
            return ">= " + number(r.min());
        }
        return "in [" + number(r.min()) + ", " + number(r.max()) + "]";
    }

    /** {@code 1000} for integral values, {@code 0.25} otherwise. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return String.valueOf(v);
    }
}
