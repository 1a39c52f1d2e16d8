package io.kmemsim.cli;

import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.scenario.ScenarioSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kmemsim scenario}: tools for scenario files. */
@Command(name = "scenario", description = "Tools for scenario files.", mixinStandardHelpOptions = true,
        subcommands = {ScenarioCommand.Schema.class})
final class ScenarioCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Failures.USAGE;
    }

    /** {@code kmemsim scenario schema}. */
    @Command(name = "schema", mixinStandardHelpOptions = true,
            description = {"Print a JSON Schema (draft 2020-12) for scenario files, generated from the installed plugins' options:",
                "every key, each component's provider ids, and per provider its options with types, defaults, docs and ranges.",
                "Point your editor's YAML/JSON schema setting at it to complete and check scenarios."})
    static final class Schema implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (PluginRegistry registry = Main.of(spec).openRegistry()) {
                spec.commandLine().getOut().print(ScenarioSchema.of(registry.providers()));
                spec.commandLine().getOut().flush();
            }
            return Failures.OK;
        }
    }
}
