package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Watermarks.ZoneWatermarks;
import org.junit.jupiter.api.Test;

class WatermarksTest {

    private static final KernelVersion V3_10 = KernelVersion.parse("3.10");
    private static final KernelVersion V4_4 = KernelVersion.parse("4.4");
    private static final KernelVersion V5_10 = KernelVersion.parse("5.10");
    private static final KernelVersion V6_1 = KernelVersion.parse("6.1");
    private static final KernelVersion V6_5 = KernelVersion.parse("6.5");
    private static final KernelVersion V6_6 = KernelVersion.parse("6.6");
    private static final ZoneType[] X86 = {ZoneType.DMA, ZoneType.DMA32, ZoneType.NORMAL, ZoneType.MOVABLE};

    /**
     * mm/page_alloc.c: __setup_per_zone_wmarks() (6.1) worked example: managed DMA 3840, DMA32 750000, Normal 3900000, Movable 0; min_free_kbytes
     * 17258 → pages_min = 17258 >> 2 = 4314; lowmem = 4653840.
     * DMA:    tmp = 4314*3840/4653840 = 3;      gap = max(0, 3840*10/10000 = 3) = 3 → 3/6/9/12
     * DMA32:  tmp = 4314*750000/4653840 = 695;  gap = max(173, 750) = 750 → 695/1445/2195/2945
     * Normal: tmp = 4314*3900000/4653840 = 3615; gap = max(903, 3900) = 3900 → 3615/7515/11415/15315
     * Movable (6.1, no clamp branch): tmp 0, gap 0 → 0/0/0/0.
     */
    @Test
    void compute_matchesReferenceWorkedExample_6_1() {
        ZoneWatermarks[] w = Watermarks.compute(V6_1, 17258, 10, X86, new long[] {3840, 750000, 3900000, 0},
                PageSize.SIZE_4K);
        assertThat(w).containsExactly(new ZoneWatermarks(3, 6, 9, 12), new ZoneWatermarks(695, 1445, 2195, 2945),
                new ZoneWatermarks(3615, 7515, 11415, 15315), new ZoneWatermarks(0, 0, 0, 0));
    }

    /** mm/page_alloc.c: __setup_per_zone_wmarks() (6.1) empty zones: 6.6+ an empty Movable takes the clamp branch → clamp(0/1024, 32, 128) = 32, gap 0. */
    @Test
    void compute_emptyMovableGets32From6_6() {
        ZoneWatermarks[] w = Watermarks.compute(V6_6, 17258, 10, X86, new long[] {3840, 750000, 3900000, 0},
                PageSize.SIZE_4K);
        assertThat(w[3]).isEqualTo(new ZoneWatermarks(32, 32, 32, 32));
        assertThat(w[2]).isEqualTo(new ZoneWatermarks(3615, 7515, 11415, 15315));
    }

    /**
     * mm/page_alloc.c: __setup_per_zone_wmarks() (6.1) with a populated Movable zone, DMA32 750000, Normal 3900000, Movable 1000000, pages_min 4314.
     * 6.6 (Movable excluded, lowmem = 4650000):
     *   DMA32 tmp = 4314*750000/4650000 = 695, gap 750 → 695/1445/2195/2945
     *   Normal tmp = 4314*3900000/4650000 = 3618, gap 3900 → 3618/7518/11418/15318
     *   Movable tmp = 4314*1000000/4650000 = 927, min = clamp(1000000/1024 = 976, 32, 128) = 128,
     *           gap = max(927 >> 2 = 231, 1000) = 1000 → 128/1128/2128/3128
     * 6.5 (Movable included, lowmem = 5650000):
     *   DMA32 tmp = 572, gap 750 → 572/1322/2072/2822; Normal tmp = 2977 → 2977/6877/10777/14677;
     *   Movable tmp = 763, gap 1000 → 763/1763/2763/3763
     */
    @Test
    void compute_movableExcludedFromSplitFrom6_6() {
        ZoneType[] zones = {ZoneType.DMA32, ZoneType.NORMAL, ZoneType.MOVABLE};
        long[] managed = {750000, 3900000, 1000000};
        assertThat(Watermarks.compute(V6_6, 17258, 10, zones, managed, PageSize.SIZE_4K)).containsExactly(
                new ZoneWatermarks(695, 1445, 2195, 2945), new ZoneWatermarks(3618, 7518, 11418, 15318),
                new ZoneWatermarks(128, 1128, 2128, 3128));
        assertThat(Watermarks.compute(V6_5, 17258, 10, zones, managed, PageSize.SIZE_4K)).containsExactly(
                new ZoneWatermarks(572, 1322, 2072, 2822), new ZoneWatermarks(2977, 6877, 10777, 14677),
                new ZoneWatermarks(763, 1763, 2763, 3763));
    }

