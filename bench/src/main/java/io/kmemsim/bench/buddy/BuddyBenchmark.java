package io.kmemsim.bench.buddy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.mm.PageAllocator;
import java.util.SplittableRandom;
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
 * Hot paths of the {@code buddy} allocator on a 4 GiB machine (1 Mi pages, no fallback policy).
 *
 * <p>Run (from the repository root, after {@code mvn -q install -DskipTests -pl api,buddy,bench}):
 * <pre>
 *   cd bench && mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main 'io.kmemsim.bench.buddy.*' \
 *        -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 * <ul>
 *   <li>{@link #order0Pair}: one order-0 allocation and its free on the same CPU — the pcp path once
 *       the lists are warm (mm/page_alloc.c: rmqueue_pcplist(), free_unref_page_commit() (6.1)).</li>
 *   <li>{@link #pcpBurst}: 256 order-0 allocations then 256 frees per invocation — refills with
 *       {@code rmqueue_bulk} and drains with {@code free_pcppages_bulk}; reported per page.</li>
 *   <li>{@link #mixedChurn}: a ring of 1024 live blocks of random orders 0–10 (precomputed, power-of-two
 *       array): free the oldest, allocate the next — split, merge and pcp traffic together.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class BuddyBenchmark {

    private static final int RING = 1024;
    private static final int BURST = 256;

    @Param({"5.10", "6.1", "6.12"})
    public String kernel;

    private PageAllocator allocator;
    private final int[] orders = new int[RING];
    private final long[] ring = new long[RING];
    private final int[] ringOrder = new int[RING];
    private final long[] burst = new long[BURST];
    private int cursor;

    @Setup
    public void setUp() {
        allocator = BenchMachine.allocator(kernel);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < RING; i++) {
            int r = random.nextInt(16);
            orders[i] = r < 10 ? 0 : r - 9 + random.nextInt(5);
            ring[i] = PageAllocator.NO_PAGE;
        }
    }

    @Benchmark
    public long order0Pair() {
        long pfn = allocator.allocate(0, Gfp.GFP_KERNEL, 0);
        allocator.free(pfn, 0, 0);
        return pfn;
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long pcpBurst() {
        long sum = 0;
        for (int i = 0; i < BURST; i++) {
            burst[i] = allocator.allocate(0, Gfp.GFP_HIGHUSER_MOVABLE, 1);
        }
        for (int i = 0; i < BURST; i++) {
            allocator.free(burst[i], 0, 1);
            sum += burst[i];
        }
        return sum;
    }

    @Benchmark
    public long mixedChurn() {
        int slot = cursor;
        cursor = (cursor + 1) & (RING - 1);
        if (ring[slot] != PageAllocator.NO_PAGE) {
            allocator.free(ring[slot], ringOrder[slot], slot & 3);
        }
        int order = Math.min(orders[slot], 10);
        long pfn = allocator.allocate(order, Gfp.GFP_KERNEL, slot & 3);
        ring[slot] = pfn;
        ringOrder[slot] = order;
        return pfn;
    }
}
