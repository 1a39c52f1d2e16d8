package io.kmemsim.bench.endtoend;

import io.kmemsim.bench.trace.BinaryReadBenchmark;
import io.kmemsim.bench.trace.ReplayBenchmark;
import io.kmemsim.bench.trace.TextParseBenchmark;
import io.kmemsim.bench.trace.TraceCorpus;
import io.kmemsim.bench.workloads.GeneratorBenchmark;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The JMH benchmarks' operations timed by the running thread's CPU time as well as by the wall clock, for
 * a machine shared with other work: a thread that is descheduled accrues wall time but no CPU time, so
 * ops per CPU-second estimate what one idle core would do (cache and memory-bandwidth interference from
 * the other work still counts, JIT and GC threads do not). Each case is run {@code warmup} times, then
 * {@code runs} times; the report gives the median and best of both clocks.
 *
 * <pre>
 *   java -Xms2g -Xmx2g -cp bench/target/classes:$(cat bench/target/cp.txt) \
 *        io.kmemsim.bench.endtoend.CpuTimeHarness [warmup=8] [runs=10] [filter]
 * </pre>
 * This is a measuring tool: it prints its table on standard output.
 */
public final class CpuTimeHarness {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The whole process's CPU time (all threads), when the JVM reports it: less this thread's, the decode thread's. */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os : null;

    private CpuTimeHarness() {
    }

    public static void main(String[] args) throws IOException {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String filter = args.length > 2 ? args[2] : "";
        System.out.println("case                               ops/run   cpu ns/op (median, best)   wall ns/op (median, best)   Mops/cpu-s (median)"
                + "   other threads cpu ns/op (median)");
        for (TraceCorpus.Mix mix : TraceCorpus.Mix.values()) {
            TextParseBenchmark t = new TextParseBenchmark();
            t.kernel = "6.1";
            t.mix = mix;
            if (("text.parse-" + mix + " text.readLines-" + mix).contains(filter) || filter.isEmpty()) {
                t.setUp();
                time("text.parse-" + mix, TextParseBenchmark.LINES, warmup, runs, filter, t::parse);
                time("text.readLines-" + mix, TextParseBenchmark.LINES, warmup, runs, filter, () -> readLines(t));
            }
            BinaryReadBenchmark b = new BinaryReadBenchmark();
            b.mix = mix;
            if (("binary.read-" + mix).contains(filter) || filter.isEmpty()) {
                b.setUp();
                time("binary.read-" + mix, BinaryReadBenchmark.RECORDS, warmup, runs, filter, b::read);
            }
        }
        if (("replay.replay replay.replaySingleThread replay.replayByRecord replay.workloadOnly replay.workloadByRecord"
                + " replay.allocatorOnly replay.allocatorBare").contains(filter) || filter.isEmpty()) {
            ReplayBenchmark r = new ReplayBenchmark();
            r.kernel = "6.1";
            r.setUp();
            // replay decodes on a second thread, whose CPU time this thread's clock does not see: read its wall column
            time("replay.replay", ReplayBenchmark.RECORDS, warmup, runs, filter, r::replay);
            time("replay.replaySingleThread", ReplayBenchmark.RECORDS, warmup, runs, filter, r::replaySingleThread);
            time("replay.replayByRecord", ReplayBenchmark.RECORDS, warmup, runs, filter, r::replayByRecord);
            time("replay.workloadOnly", ReplayBenchmark.RECORDS, warmup, runs, filter, r::workloadOnly);
            time("replay.workloadByRecord", ReplayBenchmark.RECORDS, warmup, runs, filter, r::workloadByRecord);
            time("replay.allocatorOnly", ReplayBenchmark.RECORDS, warmup, runs, filter, r::allocatorOnly);
            time("replay.allocatorBare", ReplayBenchmark.RECORDS, warmup, runs, filter, r::allocatorBare);
            r.tearDown();
        }
        for (String w : new String[] {"churn", "fragmenter", "thp", "slab-churn", "mix"}) {
            GeneratorBenchmark g = new GeneratorBenchmark();
            g.workload = w;
            if (("generator." + w).contains(filter) || filter.isEmpty()) {
                g.setUp();
                time("generator." + w, 1 << 20, warmup, runs, filter, () -> generate(g, 1 << 20));
            }
        }
    }

    private static long readLines(TextParseBenchmark t) {
        try {
            return t.readLines();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long generate(GeneratorBenchmark g, int events) {
        long sum = 0;
        for (int i = 0; i < events; i++) {
            sum += g.next();
        }
        return sum;
    }

    private static void time(String name, long ops, int warmup, int runs, String filter, LongSupplier op) {
        if (!filter.isEmpty() && !name.contains(filter)) {
            return;
        }
        long sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += op.getAsLong();
        }
        double[] cpu = new double[runs];
        double[] wall = new double[runs];
        double[] others = new double[runs];
        for (int i = 0; i < runs; i++) {
            long p0 = PROCESS == null ? 0 : PROCESS.getProcessCpuTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            sink += op.getAsLong();
            wall[i] = (double) (System.nanoTime() - w0) / ops;
            long c = THREADS.getCurrentThreadCpuTime() - c0;
            cpu[i] = (double) c / ops;
            // every other thread of the JVM: the decode thread, and JIT or GC work if any happened during the run
            others[i] = PROCESS == null ? Double.NaN : (double) (PROCESS.getProcessCpuTime() - p0 - c) / ops;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        Arrays.sort(others);
        System.out.println(String.format(Locale.ROOT, "%-32s %9d   %10.1f %10.1f        %10.1f %10.1f        %8.2f   %10.1f   (%d)",
                name, ops, cpu[runs / 2], cpu[0], wall[runs / 2], wall[0], 1e3 / cpu[runs / 2], others[runs / 2], sink & 1));
    }
}
