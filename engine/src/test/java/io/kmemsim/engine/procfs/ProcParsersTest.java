package io.kmemsim.engine.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.procfs.Zoneinfo.ZoneEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcParsersTest {

    @ParameterizedTest
    @ValueSource(strings = {"buddyinfo-x86-6.1.txt", "buddyinfo-x86-2nodes.txt"})
    void buddyinfo_roundTripsByteForByte(String file) {
        String text = Fixtures.resource(file);
        FreeAreaSnapshot s = BuddyinfoParser.parse(Fixtures.reader(text), file);
        assertThat(BuddyinfoRenderer.render(s)).isEqualTo(text);
    }

    @Test
    void buddyinfo_acceptsMissingTrailingSpaceAndOtherOrderCounts() {
        FreeAreaSnapshot s = BuddyinfoParser.parse(Fixtures.reader(
                "Node 0, zone   Normal 1 2 3 4 5 6 7 8 9 10 11 12 13 14\n\n"), "b");
        assertThat(s.zones().get(0).freeBlocks()).hasSize(14).startsWith(1L, 2L);
        assertThat(s.zones().get(0).zone()).isEqualTo(ZoneType.NORMAL);
    }

    @Test
    void buddyinfo_rejectsMalformedLinesWithFileLineAndField() {
        assertProblem(() -> BuddyinfoParser.parse(Fixtures.reader(
                "Node 0, zone      DMA      0      1 \nNode 0, zone   Normal      x      1 \n"), "buddyinfo"),
                "buddyinfo:2: order 0: expected a non-negative decimal number: \"x\"");
        assertProblem(() -> BuddyinfoParser.parse(Fixtures.reader(
                "Node 0, zone      DMA      0      1 \nNode 0, zone   Normal      0 \n"), "buddyinfo"),
                "buddyinfo:2: orders: every line must have the same number of order columns: expected 2, found 1");
        assertProblem(() -> BuddyinfoParser.parse(Fixtures.reader("Node 0, zone  HighMem 1 2\n"), "buddyinfo"),
                "buddyinfo:1: zone: unknown zone name (expected DMA, DMA32, Normal, Movable or Device): HighMem");
        assertProblem(() -> BuddyinfoParser.parse(Fixtures.reader("Node 0, zone Normal 1\nNode 0, zone Normal 1\n"),
                "b"), "b:2: zone: node 0 zone Normal appears twice");
        assertProblem(() -> BuddyinfoParser.parse(Fixtures.reader("free 1 2 3\n"), "b"),
                "b:1: expected a line starting with \"Node \": \"free 1 2 3\"");
        assertProblem(() -> BuddyinfoParser.parse(Fixtures.reader(""), "b"),
                "b: no zone lines (expected \"Node 0, zone   Normal …\")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pagetypeinfo-arm64-dma.txt", "pagetypeinfo-x86-2nodes.txt"})
    void pagetypeinfo_roundTripsByteForByte(String file) {
        String text = Fixtures.resource(file);
        Pagetypeinfo p = PagetypeinfoParser.parse(Fixtures.reader(text), file);
        assertThat(PagetypeinfoRenderer.render(p)).isEqualTo(text);
    }

    @Test
    void pagetypeinfo_readsTypesCapsAndBlocks() {
        Pagetypeinfo p = PagetypeinfoParser.parse(Fixtures.reader(Fixtures.resource("pagetypeinfo-x86-2nodes.txt")), "p");
        assertThat(p.pageblockOrder()).isEqualTo(9);
        assertThat(p.types()).containsExactly(MigrateType.UNMOVABLE, MigrateType.MOVABLE, MigrateType.RECLAIMABLE,
                MigrateType.HIGHATOMIC, MigrateType.ISOLATE);
        Pagetypeinfo.ZoneTypes normal = p.zones().get(1);
        assertThat(normal.freeBlocks()[1][0]).isEqualTo(100_000);
        assertThat(normal.capped()[1][0]).isTrue();
        assertThat(normal.capped()[1][1]).isFalse();
        assertThat(normal.pageblocks()).containsExactly(210, 15080, 94, 0, 0);
        assertThat(p.zones().get(2).node()).isEqualTo(1);
    }

    @Test
    void pagetypeinfo_rejectsInconsistentInput() {
        String good = Fixtures.resource("pagetypeinfo-arm64-dma.txt");
        assertProblem(() -> PagetypeinfoParser.parse(Fixtures.reader(good.replace("Pages per block:  512",
                "Pages per block:  500")), "pt"), "pt:2: Pages per block: must be 2^(Page block order) and follow that line: 500");
        assertProblem(() -> PagetypeinfoParser.parse(Fixtures.reader(good.replace("type      Isolate", "type      Foo")), "pt"),
                "pt:10: type: unknown migrate type (expected Unmovable, Movable, Reclaimable, HighAtomic, CMA or Isolate): Foo");
        assertProblem(() -> PagetypeinfoParser.parse(Fixtures.reader(good.replace("          CMA      Isolate ",
                "      Isolate ")), "pt"), "pt:12: types: zone node 0 DMA lists free rows for [UNMOVABLE, MOVABLE,"
                + " RECLAIMABLE, HIGHATOMIC, CMA, ISOLATE] but the header names [UNMOVABLE, MOVABLE, RECLAIMABLE,"
                + " HIGHATOMIC, ISOLATE]");
        assertProblem(() -> PagetypeinfoParser.parse(Fixtures.reader(good + "garbage\n"), "pt"),
                "pt:14: unrecognised line: \"garbage\"");
    }

    @Test
    void freeAreaSnapshot_combinesBuddyinfoAndPagetypeinfo() {
        FreeAreaSnapshot b = BuddyinfoParser.parse(Fixtures.reader(Fixtures.resource("buddyinfo-x86-2nodes.txt")), "b");
        Pagetypeinfo p = PagetypeinfoParser.parse(Fixtures.reader(Fixtures.resource("pagetypeinfo-x86-2nodes.txt")), "p");
        FreeAreaSnapshot s = FreeAreaSnapshots.combine(b, p, "p");
        assertThat(s.zones()).hasSize(3);
        assertThat(s.zones().get(2).freeBlocksByType().get(MigrateType.MOVABLE)).startsWith(1800L, 900L);
        assertThat(s.zones().get(1).pageblocksByType()).containsEntry(MigrateType.MOVABLE, 15080L);
        FreeAreaSnapshot other = BuddyinfoParser.parse(Fixtures.reader(Fixtures.resource("buddyinfo-x86-6.1.txt")), "b");
        assertProblem(() -> FreeAreaSnapshots.combine(other, p, "p"),
                "p: zone: zone 2 is node 0 Normal but buddyinfo has node 0 DMA32 there");
    }

    @Test
    void zoneinfo_readsFullKernelLayout() {
        Zoneinfo z = ZoneinfoParser.parse(Fixtures.reader(Fixtures.resource("zoneinfo-x86-6.12-full.txt")), "zi");
        assertThat(z.zones()).extracting(ZoneEntry::zone).containsExactly(ZoneType.DMA, ZoneType.DMA32,
                ZoneType.NORMAL, ZoneType.MOVABLE, ZoneType.DEVICE);
        ZoneEntry dma = z.zones().get(0);
        assertThat(dma.nodeStats()).containsEntry("nr_active_anon", 88710L).hasSize(7);
        assertThat(dma.protection()).containsExactly(0L, 2929L, 18164L, 18164L, 18164L);
        assertThat(dma.counters()).containsEntry("numa_interleave", 1L).containsEntry("start_pfn:", 1L);
        assertThat(dma.pagesets()).hasSize(2);
        assertThat(dma.pagesets().get(1).high()).isEqualTo(4);
        assertThat(dma.pagesets().get(1).threshold()).isEqualTo(4);
        assertThat(dma.startPfn()).isEqualTo(1);
        ZoneEntry normal = z.zones().get(2);
        assertThat(normal.boost()).isEqualTo(500);
        assertThat(normal.min()).isEqualTo(4115);
        assertThat(normal.promo()).isEqualTo(15815);
        assertThat(normal.managed()).isEqualTo(3900000);
        assertThat(z.zones().get(3).pagesets()).isEmpty();
        assertThat(z.zones().get(3).startPfn()).isEqualTo(Zoneinfo.ABSENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zoneinfo-arm64-5.10.txt", "zoneinfo-arm64-6.1.txt", "zoneinfo-arm64-6.19.txt"})
    void zoneinfo_renderedFilesParseBack(String file) {
        Zoneinfo z = ZoneinfoParser.parse(Fixtures.reader(Fixtures.resource(file)), file);
        ZoneEntry normal = z.zones().get(2);
        assertThat(normal.managed()).isEqualTo(1040000);
        assertThat(normal.min()).isEqualTo(2100);
        assertThat(normal.pagesets()).extracting(Zoneinfo.Pageset::count).containsExactly(5L, 63L);
        assertThat(normal.boost()).isEqualTo(file.contains("5.10") ? Zoneinfo.ABSENT : 100);
        assertThat(normal.pagesets().get(0).highMax()).isEqualTo(file.contains("6.19") ? 3000 : Zoneinfo.ABSENT);
        assertThat(normal.counters()).containsEntry("nr_free_pages", 51768L);
    }

    @Test
    void zoneinfo_rejectsMalformedInput() {
        String good = Fixtures.resource("zoneinfo-arm64-6.1.txt");
        assertProblem(() -> ZoneinfoParser.parse(Fixtures.reader("  pages free 3\n"), "zi"),
                "zi:1: expected a \"Node N, zone NAME\" line first: \"  pages free 3\"");
        assertProblem(() -> ZoneinfoParser.parse(Fixtures.reader(good.replace("        managed  700000\n", "")), "zi"),
                "zi:1: managed: missing in node 0 zone DMA");
        assertProblem(() -> ZoneinfoParser.parse(Fixtures.reader(good.replace("low      1250", "low      12x0")), "zi"),
                "zi:5: unrecognised zoneinfo line: \"        low      12x0\"");
        assertProblem(() -> ZoneinfoParser.parse(Fixtures.reader(good.replace("(0, 0, 1171, 1171)", "(0, , 1171)")), "zi"),
                "zi:11: protection: expected a non-negative decimal number: \"\"");
        assertProblem(() -> ZoneinfoParser.parse(Fixtures.reader(good.replace("        high     1500\n",
                "        high     1500\n        high     1500\n")), "zi"), "zi:7: high: given twice in node 0 zone DMA");
    }

    private static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(InputException.class).hasMessage(message);
    }
}
