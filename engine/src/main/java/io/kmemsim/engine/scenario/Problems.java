package io.kmemsim.engine.scenario;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of a scenario so that all are reported at once. */
final class Problems {

    private final List<InputProblem> list = new ArrayList<>();

    void add(Origin at, String key, String message) {
        list.add(new InputProblem(at.source(), at.line(), at.column(), key, message));
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
        sorted.sort(Comparator.comparing((InputProblem p) -> p.source().equals(ScenarioLoader.OVERRIDE_SOURCE))
                .thenComparingInt(InputProblem::line)
                .thenComparingInt(InputProblem::column));
        throw new InputException(sorted);
    }

    /** {@code parent.key}, or {@code key} at the top. */
    static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }
}
