package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LowmemReserveTest {

    /**
     * mm/page_alloc.c: setup_per_zone_lowmem_reserve() (6.1) example, five zones (DMA, DMA32, Normal, Movable, Device), ratios 256 256 32 0 0:
     * DMA:   750000/256 = 2929; 4650000/256 = 18164 (then +0 +0) → (0, 2929, 18164, 18164, 18164)
     * DMA32: 3900000/256 = 15234 → (0, 0, 15234, 15234, 15234)
     * Normal: running 0 → all 0
     */
    @Test
    void compute_matchesReferenceExample() {
        long[][] r = LowmemReserve.compute(KernelVersion.parse("6.1"), new long[] {3840, 750000, 3900000, 0, 0},
                LowmemReserve.defaultRatios(KernelConfig.X86_64_DISTRO));
        assertThat(r[0]).containsExactly(0, 2929, 18164, 18164, 18164);
        assertThat(r[1]).containsExactly(0, 0, 15234, 15234, 15234);
        assertThat(r[2]).containsExactly(0, 0, 0, 0, 0);
        assertThat(r[4]).containsExactly(0, 0, 0, 0, 0);
    }

    /**
     * mm/page_alloc.c: setup_per_zone_lowmem_reserve() (6.1) arm64 shape: DMA 700000, DMA32 empty, Normal 300000, Movable empty.
     * DMA: j=1 0/256 = 0; j=2 300000/256 = 1171; j=3 repeats 1171 → (0, 0, 1171, 1171).
     * 6.10 – 6.12.18: an empty upper zone prints 0 → (0, 0, 1171, 0); reverted in 6.12.19 and 6.14.
     * The empty lower zone DMA32 gets all zeros.
     */
    @Test
    void compute_emptyUpperZone_perVersion() {
        long[] managed = {700000, 0, 300000, 0};
        int[] ratios = LowmemReserve.defaultRatios(KernelConfig.ARM64_DISTRO);
        assertThat(ratios).containsExactly(256, 256, 32, 0);
        for (String v : new String[] {"5.10", "6.1", "6.12.19", "6.12", "6.13.7", "6.14", "6.19"}) {
            assertThat(LowmemReserve.compute(KernelVersion.parse(v), managed, ratios)[0]).as(v)
                    .containsExactly(0, 0, 1171, 1171);
        }
        for (String v : new String[] {"6.10", "6.12.0", "6.12.18", "6.13.6"}) {
            assertThat(LowmemReserve.compute(KernelVersion.parse(v), managed, ratios)[0]).as(v)
                    .containsExactly(0, 0, 1171, 0);
        }
        assertThat(LowmemReserve.compute(KernelVersion.parse("6.1"), managed, ratios)[1]).containsExactly(0, 0, 0, 0);
    }

    @Test
    void compute_ratioBelowOneMeansNoReserve() {
        long[][] r = LowmemReserve.compute(KernelVersion.parse("6.1"), new long[] {4000, 1000000}, new int[] {-3, 0});
        assertThat(r[0]).containsExactly(0, 0);
        assertThatThrownBy(() -> LowmemReserve.compute(KernelVersion.parse("6.1"), new long[] {1, 2}, new int[] {1}))
                .hasMessageContaining("one value per zone");
        assertThatThrownBy(() -> LowmemReserve.compute(KernelVersion.parse("4.19"), new long[] {1}, new int[] {1}))
                .hasMessageContaining("5.10");
    }
}
