package io.kmemsim.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code run} and {@code replay} share (a picocli mixin). */
final class RunOptions {

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a scenario key, e.g. --set seed=7 --set workload.options.events=10000 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "print nothing but errors (no progress, no summary)")
    boolean quiet;

    @Option(names = "--trace-out", paramLabel = "FILE",
            description = "write the run's page and slab events as ftrace text in the scenario kernel's format")
    Path traceOut;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "write results.json, timeseries.csv and the kernel-format snapshots here, replacing the directory as a whole (default: results/<scenario name>; replay: results/<trace name>-<mode>)")
    Path out;

    @Option(names = "--no-results", description = "write no results directory")
    boolean noResults;

    @Option(names = "--report", description = "also write report.html, the self-contained HTML report, into the results directory")
    boolean report;

    @Option(names = "--drain-at-end", description = "drain the per-CPU lists before the final snapshots (as a replay comparison wants)")
    boolean drainAtEnd;
}
