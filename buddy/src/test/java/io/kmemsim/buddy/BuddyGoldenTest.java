package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.trace.TraceListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden values worked by hand from reference/page-allocator.md on {@link Machines#twoZones()}
 * (DMA32 managed 3840, Normal managed 12288; zones DMA32, Normal, Movable; 2 CPUs).
 */
class BuddyGoldenTest {

    private static final int NORMAL = 1;
    private static final int DMA32 = 0;

    @Test
    void boot_zonesSizedFromBanksHolesAndReservations() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone dma32 = a.zones().get(DMA32);
        BuddyZone normal = a.zones().get(NORMAL);
        assertThat(List.of(dma32.startPfn(), dma32.spannedPages(), dma32.presentPages(), dma32.managedPages()))
                .containsExactly(0L, 4096L, 4096L, 3840L);
        assertThat(List.of(normal.startPfn(), normal.spannedPages(), normal.presentPages(), normal.managedPages()))
                .containsExactly(4096L, 14336L, 12288L, 12288L);
        assertThat(a.zones().get(2).populated()).isFalse();
        a.checkInvariants();
    }

    /** §3.7: [0,256) → one order-8 chunk; [512,4096) → order 9 at 512, order 10 at 1024, 2048, 3072. */
    @Test
    void boot_freesLargestAlignedChunksToTheTail() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone dma32 = a.zones().get(DMA32);
        assertThat(dma32.freeBlocks(8)).isEqualTo(1);
        assertThat(dma32.freeBlocks(9)).isEqualTo(1);
        assertThat(dma32.freeBlocks(10)).isEqualTo(3);
        assertThat(dma32.freePages()).isEqualTo(3840);
        assertThat(a.zones().get(NORMAL).freeBlocks(10)).isEqualTo(12);
        assertThat(a.pfnOf(a.head(a.zones().get(NORMAL), 10, 0))).isEqualTo(4096);
        assertThat(a.pfnOf(a.lists.tail(a.zones().get(NORMAL), 10, 0))).isEqualTo(18432 - 1024);
    }

    /** §3.5 + §6.3 (6.1): batch 3 refills take 4096, 4097, 4098 then 4099, 4100, 4101: ascending PFNs. */
    @Test
    void allocate_order0RefillsPcpInAscendingPfnOrder() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            got.add(a.allocate(0, Gfp.GFP_KERNEL, 0));
            a.checkInvariants();
        }
        assertThat(got).containsExactly(4096L, 4097L, 4098L, 4099L, 4100L, 4101L);
        BuddyZone normal = a.zones().get(NORMAL);
        assertThat(normal.pcpCount(0)).isZero();
        assertThat(normal.freePages()).isEqualTo(12288 - 6);
    }

    /** §3.5 expand: the upper halves go to the heads of the lower lists; free merges back (§3.3). */
    @Test
    void allocate_splitPutsUpperHalvesOnListHeads_andFreeMergesBack() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone normal = a.zones().get(NORMAL);
        long pfn = a.allocate(4, Gfp.GFP_KERNEL, 0);
        assertThat(pfn).isEqualTo(4096);
        int[] expectHeads = {4112, 4128, 4160, 4224, 4352, 4608};
        for (int o = 4; o <= 9; o++) {
            assertThat(a.pfnOf(a.head(normal, o, 0))).as("order %d", o).isEqualTo(expectHeads[o - 4]);
        }
        a.free(pfn, 4, 0);
        a.checkInvariants();
        assertThat(normal.freeBlocks(10)).isEqualTo(12);
        assertThat(a.pfnOf(a.head(normal, 10, 0))).isEqualTo(4096);
        for (int o = 0; o < 10; o++) {
            assertThat(normal.freeBlocks(o)).isZero();
        }
    }

    /**
     * §3.3 step 4 (5.10: order 1 is not cached on pcp lists): freeing 4098 while its buddy 4096 is
     * allocated and the parent's buddy 4100 is a free order-2 block puts it at the tail of the order-1
     * list, so the next order-1 allocation takes the older head 4106.
     */
    @Test
    void free_putsBlockAtTailWhenTheHigherBuddyIsFree() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "5.10");
        long[] got = new long[5];
        for (int i = 0; i < 5; i++) {
            got[i] = a.allocate(1, Gfp.GFP_KERNEL, 0);
        }
        assertThat(got).containsExactly(4096, 4098, 4100, 4102, 4104);
        a.free(4100, 1, 0);
        a.free(4102, 1, 0);
        a.free(4098, 1, 0);
        a.checkInvariants();
        BuddyZone normal = a.zones().get(NORMAL);
        assertThat(a.pfnOf(a.head(normal, 1, 0))).isEqualTo(4106);
        assertThat(a.pfnOf(a.lists.tail(normal, 1, 0))).isEqualTo(4098);
        assertThat(a.pfnOf(a.head(normal, 2, 0))).isEqualTo(4100);
        assertThat(a.allocate(1, Gfp.GFP_KERNEL, 0)).isEqualTo(4106);
    }

    /** §3.3 step 4: without a free higher buddy the freed block goes to the head. */
    @Test
    void free_putsBlockAtHeadOtherwise() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "5.10");
        for (int i = 0; i < 5; i++) {
            a.allocate(1, Gfp.GFP_KERNEL, 0);
        }
        a.free(4102, 1, 0);
        BuddyZone normal = a.zones().get(NORMAL);
        assertThat(a.pfnOf(a.head(normal, 1, 0))).isEqualTo(4102);
        assertThat(a.pfnOf(a.lists.tail(normal, 1, 0))).isEqualTo(4106);
    }

    /**
     * §3.3 step c: the CMA pageblock at PFN 5120 is freed at boot next to the free order-9 block at 5632.
     * 5.10 merges them (only ISOLATE refuses); 6.1+ refuses CMA with a non-CMA buddy above PBO.
     */
    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12"})
    void boot_cmaPageblockMergesWithNeighbourOnlyIn5_10(String kernel) {
        BuddyPageAllocator a = Machines.create(Machines.twoZonesWithCma(), kernel);
        a.checkInvariants();
        BuddyZone normal = a.zones().get(NORMAL);
        assertThat(normal.pageblockType(5120)).isEqualTo(MigrateType.CMA);
        assertThat(normal.managedPages()).isEqualTo(12288);
        assertThat(normal.cmaPages()).isEqualTo(512);
        if (kernel.equals("5.10")) {
            assertThat(normal.freeBlocks(10, MigrateType.CMA)).isEqualTo(1);
            assertThat(normal.freeBlocks(9)).isZero();
        } else {
            assertThat(normal.freeBlocks(9, MigrateType.CMA)).isEqualTo(1);
            assertThat(normal.freeBlocks(9)).isEqualTo(2);
        }
    }

    /**
     * §5.1–§5.2 (6.1): min_free_kbytes = int_sqrt(16128 * 4 * 16) = 1015 (under 512 MiB: no THP raise);
     * pages_min 253; DMA32 tmp = 253*3840/16128 = 60, gap max(15, 3) = 15; Normal tmp = 192, gap 48;
     * empty Movable 0 in 6.1, 32 in 6.6+ (clamp branch).
     */
    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.6"})
    void watermarks_fromDefaultMinFreeKbytes(String kernel) {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), kernel);
        assertThat(a.tunables.minFreeKbytes).isEqualTo(1015);
        assertThat(marks(a, DMA32)).containsExactly(60L, 75L, 90L, 105L);
        assertThat(marks(a, NORMAL)).containsExactly(192L, 240L, 288L, 336L);
        long movable = kernel.equals("6.1") ? 0 : 32;
        assertThat(marks(a, 2)).containsExactly(movable, movable, movable, movable);
    }

    /** §5.2: 5.10 has no promo watermark (0). */
    @Test
    void watermarks_5_10HasNoPromo() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "5.10");
        assertThat(marks(a, NORMAL)).containsExactly(192L, 240L, 288L, 0L);
    }

    /** §5.3: DMA32 keeps 12288/256 = 48 back from Normal and Movable requests; Normal/32 of empty Movable = 0. */
    @Test
    void lowmemReserve_protectionFromDefaultRatios() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone dma32 = a.zones().get(DMA32);
        assertThat(List.of(dma32.lowmemReserve(0), dma32.lowmemReserve(1), dma32.lowmemReserve(2))).containsExactly(0L, 48L, 48L);
        BuddyZone normal = a.zones().get(NORMAL);
        assertThat(List.of(normal.lowmemReserve(0), normal.lowmemReserve(1), normal.lowmemReserve(2))).containsExactly(0L, 0L, 0L);
    }

    /**
     * §6.2: Normal batch = rounddown_pow2(3 + 1) - 1 = 3; 5.10 high = 6 * 3 = 18; 6.1 high =
     * max(low 240 / 2 CPUs, 4 * 3) = 120; 6.12 live high 0 until used, then high_min 120 and
     * high_max max(12288/8/2, 12) = 768. DMA32: raw batch 0 → batch 1; 5.10 high 0; 6.1 max(75/2, 4) = 37.
     */
    @Test
    void pcp_batchAndHighPerVersion() {
        BuddyPageAllocator v510 = Machines.create(Machines.twoZones(), "5.10");
        assertThat(v510.zones().get(NORMAL).pcpBatch()).isEqualTo(3);
        assertThat(v510.zones().get(NORMAL).pcpHigh(0)).isEqualTo(18);
        assertThat(v510.zones().get(DMA32).pcpBatch()).isEqualTo(1);
        assertThat(v510.zones().get(DMA32).pcpHigh(1)).isZero();
        BuddyPageAllocator v61 = Machines.create(Machines.twoZones(), "6.1");
        assertThat(v61.zones().get(NORMAL).pcpHigh(0)).isEqualTo(120);
        assertThat(v61.zones().get(DMA32).pcpHigh(0)).isEqualTo(37);
        BuddyPageAllocator v612 = Machines.create(Machines.twoZones(), "6.12");
        BuddyZone normal = v612.zones().get(NORMAL);
        assertThat(normal.pcpHigh(0)).isZero();
        assertThat(List.of(normal.pcpHighMin(0), normal.pcpHighMax(1))).containsExactly(120, 768);
        assertThat(v61.zones().get(NORMAL).pcpHighMax(0)).isEqualTo(120);
        v612.allocate(0, Gfp.GFP_KERNEL, 0);
        assertThat(normal.pcpHigh(0)).isBetween(120, 768);
    }

    /** §6.4 (5.10): the 18th order-0 page freed to CPU 0 reaches high 18 and drains batch 3 pages. */
    @Test
    void pcp_5_10DrainsBatchWhenCountReachesHigh() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "5.10");
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            pages.add(a.allocate(0, Gfp.GFP_KERNEL, 1));
        }
        BuddyZone normal = a.zones().get(NORMAL);
        for (int i = 0; i < 17; i++) {
            a.free(pages.get(i), 0, 0);
        }
        assertThat(normal.pcpCount(0)).isEqualTo(17);
        a.free(pages.get(17), 0, 0);
        assertThat(normal.pcpCount(0)).isEqualTo(15);
        a.checkInvariants();
    }

    /** §6.1: pages on pcp lists are not free; drainPerCpuLists returns them. */
    @Test
    void pcp_pagesOnListsAreNotFree() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone normal = a.zones().get(NORMAL);
        long pfn = a.allocate(0, Gfp.GFP_KERNEL, 0);
        assertThat(normal.freePages()).isEqualTo(12288 - 3);
        assertThat(normal.pcpCount(0)).isEqualTo(2);
        a.free(pfn, 0, 0);
        assertThat(normal.freePages()).isEqualTo(12288 - 3);
        a.drainPerCpuLists();
        assertThat(normal.freePages()).isEqualTo(12288);
        assertThat(normal.freeBlocks(10)).isEqualTo(12);
        a.checkInvariants();
    }

    /** §4.8: without a fallback policy every request is UNMOVABLE and every pageblock is stored UNMOVABLE. */
    @Test
    void noFallbackPolicy_behavesAsMobilityGroupingDisabled() {
        List<MigrateType> traced = new ArrayList<>();
        TraceListener t = new TraceListener() {
            @Override
            public void pageAlloc(long pfn, int order, MigrateType mt, int gfp, int cpu) {
                traced.add(mt);
            }
        };
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1", null, t, new BuddyOptions());
        a.allocate(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
        a.allocate(5, Gfp.GFP_KERNEL | Gfp.RECLAIMABLE, 0);
        assertThat(traced).containsExactly(MigrateType.UNMOVABLE, MigrateType.UNMOVABLE);
        BuddyZone normal = a.zones().get(NORMAL);
        assertThat(normal.pageblocks(MigrateType.UNMOVABLE)).isEqualTo(28);
        assertThat(normal.pageblocks(MigrateType.MOVABLE)).isZero();
        assertThat(a.lists.groupingDisabled).isFalse();
    }

    /** §4.8: with a policy and at least PBN * MIGRATE_TYPES = 2560 pages grouping is on; pageblocks boot MOVABLE. */
    @Test
    void withFallbackPolicy_pageblocksBootMovable() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1", ctx -> -1L, TraceListener.NONE, new BuddyOptions());
        assertThat(a.lists.groupingDisabled).isFalse();
        assertThat(a.zones().get(NORMAL).pageblocks(MigrateType.MOVABLE)).isEqualTo(28);
        assertThat(a.allocate(0, Gfp.GFP_HIGHUSER_MOVABLE, 0)).isEqualTo(4096);
    }

    /** §5.6: an order-0 GFP_KERNEL request fails once Normal would drop to min + 0 and DMA32 to min + 48. */
    @Test
    void allocate_stopsAtTheWatermarks() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        int n = 0;
        while (a.allocate(0, Gfp.KSWAPD_RECLAIM, 0) != -1) {
            n++;
        }
        a.drainPerCpuLists();
        BuddyZone normal = a.zones().get(NORMAL);
        BuddyZone dma32 = a.zones().get(DMA32);
        assertThat(normal.freePages()).isLessThanOrEqualTo(192 + 3).isGreaterThan(150);
        assertThat(dma32.freePages()).isLessThanOrEqualTo(60 + 48 + 1).isGreaterThan(60);
        a.checkInvariants();
        assertThat(n).isPositive();
    }

    @Test
    void provider_refusesUnsupportedKernels() {
        assertThatThrownBy(() -> Machines.create(Machines.twoZones(), "6.8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("buddy does not support kernel 6.8");
    }

    private static List<Long> marks(BuddyPageAllocator a, int zone) {
        BuddyZone z = a.zones().get(zone);
        return List.of(z.watermark(WatermarkLevel.MIN), z.watermark(WatermarkLevel.LOW), z.watermark(WatermarkLevel.HIGH),
                z.watermark(WatermarkLevel.PROMO));
    }
}
