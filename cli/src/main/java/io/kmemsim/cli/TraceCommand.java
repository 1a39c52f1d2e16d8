package io.kmemsim.cli;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.results.Temporaries;
import io.kmemsim.engine.trace.BinaryTraceWriter;
import io.kmemsim.engine.trace.LineKind;
import io.kmemsim.engine.trace.TraceFormat;
import io.kmemsim.engine.trace.TraceMarker;
import io.kmemsim.engine.trace.TraceReadOptions;
import io.kmemsim.engine.trace.TraceReader;
import io.kmemsim.engine.trace.TraceRecord;
import io.kmemsim.engine.trace.TraceStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kmemsim trace}: convert traces to kmemsim's binary format and summarise them. */
@Command(name = "trace", description = "Convert and summarise kernel kmem traces (ftrace, trace-cmd, perf script, binary).",
        mixinStandardHelpOptions = true, subcommands = {TraceCommand.Convert.class, TraceCommand.Stats.class})
public final class TraceCommand {

    /** Options shared by the trace subcommands (a picocli mixin). */
    static final class ReadOptions {
        @Option(names = "--format", paramLabel = "FORMAT", description = "ftrace, trace-cmd, perf or binary (default: detected)")
        String format;

        @Option(names = "--kernel", paramLabel = "VERSION", defaultValue = "6.1",
                description = "kernel whose gfp flag names the text uses (default: ${DEFAULT-VALUE})")
        String kernel;

        @Option(names = "--skip-bad", description = "count malformed lines by reason instead of stopping at the first")
        boolean skipBad;

        @Option(names = "--from-marker", paramLabel = "TEXT",
                description = "read only the events after the first trace marker whose text contains TEXT")
        String fromMarker;

        @Option(names = "--to-marker", paramLabel = "TEXT",
                description = "stop at the first trace marker (after the start) whose text contains TEXT")
        String toMarker;

        @Option(names = "--page-size", paramLabel = "SIZE", defaultValue = "4K",
                description = "page size of the traced kernel, 4K, 16K or 64K (default: ${DEFAULT-VALUE}); "
                        + "sets the largest order a line may have (arm64 ARCH_FORCE_MAX_ORDER)")
        String pageSize;

        TraceReader open(Path file, boolean allSystems) {
            KernelVersion k = kernel();
            TraceFormat f = format == null ? TraceFormat.detect(file) : TraceFormat.parse(format);
            return f.open(file, k, new TraceReadOptions(skipBad, fromMarker, toMarker, allSystems, pageSize()));
        }

        PageSize pageSize() {
            try {
                return PageSize.parse(pageSize);
            } catch (IllegalArgumentException e) {
                throw new InputException(new InputProblem("--page-size", 0, 0, "page size", e.getMessage()));
            }
        }

        KernelVersion kernel() {
            try {
                return KernelVersion.parse(kernel);
            } catch (IllegalArgumentException e) {
                throw new InputException(new InputProblem("--kernel", 0, 0, "kernel", e.getMessage()));
            }
        }
    }

    static void reportSkipped(PrintWriter err, TraceReader reader) {
        Map<String, Long> skipped = reader.skipped();
        if (!skipped.isEmpty()) {
            long total = skipped.values().stream().mapToLong(Long::longValue).sum();
            err.printf("skipped %d malformed line(s):%n", total);
            skipped.forEach((reason, n) -> err.printf("  %8d  %s%n", n, reason));
        }
    }

    /** Prints the line kinds, the lost events per CPU and the markers of a text trace. */
    static void printLines(PrintWriter out, TraceReader reader) {
        Map<LineKind, Long> kinds = reader.lineKinds();
        if (!kinds.isEmpty()) {
            out.printf("%nlines by kind (%d lines)%n", reader.position());
            kinds.forEach((k, n) -> out.printf("  %-34s %12d%n", k.label(), n));
        }
        if (reader.otherEvents() > 0) {
            out.printf("%nother events skipped: %d%n", reader.otherEvents());
        }
        Map<Integer, Long> lost = reader.lostEvents();
        if (!lost.isEmpty() || reader.lostUncounted() > 0) {
            long total = lost.values().stream().mapToLong(Long::longValue).sum();
            out.printf("%nlost events: %d (the trace is incomplete)%n", total);
            lost.forEach((cpu, n) -> out.printf("  %-34s %12d%n",
                    cpu < 0 ? "no CPU given (ftrace header, perf trace)" : "CPU " + cpu, n));
            if (reader.lostUncounted() > 0) {
                out.printf("  %-34s %12d%n", "notices without a count", reader.lostUncounted());
            }
        }
        List<TraceMarker> markers = reader.markers();
        if (!markers.isEmpty()) {
            out.printf("%nmarkers: %d%n", markers.size());
            for (TraceMarker m : markers.subList(0, Math.min(markers.size(), 50))) {
                out.printf("  %14.6f  line %-9d %s%n", m.timeNanos() / 1e9, m.line(), m.text());
            }
            if (markers.size() > 50) {
                out.printf("  … %d more%n", markers.size() - 50);
            }
        }
    }

