package io.kmemsim.engine.trace;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The closed set of trace formats kmemsim reads, each a factory of readers. Text formats share one
 * parser ({@link TextTraceReader}) that accepts the prefix variants of ftrace, trace-cmd and perf.
 * Files may be compressed (gzip, zstd, xz, bzip2: detected by their magic numbers).
 */
public enum TraceFormat {
    /** ftrace text: {@code cat trace}, {@code trace_pipe}, {@code trace-cmd report}. */
    FTRACE("ftrace"),
    /** {@code perf script} text of {@code perf record -e kmem:*}. */
    PERF("perf"),
    /** kmemsim's binary trace format (docs/trace-format.md). */
    BINARY("binary");

    private final String label;

    TraceFormat(String label) {
        this.label = label;
    }

    /** The name users give to {@code --format}. */
    public String label() {
        return label;
    }

    /** The format named {@code name} ({@code ftrace}, {@code trace-cmd}, {@code perf}, {@code binary}). */
    public static TraceFormat parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ftrace", "trace-cmd", "text" -> FTRACE;
            case "perf" -> PERF;
            case "binary", "kmemsim" -> BINARY;
            default -> throw new InputException(new InputProblem("--format", 0, 0, "format",
                    "unknown trace format \"" + name + "\"; expected one of: ftrace, trace-cmd, perf, binary"));
        };
    }

    /**
     * Detects the format from the file's first bytes (after decompression): the binary magic, else text.
     * A file that is not text ("this is not text: looks like …") is refused here.
     */
    public static TraceFormat detect(Path file) {
        TraceInput.Opened o = TraceInput.open(file);
        try {
            o.in().close();
        } catch (IOException e) {
            throw new InputException(new InputProblem(file.toString(), 0, 0, "", "cannot read: " + TraceInput.reason(e)));
        }
        return o.kind() == TraceInput.Kind.KMEMSIM_BINARY ? BINARY : FTRACE;
    }

    /**
     * Opens {@code file} for reading.
     *
     * @param kernel  the kernel whose gfp names the text uses
     * @param skipBad count malformed lines by reason instead of stopping at the first
     */
    public TraceReader open(Path file, KernelVersion kernel, boolean skipBad) {
        return open(file, kernel, TraceReadOptions.skipBad(skipBad));
    }

    /** Opens {@code file} for reading with {@code options} (markers and other systems apply to text only). */
    public TraceReader open(Path file, KernelVersion kernel, TraceReadOptions options) {
        TraceInput.Opened o = TraceInput.open(file);
        if (this == BINARY || o.kind() == TraceInput.Kind.KMEMSIM_BINARY) {
            if (this != BINARY) {
                close(o.in());
                throw new InputException(new InputProblem(file.toString(), 0, 0, "", "this is a kmemsim binary trace, not "
                        + label + " text; leave out --format or say --format binary"));
            }
            if (options.fromMarker() != null || options.toMarker() != null) {
                close(o.in());
                throw new InputException(new InputProblem(file.toString(), 0, 0, "--from-marker",
                        "a kmemsim binary trace holds no trace markers; replay the text trace to use markers"));
            }
            return new BinaryTraceReader(o.in(), file.toString());
        }
        return new TextTraceReader(o.in(), file.toString(), kernel, options).closing(o.in());
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the refusal is what gets reported
        }
    }

    /** Reads text from {@code reader} (tests, pipes) named {@code source} in messages. */
    public static TraceReader text(BufferedReader reader, String source, KernelVersion kernel, boolean skipBad) {
        return text(new ReaderInputStream(reader), source, kernel, TraceReadOptions.skipBad(skipBad));
    }

    /**
     * Reads text from the bytes of {@code in} (decompressed and checked as a file is) named {@code source}
     * in messages.
     */
    public static TraceReader text(InputStream in, String source, KernelVersion kernel, TraceReadOptions options) {
        TraceInput.Opened o = TraceInput.of(in, source);
        if (o.kind() == TraceInput.Kind.KMEMSIM_BINARY) {
            throw new InputException(new InputProblem(source, 0, 0, "", "this is a kmemsim binary trace, not text"));
        }
        return new TextTraceReader(o.in(), source, kernel, options).closing(o.in());
    }

    /** Reads the binary format from {@code in}. */
    public static TraceReader binary(InputStream in, String source) {
        return new BinaryTraceReader(in, source);
    }
}
