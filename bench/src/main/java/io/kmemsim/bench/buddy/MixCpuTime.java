package io.kmemsim.bench.buddy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link MixBenchmark#mix} and {@link BuddyBenchmark#order0Pair} timed by this thread's CPU time (time spent
 * descheduled does not count, which JMH's wall-clock scores on a loaded 2-core machine cannot say), for
 * comparing two builds run one after the other: medians and bests of {@code rounds} rounds, each one pass of
 * the mix and 2 M pairs, after as many warm-up rounds. Prints one line.
 *
 * <pre>
 *   java -Xms2g -Xmx2g -cp bench/target/classes:$(cat bench/target/cp.txt) io.kmemsim.bench.buddy.MixCpuTime 30
 * </pre>
 */
public final class MixCpuTime {

    private static final int PAIRS = 2_000_000;
    /** Where the results go, so that the JIT keeps the work. */
    static volatile long blackhole;

    private MixCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String kernel = args.length > 1 ? args[1] : "6.1";
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        MixBenchmark mix = new MixBenchmark();
        mix.kernel = kernel;
        mix.setUp();
        BuddyBenchmark pair = new BuddyBenchmark();
        pair.kernel = kernel;
        pair.setUp();
        long[] mixNanos = new long[rounds];
        long[] pairNanos = new long[rounds];
        long sink = 0;
        for (int r = -rounds; r < rounds; r++) { // the first half warms up
            long t0 = mx.getCurrentThreadCpuTime();
            sink += mix.mix();
            long t1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < PAIRS; i++) {
                sink += pair.order0Pair();
            }
            long t2 = mx.getCurrentThreadCpuTime();
            if (r >= 0) {
                mixNanos[r] = t1 - t0;
                pairNanos[r] = t2 - t1;
            }
        }
        blackhole = sink;
        mix.tearDown();
        Arrays.sort(mixNanos);
        Arrays.sort(pairNanos);
        double records = MixBenchmark.RECORDS;
        System.out.printf("kernel %s: mix %.1f ns/record median (best %.1f), %.2f M records/s; order0Pair %.2f ns median (best %.2f)"
                + " [%d rounds, CPU time]%n", kernel, mixNanos[rounds / 2] / records, mixNanos[0] / records,
                records * 1e3 / mixNanos[rounds / 2], pairNanos[rounds / 2] / (double) PAIRS, pairNanos[0] / (double) PAIRS,
                rounds);
    }
}
