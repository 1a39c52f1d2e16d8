package io.kmemsim.api.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Declares that a numeric options-record component must be greater than zero. The host checks the value
 * the scenario gives and reports it at the value's own line and column; on a {@code List} component every
 * element must be positive.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
public @interface Positive {
}
