package io.kmemsim.cli;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.engine.twin.Twin;
import io.kmemsim.engine.twin.TwinOutput;
import io.kmemsim.engine.twin.TwinResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmemsim twin DIR}: the digital twin of the machine a capture bundle was taken on (docs/twin.md).
 * Writes OUT atomically and prints the real-vs-twin report; with {@code --report}, then OUT/report.html.
 */
@Command(name = "twin", description = "Rebuild a captured machine, replay its kernel trace and compare with the kernel's end state.",
        mixinStandardHelpOptions = true)
final class TwinCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "a capture bundle (kmemsim capture, or the bench's output directory)")
    Path dir;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "exact",
            description = "exact: the kernel's PFNs and per-CPU lists; policy: the simulated allocator places (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT", description = "output directory (default: results/twin-<bundle name>)")
    Path out;

    @Option(names = "--quiet", description = "print only the distances")
    boolean quiet;

    @Option(names = "--no-window", description = "do not rebuild the untraced work between the after and compacted snapshots"
            + " (inferred from vmstat and zoneinfo) before and after compact_memory")
    boolean noWindow;

    @Option(names = "--report", description = "also write OUT/report.html: real against simulated side by side (docs/report.md)")
    boolean report;

    @Override
    public Integer call() throws IOException {
        Twin.Mode m;
        try {
            m = Twin.Mode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new InputException(new InputProblem("--mode", 0, 0, "", e.getMessage()));
        }
        TwinResult result;
        try (PluginRegistry registry = Main.of(spec).openRegistry()) {
            result = Twin.run(dir, m, ProviderLookup.of(registry), !noWindow);
        }
        Path target = out != null ? out : Path.of("results", "twin-" + dir.toAbsolutePath().normalize().getFileName());
        TwinOutput.write(result, target);
        // The report is written right after OUT is in place (from its twin.json), atomically on its own.
        var html = report ? Reports.write(target) : null;
        PrintWriter w = spec.commandLine().getOut();
        if (quiet) {
            w.printf(Locale.ROOT, "replayed %.2f %% distance %.3f %%%s%n", 100 * result.successRate(),
                    100 * result.after().distance(), result.compacted()
                            .map(c -> String.format(Locale.ROOT, " compacted %.3f %%", 100 * c.distance())).orElse("")
                    + result.slab().map(sl -> String.format(Locale.ROOT, " slab %.3f %%", 100 * sl.activeDistance())).orElse(""));
        } else {
            w.print(TwinOutput.report(result));
            w.println("wrote " + target);
        }
        if (html != null) {
            w.println("report     " + html.html() + " (" + (html.bytes() + 1023) / 1024 + " KiB)");
        }
        return Failures.OK;
    }
}
