package io.kmemsim.engine.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.PageStateImage;
import io.kmemsim.api.mm.PageStateImage.Block;
import io.kmemsim.api.mm.PageStateImage.Kind;
import io.kmemsim.engine.procfs.Zoneinfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start state's inference rules on a hand-made 32 MiB arm64 zone (PFN 0x40000, 8 order-10 regions). */
class StartStateTest {

    private static final long Z = 0x40000;

    private static Machine machine() {
        Zoneinfo.ZoneEntry dma = new Zoneinfo.ZoneEntry(1, 0, ZoneType.DMA, 100, 0, 10, 12, 14, Zoneinfo.ABSENT,
                8192, 8192, 8000, 0, List.of(0L, 0L, 0L, 0L), Map.of(), Map.of(),
                List.of(new Zoneinfo.Pageset(0, 3, 40, 7, Zoneinfo.ABSENT, Zoneinfo.ABSENT, 1),
                        new Zoneinfo.Pageset(1, 0, 40, 7, Zoneinfo.ABSENT, Zoneinfo.ABSENT, 1)), Z);
        return new Machine("arm64", KernelVersion.parse("6.1.192"), 2, KernelConfig.ARM64_DISTRO,
                List.of(new MemoryBank(0, Z << 12, 8192L << 12)), -1, 0, new Zoneinfo(List.of(dma)), Map.of(), List.of());
    }

    private static FreeAreaSnapshot before(long o0, long o9, long o10) {
        List<Long> counts = new ArrayList<>(Collections.nCopies(11, 0L));
        counts.set(0, o0);
        counts.set(9, o9);
        counts.set(10, o10);
        return new FreeAreaSnapshot(List.of(new FreeAreaSnapshot.ZoneFreeArea(0, ZoneType.DMA, counts,
                Map.of(MigrateType.MOVABLE, counts), Map.of(MigrateType.MOVABLE, 16L))));
    }

