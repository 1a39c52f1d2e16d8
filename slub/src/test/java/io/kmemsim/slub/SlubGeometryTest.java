package io.kmemsim.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.api.slab.SlubOrder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Golden geometry worked from reference/slab.md §3.2–§3.4. */
class SlubGeometryTest {

    private static final int[] SIZES = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};

    /** §3.3 table "Resulting orders / objects per slab (4K pages)", rows by CPU count. */
    private static final String[] ONE_CPU = {"0/512", "0/256", "0/128", "0/64", "0/42", "0/32", "0/21", "0/16", "0/8",
        "1/8", "2/8", "3/8", "3/4"};
    private static final String[] TWO_TO_SEVEN = {"0/512", "0/256", "0/128", "0/64", "0/42", "0/32", "0/21", "0/16",
        "1/16", "2/16", "3/16", "3/8", "3/4"};
    private static final String[] EIGHT_TO_FIFTEEN = {"0/512", "0/256", "0/128", "0/64", "0/42", "0/32", "0/21",
        "1/32", "2/32", "3/32", "3/16", "3/8", "3/4"};
    private static final String[] SIXTEEN_UP = {"0/512", "0/256", "0/128", "0/64", "0/42", "0/32", "1/42", "1/32",
        "2/32", "3/32", "3/16", "3/8", "3/4"};

    private static String geometry(String kernel, int cpus, int size) {
        SlubRules r = SlubRules.of(KernelVersion.parse(kernel));
        int order = SlubOrder.calculateOrder(r.newOrderAlgorithm(), size, SlubOrder.minObjects(cpus, 0), 0, 3, 10, 12);
        return order + "/" + SlubOrder.orderObjects(order, size, 12);
    }

    @ParameterizedTest(name = "kernel {0}")
    @ValueSource(strings = {"5.10", "6.1", "6.6", "6.12", "6.18"})
    void calculateOrder_matchesReferenceTableForEveryCpuRange(String kernel) {
        for (int i = 0; i < SIZES.length; i++) {
            assertThat(geometry(kernel, 1, SIZES[i])).as("1 cpu, size %d", SIZES[i]).isEqualTo(ONE_CPU[i]);
            for (int cpus : List.of(2, 4, 7)) {
                assertThat(geometry(kernel, cpus, SIZES[i])).as("%d cpus, size %d", cpus, SIZES[i]).isEqualTo(TWO_TO_SEVEN[i]);
            }
            for (int cpus : List.of(8, 15)) {
                assertThat(geometry(kernel, cpus, SIZES[i])).as("%d cpus, size %d", cpus, SIZES[i]).isEqualTo(EIGHT_TO_FIFTEEN[i]);
            }
            for (int cpus : List.of(16, 64)) {
                assertThat(geometry(kernel, cpus, SIZES[i])).as("%d cpus, size %d", cpus, SIZES[i]).isEqualTo(SIXTEEN_UP[i]);
            }
        }
    }

    @Test
    void calculateOrder_68AlgorithmDiffersForLargeObjects() {
        // stride 10928, 1 CPU (min_objects 8): max_objects = 32768 / 10928 = 2, min order get_order(21856) = 3.
        // 6.1-6.7: with 2 objects no order <= 3 wastes at most 1/4 (10912 left over); the single-object try
        //          from get_order(10928) = 2 accepts order 2 (fraction 1): 1 object.
        // 6.8+:    fraction 2 accepts order 3 (10912 <= 16384): 2 objects.
        assertThat(geometry("6.6", 1, 10928)).isEqualTo("2/1");
        assertThat(geometry("6.1", 1, 10928)).isEqualTo("2/1");
        assertThat(geometry("6.12", 1, 10928)).isEqualTo("3/2");
        assertThat(geometry("6.18", 1, 10928)).isEqualTo("3/2");
    }

    @Test
    void calculateOrder_honoursMinOrderAndMinObjects() {
        SlubRules r = SlubRules.of(KernelVersion.parse("6.1"));
        assertThat(SlubOrder.calculateOrder(r.newOrderAlgorithm(), 64, 8, 2, 3, 10, 12)).isEqualTo(2);
        assertThat(SlubOrder.calculateOrder(r.newOrderAlgorithm(), 256, 64, 0, 3, 10, 12)).isEqualTo(2);
        assertThat(SlubOrder.calculateOrder(r.newOrderAlgorithm(), 256, 64, 0, 1, 10, 12)).isEqualTo(1);
    }

    @Test
    void minObjects_isFourTimesFlsPlusOne() {
        assertThat(SlubOrder.minObjects(1, 0)).isEqualTo(8);
        assertThat(SlubOrder.minObjects(3, 0)).isEqualTo(12);
        assertThat(SlubOrder.minObjects(8, 0)).isEqualTo(20);
        assertThat(SlubOrder.minObjects(32, 0)).isEqualTo(28);
        assertThat(SlubOrder.minObjects(8, 5)).isEqualTo(5);
    }

    /** §3.2 worked examples (64-bit, stack depot). */
    @Test
    void calculateSizes_matchesReferenceWorkedExamples() {
        SlubRules r618 = SlubRules.of(KernelVersion.parse("6.18"));
        assertThat(SlubGeometry.calculateSizes(r618, 64, 0, 8, false, false))
                .isEqualTo(new SlubGeometry.Layout(64, 64, 64, 32, 0));
        assertThat(SlubGeometry.calculateSizes(r618, 64, SlabFlags.RED_ZONE, 8, false, false))
                .isEqualTo(new SlubGeometry.Layout(64, 88, 72, 32, 8));
        assertThat(SlubGeometry.calculateSizes(r618, 64, SlabFlags.POISON, 8, false, false))
                .isEqualTo(new SlubGeometry.Layout(64, 72, 64, 64, 0));
        long zu = SlabFlags.RED_ZONE | SlabFlags.STORE_USER | SlabFlags.KMALLOC;
        assertThat(SlubGeometry.calculateSizes(r618, 32, zu, 8, false, true))
                .isEqualTo(new SlubGeometry.Layout(32, 136, 40, 40, 8));
        assertThat(SlubGeometry.calculateSizes(r618, 64, zu, 8, false, true))
                .isEqualTo(new SlubGeometry.Layout(64, 168, 72, 72, 8));
        assertThat(SlubOrder.orderObjects(0, 88, 12)).isEqualTo(46);
        assertThat(SlubOrder.orderObjects(0, 136, 12)).isEqualTo(30);
        assertThat(SlubOrder.orderObjects(0, 168, 12)).isEqualTo(24);
    }

    /** §1.4: 6.1 kmalloc-N with slub_debug=FZPU has stride 2N + 92 rounded to N, i.e. 3N for N >= 128. */
    @Test
    void calculateSizes_kmallocFzpuIn61IsThreeTimesN() {
        SlubRules r61 = SlubRules.of(KernelVersion.parse("6.1"));
        long fzpu = SlabFlags.CONSISTENCY_CHECKS | SlabFlags.RED_ZONE | SlabFlags.POISON | SlabFlags.STORE_USER
                | SlabFlags.KMALLOC;
        for (int n : new int[] {128, 256, 1024}) {
            assertThat(SlubGeometry.calculateSizes(r61, n, fzpu, n, false, true).size()).as("kmalloc-%d", n).isEqualTo(3 * n);
        }
    }

    @Test
    void calculateSizes_ctorAndRcuMoveTheFreePointerOutside() {
        SlubRules r = SlubRules.of(KernelVersion.parse("6.1"));
        assertThat(SlubGeometry.calculateSizes(r, 100, 0, 8, true, false))
                .isEqualTo(new SlubGeometry.Layout(100, 112, 104, 104, 0));
        assertThat(SlubGeometry.calculateSizes(r, 100, SlabFlags.TYPESAFE_BY_RCU, 8, false, false).freePointerOutside()).isTrue();
        assertThat(SlubGeometry.calculateSizes(r, 100, 0, 8, false, false).offset()).isEqualTo(48);
    }

    @Test
    void calculateSizes_trackIs152BytesBefore517() {
        SlubRules r510 = SlubRules.of(KernelVersion.parse("5.10"));
        // 64 + 2 x 152 tracks, no original-size word in 5.10
        assertThat(SlubGeometry.calculateSizes(r510, 64, SlabFlags.STORE_USER | SlabFlags.KMALLOC, 64, false, true).size())
                .isEqualTo(384);
    }

    @Test
    void limits_followSection34() {
        assertThat(SlubGeometry.minPartial(64)).isEqualTo(5);
        assertThat(SlubGeometry.minPartial(4096)).isEqualTo(6);
        assertThat(SlubGeometry.minPartial(16384)).isEqualTo(7);
        assertThat(SlubGeometry.minPartial(1 << 20)).isEqualTo(10);
        SlubRules r61 = SlubRules.of(KernelVersion.parse("6.1"));
        SlubRules r510 = SlubRules.of(KernelVersion.parse("5.10"));
        assertThat(SlubGeometry.cpuPartial(r61, 64, 4096, false, true)).isEqualTo(120);
        assertThat(SlubGeometry.cpuPartial(r61, 256, 4096, false, true)).isEqualTo(52);
        assertThat(SlubGeometry.cpuPartial(r61, 1024, 4096, false, true)).isEqualTo(24);
        assertThat(SlubGeometry.cpuPartial(r61, 4096, 4096, false, true)).isEqualTo(6);
        assertThat(SlubGeometry.cpuPartial(r61, 64, 4096, true, true)).isZero();
        assertThat(SlubGeometry.cpuPartial(r510, 64, 4096, false, true)).isEqualTo(30);
        assertThat(SlubGeometry.cpuPartial(r510, 4096, 4096, false, true)).isEqualTo(2);
        assertThat(SlubGeometry.cpuPartialSlabs(120, 64)).isEqualTo(4);
        assertThat(SlubGeometry.cpuPartialSlabs(6, 8)).isEqualTo(2);
    }
}
