package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageStateImage;
import io.kmemsim.api.mm.PageStateImage.Block;
import io.kmemsim.api.mm.PageStateImage.Kind;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.trace.TraceListener;
import java.util.List;
import org.junit.jupiter.api.Test;

/** importPageState (IMPORT_PAGE_STATE) and the traced per-CPU list operations (TRACED_PCP) of the twin. */
class TwinStateTest {

    /** Normal spans PFN 4096..18432 with a hole at 8192..10240; 2 CPUs. */
    private static PageStateImage image() {
        return new PageStateImage(
                List.of(new PageStateImage.ZoneSettings(0, ZoneType.NORMAL, 12000, 100, 125, 150, List.of(0L, 0L, 0L),
                        List.of(2, 2), 7)),
                List.of(new Block(4096, 9, Kind.FREE, MigrateType.MOVABLE, 0),
                        new Block(4608, 9, Kind.FREE, MigrateType.MOVABLE, 0),
                        new Block(6144, 0, Kind.PER_CPU, MigrateType.UNMOVABLE, 1),
                        new Block(6146, 1, Kind.PER_CPU, MigrateType.UNMOVABLE, 0),
                        new Block(6400, 2, Kind.ALLOCATED, MigrateType.UNMOVABLE, 0),
                        new Block(7168, 4, Kind.ALLOCATED_MOVABLE, MigrateType.MOVABLE, 0)),
                List.of(new PageStateImage.Pageblock(6144, MigrateType.UNMOVABLE)));
    }

