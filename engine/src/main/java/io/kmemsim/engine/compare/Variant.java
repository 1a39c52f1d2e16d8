package io.kmemsim.engine.compare;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One named variant of a comparison: the {@code --set} overrides (docs/scenarios.md) applied to the base
 * scenario for this run, after any overrides common to all variants.
 *
 * @param name      the label of the variant's row (non-blank, no line breaks)
 * @param overrides {@code key=value} texts, applied in order
 */
public record Variant(String name, List<String> overrides) {

    /** The source named by problems in a variant's text. */
    public static final String SOURCE = "--variant";

    public Variant {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.contains("\n") || name.contains("\r")) {
            throw new IllegalArgumentException("a variant name must be non-blank and on one line: \"" + name + "\"");
        }
        overrides = List.copyOf(overrides);
    }

    /**
     * Reads {@code name: key=value,key=value,...}. A piece without {@code =} continues the value before it,
     * so values may hold commas ({@code workload.options.weights=churn:1,thp:1} or {@code orders=[0,9]}).
     * {@code name:} alone is the base scenario unchanged.
     *
     * @throws InputException naming the text and what is wrong with it
     */
    public static Variant parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        int eq = text.indexOf('=');
        if (colon <= 0 || (eq >= 0 && eq < colon)) {
            throw problem(text, "a variant is written 'name: key=value,key=value,...'");
        }
        String name = text.substring(0, colon).strip();
        if (name.isEmpty()) {
            throw problem(text, "the variant name before ':' is empty");
        }
        List<String> overrides = new ArrayList<>();
        String rest = text.substring(colon + 1).strip();
        if (!rest.isEmpty()) {
            for (String piece : rest.split(",", -1)) {
                String p = piece.strip();
                if (p.contains("=")) {
                    overrides.add(p);
                } else if (overrides.isEmpty()) {
                    throw problem(text, "expected key=value after the name: \"" + p + "\"");
                } else {
                    int last = overrides.size() - 1;
                    overrides.set(last, overrides.get(last) + "," + p);
                }
            }
        }
        return new Variant(name, overrides);
    }

    private static InputException problem(String text, String message) {
        return new InputException(new InputProblem(SOURCE, 0, 0, "", message + ": \"" + text + "\""));
    }

    /** {@code name: key=value,...} as {@link #parse} reads it. */
    @Override
    public String toString() {
        return name + ": " + String.join(",", overrides);
    }
}
