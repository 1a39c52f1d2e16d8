package io.kmemsim.bench.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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

import java.util.concurrent.TimeUnit;

/**
 * The peer of the buddy and SLUB pair benchmarks: one allocation and its release from Netty's
 * {@link PooledByteBufAllocator} (jemalloc-style arenas of buddy-managed chunks), heap buffers.
 *
 * <ul>
 *   <li>{@code path=arena}: an allocator with no thread caches ({@code smallCacheSize = normalCacheSize = 0}), so
 *       every pair goes into the arena's chunk lists and bitmaps under the arena's lock — the analogue of the
 *       buddy free lists;</li>
 *   <li>{@code path=cache}: Netty's defaults, so the pair is served by the thread-local cache — the analogue of
 *       the per-CPU lists and of SLUB's per-CPU freelist.</li>
 * </ul>
 * {@code size=4096} is one page; {@code size=2097152} one 2 MiB block (an order-9 THP on 4K pages).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class NettyPoolBenchmark {

    @Param({"4096", "2097152"})
    public int size;

    @Param({"arena", "cache"})
    public String path;

    private PooledByteBufAllocator allocator;

    @Setup
    public void setUp() {
        allocator = "arena".equals(path)
                // preferDirect, heap arenas, direct arenas, page size, max order (4 MiB chunks), no caches
                ? new PooledByteBufAllocator(false, 1, 0, 8192, 9, 0, 0, false)
                : new PooledByteBufAllocator(false);
    }

    @Benchmark
    public int pair() {
        ByteBuf b = allocator.heapBuffer(size, size);
        int c = b.capacity();
        b.release();
        return c;
    }
}
