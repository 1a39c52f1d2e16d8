package io.kmemsim.engine.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcRenderersTest {

    @Test
    void buddyinfo_matchesReferenceExampleByteForByte() {
        assertThat(BuddyinfoRenderer.render(List.of(Fixtures.x86Buddyinfo())))
                .isEqualTo(Fixtures.resource("buddyinfo-x86-6.1.txt"));
    }

    /** mm/vmstat.c: pagetypeinfo_showfree_print(), pagetypeinfo_showblockcount_print() (6.1) example: arm64 with CMA, only DMA populated, blocks Unmovable 1, Movable 7. */
    @Test
    void pagetypeinfo_matchesReferenceExampleByteForByte() {
        FakeNode n = new FakeNode(10, 9);
        FakeNode.FakeZone dma = n.add(0, ZoneType.DMA).span(0, 4096, 4096, 4000)
                .free(MigrateType.MOVABLE, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3);
        dma.blocks[MigrateType.UNMOVABLE.ordinal()] = 1;
        dma.blocks[MigrateType.MOVABLE.ordinal()] = 7;
        n.add(0, ZoneType.DMA32);
        n.add(0, ZoneType.NORMAL);
        n.add(0, ZoneType.MOVABLE);
        assertThat(PagetypeinfoRenderer.render(List.of(n), KernelConfig.ARM64_DISTRO))
                .isEqualTo(Fixtures.resource("pagetypeinfo-arm64-dma.txt"));
    }

    @Test
    void pagetypeinfo_printsCapMarker() {
        FakeNode n = new FakeNode(1, 1);
        FakeNode.FakeZone z = n.add(0, ZoneType.NORMAL).span(0, 1 << 20, 1 << 20, 1 << 20)
                .free(MigrateType.UNMOVABLE, 250_000, 3);
        z.blocks[0] = 512;
        assertThat(PagetypeinfoRenderer.render(List.of(n), KernelConfig.X86_64_DISTRO))
                .contains("Node    0, zone   Normal, type    Unmovable >100000      3 \n");
    }

    @Test
    void zoneinfo_5_10_layout() {
        assertThat(render("5.10")).isEqualTo(Fixtures.resource("zoneinfo-arm64-5.10.txt"));
    }

    @Test
    void zoneinfo_6_1_layout() {
        assertThat(render("6.1")).isEqualTo(Fixtures.resource("zoneinfo-arm64-6.1.txt"));
    }

    @Test
    void zoneinfo_6_19_layout() {
        assertThat(render("6.19")).isEqualTo(Fixtures.resource("zoneinfo-arm64-6.19.txt"));
    }

    @Test
    void zoneinfo_6_12_hasPromoButOldPagesetLines() {
        String text = render("6.12");
        assertThat(text).contains("        promo    5100\n").contains("              high:  400\n")
                .doesNotContain("high_min").doesNotContain("nr_free_pages_blocks");
    }

    private static String render(String version) {
        return ZoneinfoRenderer.render(KernelVersion.parse(version), KernelConfig.ARM64_DISTRO, 2,
                List.of(Fixtures.arm64Zoneinfo()));
    }

    /**
     * mm/vmstat.c: unusable_show_print(), extfrag_show_print() (6.1) from free blocks {10, 4, 2, 0, …} (26 pages in 16 blocks, see FragmentationTest):
     * unusable 0, 384, 692, then 1000; extfrag −1000 ×3, then 1000 − (1000 + 26000/2^o)/16 =
     * 735, 836, 887, 913, 925, 932, 935, 936 for o = 3 … 10.
     */
    @Test
    void extfragFiles_perVersionFormat() {
        List<FreeCounts> zones = List.of(new FreeCounts(0, ZoneType.NORMAL, new long[] {10, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertThat(ExtfragRenderer.unusableIndex(zones)).isEqualTo(
                "Node 0, zone   Normal 0.000 0.384 0.692 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 \n");
        assertThat(ExtfragRenderer.extfragIndex(KernelVersion.parse("6.1"), zones)).isEqualTo(
                "Node 0, zone   Normal -1.000 -1.000 -1.000  0.735  0.836  0.887  0.913  0.925  0.932  0.935  0.936 \n");
        assertThat(ExtfragRenderer.extfragIndex(KernelVersion.parse("5.10"), zones)).isEqualTo(
                "Node 0, zone   Normal -1.000 -1.000 -1.000 0.735 0.836 0.887 0.913 0.925 0.932 0.935 0.936 \n");
    }

    @Test
    void extfragFiles_fromLiveZones_skipUnpopulated() {
        List<FreeCounts> zones = FreeCounts.ofPopulated(List.of(Fixtures.x86Buddyinfo()));
        assertThat(zones).extracting(FreeCounts::zone).containsExactly(ZoneType.DMA, ZoneType.DMA32, ZoneType.NORMAL);
        // DMA: 1×256 + 1×512 + 3×1024 = 3840 pages; order 9: suitable = 1 + 3×2 = 7 → (3840 − 3584)·1000/3840 = 66
        assertThat(ExtfragRenderer.unusableIndex(zones).lines().findFirst().orElseThrow())
                .isEqualTo("Node 0, zone      DMA 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.066 0.200 ");
    }

    @Test
    void vmstat_sumsNodesInFirstNodesOrder() {
        FakeNode a = new FakeNode(10, 9);
        a.counters.add(new Object[] {"nr_free_pages", 100L});
        a.counters.add(new Object[] {"pgalloc_normal", 7L});
        FakeNode b = new FakeNode(10, 9);
        b.counters.add(new Object[] {"nr_free_pages", 50L});
        b.counters.add(new Object[] {"pgalloc_normal", 1L});
        assertThat(VmstatRenderer.render(List.of(a, b))).isEqualTo("nr_free_pages 150\npgalloc_normal 8\n");
    }
}
