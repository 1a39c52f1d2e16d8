package io.kmemsim.bench.trace;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.trace.TraceWorkloadOptions;
import io.kmemsim.engine.trace.TraceWorkloadProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay of a binary page trace into the {@code buddy} allocator on the {@link EightGigMachine}, in
 * policy mode (the allocator chooses the PFNs); one op is one trace record ({@value #RECORDS} per
 * invocation: {@link TraceCorpus.Mix#PAGES}, ≈ 50 % allocations of mixed orders and gfp, 50 % frees, every
 * block freed by the end, plus ≈ 15 ticks).
 *
 * <ul>
 *   <li>{@link #replay}: the {@code trace} workload (binary reader + replay rules) from a file, driving
 *       the allocator as the engine's loop does ({@link PageReplay}).</li>
 *   <li>{@link #workloadOnly}: the same workload with no allocator behind it: reading and translating.</li>
 *   <li>{@link #allocatorOnly}: the same events pre-decoded into arrays, driving the allocator alone.</li>
 * </ul>
 * {@code 1/replay ≈ 1/workloadOnly + 1/allocatorOnly} tells where the time goes.
 *
 * <p>Run as {@link TextParseBenchmark} with {@code 'io.kmemsim.bench.trace.ReplayBenchmark'}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ReplayBenchmark {

    /** Lines of the generated text trace. */
    public static final int LINES = 1 << 20;
    /** Records in the binary trace. */
    public static final int RECORDS = LINES - 4;

    @Param({"6.1"})
    public String kernel;

    private Path file;
    private EightGigMachine machine;
    private PageReplay replay;
    private TraceWorkloadOptions options;
    private byte[] types;
    private long[] handles;
    private byte[] orders;
    private int[] gfps;
    private byte[] cpus;
    private long[] times;
    private int events;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile("kmemsim-replay-bench", ".kmstrace");
        Files.write(file, TraceCorpus.binary(TraceCorpus.text(kernel, TraceCorpus.Mix.PAGES, LINES, 42), kernel));
        options = new TraceWorkloadOptions(file.toString(), "binary", "policy", false, 100_000_000L, false);
        machine = new EightGigMachine(kernel);
        PageAllocator allocator = machine.newBuddy();
        replay = new PageReplay(allocator);
        predecode();
    }

    private void predecode() {
        int cap = RECORDS + 64;
        types = new byte[cap];
        handles = new long[cap];
        orders = new byte[cap];
        gfps = new int[cap];
        cpus = new byte[cap];
        times = new long[cap];
        Event e = new Event();
        try (Workload w = workload()) {
            while (w.next(e)) {
                types[events] = (byte) e.type().ordinal();
                handles[events] = e.handle();
                orders[events] = (byte) Math.max(0, e.order());
                gfps[events] = e.gfp();
                cpus[events] = (byte) Math.max(0, e.cpu());
                times[events] = e.timeNanos();
                events++;
            }
        }
    }

    private Workload workload() {
        return new TraceWorkloadProvider().create(options, machine.context());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (replay.live() != 0 || replay.failed() != 0) {
            throw new IllegalStateException("replay left " + replay.live() + " blocks live, " + replay.failed() + " failed");
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long replay() {
        try (Workload w = workload()) {
            return replay.run(w);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long workloadOnly() {
        long sum = 0;
        Event e = new Event();
        try (Workload w = workload()) {
            while (w.next(e)) {
                sum += e.handle() + e.order();
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long allocatorOnly() {
        final int alloc = EventType.PAGE_ALLOC.ordinal();
        final int free = EventType.PAGE_FREE.ordinal();
        PageReplay r = replay;
        long n = 0;
        for (int i = 0; i < events; i++) {
            int t = types[i];
            if (t == alloc) {
                n += r.alloc(handles[i], orders[i], gfps[i], cpus[i]) ? 1 : 0;
            } else if (t == free) {
                r.free(handles[i], cpus[i]);
            } else {
                machine.pageAllocator().tick(times[i]);
            }
        }
        return n;
    }
}
