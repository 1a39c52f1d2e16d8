package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.mm.PageStateImage;
import io.kmemsim.api.mm.PageStateImage.Block;
import io.kmemsim.api.mm.PageStateImage.ZoneSettings;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.kernel.ZoneType;

/**
 * The digital twin's operations: importing a real machine's positioned page state, and following the
 * kernel's per-CPU lists as its trace shows them (6.1 {@code mm/page_alloc.c}: {@code rmqueue_bulk}
 * refills traced as {@code mm_page_alloc_zone_locked}, {@code free_pcppages_bulk} drains traced as
 * {@code mm_page_pcpu_drain}, {@code free_unref_page} putting pcp-order frees on the freeing CPU's list).
 *
 * <p>Notes: in traced mode no pcp list is ever drained by a {@code high} check; only the trace drains.
 * Import frees each FREE block through {@code __free_one_page} so an image with two free buddies of one
 * order comes out merged, as the kernel would hold it. The highatomic reserve is the HighAtomic
 * pageblocks; the watermark boost is cleared.
 */
final class TwinState {

    private TwinState() {
    }

    static void importImage(BuddyPageAllocator a, PageStateImage image) {
        a.drainPerCpuLists();
        a.tracedPcp = true;
        for (BuddyZone z : a.zones) {
            reset(a, z);
        }
        for (ZoneSettings s : image.zones()) {
            settings(a, s);
        }
        for (PageStateImage.Pageblock pb : image.pageblocks()) {
            int idx = a.indexOf(pb.pfn());
            if (idx < 0) {
                throw new IllegalArgumentException("pageblock at pfn 0x" + Long.toHexString(pb.pfn()) + " is outside the node");
            }
            setType(a, idx, pb.type().ordinal());
        }
        for (Block b : image.blocks()) {
            place(a, b);
        }
        for (BuddyZone z : a.zones) {
            z.reservedHighatomic = a.countPageblocks(z, MigrateType.HIGHATOMIC.ordinal()) << a.pbo;
        }
    }

    private static void reset(BuddyPageAllocator a, BuddyZone z) {
        for (int o = 0; o <= a.maxOrder; o++) {
            for (int mt = 0; mt < BuddyPageAllocator.NT; mt++) {
                for (int i = a.head(z, o, mt); i >= 0; i = a.head(z, o, mt)) {
                    a.listDel(z, o, mt, i);
                }
            }
        }
        for (int i = z.startIdx; i < z.endIdx; i++) {
            int st = a.state(i);
            if (st != BuddyPageAllocator.ST_HOLE) {
                a.flags[i] = BuddyPageAllocator.ST_ALLOC;
                a.order[i] = 0;
            }
        }
        z.boost = 0;
    }

    private static void settings(BuddyPageAllocator a, ZoneSettings s) {
        int zi = a.zoneIndexOfType[s.zone().ordinal()];
        if (zi < 0 || s.node() != 0) {
            throw new IllegalArgumentException("zone " + s.zone().printedName() + " of node " + s.node()
                    + " is not a zone of this allocator");
        }
        BuddyZone z = a.zones[zi];
        if (s.managed() >= 0) {
            if (s.managed() > z.present) {
                throw new IllegalArgumentException("zone " + z.name() + ": managed " + s.managed()
                        + " is more than the " + z.present + " present pages");
            }
            z.managed = s.managed();
        }
        setIf(z, WatermarkLevel.MIN, s.min());
        setIf(z, WatermarkLevel.LOW, s.low());
        setIf(z, WatermarkLevel.HIGH, s.high());
        if (!s.protection().isEmpty()) {
            if (s.protection().size() != z.lowmemReserve.length) {
                throw new IllegalArgumentException("zone " + z.name() + ": protection has " + s.protection().size()
                        + " values, this kernel configuration has " + z.lowmemReserve.length + " zones");
            }
            for (int i = 0; i < z.lowmemReserve.length; i++) {
                z.lowmemReserve[i] = s.protection().get(i);
            }
        }
        for (int cpu = 0; cpu < Math.min(a.cpus, s.pcpHigh().size()); cpu++) {
            z.pcpHigh[cpu] = s.pcpHigh().get(cpu);
        }
        if (s.pcpBatch() > 0) {
            z.pcpBatch = s.pcpBatch();
        }
    }

    private static void setIf(BuddyZone z, WatermarkLevel level, long value) {
        if (value >= 0) {
            z.watermark[level.ordinal()] = value;
        }
    }

