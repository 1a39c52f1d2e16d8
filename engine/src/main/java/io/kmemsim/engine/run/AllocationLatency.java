package io.kmemsim.engine.run;

/**
 * Latency of page allocations per order, in simulated cycles of the cost model (the page allocator's
 * {@code cycles()} plus the arch hooks' {@code cycles()} charged during the {@code allocate} call), as a
 * log-linear histogram: exact below 8 cycles, then 8 buckets per power of two (a value is reported as
 * the upper end of its bucket, at most 12.5 % above it). Fixed size, no allocation when recording.
 */
public final class AllocationLatency {

    private static final int SUB = 8;
    private static final int BUCKETS = SUB + (64 - 3) * SUB;

    private final long[][] buckets;
    private final long[] max;
    private final long[] count;

    AllocationLatency(int maxOrder) {
        buckets = new long[maxOrder + 1][BUCKETS];
        max = new long[maxOrder + 1];
        count = new long[maxOrder + 1];
    }

    static int bucket(long cycles) {
        if (cycles < SUB) {
            return (int) Math.max(cycles, 0);
        }
        int b = 63 - Long.numberOfLeadingZeros(cycles);
        int sub = (int) ((cycles >>> (b - 3)) & (SUB - 1));
        return SUB + (b - 3) * SUB + sub;
    }

    /** The largest value of a bucket. */
    static long upper(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int b = (bucket - SUB) / SUB + 3;
        int sub = (bucket - SUB) % SUB;
        long lower = (long) (SUB + sub) << (b - 3);
        return lower + (1L << (b - 3)) - 1;
    }

    void record(int order, long cycles) {
        buckets[order][bucket(cycles)]++;
        count[order]++;
        if (cycles > max[order]) {
            max[order] = cycles;
        }
    }

    /** The largest order tracked. */
    public int maxOrder() {
        return count.length - 1;
    }

    /** Successful allocations of {@code order} measured. */
    public long count(int order) {
        return count[order];
    }

    /** The largest latency seen for {@code order}. */
    public long max(int order) {
        return max[order];
    }

    /**
     * The latency at quantile {@code q} (0 &lt; q ≤ 1) for {@code order}: the upper end of the bucket
     * holding the ⌈q·n⌉-th smallest value, capped at the maximum; 0 when nothing was measured.
     */
    public long percentile(int order, double q) {
        long n = count[order];
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        long[] b = buckets[order];
        for (int i = 0; i < b.length; i++) {
            seen += b[i];
            if (seen >= rank) {
                return Math.min(upper(i), max[order]);
            }
        }
        return max[order];
    }
}
