package io.kmemsim.engine.trace;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The closed set of trace formats kmemsim reads, each a factory of readers. Text formats share one
 * parser ({@link TextTraceReader}) that accepts the prefix variants of ftrace, trace-cmd and perf.
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

    /** Detects the format from the file's first bytes: the binary magic, else text. */
    public static TraceFormat detect(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(BinaryTrace.MAGIC.length);
            return Arrays.equals(head, BinaryTrace.MAGIC) ? BINARY : FTRACE;
        } catch (NoSuchFileException e) {
            throw new InputException(new InputProblem(file.toString(), 0, 0, "", "no such trace file"));
        } catch (IOException e) {
            throw new InputException(new InputProblem(file.toString(), 0, 0, "", "cannot read: " + e.getMessage()));
        }
    }

    /**
     * Opens {@code file} for reading.
     *
     * @param kernel  the kernel whose gfp names the text uses
     * @param skipBad count malformed lines by reason instead of stopping at the first
     */
    public TraceReader open(Path file, KernelVersion kernel, boolean skipBad) {
        try {
            InputStream in = Files.newInputStream(file);
            if (this == BINARY) {
                return new BinaryTraceReader(in, file.toString());
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            return new TextTraceReader(r, file.toString(), kernel, skipBad);
        } catch (NoSuchFileException e) {
            throw new InputException(new InputProblem(file.toString(), 0, 0, "", "no such trace file"));
        } catch (IOException e) {
            throw new InputException(new InputProblem(file.toString(), 0, 0, "", "cannot read: " + e.getMessage()));
        }
    }

    /** Reads text from {@code reader} (tests, pipes) named {@code source} in messages. */
    public static TraceReader text(BufferedReader reader, String source, KernelVersion kernel, boolean skipBad) {
        return new TextTraceReader(reader, source, kernel, skipBad);
    }

    /** Reads the binary format from {@code in}. */
    public static TraceReader binary(InputStream in, String source) {
        return new BinaryTraceReader(in, source);
    }
}
