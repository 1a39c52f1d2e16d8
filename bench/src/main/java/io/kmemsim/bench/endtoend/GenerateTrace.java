package io.kmemsim.bench.endtoend;

import io.kmemsim.bench.trace.TraceCorpus;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link TraceCorpus} trace to a file, for timing {@code ./kmemsim run} on a replay scenario.
 *
 * <pre>
 *   java -cp bench/target/classes:$(cat bench/target/cp.txt) io.kmemsim.bench.endtoend.GenerateTrace \
 *        /tmp/kmem-1m.trace 1048576 PAGES 6.1
 * </pre>
 * Arguments: file, lines, mix ({@code PAGES} or {@code KMEM}), kernel (default 6.1). Seed 42. With a
 * file name ending in {@code .kmstrace} the trace is converted to kmemsim's binary format.
 */
public final class GenerateTrace {

    private GenerateTrace() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: GenerateTrace FILE LINES PAGES|KMEM [KERNEL]");
        }
        Path file = Path.of(args[0]);
        int lines = Integer.parseInt(args[1]);
        TraceCorpus.Mix mix = TraceCorpus.Mix.valueOf(args[2]);
        String kernel = args.length > 3 ? args[3] : "6.1";
        write(file, lines, mix, kernel);
    }

    /** Writes the trace ({@code .kmstrace}: binary, else ftrace text). */
    public static void write(Path file, int lines, TraceCorpus.Mix mix, String kernel) throws IOException {
        if (file.toString().endsWith(".kmstrace")) {
            Files.write(file, TraceCorpus.binary(TraceCorpus.text(kernel, mix, lines, 42), kernel));
            return;
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            TraceCorpus.write(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16),
                    kernel, mix, lines, 42);
        }
    }
}
