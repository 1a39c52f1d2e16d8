package io.kmemsim.engine;

import java.util.List;
import java.util.stream.Collectors;

/**
 * User input is wrong: one or more {@link InputProblem}s, all reported at once. The CLI prints the
 * problems (no stack trace) and exits with status 2.
 */
public final class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<InputProblem> problems;

    public InputException(List<InputProblem> problems) {
        super(problems.stream().map(InputProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InputException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public InputException(InputProblem problem) {
        this(List.of(problem));
    }

    /** The problems, in the order found (file order where there is one). */
    public List<InputProblem> problems() {
        return problems;
    }
}
