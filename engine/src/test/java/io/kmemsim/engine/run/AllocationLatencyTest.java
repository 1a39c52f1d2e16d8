package io.kmemsim.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AllocationLatencyTest {

    @Test
    void percentiles_areTheRankedValue_withinOnePercent_cappedAtTheMaximum() {
        AllocationLatency l = new AllocationLatency(3);
        for (int i = 0; i < 90; i++) {
            l.record(0, 12);
        }
        for (int i = 0; i < 9; i++) {
            l.record(0, 1000);
        }
        l.record(0, 5000);
        assertThat(l.count(0)).isEqualTo(100);
        assertThat(l.percentile(0, 0.50)).isEqualTo(12);
        assertThat(l.percentile(0, 0.90)).isEqualTo(12);
        assertThat(l.percentile(0, 0.99)).isBetween(1000L, 1010L);
        assertThat(l.percentile(0, 0.999)).isEqualTo(5000);
        assertThat(l.max(0)).isEqualTo(5000);
        assertThat(l.percentile(1, 0.5)).isZero();
        assertThat(l.count(1)).isZero();
    }

    @Test
    void everyPercentile_isWithinOnePercentAboveTheExactRank() {
        AllocationLatency l = new AllocationLatency(0);
        SplittableRandom r = new SplittableRandom(3);
        long[] values = new long[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextInt(8) == 0 ? r.nextLong(1, 10_000_000) : r.nextLong(0, 300);
            l.record(0, values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.01, 0.5, 0.9, 0.99, 0.999, 1.0}) {
            long exact = values[(int) Math.max(0, Math.ceil(q * values.length) - 1)];
            assertThat(l.percentile(0, q)).as("q=%s", q).isBetween(exact, exact + exact / 100 + 1);
        }
        assertThat(l.max(0)).isEqualTo(values[values.length - 1]);
    }

    @Test
    void hugeAndNegativeValues_areClamped_notFailures() {
        AllocationLatency l = new AllocationLatency(0);
        l.record(0, Long.MAX_VALUE);
        l.record(0, -5);
        assertThat(l.count(0)).isEqualTo(2);
        assertThat(l.max(0)).isEqualTo(AllocationLatency.HIGHEST);
        assertThat(l.percentile(0, 0.5)).isZero();
    }

    @Test
    void directlyCountedValues_giveTheHistogramsOwnPercentiles_withReadsBetweenRecords() {
        AllocationLatency l = new AllocationLatency(2);
        org.HdrHistogram.Histogram[] plain = new org.HdrHistogram.Histogram[3];
        for (int o = 0; o < 3; o++) {
            plain[o] = new org.HdrHistogram.Histogram(1, AllocationLatency.HIGHEST, AllocationLatency.DIGITS);
        }
        SplittableRandom r = new SplittableRandom(11);
        double[] qs = {0.001, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0};
        for (int i = 0; i < 50_000; i++) {
            int order = r.nextInt(3);
            long v = switch (r.nextInt(4)) {
                case 0 -> r.nextLong(0, 48);
                case 1 -> AllocationLatency.DIRECT - 2 + r.nextInt(4); // either side of the direct limit
                case 2 -> r.nextLong(0, AllocationLatency.DIRECT);
                default -> r.nextLong(AllocationLatency.DIRECT, 5_000_000);
            };
            l.record(order, v);
            plain[order].recordValue(v);
            if (i % 9_973 == 0 || i == 49_999) { // reads in the middle of the run (the results' time series) too
                for (int o = 0; o < 3; o++) {
                    assertThat(l.count(o)).isEqualTo(plain[o].getTotalCount());
                    for (double q : qs) {
                        assertThat(l.percentile(o, q)).as("order %d q=%s after %d", o, q, i)
                                .isEqualTo(Math.min(plain[o].getValueAtPercentile(q * 100.0), l.max(o)));
                    }
                }
            }
        }
    }
}
