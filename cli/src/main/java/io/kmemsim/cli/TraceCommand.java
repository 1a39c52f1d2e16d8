package io.kmemsim.cli;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.trace.BinaryTraceWriter;
import io.kmemsim.engine.trace.TraceFormat;
import io.kmemsim.engine.trace.TraceReader;
import io.kmemsim.engine.trace.TraceRecord;
import io.kmemsim.engine.trace.TraceStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

        TraceReader open(Path file) {
            KernelVersion k = kernel();
            TraceFormat f = format == null ? TraceFormat.detect(file) : TraceFormat.parse(format);
            return f.open(file, k, skipBad);
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

        @Override
        public Integer call() throws IOException {
            ReadOptions o = read;
            Path abs = out.toAbsolutePath();
            Path tmp = Files.createTempFile(abs.getParent() == null ? Path.of(".") : abs.getParent(), ".kmemsim-", ".tmp");
            long n;
            try (TraceReader reader = o.open(in); OutputStream os = Files.newOutputStream(tmp)) {
                BinaryTraceWriter w = new BinaryTraceWriter(os, o.kernel());
                TraceRecord r = new TraceRecord();
                while (reader.next(r)) {
                    w.write(r);
                }
                w.close();
                n = w.count();
                reportSkipped(spec.commandLine().getErr(), reader);
            } catch (RuntimeException | IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
            try (TraceReader reader = o.open(trace)) {
                TraceRecord r = new TraceRecord();
                while (reader.next(r)) {
                    stats.add(r);
                }
                PrintWriter out = spec.commandLine().getOut();
                out.print(stats.render(o.kernel()));
                if (reader.otherEvents() > 0) {
                    out.printf("%nother events skipped: %d%n", reader.otherEvents());
                }
                reportSkipped(spec.commandLine().getErr(), reader);
            } catch (UncheckedIOException e) {
                throw new InputException(new InputProblem(trace.toString(), 0, 0, "", e.getMessage()));
            }
            return 0;
        }
    }
}
