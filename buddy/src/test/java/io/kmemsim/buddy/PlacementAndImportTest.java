package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.FreeAreaSnapshot.ZoneFreeArea;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.CompactionContext;
import io.kmemsim.api.trace.TraceListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** allocateAt (PLACE_AT_PFN), importFreeAreas (IMPORT_SNAPSHOT) and the compaction context's page states and migration. */
class PlacementAndImportTest {

    @Test
    void allocateAt_splitsTheContainingFreeBlock() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        assertThat(a.capabilities()).contains(PageAllocator.Capability.PLACE_AT_PFN, PageAllocator.Capability.IMPORT_SNAPSHOT);
        assertThat(a.allocateAt(4100, 2, Gfp.GFP_KERNEL, 0)).isEqualTo(4100);
        a.checkInvariants();
        BuddyZone normal = a.zones().get(1);
        assertThat(normal.freePages()).isEqualTo(12288 - 4);
        assertThat(a.allocateAt(4100, 0, Gfp.GFP_KERNEL, 0)).isEqualTo(PageAllocator.NO_PAGE);
        assertThat(a.allocateAt(4096, 2, Gfp.GFP_KERNEL, 0)).isEqualTo(4096);
        a.free(4100, 2, 0);
        a.free(4096, 2, 0);
        a.drainPerCpuLists();
        assertThat(normal.freeBlocks(10)).isEqualTo(12);
        a.checkInvariants();
    }

    @Test
    void allocateAt_takesAPageOffAPcpList() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        a.allocate(0, Gfp.GFP_KERNEL, 1);
        assertThat(a.zones().get(1).pcpCount(1)).isEqualTo(2);
        assertThat(a.allocateAt(4098, 0, Gfp.GFP_KERNEL, 0)).isEqualTo(4098);
        assertThat(a.zones().get(1).pcpCount(1)).isEqualTo(1);
        a.checkInvariants();
    }

    @Test
    void importFreeAreas_rebuildsExactCounts() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.12", new LargestFirstTestPolicy(), TraceListener.NONE,
                new BuddyOptions());
        List<Long> normal = List.of(5L, 3L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 2L, 4L);
        Map<MigrateType, List<Long>> byType = Map.of(
                MigrateType.MOVABLE, List.of(4L, 3L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 2L, 4L),
                MigrateType.UNMOVABLE, List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L));
        a.importFreeAreas(new FreeAreaSnapshot(List.of(
                new ZoneFreeArea(0, ZoneType.NORMAL, normal, byType, Map.of(MigrateType.UNMOVABLE, 2L, MigrateType.MOVABLE, 26L)),
                new ZoneFreeArea(0, ZoneType.DMA32, List.of(0L, 0L, 1L), Map.of(), Map.of()))));
        a.checkInvariants();
        BuddyZone z = a.zones().get(1);
        for (int o = 0; o <= 10; o++) {
            assertThat(z.freeBlocks(o)).as("order %d", o).isEqualTo(normal.get(o));
        }
        assertThat(z.freeBlocks(0, MigrateType.UNMOVABLE)).isEqualTo(1);
        assertThat(z.pageblocks(MigrateType.UNMOVABLE)).isEqualTo(2);
        assertThat(a.zones().get(0).freePages()).isEqualTo(4);
    }

    @Test
    void importFreeAreas_namesTheZoneThatDoesNotFit() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        FreeAreaSnapshot tooBig = new FreeAreaSnapshot(List.of(new ZoneFreeArea(0, ZoneType.DMA32,
                List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 4L), Map.of(), Map.of())));
        assertThatThrownBy(() -> a.importFreeAreas(tooBig)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zone DMA32");
        FreeAreaSnapshot noSuchZone = new FreeAreaSnapshot(List.of(new ZoneFreeArea(0, ZoneType.DMA,
                List.of(1L), Map.of(), Map.of())));
        assertThatThrownBy(() -> a.importFreeAreas(noSuchZone)).hasMessageContaining("zone DMA");
    }

    @Test
    void compactionContext_isolatesMigratesAndReleases() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1", new LargestFirstTestPolicy(), TraceListener.NONE,
                new BuddyOptions());
        List<long[]> moves = new ArrayList<>();
        a.setMigrationListener((o, n, k) -> moves.add(new long[] {o, n, k}));
        long src = a.allocate(4, Gfp.GFP_HIGHUSER_MOVABLE, 0);
        CompactionContext c = a.compactionContext;
        int st = c.pageState(src);
        assertThat(CompactionContext.kind(st)).isEqualTo(CompactionContext.ALLOCATED);
        assertThat(CompactionContext.order(st)).isEqualTo(4);
        assertThat(CompactionContext.movable(st)).isTrue();
        assertThat(CompactionContext.kind(c.pageState(src + 1))).isEqualTo(CompactionContext.ALLOCATED_TAIL);
        long target = a.pfnOf(a.lists.tail(a.zones().get(1), 10, MigrateType.MOVABLE.ordinal()));
        assertThat(c.isolateFreeBlock(target)).isEqualTo(10);
        a.checkInvariants();
        assertThat(c.migrate(src, target)).isTrue();
        c.releaseFreeBlock(target + 512, 9);
        for (int o = 8; o >= 4; o--) {
            c.releaseFreeBlock(target + (1L << o), o);
        }
        a.drainPerCpuLists();
        a.checkInvariants();
        assertThat(moves).hasSize(1);
        assertThat(moves.get(0)).containsExactly(src, target, 4);
        assertThat(CompactionContext.kind(c.pageState(target))).isEqualTo(CompactionContext.ALLOCATED);
        assertThat(a.pgmigrateSuccess).isEqualTo(16);
        assertThat(c.migrate(src, target)).isFalse();
    }

    @Test
    void compactionContext_freeIsolated_goesThroughTheOrdinaryFreePath() {
        // 6.1 release_freepages(): unused targets are freed with __free_page, so an order-0 page lands on the current
        // CPU's per-CPU list (not in the buddy lists' free count) and counts in pgfree; pgmigrate_fail counted by the
        // policy goes to the allocator's own counter
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1", new LargestFirstTestPolicy(), TraceListener.NONE,
                new BuddyOptions());
        CompactionContext c = a.compactionContext;
        BuddyZone z = (BuddyZone) a.zones().get(1);
        long target = a.pfnOf(a.lists.tail(z, 10, MigrateType.MOVABLE.ordinal()));
        long freeBefore = z.freePages;
        assertThat(c.isolateFreeBlock(target)).isEqualTo(10);
        long pgfree = a.pgfree;
        int pcp = z.pcpCount[a.curCpu];
        c.freeIsolated(target + 5, 0);
        assertThat(CompactionContext.kind(c.pageState(target + 5))).isEqualTo(CompactionContext.PCP);
        assertThat(z.pcpCount[a.curCpu]).isEqualTo(pcp + 1);
        assertThat(a.pgfree).isEqualTo(pgfree + 1);
        assertThat(z.freePages).isEqualTo(freeBefore - 1024);
        c.count("pgmigrate_fail", 1);
        assertThat(a.pgmigrateFail).isEqualTo(1);
        for (long p = target; p < target + 1024; p++) {
            if (p != target + 5) {
                c.releaseFreeBlock(p, 0);
            }
        }
        a.drainPerCpuLists();
        a.checkInvariants();
        assertThat(z.freePages).isEqualTo(freeBefore);
    }
}
