package io.kmemsim.engine.plugin;

import java.util.Objects;

/**
 * One option of a provider, as {@code kmemsim plugins info} prints it.
 *
 * @param name         the scenario key ({@link OptionNames#toKey} of the record component)
 * @param type         a readable type: {@code int}, {@code long}, {@code double}, {@code boolean},
 *                     {@code string}, {@code list<string>}, {@code map<string, long>},
 *                     {@code one of: A, B} for an enum (its constant names), {@code object} for a
 *                     nested record
 * @param defaultValue the default, rendered as text; {@code ""} when there is none (an empty-string
 *                     default is rendered {@code ""} with its two quotes)
 * @param required     the component is annotated {@link io.kmemsim.api.plugin.Required}
 * @param doc          the component's {@link io.kmemsim.api.plugin.Doc} line, or {@code ""}
 * @param constraint   the declared constraints ({@link OptionConstraints#describe}), e.g. {@code in [0, 1000]},
 *                     or {@code ""}
 */
public record OptionInfo(String name, String type, String defaultValue, boolean required, String doc, String constraint) {

    public OptionInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(constraint, "constraint");
    }

    /** An option without declared constraints. */
    public OptionInfo(String name, String type, String defaultValue, boolean required, String doc) {
        this(name, type, defaultValue, required, doc, "");
    }
}
