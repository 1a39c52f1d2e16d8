package io.kmemsim.engine.scenario;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of a scenario so that all are reported at once. */
final class Problems {

    private final List<InputProblem> list = new ArrayList<>();
    private final String overrideSource;

    /** Problems of a scenario: overrides are reported as {@value ScenarioLoader#OVERRIDE_SOURCE}. */
    Problems() {
        this(ScenarioLoader.OVERRIDE_SOURCE);
    }

    /** Problems whose override values came from {@code overrideSource} (e.g. a command's {@code -o}). */
    Problems(String overrideSource) {
        this.overrideSource = overrideSource;
    }

    void add(Origin at, String key, String message) {
        String source = at.line() == 0 && at.source().equals(ScenarioLoader.OVERRIDE_SOURCE) ? overrideSource : at.source();
        list.add(new InputProblem(source, at.line(), at.column(), key, message));
    }

    /** The messages so far, in the order added. */
    List<String> messages() {
        return list.stream().map(InputProblem::message).toList();
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    /**
     * Throws the problems found, if any: the file's in line and column order, then the overrides' in
     * the order given.
     */
    void throwIfAny() {
        if (list.isEmpty()) {
            return;
        }
        List<InputProblem> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparing((InputProblem p) -> p.source().equals(overrideSource))
                .thenComparingInt(InputProblem::line)
                .thenComparingInt(InputProblem::column));
        throw new InputException(sorted);
    }

    /** {@code parent.key}, or {@code key} at the top. */
    static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }
}
