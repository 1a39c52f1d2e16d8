package io.kmemsim.cli;

import io.kmemsim.engine.explain.ExplainText;
import io.kmemsim.engine.explain.Explainer;
import io.kmemsim.engine.explain.Explanation;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.plugin.RefusedPlugin;
import io.kmemsim.engine.report.ExplainPage;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.scenario.ScenarioLoader;
import java.io.IOException;
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

/**
 * {@code kmemsim explain [SCENARIO] [--events N] [--trace FILE] [--html FILE]}: the page allocator's own
 * step-by-step narration of the first page events of a run or a trace, naming the kernel rule of each step.
 * The work is {@link Explainer}'s; docs/explain.md walks through an example against the kernel source.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Narrate the first page allocations and frees of a scenario or trace step by step through the",
            "kernel's rules: zonelist walk, watermark check, per-CPU lists, __rmqueue_smallest, expand, fallback, merges."},
        footer = {"", "Examples:", "  kmemsim explain scenarios/explain.yaml",
            "  kmemsim explain --trace scenarios/traces/sample-6.1.trace --events 5 --html explain.html"})
public final class ExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO",
            description = "a scenario file (YAML, or JSON when it ends in .json); default: the built-in scenario")
    Path scenarioFile;

    @Option(names = "--events", paramLabel = "N", defaultValue = "12",
            description = "how many page allocations and frees to narrate (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--trace", paramLabel = "FILE", description = "narrate the first events of this kernel trace (policy mode)")
    Path trace;

    @Option(names = "--html", paramLabel = "FILE", description = "also write the narration as an HTML page that steps through it")
    Path html;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a scenario key (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> all = new ArrayList<>();
        if (trace != null) {
            all.add("workload={id: trace, options: {file: \"" + trace.toString().replace("\\", "\\\\").replace("\"", "\\\"")
                    + "\", mode: policy}}");
        }
        all.addAll(overrides);
        Explanation explanation;
        try (PluginRegistry registry = Main.of(spec).openRegistry()) {
            for (RefusedPlugin r : registry.refused()) {
                err.println("kmemsim: warning: plugin " + r.pluginId() + " was not loaded (" + r.source() + "): " + r.reason());
            }
            ScenarioLoader loader = new ScenarioLoader(ProviderLookup.of(registry));
            Scenario scenario = scenarioFile == null ? loader.loadDefault(all) : loader.load(scenarioFile, all);
            explanation = Explainer.explain(scenario, events);
        }
        out.print(ExplainText.render(explanation));
        if (html != null) {
            try {
                long bytes = ExplainPage.write(explanation, html);
                out.println();
                out.println("html       " + html + " (" + (bytes + 1023) / 1024 + " KiB)");
            } catch (IOException e) {
                throw Reports.cannotWrite(html, e);
            }
        }
        return Failures.OK;
    }
}
