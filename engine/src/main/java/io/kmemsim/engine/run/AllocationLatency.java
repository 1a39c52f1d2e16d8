package io.kmemsim.engine.run;

import org.HdrHistogram.Histogram;

/**
 * Latency of page allocations per order, in simulated cycles of the cost model (the page allocator's
 * {@code cycles()} plus the arch hooks' {@code cycles()} charged during the {@code allocate} call): one
 * HdrHistogram {@link Histogram} per order with {@value #DIGITS} significant decimal digits (a percentile is
 * the largest value equivalent to its bucket, at most 1 % above the true value), capped at the largest value
 * seen. Fixed size (about 60 KiB per order), no allocation when recording.
 */
public final class AllocationLatency {

    /** Significant decimal digits kept: buckets at most 1 % wide. */
    static final int DIGITS = 2;
    /** The largest value a histogram tracks; larger latencies are recorded as this (and kept exactly in max). */
    static final long HIGHEST = Long.MAX_VALUE / 4;

    private final Histogram[] histograms;
    private final long[] max;

    AllocationLatency(int maxOrder) {
        histograms = new Histogram[maxOrder + 1];
        for (int o = 0; o <= maxOrder; o++) {
            histograms[o] = new Histogram(1, HIGHEST, DIGITS);
        }
        max = new long[maxOrder + 1];
    }

    void record(int order, long cycles) {
        long v = Math.min(Math.max(cycles, 0), HIGHEST);
        histograms[order].recordValue(v);
        if (v > max[order]) {
            max[order] = v;
        }
    }

    /** The largest order tracked. */
    public int maxOrder() {
        return max.length - 1;
    }

    /** Successful allocations of {@code order} measured. */
    public long count(int order) {
        return histograms[order].getTotalCount();
    }

    /** The largest latency seen for {@code order}. */
    public long max(int order) {
        return max[order];
    }

    /**
     * The latency at quantile {@code q} (0 &lt; q ≤ 1) for {@code order}: the largest value equivalent to the
     * bucket holding the ⌈q·n⌉-th smallest value, capped at the maximum; 0 when nothing was measured.
     */
    public long percentile(int order, double q) {
        Histogram h = histograms[order];
        if (h.getTotalCount() == 0) {
            return 0;
        }
        return Math.min(h.getValueAtPercentile(q * 100.0), max[order]);
    }
}
