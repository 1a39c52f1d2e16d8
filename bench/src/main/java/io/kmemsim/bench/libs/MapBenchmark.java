package io.kmemsim.bench.libs;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.collections.Long2LongHashMap;
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

/**
 * The event loop's handle-map pattern on three primitive {@code long → long} maps: the engine's former
 * hand-written {@link HandLongLongMap}, fastutil's {@link Long2LongOpenHashMap} and Agrona's
 * {@link Long2LongHashMap}. One op is one allocation and one free of a page block, as the loop does them: a
 * {@code containsKey} and a {@code put} of the new handle, then a {@code remove} of the handle allocated
 * {@code live} ops earlier. Keys are distinct PFN-like numbers below 2^21 (an 8 GiB machine of 4K pages),
 * drawn once; so the map holds {@code live} entries throughout, like a replay's live set. Run with
 * {@code -prof gc}: none of the three may allocate per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MapBenchmark {

    /** Entries live at once (the trace corpus keeps at most 8192 page blocks, half on average). */
    @Param({"4096", "262144"})
    public int live;

    private static final int KEYS = 1 << 20;

    private long[] keys;
    private int next;
    private HandLongLongMap hand;
    private Long2LongOpenHashMap fast;
    private Long2LongHashMap agrona;

    @Setup
    public void setUp() {
        // a random permutation of [0, 2^21), cut to 2^20 keys: distinct within any window
        int[] perm = new int[1 << 21];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        SplittableRandom r = new SplittableRandom(42);
        for (int i = perm.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        keys = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = perm[i];
        }
        hand = new HandLongLongMap(1 << 12, -1);
        fast = new Long2LongOpenHashMap(1 << 12, 0.5f);
        fast.defaultReturnValue(-1);
        agrona = new Long2LongHashMap(1 << 12, 0.5f, -1);
        for (int i = 0; i < live; i++) {
            hand.put(keys[i], keys[i] << 6);
            fast.put(keys[i], keys[i] << 6);
            agrona.put(keys[i], keys[i] << 6);
        }
        next = live;
    }

    @Benchmark
    public long hand() {
        int i = next++;
        long in = keys[i & (KEYS - 1)];
        long out = keys[(i - live) & (KEYS - 1)];
        HandLongLongMap m = hand;
        return (m.containsKey(in) ? 1 : 0) + m.put(in, in << 6) + m.remove(out);
    }

    @Benchmark
    public long fastutil() {
        int i = next++;
        long in = keys[i & (KEYS - 1)];
        long out = keys[(i - live) & (KEYS - 1)];
        Long2LongOpenHashMap m = fast;
        return (m.containsKey(in) ? 1 : 0) + m.put(in, in << 6) + m.remove(out);
    }

    @Benchmark
    public long agrona() {
        int i = next++;
        long in = keys[i & (KEYS - 1)];
        long out = keys[(i - live) & (KEYS - 1)];
        Long2LongHashMap m = agrona;
        return (m.containsKey(in) ? 1 : 0) + m.put(in, in << 6) + m.remove(out);
    }
}
