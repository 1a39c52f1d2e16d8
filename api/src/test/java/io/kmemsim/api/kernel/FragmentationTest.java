package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FragmentationTest {

    /** 10 blocks of order 0, 4 of order 1, 2 of order 2: total 16 blocks, free pages 10 + 8 + 8 = 26. */
    private static final long[] FREE = {10, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final long[] EMPTY = new long[11];

    @Test
    void inputs_followSection8_1() {
        assertThat(Fragmentation.freeBlocksTotal(FREE)).isEqualTo(16);
        assertThat(Fragmentation.freePages(FREE)).isEqualTo(26);
        assertThat(Fragmentation.freeBlocksSuitable(FREE, 1)).isEqualTo(4 + 2 * 2);
    }

    /**
     * mm/vmstat.c: __fragmentation_index() (6.1): orders 0..2 have a suitable block → −1000. Order 3: 1000 − (1000 + 26*1000/8)/16
     * = 1000 − (1000 + 3250)/16 = 1000 − 265 = 735. Order 10: 1000 − (1000 + 26000/1024 = 25)/16 = 1000 − 64 = 936.
     */
    @Test
    void fragmentationIndex_section8_2() {
        assertThat(Fragmentation.fragmentationIndex(FREE, 0)).isEqualTo(-1000);
        assertThat(Fragmentation.fragmentationIndex(FREE, 2)).isEqualTo(-1000);
        assertThat(Fragmentation.fragmentationIndex(FREE, 3)).isEqualTo(735);
        assertThat(Fragmentation.fragmentationIndex(FREE, 10)).isEqualTo(936);
        assertThat(Fragmentation.fragmentationIndex(EMPTY, 3)).isZero();
    }

    /**
     * mm/vmstat.c: unusable_free_index() (6.1): order 0 → 0; order 1: suitable 8, (26 − 16)*1000/26 = 384; order 2: suitable 2,
     * (26 − 8)*1000/26 = 692; order 3: 1000. Nothing free → 1000.
     */
    @Test
    void unusableIndex_section8_3() {
        assertThat(Fragmentation.unusableIndex(FREE, 0)).isZero();
        assertThat(Fragmentation.unusableIndex(FREE, 1)).isEqualTo(384);
        assertThat(Fragmentation.unusableIndex(FREE, 2)).isEqualTo(692);
        assertThat(Fragmentation.unusableIndex(FREE, 3)).isEqualTo(1000);
        assertThat(Fragmentation.unusableIndex(EMPTY, 0)).isEqualTo(1000);
    }

    /** mm/vmstat.c: extfrag_for_order() (6.1): order 1 → 10*100/26 = 38; order 9 → 100; nothing free → 0. */
    @Test
    void extfragForOrder_section8_4() {
        assertThat(Fragmentation.extfragForOrder(FREE, 1)).isEqualTo(38);
        assertThat(Fragmentation.extfragForOrder(FREE, 9)).isEqualTo(100);
        assertThat(Fragmentation.extfragForOrder(EMPTY, 9)).isZero();
        assertThatThrownBy(() -> Fragmentation.extfragForOrder(FREE, 11)).hasMessage("order must be in [0, 10]: 11");
    }

    /**
     * mm/compaction.c: fragmentation_score_zone() (6.1): p = 20 → low 80, high 90 in both rules. p = 95: ≤6.14 low max(5, 5) = 5, high 15; 6.18+ low 5,
     * leeway min(10, 5/2 = 2) = 2, high 7. p = 100: ≤6.14 low 5, high 15; 6.18 low 0, high 0.
     * Weighted score: 750000 * 50 / (4650000 + 1) = 8.
     */
    @Test
    void proactiveScore_section8_6() {
        KernelVersion v614 = KernelVersion.parse("6.14");
        KernelVersion v618 = KernelVersion.parse("6.18");
        assertThat(Fragmentation.proactiveLowWatermark(v614, 20)).isEqualTo(80);
        assertThat(Fragmentation.proactiveHighWatermark(v614, 20)).isEqualTo(90);
        assertThat(Fragmentation.proactiveHighWatermark(v618, 20)).isEqualTo(90);
        assertThat(Fragmentation.proactiveHighWatermark(v614, 95)).isEqualTo(15);
        assertThat(Fragmentation.proactiveHighWatermark(v618, 95)).isEqualTo(7);
        assertThat(Fragmentation.proactiveLowWatermark(v614, 100)).isEqualTo(5);
        assertThat(Fragmentation.proactiveHighWatermark(v618, 100)).isZero();
        assertThat(Fragmentation.weightedZoneScore(750000, 50, 4650000)).isEqualTo(8);
        assertThatThrownBy(() -> Fragmentation.proactiveLowWatermark(v614, 101))
                .hasMessage("compaction_proactiveness must be in [0, 100]: 101");
    }
}
