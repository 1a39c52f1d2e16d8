package io.kmemsim.engine.run;

import org.HdrHistogram.Histogram;

/**
 * Latency of page allocations per order, in simulated cycles of the cost model (the page allocator's
 * {@code cycles()} plus the arch hooks' {@code cycles()} charged during the {@code allocate} call): one
 * HdrHistogram {@link Histogram} per order with {@value #DIGITS} significant decimal digits (a percentile is
 * the largest value equivalent to its bucket, at most 1 % above the true value), capped at the largest value
 * seen. Fixed size (about 60 KiB per order), no allocation when recording.
 *
 * <p>A value below {@value #DIRECT} (the cost model's usual latencies: a few list operations) is counted in a
 * plain array indexed by order and value, one increment, and added to its order's histogram with its count
 * when the latencies are read; the histogram then holds exactly what recording each value would have put in it
 * (the same counts, total, minimum and maximum), so every percentile is the same.
 */
public final class AllocationLatency {

    /** Significant decimal digits kept: buckets at most 1 % wide. */
    static final int DIGITS = 2;
    /** The largest value a histogram tracks; larger latencies are recorded as this (and kept exactly in max). */
    static final long HIGHEST = Long.MAX_VALUE / 4;

    /** Values below this are counted directly ({@link #direct}) until read. */
    static final int DIRECT = 1024;

    private final Histogram[] histograms;
    private final long[] max;
    /** Pending counts: {@code direct[order * DIRECT + value]}. */
    private final long[] direct;
    /** Whether {@link #direct} holds counts not yet in the histograms. */
    private boolean pending;

    AllocationLatency(int maxOrder) {
        histograms = new Histogram[maxOrder + 1];
        for (int o = 0; o <= maxOrder; o++) {
            histograms[o] = new Histogram(1, HIGHEST, DIGITS);
        }
        max = new long[maxOrder + 1];
        direct = new long[(maxOrder + 1) * DIRECT];
    }

    void record(int order, long cycles) {
        long v = Math.min(Math.max(cycles, 0), HIGHEST);
        if (v < DIRECT) {
            direct[order * DIRECT + (int) v]++;
            pending = true;
        } else {
            histograms[order].recordValue(v);
        }
        if (v > max[order]) {
            max[order] = v;
        }
    }

    /** Moves the pending direct counts into the histograms. */
    private void flush() {
        if (!pending) {
            return;
        }
        long[] d = direct;
        for (int i = 0; i < d.length; i++) {
            if (d[i] != 0) {
                histograms[i / DIRECT].recordValueWithCount(i % DIRECT, d[i]);
                d[i] = 0;
            }
        }
        pending = false;
    }

    /** The largest order tracked. */
    public int maxOrder() {
        return max.length - 1;
    }

    /** Successful allocations of {@code order} measured. */
    public long count(int order) {
        flush();
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
        flush();
        Histogram h = histograms[order];
        if (h.getTotalCount() == 0) {
            return 0;
        }
        return Math.min(h.getValueAtPercentile(q * 100.0), max[order]);
    }
}