    @Test
    void importPageState_placesBlocksAtTheirPfnsAndTakesTheKernelsSettings() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        assertThat(a.capabilities()).contains(PageAllocator.Capability.IMPORT_PAGE_STATE,
                PageAllocator.Capability.TRACED_PCP, PageAllocator.Capability.COMPACT_MEMORY);
        a.importPageState(image());
        a.checkInvariants();
        BuddyZone z = a.zones().get(1);
        assertThat(z.freeBlocks(10)).as("two free order-9 buddies come out merged").isEqualTo(1);
        assertThat(z.freeBlocks(9)).isZero();
        assertThat(z.freePages()).isEqualTo(1024);
        assertThat(z.pcpCount(1)).isEqualTo(1);
        assertThat(z.pcpCount(0)).isEqualTo(2);
        assertThat(z.managedPages()).isEqualTo(12000);
        assertThat(z.watermark(WatermarkLevel.MIN)).isEqualTo(100);
        assertThat(z.watermark(WatermarkLevel.HIGH)).isEqualTo(150);
        assertThat(z.pcpBatch()).isEqualTo(7);
        assertThat(z.pcpHigh(1)).isEqualTo(2);
        assertThat(z.pageblockType(6144)).isEqualTo(MigrateType.UNMOVABLE);
        assertThat(a.zones().get(0).freePages()).as("zones without blocks are all allocated").isZero();
    }

    @Test
    void tracedPcp_refillDrainAndFreeFollowTheTraceWithoutDrainsOfTheirOwn() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1", new LargestFirstTestPolicy(), TraceListener.NONE,
                new BuddyOptions());
        a.importPageState(image());
        BuddyZone z = a.zones().get(1);
        assertThat(a.pcpDrainAt(6144, 0)).isTrue();
        assertThat(a.pcpDrainAt(6144, 0)).as("no longer on a pcp list").isFalse();
        assertThat(z.pcpCount(1)).isZero();
        assertThat(z.freePages()).isEqualTo(1025);
        a.checkInvariants();
        assertThat(a.pcpRefillAt(4096, 0, 1)).isTrue();
        assertThat(z.freePages()).isEqualTo(1024);
        assertThat(z.pcpCount(1)).isEqualTo(1);
        assertThat(a.pcpRefillAt(4096, 0, 1)).as("not free any more").isFalse();
        assertThat(a.allocateAt(4096, 0, Gfp.GFP_KERNEL, 1)).isEqualTo(4096);
        assertThat(z.pcpCount(1)).isZero();
        a.checkInvariants();
        a.freeTraced(6400, 2, 0);
        assertThat(z.pcpCount(0)).as("above high (2) and still not drained").isEqualTo(6);
        a.freeTraced(7168, 4, 0);
        assertThat(z.freePages()).as("order 4 bypasses the pcp lists").isEqualTo(1024 + 16);
        a.setPageblockType(7168, MigrateType.RECLAIMABLE);
        assertThat(z.pageblockType(7168)).isEqualTo(MigrateType.RECLAIMABLE);
        a.compactMemory();
        a.checkInvariants();
    }

    @Test
    void setPageblockType_claimMovesThePageblocksFreeBlocks_soRefillsAndTheirRemaindersKeepTheClaimingType() {
        // 6.1 steal_suitable_fallback(): a claim of an order-10 block moves it to the claiming type's list
        // (move_to_free_list()), where __rmqueue_smallest() takes it and expand() leaves the remainders.
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1", new LargestFirstTestPolicy(), TraceListener.NONE,
                new BuddyOptions());
        a.importPageState(image());
        BuddyZone z = a.zones().get(1);
        assertThat(z.freeBlocks(10, MigrateType.MOVABLE)).isEqualTo(1);
        a.setPageblockType(4096, MigrateType.UNMOVABLE);
        a.setPageblockType(4608, MigrateType.UNMOVABLE);
        assertThat(z.freeBlocks(10, MigrateType.UNMOVABLE)).as("the claimed block is on the Unmovable list").isEqualTo(1);
        assertThat(z.freeBlocks(10, MigrateType.MOVABLE)).isZero();
        a.checkInvariants();
        assertThat(a.pcpRefillAt(4096, 0, 1)).isTrue();
        for (int o = 0; o < 10; o++) {
            assertThat(z.freeBlocks(o, MigrateType.UNMOVABLE)).as("order %d remainder", o).isEqualTo(1);
            assertThat(z.freeBlocks(o, MigrateType.MOVABLE)).isZero();
        }
        assertThat(a.pcpDrainAt(4096, 0)).isTrue();
        assertThat(z.freeBlocks(10, MigrateType.UNMOVABLE)).as("the drain frees to the cached Unmovable type").isEqualTo(1);
        a.checkInvariants();
    }

    @Test
    void pcpRefill_takesTheSmallestFreeBlocksFirst_andPcpFreeBulk_returnsTheListTailFirst() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1", new LargestFirstTestPolicy(), TraceListener.NONE,
                new BuddyOptions());
        a.importPageState(new PageStateImage(
                List.of(new PageStateImage.ZoneSettings(0, ZoneType.NORMAL, 12000, 100, 125, 150, List.of(0L, 0L, 0L),
                        List.of(1000, 1000), 7)),
                List.of(new Block(4096, 9, Kind.FREE, MigrateType.MOVABLE, 0),
                        new Block(5121, 0, Kind.FREE, MigrateType.MOVABLE, 0)),
                List.of()));
        BuddyZone z = a.zones().get(1);
        // rmqueue_bulk: the order-0 block first, then the order-9 block split (expand leaves 4097 as an order-0 block)
        assertThat(a.pcpRefill(ZoneType.NORMAL, 1, 2, MigrateType.MOVABLE)).isEqualTo(2);
        assertThat(z.pcpCount(1)).isEqualTo(2);
        assertThat(z.freePages()).isEqualTo(511);
        assertThat(z.freeBlocks(9)).isZero();
        assertThat(z.freeBlocks(0)).as("4097, the split's order-0 remainder").isEqualTo(1);
        a.checkInvariants();
        // free_pcppages_bulk takes the list's tail first: 4096, the last refilled page, which merges back to order 9
        assertThat(a.pcpFreeBulk(ZoneType.NORMAL, 1, 1)).isEqualTo(1);
        assertThat(z.pcpCount(1)).isEqualTo(1);
        assertThat(z.freeBlocks(9)).isEqualTo(1);
        assertThat(z.freeBlocks(0)).isZero();
        assertThat(a.pcpFreeBulk(ZoneType.NORMAL, 1, 5)).as("no more than the list holds").isEqualTo(1);
        assertThat(z.freePages()).isEqualTo(513);
        assertThat(a.pcpFreeBulk(ZoneType.NORMAL, 0, 5)).as("an empty list").isZero();
        a.checkInvariants();
    }

    @Test
    void importPageState_refusesOverlappingBlocks() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        PageStateImage bad = new PageStateImage(List.of(), List.of(new Block(4096, 2, Kind.FREE, MigrateType.MOVABLE, 0),
                new Block(4098, 0, Kind.ALLOCATED, MigrateType.MOVABLE, 0)), List.of());
        assertThatThrownBy(() -> a.importPageState(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pfn 0x1002").hasMessageContaining("overlaps");
    }
}
