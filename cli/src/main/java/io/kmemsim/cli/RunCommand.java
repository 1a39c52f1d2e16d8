package io.kmemsim.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kmemsim run [SCENARIO]}: loads a scenario (or the built-in default), runs it, prints a summary. */
@Command(name = "run", description = "Run a scenario (default: the built-in one) and print a summary.", mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO",
            description = "a scenario file (YAML, or JSON when it ends in .json); default: the built-in scenario")
    Path scenarioFile;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() {
        return ScenarioRun.run(spec, scenarioFile, options.overrides, options);
    }
}
