package io.kmemsim.bench.slub;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.slub.SlubOptions;
import io.kmemsim.slub.SlubProvider;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * SLUB fast path, slow path and mixed kmalloc, over a constant-time page allocator so only the slab layer
 * is measured.
 *
 * <pre>
 * bench/run.sh                  # the fast-path pair beside Netty's arena pair, in one JMH run, with the ratio
 * java -cp &lt;bench classpath as bench/run.sh builds it&gt; org.openjdk.jmh.Main 'slub.SlubBenchmark' -prof gc
 * </pre>
 * The fast-path pair touches one {@code SlubCpu} ({@code kmem_cache_cpu}): alloc pops the cpu freelist,
 * free finds the cpu slab by the address range and pushes; no PFN lookup, no division, no allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SlubBenchmark {

    private static final int GFP = Gfp.GFP_KERNEL;
    private static final int MASK = 1023;
    private static final int BATCH = 512;

    @Param({"6.1", "6.12"})
    public String kernel;

    private ObjectCache slub;
    private int cacheId;
    private final long[] sizes = new long[MASK + 1];
    private final long[] window = new long[256];
    private final long[] batch = new long[BATCH];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        slub = new SlubProvider().create(new SlubOptions(),
                new BenchContext(KernelVersion.parse(kernel), 8, new BenchPageAllocator()));
        cacheId = slub.createCache(new CacheSpec("bench_64", 64, 0, 0, false));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 1 + r.nextInt(r.nextBoolean() ? 256 : 4096);
        }
        for (int i = 0; i < window.length; i++) {
            window[i] = slub.kmalloc(sizes[i], GFP, 0);
        }
    }

    /** One kmem_cache_alloc + kmem_cache_free pair on the same CPU: both on the fast path. */
    @Benchmark
    public long fastPathPair() {
        long a = slub.alloc(cacheId, GFP, 0);
        slub.free(cacheId, a, 0);
        return a;
    }

    /**
     * 512 allocations then 512 frees on another CPU: slab refills, remote frees into frozen slabs, cpu
     * partial puts and drains, new slabs. Per operation.
     */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public long slowPathRefill() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            batch[i] = slub.alloc(cacheId, GFP, 0);
        }
        for (int i = 0; i < BATCH; i++) {
            slub.free(cacheId, batch[i], 1);
            sum += batch[i];
        }
        return sum;
    }

    /** kmalloc of a precomputed mixed size, kfree of the object allocated 256 calls earlier. Per pair. */
    @Benchmark
    public long kmallocMixed() {
        int i = next++;
        int w = i & (window.length - 1);
        slub.kfree(window[w], i & 3);
        long a = slub.kmalloc(sizes[i & MASK], GFP, i & 3);
        window[w] = a;
        return a;
    }
}
