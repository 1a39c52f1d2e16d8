package io.kmemsim.archfixture.buddy;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;

/** Deliberately breaks the plugin rule (a plugin naming an engine class), to prove the rule can fail. */
public final class BrokenPluginClass {

    private BrokenPluginClass() {
    }

    public static RuntimeException fail() {
        return new InputException(new InputProblem("fixture", 0, 0, "", "a plugin must not use engine types"));
    }
}
