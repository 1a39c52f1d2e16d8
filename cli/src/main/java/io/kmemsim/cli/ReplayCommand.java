package io.kmemsim.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmemsim replay TRACE}: runs a scenario (default: the built-in one) with the {@code trace}
 * workload reading TRACE, in {@code exact} or {@code policy} mode (docs/trace-format.md). Without
 * {@code --out} the results go to {@code results/<trace name>-<mode>/}, never over a {@code run}'s results;
 * {@code results.json} records the mode under {@code scenario.workload.options}.
 */
@Command(name = "replay", description = "Replay a kernel kmem trace through a scenario's machine and policies.",
        mixinStandardHelpOptions = true)
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "ftrace / trace-cmd / perf script text, or a kmemsim binary trace")
    Path trace;

    @Option(names = "--scenario", paramLabel = "FILE", description = "the scenario whose machine and policies replay the trace (default: built-in)")
    Path scenario;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "policy",
            description = "exact: place allocations at the trace's PFNs; policy: the simulated allocator chooses (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", description = "auto, ftrace, trace-cmd, perf or binary")
    String format;

    @Option(names = "--skip-bad", description = "count malformed lines by reason instead of stopping at the first")
    boolean skipBad;

    @Option(names = "--from-marker", paramLabel = "TEXT",
            description = "replay only the events after the first trace marker whose text contains TEXT")
    String fromMarker = "";

    @Option(names = "--to-marker", paramLabel = "TEXT",
            description = "stop the replay at the first trace marker (after the start) whose text contains TEXT")
    String toMarker = "";

    @Option(names = "--reclaim-frees", paramLabel = "WHO", defaultValue = "trace",
            description = "trace: replay the trace's frees as they are (default); simulated (policy mode): the trace's page"
                    + " cache pages go on the simulated LRU and its reclaim frees of them are dropped, so the scenario's"
                    + " reclaim policy decides which to free")
    String reclaimFrees;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() {
        if (!reclaimFrees.equals("trace") && !reclaimFrees.equals("simulated")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--reclaim-frees must be trace or simulated: '" + reclaimFrees.replace("'", "\\'") + "'");
        }
        if (reclaimFrees.equals("simulated") && mode.equals("exact")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--reclaim-frees simulated needs --mode policy: an exact replay places every page where the trace did,"
                            + " so it replays the trace's frees");
        }
        if (mode.equals("exact")) {
            TraceCommand.warnIfLost(spec.commandLine().getErr(), trace, format, options.overrides);
        }
        List<String> overrides = new ArrayList<>();
        overrides.add("workload={id: trace, options: {file: " + quoted(trace.toAbsolutePath().toString()) + ", mode: " + quoted(mode)
                + ", format: " + quoted(format) + ", skip-bad: " + skipBad + ", from-marker: " + quoted(fromMarker)
                + ", to-marker: " + quoted(toMarker) + ", reclaim-frees: " + quoted(reclaimFrees) + "}}");
        overrides.addAll(options.overrides);
        return ScenarioRun.run(spec, scenario, overrides, options, traceName(trace) + "-" + mode);
    }

    /**
     * The trace file's name without its trace and compression extensions ({@code pages.trace.gz → pages},
     * {@code sample-6.1.txt → sample-6.1}): the default results name.
     */
    static String traceName(Path trace) {
        Path name = trace.getFileName();
        String s = name == null ? "trace" : name.toString();
        while (true) {
            int dot = s.lastIndexOf('.');
            if (dot <= 0 || !TRACE_EXTENSIONS.contains(s.substring(dot + 1).toLowerCase(java.util.Locale.ROOT))) {
                return s;
            }
            s = s.substring(0, dot);
        }
    }

    private static final java.util.Set<String> TRACE_EXTENSIONS =
            java.util.Set.of("trace", "txt", "dat", "log", "kmstrace", "bin", "gz", "zst", "xz", "bz2");

    /** A YAML double-quoted scalar. */
    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
