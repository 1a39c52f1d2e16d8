package io.kmemsim.cli;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.compare.Comparison;
import io.kmemsim.engine.compare.ComparisonTable;
import io.kmemsim.engine.compare.Variant;
import io.kmemsim.engine.compare.VariantResult;
import io.kmemsim.engine.compare.VariantSummary;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.plugin.RefusedPlugin;
import io.kmemsim.engine.results.Temporaries;
import io.kmemsim.engine.report.ReportWriter;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.engine.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmemsim compare [SCENARIO] --variant 'name: key=value,...' ...}: runs one scenario under named
 * variants with the same seed and prints a markdown table of anti-fragmentation measures (and writes
 * CSV with {@code --csv}). The work is {@link Comparison}'s; docs/experiments/README.md explains the
 * columns.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run one scenario under several variants (same seeds) and compare order-N success, mixed pageblocks,",
            "fallbacks, compaction stalls, pages migrated and free memory in whole pageblocks: mean ± 95 % CI over",
            "--seeds, delta from the --baseline variant, and the plugins (id, version, source) each variant ran.",
            "Runs go in parallel on the cores; each run is deterministic, so the table does not depend on it."},
        footer = {"", "Example:",
            "  kmemsim compare scenarios/mobility.yaml --variant 'grouping-off: fallback=null' \\",
            "      --variant 'linux+none: fallback.id=linux,compaction.id=none' --seeds 5 --csv out.csv"})
public final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO",
            description = "the base scenario file (YAML, or JSON when it ends in .json); default: the built-in scenario")
    Path scenarioFile;

    @Option(names = "--variant", paramLabel = "'NAME: KEY=VALUE,...'",
            description = "a variant: a name and the --set overrides it applies to the base (repeatable; "
                    + "'NAME:' alone is the base unchanged; default: the base alone)")
    List<String> variants = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "an override applied to every variant before its own (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--order", paramLabel = "N", defaultValue = "-1",
            description = "the order whose allocation success is reported (default: the pageblock order)")
    int order;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
            description = "run each variant with N seeds (the scenario's seed and the N-1 after it) and show mean ± 95 % CI (default 1)")
    int seeds;

    @Option(names = "--baseline", paramLabel = "NAME",
            description = "the variant the other rows' deltas are taken from (default: the first variant)")
    String baseline;

    @Option(names = {"-j", "--threads"}, paramLabel = "N", defaultValue = "0",
            description = "runs at once (default 0: one per available core); results do not depend on it")
    int threads;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write the results as CSV to FILE (one line per run)")
    Path csv;

    @Option(names = {"-q", "--quiet"}, description = "no progress lines on stderr")
    boolean quiet;

    @Option(names = "--report", description = "write each variant's results directory under --out and the HTML report"
            + " comparing them, OUT/report.html")
    boolean report;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "results/compare",
            description = "with --report: where the variants' results directories and report.html go (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Variant> parsed = parseVariants();
        String base = baseline == null ? parsed.get(0).name() : baseline;
        if (parsed.stream().noneMatch(v -> v.name().equals(base))) {
            throw new InputException(new InputProblem("--baseline", 0, 0, "", "no variant is named '" + base + "'; variants: "
                    + parsed.stream().map(Variant::name).collect(Collectors.joining(", "))));
        }
        if (threads < 0) {
            throw new InputException(new InputProblem("--threads", 0, 0, "", "threads must be >= 0 (0: one per core): " + threads));
        }
        int workers = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        try (PluginRegistry registry = Main.of(spec).openRegistry()) {
            for (RefusedPlugin r : registry.refused()) {
                err.println("kmemsim: warning: plugin " + r.pluginId() + " was not loaded (" + r.source() + "): " + r.reason());
            }
            ScenarioLoader loader = new ScenarioLoader(ProviderLookup.of(registry));
            Comparison comparison = new Comparison(o -> scenarioFile == null ? loader.loadDefault(o)
                    : loader.load(scenarioFile, o), overrides);
            long started = System.nanoTime();
            int[] done = {0};
            int total = parsed.size() * Math.max(seeds, 1);
            CompareResults dirs = report ? new CompareResults(outDir) : null;
            List<VariantResult> results = comparison.run(parsed, order, seeds, workers, r -> {
                if (!quiet) {
                    err.printf(Locale.ROOT, "compare: %d/%d %s seed %d (%.1f s)%n", ++done[0], total, r.variant().name(), r.seed(),
                            (System.nanoTime() - started) / 1e9);
                    err.flush();
                }
            }, dirs);
            out.print(ComparisonTable.summary(VariantSummary.of(results), base));
            out.flush();
            if (csv != null) {
                writeAtomically(csv, ComparisonTable.csv(results));
            }
            if (dirs != null) {
                ReportWriter.Written w = Reports.write(dirs.dirs(reportOrder(parsed, base)), dirs.labels(reportOrder(parsed, base)),
                        outDir.resolve(ReportWriter.FILE));
                out.println();
                out.println("report     " + w.html() + " (" + (w.bytes() + 1023) / 1024 + " KiB; results per variant in "
                        + outDir + "/)");
            }
        }
        return Failures.OK;
    }

    /** The variants with the baseline first (the report compares against its first directory). */
    private static List<Variant> reportOrder(List<Variant> variants, String baseline) {
        List<Variant> out = new ArrayList<>();
        variants.stream().filter(v -> v.name().equals(baseline)).forEach(out::add);
        variants.stream().filter(v -> !v.name().equals(baseline)).forEach(out::add);
        return out;
    }

    private List<Variant> parseVariants() {
        if (variants.isEmpty()) {
            return List.of(new Variant("base", List.of()));
        }
        List<Variant> parsed = new ArrayList<>();
        List<InputProblem> problems = new ArrayList<>();
        for (String v : variants) {
            try {
                parsed.add(Variant.parse(v));
            } catch (InputException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        return parsed;
    }

    /** Writes {@code text} to {@code target} atomically (a temporary beside it, honouring the umask, renamed over it). */
    private static void writeAtomically(Path target, String text) {
        try {
            Temporaries.writeFile(target.toAbsolutePath(), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw OutputException.of("cannot write " + target.toAbsolutePath(), e);
        }
    }
}
