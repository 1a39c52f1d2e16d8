package io.kmemsim.bench.trace;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.trace.TraceFormat;
import io.kmemsim.engine.trace.TraceReadOptions;
import io.kmemsim.engine.trace.TraceReader;
import io.kmemsim.engine.trace.TraceRecord;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The first million lines of a text trace in a fresh JVM: what {@code kmemsim trace stats} on a short
 * trace pays, JIT compilation included (issue 17: at least 3 M lines/s within the first million lines).
 * One shot per fork, no warm-up: every fork is a new JVM whose reader classes have never run (the corpus
 * is generated in the setup by the trace writer, which shares no parsing code with the reader).
 *
 * <ul>
 *   <li>{@link #parseFirstMillion}: the reader ({@code TraceFormat.text}) over {@value #LINES} lines.</li>
 *   <li>{@link #readLinesFirstMillion}: {@code BufferedReader.readLine} over the same bytes, cold too: the
 *       peer measured in the same run (lines/s = {@value #LINES} / the shot's time).</li>
 * </ul>
 *
 * <pre>
 *   flock /tmp/jmh.lock java -cp bench/target/classes:$(cat bench/target/cp.txt) org.openjdk.jmh.Main \
 *        TextParseColdBenchmark -f 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class TextParseColdBenchmark {

    /** Lines read per shot. */
    public static final int LINES = 1_000_000;

    @Param({"6.1"})
    public String kernel;

    @Param({"PAGES"})
    public TraceCorpus.Mix mix;

    private byte[] text;
    private KernelVersion version;

    @Setup
    public void setUp() {
        text = TraceCorpus.text(kernel, mix, LINES, 42);
        version = KernelVersion.parse(kernel);
    }

    @Benchmark
    public long parseFirstMillion() {
        TraceRecord r = new TraceRecord();
        long sum = 0;
        try (TraceReader in = TraceFormat.text(new ByteArrayInputStream(text), "bench", version, TraceReadOptions.DEFAULT)) {
            while (in.next(r)) {
                sum += r.pfn() + r.gfp() + r.timeNanos();
            }
            return sum + in.position();
        }
    }

    @Benchmark
    public long readLinesFirstMillion() throws IOException {
        long sum = 0;
        try (BufferedReader in = TraceCorpus.reader(text)) {
            String s;
            while ((s = in.readLine()) != null) {
                sum += s.length();
            }
        }
        return sum;
    }
}
