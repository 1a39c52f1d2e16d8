package io.kmemsim.api.plugin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Declares the allowed values of a {@code String} options-record component (exact, case-sensitive). The
 * host checks the value the scenario gives and reports any other at the value's own line and column,
 * listing the allowed ones. (An {@code enum} component needs no annotation: the host binds it by constant
 * name, {@code -} for {@code _}, and lists the names itself.)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
public @interface OneOf {
    /** The allowed values. */
    String[] value();
}
