package io.kmemsim.api.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.KernelVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link SlubOrder} against mm/slub.c: calculate_order(), calc_slab_order() (6.1) (the table of orders and objects per slab, 4K pages). */
class SlubOrderTest {

    private static final int SHIFT = 12;

    @ParameterizedTest(name = "{0} cpus -> {1}")
    @CsvSource({"1, 8", "2, 12", "3, 12", "4, 16", "7, 16", "8, 20", "15, 20", "16, 24", "31, 24", "32, 28"})
    void minObjects_isFourTimesFlsPlusOne(int cpus, int expected) {
        assertThat(SlubOrder.minObjects(cpus, 0)).isEqualTo(expected);
    }

    @Test
    void minObjects_bootOptionWins() {
        assertThat(SlubOrder.minObjects(8, 5)).isEqualTo(5);
    }

    /** The mm/slub.c: calculate_order(), calc_slab_order() (6.1) table, every column, for one CPU count per row range, both algorithms. */
    @ParameterizedTest(name = "stride {0}: 1 cpu {1}, 4 cpus {2}, 8 cpus {3}, 16 cpus {4}")
    @CsvSource({
        "8,    0/512, 0/512, 0/512, 0/512",
        "16,   0/256, 0/256, 0/256, 0/256",
        "32,   0/128, 0/128, 0/128, 0/128",
        "64,   0/64,  0/64,  0/64,  0/64",
        "96,   0/42,  0/42,  0/42,  0/42",
        "128,  0/32,  0/32,  0/32,  0/32",
        "192,  0/21,  0/21,  0/21,  1/42",
        "256,  0/16,  0/16,  1/32,  1/32",
        "512,  0/8,   1/16,  2/32,  2/32",
        "1024, 1/8,   2/16,  3/32,  3/32",
        "2048, 2/8,   3/16,  3/16,  3/16",
        "4096, 3/8,   3/8,   3/8,   3/8",
        "8192, 3/4,   3/4,   3/4,   3/4"})
    void calculateOrder_matchesTheReferenceTable(int size, String one, String four, String eight, String sixteen) {
        int[] cpus = {1, 4, 8, 16};
        String[] expected = {one, four, eight, sixteen};
        for (int i = 0; i < cpus.length; i++) {
            for (boolean newAlgorithm : new boolean[] {false, true}) {
                int order = SlubOrder.calculateOrder(newAlgorithm, size, SlubOrder.minObjects(cpus[i], 0), 0,
                        SlubOrder.DEFAULT_MAX_ORDER, 10, SHIFT);
                assertThat(order + "/" + SlubOrder.orderObjects(order, size, SHIFT))
                        .as("stride %d, %d cpus, new algorithm %s", size, cpus[i], newAlgorithm).isEqualTo(expected[i]);
            }
        }
    }

    /**
     * Stride 10928, one CPU (min_objects 8): order 3 holds 2 objects and wastes 10912 bytes, more than a
     * quarter. 6.1: no fraction 16/8/4 fits two objects, so one object with fraction 1 gives order 2
     * (16384 mod 10928 = 5456). 6.8: fraction 2 accepts order 3 (10912 <= 16384).
     */
    @Test
    void calculateOrder_largeStrideDiffersBetweenAlgorithms() {
        assertThat(SlubOrder.calculateOrder(KernelVersion.parse("6.1"), 10928, 8, 0, 3, 10, SHIFT)).isEqualTo(2);
        assertThat(SlubOrder.calculateOrder(KernelVersion.parse("6.12"), 10928, 8, 0, 3, 10, SHIFT)).isEqualTo(3);
    }

    /** slub_min_order 7 with 8-byte objects: 65536 objects exceed 32767, so get_order(8 × 32767) − 1 = 5. */
    @Test
    void calculateOrder_capsObjectsAtMaxObjsPerPage() {
        assertThat(SlubOrder.calculateOrder(true, 8, 8, 7, 7, 10, SHIFT)).isEqualTo(5);
    }

    /** A stride above the buddy maximum has no order. */
    @Test
    void calculateOrder_minusOneWhenNothingFits() {
        assertThat(SlubOrder.calculateOrder(true, 8 << 20, 8, 0, 3, 10, SHIFT)).isEqualTo(-1);
        assertThat(SlubOrder.calculateOrder(false, 8 << 20, 8, 0, 3, 10, SHIFT)).isEqualTo(-1);
    }

    @Test
    void arguments_outOfRangeAreRefused() {
        assertThatThrownBy(() -> SlubOrder.orderObjects(0, 0, SHIFT)).hasMessageContaining("stride must be > 0: 0");
        assertThatThrownBy(() -> SlubOrder.minObjects(0, 0)).hasMessageContaining("cpus must be >= 1: 0");
        assertThatThrownBy(() -> SlubOrder.calculateOrder(true, 64, 8, 3, 1, 10, SHIFT))
                .hasMessageContaining("min 3, max 1");
    }
}