    private static void place(BuddyPageAllocator a, Block b) {
        int o = b.order();
        a.checkOrder(o);
        int idx = a.indexOf(b.pfn());
        BuddyZone z = idx < 0 ? null : a.zoneOf(idx);
        if (z == null || idx + (1 << o) > z.endIdx) {
            throw new IllegalArgumentException("block at pfn 0x" + Long.toHexString(b.pfn()) + " order " + o
                    + " is outside the node's zones");
        }
        for (int t = idx; t < idx + (1 << o); t++) {
            if (a.state(t) != BuddyPageAllocator.ST_ALLOC || a.order[t] != 0) {
                throw new IllegalArgumentException("block at pfn 0x" + Long.toHexString(b.pfn()) + " order " + o
                        + " overlaps another block or a hole at pfn 0x" + Long.toHexString(a.pfnOf(t)));
            }
        }
        for (int t = idx; t < idx + (1 << o); t++) {
            a.flags[t] = BuddyPageAllocator.ST_TAIL;
        }
        int mt = b.type().ordinal();
        switch (b.kind()) {
            case FREE -> a.freeOnePage(z, idx, o, mt, true);
            case PER_CPU -> {
                a.checkCpu(b.cpu());
                if (!a.pcpAllowed(o)) {
                    throw new IllegalArgumentException("block at pfn 0x" + Long.toHexString(b.pfn()) + ": order " + o
                            + " is not kept on per-CPU lists");
                }
                addPcp(a, z, idx, o, mt, b.cpu(), true);
            }
            case ALLOCATED, ALLOCATED_MOVABLE -> {
                a.flags[idx] = (byte) (BuddyPageAllocator.ST_ALLOC | (mt << BuddyPageAllocator.MT_SHIFT)
                        | (b.kind() == PageStateImage.Kind.ALLOCATED_MOVABLE ? BuddyPageAllocator.LRU : 0));
                a.order[idx] = (byte) o;
            }
            default -> throw new IllegalStateException("unknown block kind " + b.kind());
        }
    }

    private static void addPcp(BuddyPageAllocator a, BuddyZone z, int idx, int o, int mt, int cpu, boolean tail) {
        int listType = mt >= MigrateType.PCPTYPES ? MigrateType.MOVABLE.ordinal() : mt;
        a.pcpAdd(z, cpu * a.rules.pcpLists + a.pindex(o, listType), idx, o, mt, tail);
        z.pcpCount[cpu] += 1 << o;
    }

    static boolean refill(BuddyPageAllocator a, long pfn, int o, int cpu) {
        a.checkOrder(o);
        a.checkCpu(cpu);
        int idx = a.indexOf(pfn);
        BuddyZone z = idx < 0 ? null : a.zoneOf(idx);
        if (z == null || !a.pcpAllowed(o)) {
            return false;
        }
        int head = Placement.containingHead(a, idx);
        if (head < 0 || a.state(head) != BuddyPageAllocator.ST_FREE) {
            return false;
        }
        int mt = a.typeBits(head);
        if (!Placement.takeFree(a, z, idx, o)) {
            return false;
        }
        addPcp(a, z, idx, o, mt, cpu, true);
        return true;
    }

    static boolean drain(BuddyPageAllocator a, long pfn, int o) {
        a.checkOrder(o);
        int idx = a.indexOf(pfn);
        BuddyZone z = idx < 0 ? null : a.zoneOf(idx);
        if (z == null || a.state(idx) != BuddyPageAllocator.ST_PCP || a.order[idx] != o) {
            return false;
        }
        int mt = a.rules.pcpRereadTypeAtDrain ? a.pageblockTypeAt(idx) : a.typeBits(idx);
        if (!Placement.takeFromPcp(a, z, idx, o)) {
            return false;
        }
        a.freeOnePage(z, idx, o, mt, false);
        return true;
    }

    static void freeTraced(BuddyPageAllocator a, long pfn, int o, int cpu) {
        a.checkOrder(o);
        a.checkCpu(cpu);
        int idx = a.checkAllocated(pfn, o, "free");
        BuddyZone z = a.zoneOf(idx);
        a.pgfree += 1L << o;
        a.flags[idx] = BuddyPageAllocator.ST_TAIL;
        int pageblockType = a.pageblockTypeAt(idx);
        if (a.pcpAllowed(o) && pageblockType != MigrateType.ISOLATE.ordinal()) {
            addPcp(a, z, idx, o, pageblockType, cpu, false);
            freeFactorAfterFree(a, z, o, cpu);
        } else {
            a.freeBuddyPath(z, idx, o, false);
        }
    }

