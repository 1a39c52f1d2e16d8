package io.kmemsim.bench.libs;

/**
 * The engine's hand-written log-linear latency histogram as it was before HdrHistogram replaced it (issue 18),
 * kept only for {@link LatencyBenchmark}: exact below 8, then 8 buckets per power of two.
 */
final class LogLinearLatency {

    private static final int SUB = 8;
    private static final int BUCKETS = SUB + (64 - 3) * SUB;

    private final long[][] buckets;
    private final long[] max;
    private final long[] count;

    LogLinearLatency(int maxOrder) {
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

    void record(int order, long cycles) {
        buckets[order][bucket(cycles)]++;
        count[order]++;
        if (cycles > max[order]) {
            max[order] = cycles;
        }
    }

    long count(int order) {
        return count[order];
    }
}
