package io.kmemsim.cli;

import io.kmemsim.engine.report.ReportWriter;
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
 * {@code kmemsim report RESULTS_DIR... [-o FILE] [--svg DIR] [--png DIR]}: the self-contained HTML report of
 * a run, or of several runs as a comparison (the first is the baseline). The work is {@link ReportWriter}'s;
 * docs/report.md describes the page.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the self-contained HTML report of a results directory (plots per zone, the pageblock",
            "map over time, events, latency, slab caches), or compare several directories side by side."},
        footer = {"", "Examples:", "  kmemsim report results/default",
            "  kmemsim report results/compare/base results/compare/never-claim -o compare.html --svg figures/"})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RESULTS_DIR",
            description = "results directories written by run, replay or compare (the first is the baseline), or the OUT of twin")
    List<Path> dirs = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "the HTML file (default: RESULTS_DIR/report.html for one directory, report.html for several)")
    Path out;

    @Option(names = "--svg", paramLabel = "DIR", description = "also write every figure as an SVG file into DIR")
    Path svg;

    @Option(names = "--png", paramLabel = "DIR", description = "also write every figure as a PNG file into DIR")
    Path png;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path html = this.out != null ? this.out
                : dirs.size() == 1 ? dirs.get(0).resolve(ReportWriter.FILE) : Path.of(ReportWriter.FILE);
        ReportWriter.Written w;
        try {
            w = ReportWriter.write(dirs, null, html, svg, png);
        } catch (IOException e) {
            throw Reports.cannotWrite(html, e);
        }
        out.println("report     " + w.html() + " (" + (w.bytes() + 1023) / 1024 + " KiB)");
        if (!w.figures().isEmpty()) {
            out.println("figures    " + w.figures().size() + " files" + (svg != null ? ", SVG in " + svg : "")
                    + (png != null ? ", PNG in " + png : ""));
        }
        return Failures.OK;
    }
}