    /**
     * 6.1 {@code free_unref_page_commit()}: a free that leaves the list at or above {@code high} makes
     * {@code nr_pcp_free()} raise the CPU's {@code free_factor} (the trace then shows the bulk free as
     * {@code mm_page_pcpu_drain}, so nothing is drained here). A free of order 1..3 while the factor is
     * non-zero is the {@code free_high} case, which empties the list and leaves the factor alone. 5.10 has no
     * factor; the 6.7+ auto-tuned path is not followed in traced mode.
     */
    private static void freeFactorAfterFree(BuddyPageAllocator a, BuddyZone z, int o, int cpu) {
        if (!a.rules.pcpHighOrders || a.rules.pcpAutoTune) {
            return;
        }
        boolean freeHigh = z.pcpFreeFactor[cpu] > 0 && o > 0 && o <= PageOrders.COSTLY_ORDER;
        if (!freeHigh && z.pcpCount[cpu] >= z.pcpHigh[cpu]) {
            a.pcp.nrFree(z, cpu, z.pcpHigh[cpu], z.pcpBatch, false);
        }
    }

    /**
     * 6.1 {@code rmqueue_pcplist()}: every allocation of a per-CPU order halves the CPU's {@code free_factor}
     * (in traced mode the allocation is {@code allocateAt}, whatever list the block comes from).
     */
    static void allocatedTraced(BuddyPageAllocator a, long pfn, int o, int cpu) {
        int idx = a.indexOf(pfn);
        BuddyZone z = idx < 0 ? null : a.zoneOf(idx);
        if (z != null && a.rules.pcpHighOrders && !a.rules.pcpAutoTune && a.pcpAllowed(o)) {
            z.pcpFreeFactor[cpu] >>= 1;
        }
    }

    /**
     * 6.1 {@code free_pcppages_bulk()} of {@code pages} pages of one CPU's lists, started at the order-0 movable
     * list (the list of the commonest free, whose overflow starts a bulk free in {@code free_unref_page_commit()}).
     */
    static int freeBulk(BuddyPageAllocator a, ZoneType zone, int cpu, int pages) {
        a.checkCpu(cpu);
        BuddyZone z = zone(a, zone);
        int before = z.pcpCount[cpu];
        if (pages > 0 && before > 0) {
            a.pcp.freeBulk(z, cpu, Math.min(pages, before), a.pcp.pindex(0, MigrateType.MOVABLE.ordinal()));
        }
        return before - z.pcpCount[cpu];
    }

    /**
     * 6.1 {@code rmqueue_bulk()} of {@code pages} order-0 pages of {@code type} onto one CPU's list: each page
     * through {@code __rmqueue()} (the smallest free block of the type, split by {@code expand()}, then the
     * fallback), added at the list's tail as the kernel adds a refill.
     */
    static int refillBulk(BuddyPageAllocator a, ZoneType zone, int cpu, int pages, MigrateType type) {
        a.checkCpu(cpu);
        BuddyZone z = zone(a, zone);
        int mt = type.ordinal() >= MigrateType.PCPTYPES ? MigrateType.MOVABLE.ordinal() : type.ordinal();
        int allocFlags = AllocFlags.fastPath(0, mt, a.cmaConfigured);
        int got = 0;
        for (; got < pages; got++) {
            int idx = a.rmqueue(z, 0, mt, allocFlags);
            if (idx < 0) {
                break;
            }
            addPcp(a, z, idx, 0, a.lastTakenType, cpu, true);
        }
        return got;
    }

    private static BuddyZone zone(BuddyPageAllocator a, ZoneType zone) {
        int zi = a.zoneIndexOfType[zone.ordinal()];
        if (zi < 0) {
            throw new IllegalArgumentException("zone " + zone.printedName() + " is not a zone of this allocator");
        }
        return a.zones[zi];
    }

    static void setPageblockType(BuddyPageAllocator a, long pfn, MigrateType type) {
        int idx = a.indexOf(pfn);
        if (idx < 0 || a.zoneOf(idx) == null) {
            throw new IllegalArgumentException("pfn 0x" + Long.toHexString(pfn) + " is outside the node");
        }
        setType(a, idx, type.ordinal());
        // The claim also moves the pageblock's free blocks to the claiming type's lists, where the kernel's
        // retried __rmqueue_smallest() takes them and expand() leaves the remainders (6.1 mm/page_alloc.c:
        // steal_suitable_fallback(): move_freepages_block(), or move_to_free_list() of a block of order >=
        // pageblock_order); without it the twin's refills cache the old type and later drains free to its lists.
        if (a.fallbackPolicy != null) {
            Highatomic.moveFreePagesOfPageblock(a.lists, a.zoneOf(idx), idx, a.pageblockTypeAt(idx));
        }
    }

    /** Without a fallback policy (no mobility grouping) the three pcp types are stored UNMOVABLE, as at boot. */
    private static void setType(BuddyPageAllocator a, int idx, int mt) {
        a.setPageblockType(idx, a.fallbackPolicy == null && mt < MigrateType.PCPTYPES ? MigrateType.UNMOVABLE.ordinal() : mt);
    }
}
