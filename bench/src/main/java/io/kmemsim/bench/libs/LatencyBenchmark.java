package io.kmemsim.bench.libs;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recording one allocation latency (per order, simulated cycles), as the event loop does after every
 * successful page allocation: the engine's former hand-written {@link LogLinearLatency} against one HdrHistogram
 * {@link Histogram} per order (2 significant digits, as {@code engine.run.AllocationLatency} now keeps). Values
 * are drawn once: mostly 20–200 cycles (pcp hits), some thousands (refills, splits), a few 10^5–10^6
 * (compaction). Run with {@code -prof gc}: neither may allocate per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LatencyBenchmark {

    private static final int N = 1 << 16;
    private static final int MAX_ORDER = 10;

    private final long[] cycles = new long[N];
    private final int[] orders = new int[N];
    private int next;
    private LogLinearLatency hand;
    private Histogram[] hdr;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < N; i++) {
            int p = r.nextInt(1000);
            cycles[i] = p < 900 ? 20 + r.nextInt(180) : p < 995 ? 1000 + r.nextInt(9000) : 100_000 + r.nextInt(900_000);
            orders[i] = r.nextInt(16) < 12 ? 0 : r.nextInt(MAX_ORDER + 1);
        }
        hand = new LogLinearLatency(MAX_ORDER);
        hdr = new Histogram[MAX_ORDER + 1];
        for (int o = 0; o <= MAX_ORDER; o++) {
            hdr[o] = new Histogram(1, Long.MAX_VALUE / 2, 2);
        }
    }

    @Benchmark
    public long hand() {
        int i = next++ & (N - 1);
        hand.record(orders[i], cycles[i]);
        return i;
    }

    @Benchmark
    public long hdrHistogram() {
        int i = next++ & (N - 1);
        hdr[orders[i]].recordValue(cycles[i]);
        return i;
    }
}
