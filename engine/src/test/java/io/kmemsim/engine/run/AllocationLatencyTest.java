package io.kmemsim.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AllocationLatencyTest {

    @Test
    void buckets_areExactBelowEight_thenEightPerPowerOfTwo() {
        assertThat(AllocationLatency.bucket(0)).isZero();
        assertThat(AllocationLatency.bucket(7)).isEqualTo(7);
        // 8..15 are buckets 8..15 (width 1); 16..31 are buckets 16..23 (width 2); 100 = 0b1100100:
        // highest bit 6, sub = (100 >> 3) & 7 = 4, bucket 8 + 3*8 + 4 = 36, covering 96..103
        assertThat(AllocationLatency.bucket(15)).isEqualTo(15);
        assertThat(AllocationLatency.bucket(16)).isEqualTo(16);
        assertThat(AllocationLatency.bucket(17)).isEqualTo(16);
        assertThat(AllocationLatency.bucket(100)).isEqualTo(36);
        assertThat(AllocationLatency.upper(36)).isEqualTo(103);
        for (long v : new long[] {1, 9, 31, 100, 12_345, 1L << 40, (1L << 62) + 12_345}) {
            int b = AllocationLatency.bucket(v);
            assertThat(AllocationLatency.upper(b)).isGreaterThanOrEqualTo(v).isLessThanOrEqualTo(v + v / 8 + 1);
        }
    }

    @Test
    void percentiles_reportBucketUpperEnds_cappedAtTheMaximum() {
        AllocationLatency l = new AllocationLatency(3);
        for (int i = 0; i < 90; i++) {
            l.record(0, 12);
        }
        for (int i = 0; i < 9; i++) {
            l.record(0, 100);
        }
        l.record(0, 5000);
        assertThat(l.count(0)).isEqualTo(100);
        assertThat(l.percentile(0, 0.50)).isEqualTo(12);
        assertThat(l.percentile(0, 0.90)).isEqualTo(12);
        assertThat(l.percentile(0, 0.99)).isEqualTo(103);
        assertThat(l.percentile(0, 0.999)).isEqualTo(5000);
        assertThat(l.max(0)).isEqualTo(5000);
        assertThat(l.percentile(1, 0.5)).isZero();
    }
}