    /** Warns on {@code err} that the trace lost events (convert keeps what there is). */
    static void reportLost(PrintWriter err, TraceReader reader) {
        long total = reader.lostEvents().values().stream().mapToLong(Long::longValue).sum();
        if (total > 0 || reader.lostUncounted() > 0) {
            err.printf("warning: the trace lost %d event(s)%s; the converted trace is incomplete%n", total,
                    reader.lostUncounted() > 0 ? " and " + reader.lostUncounted() + " notice(s) without a count" : "");
        }
    }

    /**
     * Before an exact replay: reads the trace once for lost-event notices and warns on {@code err} that
     * the replay cannot be exact when events are missing. Input errors are left to the replay itself.
     */
    static void warnIfLost(PrintWriter err, Path trace, String format, List<String> overrides) {
        KernelVersion k = KernelVersion.parse("6.1");
        for (String o : overrides) {
            if (o.startsWith("kernel=")) {
                try {
                    k = KernelVersion.parse(o.substring("kernel=".length()).replace("\"", "").trim());
                } catch (IllegalArgumentException e) {
                    return; // the scenario loader reports it
                }
            }
        }
        try {
            TraceFormat f = format == null || format.equals("auto") ? TraceFormat.detect(trace) : TraceFormat.parse(format);
            if (f == TraceFormat.BINARY) {
                return;
            }
            try (TraceReader r = f.open(trace, k, new TraceReadOptions(true, null, null, false))) {
                TraceRecord rec = new TraceRecord();
                while (r.next(rec)) {
                    // only the lost-event notices matter here
                }
                long total = r.lostEvents().values().stream().mapToLong(Long::longValue).sum();
                if (total > 0 || r.lostUncounted() > 0) {
                    StringBuilder per = new StringBuilder();
                    r.lostEvents().forEach((cpu, n) -> per.append(per.length() == 0 ? "" : ", ")
                            .append(cpu < 0 ? "no CPU given" : "CPU " + cpu).append(": ").append(n));
                    err.printf("kmemsim: warning: the trace lost %d event(s) (%s)%s; --mode exact cannot reproduce the "
                            + "kernel's state exactly: frees and allocations of the lost events are missing%n", total, per,
                            r.lostUncounted() > 0 ? " and " + r.lostUncounted() + " notice(s) without a count" : "");
                }
            }
        } catch (InputException e) {
            // the replay reports input errors with their file and line
        }
    }

    /** {@code kmemsim trace convert IN OUT}. */
    @Command(name = "convert", description = "Convert a text trace to kmemsim's binary format (docs/trace-format.md).",
            mixinStandardHelpOptions = true)
    static final class Convert implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IN", description = "the trace to read")
        Path in;

        @Parameters(index = "1", paramLabel = "OUT", description = "the binary trace to write (replaced atomically)")
        Path out;

        @Mixin
        ReadOptions read;

        @Option(names = "--binary-version", paramLabel = "N", defaultValue = "2",
                description = "binary format version to write: 2 (fixed-width page records, fastest to replay) or 1"
                        + " (for kmemsim releases before version 2) (default: ${DEFAULT-VALUE})")
        int binaryVersion;

        @Override
        public Integer call() throws IOException {
            ReadOptions o = read;
            if (binaryVersion != 1 && binaryVersion != 2) {
                throw new InputException(new InputProblem("--binary-version", 0, 0, "binary-version",
                        "binary trace version must be 1 or 2: " + binaryVersion));
            }
            Path abs = out.toAbsolutePath();
            Path tmp = Temporaries.newFile(abs);
            long n;
            try (TraceReader reader = o.open(in, false); OutputStream os = Files.newOutputStream(tmp)) {
                BinaryTraceWriter w = new BinaryTraceWriter(os, o.kernel(), binaryVersion);
                TraceRecord r = new TraceRecord();
                while (reader.next(r)) {
                    w.write(r);
                }
                w.close();
                n = w.count();
                reportSkipped(spec.commandLine().getErr(), reader);
                reportLost(spec.commandLine().getErr(), reader);
                Temporaries.commitFile(tmp, abs);
            } finally {
                Temporaries.discard(tmp);
            }
            spec.commandLine().getOut().printf("wrote %d events to %s (%d bytes)%n", n, out, Files.size(abs));
            return 0;
        }
    }

    /** {@code kmemsim trace stats TRACE}. */
    @Command(name = "stats", description = "Count a trace's events per type, order, migrate type and gfp flags; print its time span.",
            mixinStandardHelpOptions = true)
    static final class Stats implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "TRACE", description = "the trace to read")
        Path trace;

        @Mixin
        ReadOptions read;

        @Override
        public Integer call() {
            ReadOptions o = read;
            TraceStats stats = new TraceStats();
            try (TraceReader reader = o.open(trace, true)) {
                TraceRecord r = new TraceRecord();
                while (reader.next(r)) {
                    stats.add(r);
                }
                PrintWriter out = spec.commandLine().getOut();
                out.print(stats.render(o.kernel()));
                printLines(out, reader);
                reportSkipped(spec.commandLine().getErr(), reader);
            }
            return 0;
        }
    }
}