    @Test
    void firstUseOfEachPfn_placesFreePcpAndAllocatedBlocks() {
        PageEvents ev = new PageEvents();
        ev.add(PageEvents.ZONE_LOCKED, Z, 0, 1, 1, 0, 0, 1, 1);          // free in the buddy lists at the start
        ev.add(PageEvents.ALLOC, Z + 0x400, 0, 1, 0, 0, 0xcc0, 2, 2);    // taken from a pcp list: was on CPU 0's
        ev.add(PageEvents.FREE, Z + 0x800, 2, 0, 0, 1, 0, 3, 3);         // allocated before the trace, order 2
        ev.add(PageEvents.ZONE_LOCKED, Z + 0xc00, 9, 1, 0, 1, 0, 4, 4);  // a pageblock taken alone
        StartState s = new StartState(machine(), 10, 9);
        s.learnFromTrace(ev);
        PageStateImage image = s.build(before(1, 1, 1), Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0}));

        assertThat(image.blocks()).contains(
                new Block(Z, 0, Kind.FREE, MigrateType.MOVABLE, 0),
                new Block(Z + 0xc00, 9, Kind.FREE, MigrateType.MOVABLE, 0),
                new Block(Z + 0x400, 0, Kind.PER_CPU, MigrateType.MOVABLE, 0),
                new Block(Z + 0x800, 2, Kind.ALLOCATED_MOVABLE, MigrateType.MOVABLE, 0));
        // the order-10 block goes to a region the trace never touched, not to the half-taken one
        Block order10 = image.blocks().stream().filter(b -> b.kind() == Kind.FREE && b.order() == 10).findFirst().orElseThrow();
        assertThat(order10.pfn()).isGreaterThanOrEqualTo(Z + 0x1000);
        // CPU 0's zoneinfo count is 3: one page from the trace, two more placed on untouched allocated PFNs
        assertThat(image.blocks().stream().filter(b -> b.kind() == Kind.PER_CPU && b.cpu() == 0).count()).isEqualTo(3);
        assertThat(s.stats()).containsEntry("start.pcp_pages_not_in_trace", 2L);
        PageStateImage.ZoneSettings dma = image.zones().get(0);
        assertThat(dma.managed()).isEqualTo(8000);
        assertThat(dma.min()).isEqualTo(10);
        assertThat(dma.pcpHigh()).containsExactly(40, 40);
        assertThat(dma.pcpBatch()).isEqualTo(7);
    }

    /**
     * Compaction inside the traced window (6.1 isolate_freepages_block() takes free pages with no trace event):
     * an order-0 page first seen freed may have been free at the start. Without compaction it pins its region as
     * allocated and the snapshot's one order-10 block goes to untouched memory; with it, the block goes where the
     * trace took 768 pages from the buddy lists, over that page, and a like page elsewhere stays allocated.
     */
    @Test
    void compactionInTheTrace_aPageFirstSeenFreedMayLieInAFreeBlock() {
        long r = Z + 0x1000;
        PageEvents ev = new PageEvents();
        ev.add(PageEvents.ZONE_LOCKED, r, 9, 1, 1, 0, 0, 1, 1);
        ev.add(PageEvents.FREE, r + 0x200, 0, 0, 0, 1, 0, 2, 2);          // a compaction target freed
        ev.add(PageEvents.ZONE_LOCKED, r + 0x300, 8, 1, 1, 0, 0, 3, 3);
        ev.add(PageEvents.FREE, Z + 0x1c00, 0, 0, 0, 1, 0, 4, 4);         // no free block needs this one
        Map<String, long[]> pageblocks = Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0});

        StartState plain = new StartState(machine(), 10, 9);
        plain.learnFromTrace(ev);
        Block plainOrder10 = order10(plain.build(before(0, 0, 1), pageblocks));
        assertThat(plainOrder10.pfn()).isNotEqualTo(r);

        StartState compacted = new StartState(machine(), 10, 9);
        compacted.compactionInTrace(633);
        compacted.learnFromTrace(ev);
        PageStateImage image = compacted.build(before(0, 0, 1), pageblocks);
        assertThat(order10(image).pfn()).isEqualTo(r);
        assertThat(image.blocks()).noneMatch(b -> b.pfn() == r + 0x200 && b.kind() != Kind.FREE);
        assertThat(image.blocks()).anyMatch(b -> b.pfn() == Z + 0x1c00 && b.kind() == Kind.ALLOCATED_MOVABLE);
        assertThat(compacted.stats()).containsEntry("start.freed_pages_placed_free", 1L);
        assertThat(compacted.notes()).anyMatch(n -> n.contains("compact_isolated +633"));
    }

    private static Block order10(PageStateImage image) {
        return image.blocks().stream().filter(b -> b.kind() == Kind.FREE && b.order() == 10).findFirst().orElseThrow();
    }

    @Test
    void aFirstUseExtfrag_placesTheWholeFallbackBlockAtItsHead() {
        // the same half-taken region as above, but the trace names it: an order-2 unmovable allocation fell
        // back to the order-10 Movable block at Z + 0x400 (6.1 __rmqueue_fallback traces the block's head)
        PageEvents ev = new PageEvents();
        ev.add(PageEvents.EXTFRAG, Z + 0x400, 2, 0, 1, 0, 0, 1, 1);
        ev.mt2[0] = (byte) MigrateType.MOVABLE.ordinal();
        ev.fallbackOrder[0] = 10;
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x400, 2, 0, 1, 0, 0, 2, 2);
        StartState s = new StartState(machine(), 10, 9);
        s.learnFromTrace(ev);
        PageStateImage image = s.build(before(0, 1, 1), Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0}));
        assertThat(image.blocks()).contains(new Block(Z + 0x400, 10, Kind.FREE, MigrateType.MOVABLE, 0));
        assertThat(s.stats()).containsEntry("start.free_blocks_from_extfrag", 1L);

        // without the extfrag line the half-taken region is the last choice for the order-10 block
        PageEvents plain = new PageEvents();
        plain.add(PageEvents.ZONE_LOCKED, Z + 0x400, 2, 0, 1, 0, 0, 2, 2);
        StartState p = new StartState(machine(), 10, 9);
        p.learnFromTrace(plain);
        PageStateImage pi = p.build(before(0, 1, 1), Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0}));
        assertThat(pi.blocks()).doesNotContain(new Block(Z + 0x400, 10, Kind.FREE, MigrateType.MOVABLE, 0));
    }

    /** Movable and Reclaimable free counts per order (11 orders) and 16 Movable pageblocks. */
    private static FreeAreaSnapshot beforeByType(long[] movable, long[] reclaimable) {
        List<Long> m = new ArrayList<>();
        List<Long> r = new ArrayList<>();
        List<Long> all = new ArrayList<>();
        for (int o = 0; o < 11; o++) {
            m.add(movable[o]);
            r.add(reclaimable[o]);
            all.add(movable[o] + reclaimable[o]);
        }
        return new FreeAreaSnapshot(List.of(new FreeAreaSnapshot.ZoneFreeArea(0, ZoneType.DMA, all,
                Map.of(MigrateType.MOVABLE, m, MigrateType.RECLAIMABLE, r), Map.of(MigrateType.MOVABLE, 16L))));
    }

    /**
     * validate3's 512M run in small: a Movable refill stream takes a whole order-10 region, then 384 pages of
     * the next one and stops (its upper half untouched); another refill takes a whole order-8 region.
     */
    private static PageEvents refillStream() {
        PageEvents ev = new PageEvents();
        ev.add(PageEvents.ZONE_LOCKED, Z, 9, 1, 1, 0, 0, 1, 1);
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x200, 9, 1, 1, 0, 0, 2, 2);
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x400, 8, 1, 1, 0, 0, 3, 3);
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x500, 7, 1, 1, 0, 0, 4, 4);
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x800, 8, 1, 1, 0, 0, 5, 5);
        return ev;
    }

    @Test
    void knownFreePagesBeyondTheSmallerBlocks_makeAPartlyTakenRegionABlockOfTheLargerOrder() {
        // Movable: two order-10 and one order-8 block; 1664 pages known free from the Movable list, of which
        // the whole order-10 region holds 1024 and the order-8 block 256: the other 384 fit in no smaller
        // Movable block of the snapshot, so the partly taken region is the second order-10 block
        long[] movable = new long[11];
        movable[10] = 2;
        movable[8] = 1;
        long[] reclaimable = new long[11];
        reclaimable[8] = 1;
        StartState s = new StartState(machine(), 10, 9);
        s.learnFromTrace(refillStream());
        PageStateImage image = s.build(beforeByType(movable, reclaimable), Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0}));
        assertThat(image.blocks()).contains(
                new Block(Z, 10, Kind.FREE, MigrateType.MOVABLE, 0),
                new Block(Z + 0x400, 10, Kind.FREE, MigrateType.MOVABLE, 0),
                new Block(Z + 0x800, 8, Kind.FREE, MigrateType.MOVABLE, 0));
        // with an order-9 Movable block in the snapshot the 640 pages fit below order 10: the partly taken
        // region stays the last choice for order 10 and becomes the order-9 block
        movable[9] = 1;
        StartState t = new StartState(machine(), 10, 9);
        t.learnFromTrace(refillStream());
        PageStateImage ti = t.build(beforeByType(movable, reclaimable), Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0}));
        assertThat(ti.blocks()).contains(new Block(Z + 0x400, 9, Kind.FREE, MigrateType.MOVABLE, 0))
                .doesNotContain(new Block(Z + 0x400, 10, Kind.FREE, MigrateType.MOVABLE, 0));
    }

    @Test
    void aBlockOfOneType_neverLandsOnPagesTheTraceTookFromAnotherTypesList() {
        // two order-8 regions the trace takes from the Movable list (one whole, one 200 pages: the Movable
        // order-7, 6 and 3 blocks); the snapshot has one Movable and one Reclaimable order-8 block. The Reclaimable one used to take the second region
        // (the most known-free pages after the Movable block's): validate3's 512M run put a Reclaimable order-6
        // block and an Unmovable order-0 page on its dd's Movable refills
        PageEvents ev = new PageEvents();
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x800, 8, 1, 1, 0, 0, 1, 1);
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x400, 7, 1, 1, 0, 0, 2, 2);
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x480, 6, 1, 1, 0, 0, 3, 3);
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x4c0, 3, 1, 1, 0, 0, 4, 4);
        long[] movable = new long[11];
        movable[10] = 1;
        movable[8] = 1;
        movable[7] = 1;
        movable[6] = 1;
        movable[3] = 1;
        long[] reclaimable = new long[11];
        reclaimable[8] = 1;
        StartState s = new StartState(machine(), 10, 9);
        s.learnFromTrace(ev);
        PageStateImage image = s.build(beforeByType(movable, reclaimable), Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0}));
        assertThat(image.blocks()).contains(new Block(Z + 0x800, 8, Kind.FREE, MigrateType.MOVABLE, 0));
        Block rec = image.blocks().stream().filter(b -> b.type() == MigrateType.RECLAIMABLE && b.kind() == Kind.FREE)
                .findFirst().orElseThrow();
        assertThat(rec.order()).isEqualTo(8);
        assertThat(rec.pfn() >= Z + 0x400 && rec.pfn() < Z + 0x500).as("Reclaimable block at 0x%x", rec.pfn()).isFalse();
    }

    @Test
    void aFreeWhoseBlockTheTraceNextTakesFromTheBuddyLists_skippedThePcpList() {
        PageEvents ev = new PageEvents();
        ev.add(PageEvents.FREE, Z, 0, 0, 0, 1, 0, 1, 1);                 // 0: next use is a buddy take
        ev.add(PageEvents.FREE, Z + 1, 0, 0, 0, 1, 0, 2, 2);             // 1: drained first: was on the list
        ev.add(PageEvents.FREE, Z + 2, 0, 0, 0, 1, 0, 3, 3);             // 2: allocated again: was on the list
        ev.add(PageEvents.FREE, Z + 4, 0, 0, 0, 1, 0, 4, 4);             // 3: taken inside a larger block
        ev.add(PageEvents.FREE, Z + 0x100, 4, 0, 0, 1, 0, 5, 5);         // 4: order 4 never goes to a list
        ev.add(PageEvents.FREE, Z + 0x200, 0, 0, 0, 1, 0, 6, 6);         // 5: an extfrag fallback block
        ev.add(PageEvents.ZONE_LOCKED, Z, 0, 0, 1, 0, 0, 7, 7);
        ev.add(PageEvents.DRAIN, Z + 1, 0, 0, 0, 1, 0, 8, 8);
        ev.add(PageEvents.ZONE_LOCKED, Z + 1, 0, 0, 1, 0, 0, 9, 9);
        ev.add(PageEvents.ALLOC, Z + 2, 0, 0, 0, 1, 0xcc0, 10, 10);
        ev.add(PageEvents.ZONE_LOCKED, Z, 3, 0, 0, 0, 0, 11, 11);
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x100, 4, 0, 0, 0, 0, 12, 12);
        ev.add(PageEvents.EXTFRAG, Z + 0x200, 0, 0, 1, 0, 0, 13, 13);
        ev.fallbackOrder[ev.size - 1] = 9;
        StartState s = new StartState(machine(), 10, 9);
        boolean[] direct = ev.freesToBuddy(s::pcpOrder);
        assertThat(direct).startsWith(true, false, false, true, false, true);
    }

    @Test
    void anExtfragAbovePageblockOrder_typesEveryPageblockOfTheFallbackBlock() {
        // as on the arm64 1G THP bench run (validate4): an order-0 unmovable request claims a free order-10 Movable
        // block (change_ownership=1), then refills from its upper pageblock, whose first trace line names the
        // Unmovable list. Before the claim both pageblocks were Movable; typed Unmovable from the refill, the
        // start state had one Unmovable pageblock too many there and the end counts were two short (81 vs 83).
        PageEvents ev = new PageEvents();
        ev.add(PageEvents.EXTFRAG, Z + 0x400, 0, 0, 1, 0, 0, 1, 1);
        ev.mt2[0] = (byte) MigrateType.MOVABLE.ordinal();
        ev.fallbackOrder[0] = 10;
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x600, 0, 0, 1, 0, 0, 2, 2);
        StartState s = new StartState(machine(), 10, 9);
        s.learnFromTrace(ev);
        PageStateImage image = s.build(before(0, 1, 1), Map.of("DMA", new long[] {1, 15, 0, 0, 0, 0}));
        assertThat(image.pageblocks()).contains(new PageStateImage.Pageblock(Z + 0x400, MigrateType.MOVABLE),
                new PageStateImage.Pageblock(Z + 0x600, MigrateType.MOVABLE));
        assertThat(image.pageblocks().stream().filter(p -> p.type() == MigrateType.UNMOVABLE).count()).isEqualTo(1);
    }

    @Test
    void pageblockTypes_comeFromTheFirstListTheTraceNames() {
        PageEvents ev = new PageEvents();
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x200, 0, 2, 1, 0, 0, 1, 1);  // Reclaimable list
        ev.add(PageEvents.DRAIN, Z + 0x600, 0, 0, 0, 0, 0, 2, 2);        // Unmovable pcp page
        ev.add(PageEvents.ZONE_LOCKED, Z + 0x201, 0, 1, 1, 0, 0, 3, 3);  // later evidence does not count
        StartState s = new StartState(machine(), 10, 9);
        s.learnFromTrace(ev);
        PageStateImage image = s.build(before(1, 0, 1), Map.of("DMA", new long[] {1, 14, 1, 0, 0, 0}));
        assertThat(image.pageblocks()).contains(new PageStateImage.Pageblock(Z + 0x200, MigrateType.RECLAIMABLE),
                new PageStateImage.Pageblock(Z + 0x600, MigrateType.UNMOVABLE));
        assertThat(image.pageblocks().stream().filter(p -> p.type() == MigrateType.MOVABLE).count()).isEqualTo(14);
    }

    @Test
    void preTracePages_movableInMovablePageblocks_exceptTheKernelImage_orByKpageflagsLru() {
        // 8192 pages, 16 MOVABLE pageblocks, one order-10 free block: 7168 pages allocated before the trace
        StartState s = new StartState(machine(), 10, 9);
        s.learnFromTrace(new PageEvents());
        s.kernelImageFromIomem("40000000-401fffff : System RAM\n  40000000-400fffff : Kernel code\n");
        PageStateImage image = s.build(before(0, 0, 1), Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0}));
        long movable = image.blocks().stream().filter(b -> b.kind() == Kind.ALLOCATED_MOVABLE).count();
        // 7168 allocated, less 256 pages of kernel code, less the 3 pages placed on CPU 0's list
        assertThat(movable).isEqualTo(7168 - 256 - 3);
        assertThat(image.blocks()).noneMatch(b -> b.kind() == Kind.ALLOCATED_MOVABLE && b.pfn() < Z + 256);

        // with kpageflags only the LRU pages move: one LRU page, one slab page, one compound LRU page
        byte[] kpf = new byte[(int) (Z + 8192) * 8];
        flag(kpf, Z + 300, 1L << 5);
        flag(kpf, Z + 301, 1L << 7);
        flag(kpf, Z + 302, 1L << 5 | 1L << 15);
        StartState k = new StartState(machine(), 10, 9);
        k.learnFromTrace(new PageEvents());
        k.learnFromKpageflags(kpf);
        PageStateImage ki = k.build(before(0, 0, 1), Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0}));
        assertThat(ki.blocks().stream().filter(b -> b.kind() == Kind.ALLOCATED_MOVABLE).map(Block::pfn).toList())
                .containsExactly(Z + 300);
    }

    /**
     * memblock reservations listed in iomem (arm64) stay allocated, except the init section inside the kernel image
     * and the range the boot log frees as the initrd: untouched free blocks go below them, not on the page tables at
     * the top of RAM that the descending-PFN choice would take first.
     */
    @Test
    void memblockReservedRangesOfIomem_areNeverFreeBlocks_butTheInitSectionAndInitrdAre() {
        String iomem = String.join("\n",
                "40000000-41ffffff : System RAM",
                "  40000000-400fffff : Kernel code",
                "  40100000-401fffff : reserved",
                "  40200000-402fffff : Kernel data",
                "  41000000-4100ffff : reserved",
                "  41800000-41ffffff : reserved",
                "4010000000-401fffffff : PCI ECAM");
        StartState s = new StartState(machine(), 10, 9);
        s.learnFromTrace(new PageEvents());
        s.kernelImageFromIomem(iomem);
        s.memblockReservedFromIomem(iomem, 60);  // 64K reserved, "Freeing initrd memory: 60K"
        PageStateImage image = s.build(before(0, 0, 4), Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0}));

        assertThat(image.blocks().stream().filter(b -> b.kind() == Kind.FREE).map(Block::pfn).toList())
                .containsExactlyInAnyOrder(Z + 0x1400, Z + 0x1000, Z + 0xc00, Z + 0x800);
        assertThat(s.stats()).containsEntry("start.memblock_reserved_pages", 2048L);
        assertThat(image.blocks()).noneMatch(b -> b.kind() == Kind.ALLOCATED_MOVABLE && b.pfn() >= Z + 0x1800);

        // without the reserved ranges, the untouched top of RAM is taken first
        StartState t = new StartState(machine(), 10, 9);
        t.learnFromTrace(new PageEvents());
        t.kernelImageFromIomem(iomem);
        PageStateImage ti = t.build(before(0, 0, 4), Map.of("DMA", new long[] {0, 16, 0, 0, 0, 0}));
        assertThat(ti.blocks().stream().filter(b -> b.kind() == Kind.FREE).map(Block::pfn).toList())
                .contains(Z + 0x1c00, Z + 0x1800);
    }

    private static void flag(byte[] kpf, long pfn, long flags) {
        for (int b = 0; b < 8; b++) {
            kpf[(int) (pfn * 8) + b] = (byte) (flags >>> (8 * b));
        }
    }
}