    /** 5.10 has no promo watermark; a scale factor of 200 on Normal 3900000 gives gap 3900000*200/10000 = 78000. */
    @Test
    void compute_noPromoBefore6_1_andScaleFactorDecidesGap() {
        ZoneWatermarks[] w = Watermarks.compute(V5_10, 17258, 200, new ZoneType[] {ZoneType.NORMAL},
                new long[] {3900000}, PageSize.SIZE_4K);
        // single zone: tmp = pages_min = 4314; gap = max(1078, 78000) = 78000
        assertThat(w[0]).isEqualTo(new ZoneWatermarks(4314, 82314, 160314, 0));
    }

    /**
     * mm/page_alloc.c: __setup_per_zone_wmarks() (6.1) "older kernels": before 4.6 low = min + tmp/4, high = min + tmp/2.
     * DMA 3975, Normal 996025, min_free_kbytes 4000 → pages_min 1000, lowmem 1000000.
     * DMA:    tmp = 1000*3975/1000000 = 3 → low 3 + 0 = 3, high 3 + 1 = 4 (tmp >> 1 exceeds 2*(tmp >> 2))
     * Normal: tmp = 996025000/1000000 = 996 → low 996 + 249 = 1245, high 996 + 498 = 1494
     * The scale factor argument is ignored.
     */
    @Test
    void compute_pre4_6Formula() {
        ZoneType[] zones = {ZoneType.DMA, ZoneType.NORMAL};
        long[] managed = {3975, 996025};
        ZoneWatermarks[] expected = {new ZoneWatermarks(3, 3, 4, 0), new ZoneWatermarks(996, 1245, 1494, 0)};
        assertThat(Watermarks.compute(V4_4, 4000, 0, zones, managed, PageSize.SIZE_4K)).containsExactly(expected);
        assertThat(Watermarks.compute(V3_10, 4000, 5000, zones, managed, PageSize.SIZE_4K)).containsExactly(expected);
    }

    /** 64K pages: pages_min = 8192 >> 6 = 128; one zone of 65536 pages: gap = max(32, 65) = 65 → 128/193/258/323. */
    @Test
    void compute_usesPageShift() {
        ZoneWatermarks[] w = Watermarks.compute(V6_1, 8192, 10, new ZoneType[] {ZoneType.NORMAL},
                new long[] {65536}, PageSize.SIZE_64K);
        assertThat(w[0]).isEqualTo(new ZoneWatermarks(128, 193, 258, 323));
    }

    @Test
    void compute_rejectsBadInput() {
        long[] one = {1000};
        ZoneType[] normal = {ZoneType.NORMAL};
        assertThatThrownBy(() -> Watermarks.compute(KernelVersion.parse("3.9"), 1024, 10, normal, one, PageSize.SIZE_4K))
                .hasMessageContaining("3.10").hasMessageContaining("3.9");
        assertThatThrownBy(() -> Watermarks.compute(V5_10, 1024, 1001, normal, one, PageSize.SIZE_4K))
                .hasMessage("watermark_scale_factor must be in [1, 1000] for kernel 5.10: 1001");
        assertThat(Watermarks.compute(V6_1, 1024, 3000, normal, one, PageSize.SIZE_4K)).hasSize(1);
        assertThatThrownBy(() -> Watermarks.compute(V6_1, 1024, 10, normal, new long[2], PageSize.SIZE_4K))
                .hasMessageContaining("same length");
        assertThatThrownBy(() -> Watermarks.compute(V6_1, -1, 10, normal, one, PageSize.SIZE_4K))
                .hasMessage("min_free_kbytes must be >= 0: -1");
    }
}
