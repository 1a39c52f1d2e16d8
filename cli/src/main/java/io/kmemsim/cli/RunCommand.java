package io.kmemsim.cli;

import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.plugin.RefusedPlugin;
import io.kmemsim.engine.run.RunObserver;
import io.kmemsim.engine.run.RunResult;
import io.kmemsim.engine.run.Simulation;
import io.kmemsim.engine.run.RunState;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a scenario key, e.g. --set seed=7 --set workload.options.events=10000 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "print nothing but errors (no progress, no summary)")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (PluginRegistry registry = Main.of(spec).openRegistry()) {
            for (RefusedPlugin r : registry.refused()) {
                err.println("kmemsim: warning: plugin " + r.pluginId() + " was not loaded (" + r.source() + "): " + r.reason());
            }
            ScenarioLoader loader = new ScenarioLoader(ProviderLookup.of(registry.providers()));
            Scenario scenario = scenarioFile == null ? loader.loadDefault(overrides) : loader.load(scenarioFile, overrides);
            RunObserver progress = quiet || System.console() == null ? RunObserver.NONE : new Progress(err);
            RunResult result = new Simulation(scenario).observer(progress).run();
            if (!quiet) {
                RunSummary.print(out, scenario, result);
            }
        }
        return Failures.OK;
    }

    /** A one-line progress display on a terminal's stderr. */
    private static final class Progress implements RunObserver {
        private final PrintWriter err;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void progress(long events, long expected) {
            if (expected > 0) {
                err.printf("\r%3d%%  %,d / %,d events", events * 100 / expected, events, expected);
            } else {
                err.printf("\r%,d events", events);
            }
            err.flush();
        }

        @Override
        public void finished(RunState state) {
            clear();
        }

        @Override
        public void failed(RunState state, RuntimeException failure) {
            clear();
        }

        private void clear() {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
