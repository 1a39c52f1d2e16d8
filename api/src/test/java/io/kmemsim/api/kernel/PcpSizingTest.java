package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.PcpSizing.PcpLimits;
import org.junit.jupiter.api.Test;

class PcpSizingTest {

    private static final KernelVersion V5_10 = KernelVersion.parse("5.10");
    private static final KernelVersion V6_1 = KernelVersion.parse("6.1");
    private static final KernelVersion V6_8 = KernelVersion.parse("6.8");
    private static final KernelVersion V6_18 = KernelVersion.parse("6.18");
    private static final KernelVersion V6_19 = KernelVersion.parse("6.19");

    /**
     * mm/page_alloc.c: zone_batchsize(), zone_highsize() (6.1) zone_batchsize, 4K pages:
     * 750000 pages, ≤6.18: min(750000>>10 = 732, 256) = 256, /4 = 64, 64+32 = 96 → 64 - 1 = 63;
     *                6.19: min(750000>>12 = 183, 64) = 64 → 63.
     * 3840 pages (x86 DMA), ≤6.18: 3/4 = 0 → 1, rounddown_pow2(1) - 1 = 0 (batch max(1, 0) = 1).
     * 8000 pages: ≤6.18: 7/4 = 1 → 0; 6.19: 8000>>12 = 1 ≤ 1 → 1.
     * 64K pages, 1000000 managed: ≤6.18 min(976, 16)/4 = 4 → 6 → 3; 6.19 min(244, 4) = 4 → 3.
     */
    @Test
    void rawBatch_perVersion() {
        assertThat(PcpSizing.rawBatch(V6_18, 750000, PageSize.SIZE_4K)).isEqualTo(63);
        assertThat(PcpSizing.rawBatch(V6_19, 750000, PageSize.SIZE_4K)).isEqualTo(63);
        assertThat(PcpSizing.rawBatch(V5_10, 3840, PageSize.SIZE_4K)).isZero();
        assertThat(PcpSizing.batch(V6_1, 3840, PageSize.SIZE_4K)).isEqualTo(1);
        assertThat(PcpSizing.rawBatch(V6_18, 8000, PageSize.SIZE_4K)).isZero();
        assertThat(PcpSizing.rawBatch(V6_19, 8000, PageSize.SIZE_4K)).isEqualTo(1);
        assertThat(PcpSizing.rawBatch(V6_18, 1000000, PageSize.SIZE_64K)).isEqualTo(3);
        assertThat(PcpSizing.rawBatch(V6_19, 1000000, PageSize.SIZE_64K)).isEqualTo(3);
    }

    /**
     * mm/page_alloc.c: zone_batchsize(), zone_highsize() (6.1) 5.10: high = 6 * batch = 378; tiny zone raw batch 0 → high 0, batch 1.
     * fraction 16: high = 750000/16 = 46875, batch = min(46875/4 = 11718, PAGE_SHIFT*8 = 96) = 96.
     */
    @Test
    void compute_5_10() {
        assertThat(PcpSizing.compute(V5_10, 750000, 1445, 4, 0, PageSize.SIZE_4K))
                .isEqualTo(new PcpLimits(63, 378, 378, 378));
        assertThat(PcpSizing.compute(V5_10, 3840, 6, 4, 0, PageSize.SIZE_4K)).isEqualTo(new PcpLimits(1, 0, 0, 0));
        assertThat(PcpSizing.compute(V5_10, 750000, 1445, 4, 16, PageSize.SIZE_4K))
                .isEqualTo(new PcpLimits(96, 46875, 46875, 46875));
    }

    /**
     * mm/page_alloc.c: zone_batchsize(), zone_highsize() (6.1)/mm/vmstat.c: zoneinfo_show_print() (6.1) 6.1: high = max(low 1445 / 4 CPUs = 361, 4*63 = 252) = 361; x86 DMA: max(6/2 = 3, 4*1) = 4.
     * fraction 16: max(750000/16 = 46875, / 4 = 11718, 252) = 11718.
     */
    @Test
    void compute_6_1() {
        assertThat(PcpSizing.compute(V6_1, 750000, 1445, 4, 0, PageSize.SIZE_4K))
                .isEqualTo(new PcpLimits(63, 361, 361, 361));
        assertThat(PcpSizing.compute(V6_1, 3840, 6, 2, 0, PageSize.SIZE_4K)).isEqualTo(new PcpLimits(1, 4, 4, 4));
        assertThat(PcpSizing.compute(V6_1, 750000, 1445, 4, 16, PageSize.SIZE_4K))
                .isEqualTo(new PcpLimits(63, 11718, 11718, 11718));
    }

    /** mm/vmstat.c: zoneinfo_show_print() (6.1) example (6.7+): high_min = 361, high_max = (750000/8)/4 = 23437; with fraction 16 both 11718. */
    @Test
    void compute_6_8_autoTuningBounds() {
        assertThat(PcpSizing.compute(V6_8, 750000, 1445, 4, 0, PageSize.SIZE_4K))
                .isEqualTo(new PcpLimits(63, 361, 361, 23437));
        assertThat(PcpSizing.compute(V6_8, 750000, 1445, 4, 16, PageSize.SIZE_4K))
                .isEqualTo(new PcpLimits(63, 11718, 11718, 11718));
    }

    @Test
    void compute_rejectsBadInput() {
        assertThatThrownBy(() -> PcpSizing.compute(V6_1, 1000, 10, 4, 5, PageSize.SIZE_4K))
                .hasMessage("percpu_pagelist fraction must be 0 or >= 8: 5");
        assertThatThrownBy(() -> PcpSizing.compute(V6_1, 1000, 10, 0, 0, PageSize.SIZE_4K))
                .hasMessage("cpus must be >= 1: 0");
        assertThatThrownBy(() -> PcpSizing.rawBatch(KernelVersion.parse("4.19"), 1000, PageSize.SIZE_4K))
                .hasMessageContaining("5.10");
    }
}
