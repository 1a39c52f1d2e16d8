package io.kmemsim.bench.buddy;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.bench.trace.EightGigMachine;
import io.kmemsim.bench.trace.TraceCorpus;
import io.kmemsim.engine.trace.TraceWorkloadOptions;
import io.kmemsim.engine.trace.TraceWorkloadProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
 * The {@code buddy} allocator alone on the replay mix: the events of {@code ReplayBenchmark}'s binary PAGES
 * trace ({@link TraceCorpus.Mix#PAGES}: orders 0 ×16, 1 ×2, 2, 3, 4, 9 out of 22 allocations, the gfp mix,
 * random CPU of 8, up to 8192 live blocks freed FIFO, ≈ 15 ticks) on the {@link EightGigMachine}, decoded
 * once at set-up by the {@code trace} workload (policy mode) into arrays. One op is one trace record
 * ({@value #RECORDS} per invocation, plus the ticks, as {@code ReplayBenchmark} counts); every block is free
 * again at the end of each invocation.
 *
 * <p>Unlike {@code ReplayBenchmark.allocatorOnly} there is no handle map: each free names the index of its
 * allocation event, and the PFN buddy returned is stored at that index, so the loop measures only
 * {@code allocate}, {@code free} and {@code tick}.
 *
 * <p>Run with {@code bench/run.sh}'s classpath: {@code org.openjdk.jmh.Main 'io.kmemsim.bench.buddy.MixBenchmark'
 * -f 1 -wi 2 -i 3 -r 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MixBenchmark {

    /** Lines of the generated text trace (as {@code ReplayBenchmark}). */
    static final int LINES = 1 << 20;
    /** Events of the trace: the lines but its 4 header lines. */
    static final int RECORDS = LINES - 4;

    private static final byte ALLOC = 0;
    private static final byte FREE = 1;
    private static final byte TICK = 2;

    @Param({"6.1"})
    public String kernel;

    private EightGigMachine machine;
    private PageAllocator allocator;
    private byte[] types;
    private byte[] orders;
    private int[] gfps;
    private byte[] cpus;
    /** A free's allocation event index; a tick's time. */
    private long[] refs;
    /** The PFN buddy returned for the allocation at each event index. */
    private long[] pfns;
    private int events;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path file = Files.createTempFile("kmemsim-mix-bench", ".kmstrace");
        try {
            Files.write(file, TraceCorpus.binary(TraceCorpus.text(kernel, TraceCorpus.Mix.PAGES, LINES, 42), kernel));
            machine = new EightGigMachine(kernel);
            allocator = machine.newBuddy();
            predecode(new TraceWorkloadOptions(file.toString(), "binary", "policy", false, 100_000_000L, false));
        } finally {
            Files.deleteIfExists(file);
        }
        if (events < RECORDS) {
            throw new IllegalStateException("the trace has " + events + " events, expected " + RECORDS + " and its ticks");
        }
    }

    private void predecode(TraceWorkloadOptions options) {
        int cap = RECORDS + 64; // the records and the workload's ticks
        types = new byte[cap];
        orders = new byte[cap];
        gfps = new int[cap];
        cpus = new byte[cap];
        refs = new long[cap];
        pfns = new long[cap];
        Map<Long, Integer> allocOf = new HashMap<>();
        Event e = new Event();
        try (Workload w = new TraceWorkloadProvider().create(options, machine.context())) {
            while (w.next(e)) {
                int i = events++;
                cpus[i] = (byte) Math.max(0, e.cpu());
                orders[i] = (byte) Math.max(0, e.order());
                if (e.type() == EventType.PAGE_ALLOC) {
                    types[i] = ALLOC;
                    gfps[i] = e.gfp();
                    allocOf.put(e.handle(), i);
                } else if (e.type() == EventType.PAGE_FREE) {
                    Integer a = allocOf.remove(e.handle());
                    if (a == null) {
                        throw new IllegalStateException("event " + i + " frees a handle never allocated: " + e);
                    }
                    types[i] = FREE;
                    refs[i] = a;
                } else if (e.type() == EventType.TICK) {
                    types[i] = TICK;
                    refs[i] = e.timeNanos();
                } else {
                    throw new IllegalStateException("a page trace has page events and ticks only: " + e);
                }
            }
        }
        if (!allocOf.isEmpty()) {
            throw new IllegalStateException(allocOf.size() + " blocks are never freed by the trace");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allocator.checkInvariants();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long mix() {
        PageAllocator a = allocator;
        byte[] t = types;
        byte[] o = orders;
        int[] g = gfps;
        byte[] c = cpus;
        long[] r = refs;
        long[] p = pfns;
        long failed = 0;
        for (int i = 0, n = events; i < n; i++) {
            int type = t[i];
            if (type == ALLOC) {
                long pfn = a.allocate(o[i], g[i], c[i]);
                p[i] = pfn;
                failed += pfn == PageAllocator.NO_PAGE ? 1 : 0;
            } else if (type == FREE) {
                long pfn = p[(int) r[i]];
                if (pfn != PageAllocator.NO_PAGE) {
                    a.free(pfn, o[i], c[i]);
                }
            } else {
                a.tick(r[i]);
            }
        }
        if (failed != 0) {
            throw new IllegalStateException(failed + " allocations failed on the replay mix");
        }
        return failed;
    }
}
