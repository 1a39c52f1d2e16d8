package io.kmemsim.api.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Declares the closed range {@code [min, max]} of a numeric options-record component ({@code int},
 * {@code long}, {@code short}, {@code byte}, {@code double}, {@code float} or their boxes). The host checks
 * a value the scenario gives against it and reports a value outside it at the value's own line and
 * column; {@code kmemsim plugins info} and {@code kmemsim scenario schema} show it. On a {@code List}
 * component the range applies to every element.
 *
 * <pre>{@code
 * public record MyOptions(@Range(min = 0, max = 1) double claimThreshold) { ... }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
public @interface Range {
    /** The smallest allowed value (inclusive); no lower bound by default. */
    double min() default Double.NEGATIVE_INFINITY;

    /** The largest allowed value (inclusive); no upper bound by default. */
    double max() default Double.POSITIVE_INFINITY;
}
