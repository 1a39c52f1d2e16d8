package io.kmemsim.bench.trace;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.run.LoopHarness;
import io.kmemsim.engine.run.PageEventSink;
import io.kmemsim.engine.run.PageEventSource;
import io.kmemsim.engine.run.PageTotals;
import io.kmemsim.engine.run.RunState;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.scenario.ScenarioLoader;
import io.kmemsim.engine.trace.TraceWorkloadOptions;
import io.kmemsim.engine.trace.TraceWorkloadProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 *   <li>{@link #replay}: what {@code kmemsim replay} runs once the machine is built: the {@code trace} workload
 *       (its provider, the binary file, default options: batches decoded on a second thread) driven by the
 *       engine's own event loop ({@link LoopHarness}: counters, latency histogram, handle map, failure
 *       reports, ticks, the progress check), with the default run settings. Not included: building the machine
 *       and the allocator (done once, reused: every block is free again after each op), the observers (the
 *       CLI's results recorder samples every 65,536 events), writing results.</li>
 *   <li>{@link #replaySingleThread}: the same with {@code decode: batch} (the batches decoded on the loop's
 *       thread).</li>
 *   <li>{@link #replayByRecord}: the same with {@code decode: record} (one record and one pulled event at a
 *       time: the path before batches).</li>
 *   <li>{@link #workloadOnly}: the workload half: the {@code trace} workload with {@code decode: batch}, its page
 *       events pushed into a sink that only counts them (reading, decoding, translating).</li>
 *   <li>{@link #workloadByRecord}: the workload half of {@link #replayByRecord}: {@code decode: record}, every
 *       event pulled into an {@link Event}.</li>
 *   <li>{@link #allocatorOnly}: the loop and allocator half: the same events, pre-decoded into arrays
 *       ({@link ArrayPageSource}), pushed through the engine's event loop into the allocator.</li>
 *   <li>{@link #allocatorBare}: the allocator with one handle map and nothing else ({@link PageReplay}): the
 *       allocator's own share of {@link #allocatorOnly}.</li>
 * </ul>
 * Single-threaded, {@code 1/replaySingleThread ≈ 1/workloadOnly + 1/allocatorOnly}; with the decode thread,
 * {@link #replay} approaches {@link #allocatorOnly} when the decoding fits in the other core's time.
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
    private PageAllocator allocator;
    private Scenario scenario;
    private PageReplay bare;
    private ArrayPageSource predecoded;
    private long lastFailed;
    private long lastLive;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile("kmemsim-replay-bench", ".kmstrace");
        Files.write(file, TraceCorpus.binary(TraceCorpus.text(kernel, TraceCorpus.Mix.PAGES, LINES, 42), kernel));
        machine = new EightGigMachine(kernel);
        allocator = machine.newBuddy();
        bare = new PageReplay(allocator);
        ScenarioLoader loader = new ScenarioLoader(ProviderLookup.of(
                PluginRegistry.fromClasspath(ReplayBenchmark.class.getClassLoader()).providers()));
        // the run settings are the defaults of kmemsim replay (no engine ticks, no invariant checks); the platform
        // and allocator named here are not built: the harness runs the loop over the bench machine's allocator
        scenario = loader.parse("name: replay-bench\nkernel: \"" + kernel + "\"\nplatform:\n  id: rock5b-plus-8g\n"
                + "page-allocator:\n  id: buddy\nworkload:\n  id: trace\n  options:\n    file: \"" + file + "\"\n",
                "bench.yaml", "bench", ScenarioLoader.Format.YAML, List.of());
        predecoded = predecode();
    }

    private ArrayPageSource predecode() {
        int cap = RECORDS + 64;
        byte[] types = new byte[cap];
        long[] handles = new long[cap];
        byte[] orders = new byte[cap];
        int[] gfps = new int[cap];
        byte[] cpus = new byte[cap];
        long[] times = new long[cap];
        int events = 0;
        Event e = new Event();
        try (Workload w = workload("record")) {
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
        return new ArrayPageSource(types, handles, orders, gfps, cpus, times, events);
    }

    private Workload workload(String decode) {
        TraceWorkloadOptions options = new TraceWorkloadOptions(file.toString(), "binary", "policy", false, 100_000_000L,
                false, "", "", "trace", decode);
        return new TraceWorkloadProvider().create(options, machine.context());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (bare.live() != 0 || bare.failed() != 0 || lastFailed != 0 || lastLive != 0) {
            throw new IllegalStateException("replay left blocks live or failed: bare " + bare.live() + "/" + bare.failed()
                    + ", loop " + lastLive + "/" + lastFailed);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long loop(Workload w) {
        RunState state = LoopHarness.run(scenario, machine, EightGigMachine.CPUS, allocator, w);
        PageTotals pages = state.pageTotals();
        lastFailed = pages.failed();
        lastLive = pages.allocated() - pages.freed();
        return state.eventsProcessed();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long replay() {
        try (Workload w = workload("thread")) {
            return loop(w);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long replaySingleThread() {
        try (Workload w = workload("batch")) {
            return loop(w);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long replayByRecord() {
        try (Workload w = workload("record")) {
            return loop(w);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long workloadOnly() {
        CountingSink sink = new CountingSink();
        Event e = new Event();
        try (Workload w = workload("batch")) {
            PageEventSource source = (PageEventSource) w;
            while (true) {
                while (source.pushPageEvents(sink)) {
                    // a batch per call
                }
                if (!w.next(e)) {
                    break;
                }
                sink.sum += e.handle() + e.order();
            }
        }
        return sink.sum;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long workloadByRecord() {
        long sum = 0;
        Event e = new Event();
        try (Workload w = workload("record")) {
            while (w.next(e)) {
                sum += e.handle() + e.order();
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long allocatorOnly() {
        return loop(predecoded.rewind());
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long allocatorBare() {
        return predecoded.drive(bare, allocator);
    }

    /** Takes every pushed event and only sums its fields (no allocator). */
    private static final class CountingSink implements PageEventSink {
        long sum;

        @Override
        public boolean pageAlloc(long handle, int order, int gfp, int cpu, long timeNanos) {
            sum += handle + order;
            return true;
        }

        @Override
        public void pageFree(long handle, int order, int cpu, long timeNanos) {
            sum += handle + order;
        }

        @Override
        public void tick(long timeNanos) {
            sum += timeNanos;
        }
    }
}
