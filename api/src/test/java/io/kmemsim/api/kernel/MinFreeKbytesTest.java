package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MinFreeKbytesTest {

    private static final KernelVersion V6_1 = KernelVersion.parse("6.1");
    private static final ZoneType[] X86 = {ZoneType.DMA, ZoneType.DMA32, ZoneType.NORMAL, ZoneType.MOVABLE};

    @Test
    void intSqrt_isFloorOfRoot() {
        assertThat(MinFreeKbytes.intSqrt(0)).isZero();
        assertThat(MinFreeKbytes.intSqrt(15)).isEqualTo(3);
        assertThat(MinFreeKbytes.intSqrt(16)).isEqualTo(4);
        assertThat(MinFreeKbytes.intSqrt(Long.MAX_VALUE)).isEqualTo(3037000499L);
    }

    /**
     * mm/page_alloc.c: init_per_zone_wmark_min() (6.1)/mm/page_alloc.c: __setup_per_zone_wmarks() (6.1) example: lowmem = 3840 + 750000 + 3900000 = 4653840 pages = 18615360 kB;
     * * 16 = 297845760; 17258² = 297838564 ≤ it < 17259² = 297873081 → 17258 (the value mm/page_alloc.c: __setup_per_zone_wmarks() (6.1) uses).
     */
    @Test
    void sqrtValue_matchesReferenceExample() {
        assertThat(MinFreeKbytes.sqrtValue(V6_1, 18615360)).isEqualTo(17258);
        assertThat(MinFreeKbytes.defaultValue(V6_1, X86, new long[] {3840, 750000, 3900000, 0}, PageSize.SIZE_4K,
                false, 9, 10)).isEqualTo(17258);
    }

    @Test
    void sqrtValue_isClamped() {
        assertThat(MinFreeKbytes.sqrtValue(V6_1, 100)).isEqualTo(128);
        assertThat(MinFreeKbytes.sqrtValue(KernelVersion.parse("5.10"), 1L << 40)).isEqualTo(262144);
        assertThatThrownBy(() -> MinFreeKbytes.sqrtValue(KernelVersion.parse("4.19"), 1000))
                .hasMessageContaining("5.10").hasMessageContaining("4.19");
    }

    /**
     * mm/page_alloc.c: init_per_zone_wmark_min() (6.1) THP step on the mm/page_alloc.c: __setup_per_zone_wmarks() (6.1) example: the sqrt value 17258 gives high watermarks 9, 2195, 11415;
     * nr_free_buffer_pages = (3840-9) + (750000-2195) + (3900000-11415) = 4640221; cap = 4640221/20 = 232011.
     * rec = 11 * 512 * 3 zones = 16896 pages → 16896 * 4 = 67584 kB > 17258.
     */
    @Test
    void defaultValue_raisedForThp() {
        long[] managed = {3840, 750000, 3900000, 0};
        assertThat(MinFreeKbytes.nrFreeBufferPages(X86, managed, new long[] {9, 2195, 11415, 0})).isEqualTo(4640221);
        assertThat(MinFreeKbytes.thpRecommended(9, 1, 1L << 30, PageSize.SIZE_4K)).isEqualTo(22528);
        assertThat(MinFreeKbytes.defaultValue(V6_1, X86, managed, PageSize.SIZE_4K, true, 9, 10)).isEqualTo(67584);
    }

    /** 100000 pages (390 MiB) is below 512 MiB: THP is off at boot; sqrt(400000 kB * 16) = 2529 (2529² = 6395841). */
    @Test
    void defaultValue_noThpRaiseBelow512MiB() {
        assertThat(MinFreeKbytes.defaultValue(V6_1, new ZoneType[] {ZoneType.NORMAL}, new long[] {100000},
                PageSize.SIZE_4K, true, 9, 10)).isEqualTo(2529);
    }

    /**
     * 64K pages, PBO 13, one Normal zone of 65536 pages (4 GiB): lowmem kB = 65536*64 = 4194304, *16 = 2^26,
     * sqrt = 8192. Watermarks of 8192: pages_min 128, gap max(32, 65) = 65, high 258. nr_free_buffer =
     * 65278, cap 65278/20 = 3263 < 11 * 8192 = 90112 → 3263 pages << 6 = 208832 kB: the 5 % cap decides.
     */
    @Test
    void defaultValue_capDecidesWith64kPages() {
        assertThat(MinFreeKbytes.defaultValue(V6_1, new ZoneType[] {ZoneType.NORMAL}, new long[] {65536},
                PageSize.SIZE_64K, true, 13, 10)).isEqualTo(208832);
    }
}
