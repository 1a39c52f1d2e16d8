package io.kmemsim.bench.trace;

import io.kmemsim.engine.trace.TraceFormat;
import io.kmemsim.engine.trace.TraceReader;
import io.kmemsim.engine.trace.TraceRecord;
import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Records per second of the binary trace reader ({@code TraceFormat.binary}) over the
 * {@link TraceCorpus} trace of {@value TextParseBenchmark#LINES} lines converted with
 * {@code BinaryTraceWriter}; one op is one record (the 4 header lines of the text have no record).
 *
 * <p>Run as {@link TextParseBenchmark} with {@code 'io.kmemsim.bench.trace.BinaryReadBenchmark'}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class BinaryReadBenchmark {

    /** Records of the trace. */
    public static final int RECORDS = TextParseBenchmark.LINES - 4;

    @Param({"PAGES", "KMEM"})
    public TraceCorpus.Mix mix;

    private byte[] binary;

    @Setup
    public void setUp() {
        binary = TraceCorpus.binary(TraceCorpus.text("6.1", mix, TextParseBenchmark.LINES, 42), "6.1");
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long read() {
        TraceRecord r = new TraceRecord();
        long sum = 0;
        try (TraceReader in = TraceFormat.binary(new ByteArrayInputStream(binary), "bench")) {
            while (in.next(r)) {
                sum += r.pfn() + r.ptr() + r.gfp() + r.timeNanos();
            }
            if (in.position() != RECORDS) {
                throw new IllegalStateException("read " + in.position() + " records, expected " + RECORDS);
            }
            return sum;
        }
    }
}
