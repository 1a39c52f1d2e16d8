package io.kmemsim.buddy;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.CompactionContext;
import java.util.List;

/**
 * The allocator's side of compaction (mm/compaction.c: compact_zone() (6.1)): packed page states, free-block
 * isolation ({@code __isolate_free_page}), release, and migration of live movable blocks into isolated
 * memory.
 *
 * <p>Notes: isolated pages are marked one by one ({@code ST_ISOLATED}), so the policy may migrate into
 * and release any aligned part of what it isolated. A migrated source block is freed the ordinary way
 * (pcp lists for pcp orders, {@code mm_page_free}, {@code pgfree}), and so is isolated memory not used as a
 * target ({@link #freeIsolated}, release_freepages()); {@link #releaseFreeBlock} goes straight back through
 * {@code __free_one_page} without {@code pgfree}. Reserved (present, unmanaged) and isolated pages read
 * as unmovable allocated order-0 pages. The copy cost is not charged here (ArchHooks has no copy hook).
 */
final class BuddyCompactionContext implements CompactionContext {

    private final BuddyPageAllocator a;
    private final FreeLists lists;

    BuddyCompactionContext(BuddyPageAllocator a) {
        this.a = a;
        this.lists = a.lists;
    }

    @Override
    public KernelVersion kernel() {
        return a.kernel;
    }

    @Override
    public KernelConfig kernelConfig() {
        return a.config;
    }

    @Override
    public List<? extends Zone> zones() {
        return a.zones();
    }

    @Override
    public int cpu() {
        return a.curCpu; // the CPU of the allocation (or compact_memory) being served
    }

    @Override
    public int pageblockOrder() {
        return lists.pbo;
    }

    @Override
    public int maxOrder() {
        return lists.maxOrder;
    }

    @Override
    public int pageState(long pfn) {
        int idx = lists.indexOf(pfn);
        if (idx < 0 || lists.state(idx) == FreeLists.ST_HOLE || a.zoneOf(idx) == null) {
            return HOLE;
        }
        int st = lists.state(idx);
        if (st == FreeLists.ST_RESERVED || st == FreeLists.ST_ISOLATED) {
            return ALLOCATED;
        }
        int head = lists.containingHead(idx);
        if (head < 0) {
            return HOLE;
        }
        int hs = lists.state(head);
        if (head != idx) {
            return hs == FreeLists.ST_FREE ? FREE_TAIL : ALLOCATED_TAIL;
        }
        int o = lists.order[idx] << 8;
        if (hs == FreeLists.ST_FREE) {
            return FREE | o;
        }
        if (hs == FreeLists.ST_PCP) {
            return PCP | o;
        }
        return ALLOCATED | o | (lists.migratable(idx) ? MOVABLE_BIT : 0);
    }

    @Override
    public MigrateType pageblockType(long pfn) {
        int idx = lists.indexOf(pfn);
        if (idx < 0 || a.zoneOf(idx) == null) {
            throw new IllegalArgumentException("pageblockType: pfn 0x" + Long.toHexString(pfn) + " is outside every zone");
        }
        return MigrateType.of(lists.pageblockType(idx));
    }

    @Override
    public boolean watermarkOk(Zone zone, int order, long markPages, int highestZoneIndex, boolean allowCma) {
        BuddyZone z = a.zones[zone.type() == null ? 0 : a.zoneIndexOfType[zone.type().ordinal()]];
        return a.zoneWatermarkOk(z, order, markPages, highestZoneIndex, allowCma ? AllocFlags.CMA : 0, z.freePages);
    }

    @Override
    public int isolateFreeBlock(long pfn) {
        int idx = lists.indexOf(pfn);
        BuddyZone z = idx < 0 ? null : a.zoneOf(idx);
        if (z == null || lists.state(idx) != FreeLists.ST_FREE) {
            return -1;
        }
        int o = lists.order[idx];
        int mt = lists.pageblockType(idx);
        if (mt != MigrateType.ISOLATE.ordinal()) {
            long mark = z.watermark[WatermarkLevel.MIN.ordinal()] + (1L << o);
            if (!a.zoneWatermarkOk(z, 0, mark, 0, AllocFlags.CMA, z.freePages)) {
                return -1;
            }
        }
        lists.del(z, o, lists.typeBits(idx), idx);
        for (int p = idx; p < idx + (1 << o); p++) {
            lists.flags[p] = FreeLists.ST_ISOLATED;
        }
        if (o >= lists.pbo - 1) {
            for (int p = idx; p < idx + (1 << o); p += 1 << lists.pbo) {
                if (FreeLists.mergeable(lists.pageblockType(p))) {
                    lists.setPageblockType(p, MigrateType.MOVABLE.ordinal());
                }
            }
        }
        return o;
    }

    private int isolatedBlock(long pfn, int order, String what) {
        int idx = lists.indexOf(pfn);
        BuddyZone z = idx < 0 ? null : a.zoneOf(idx);
        if (z == null || order < 0 || order > lists.maxOrder || (idx & ((1 << order) - 1)) != 0 || !z.spans(idx + (1 << order) - 1)) {
            throw new IllegalArgumentException(what + ": pfn 0x" + Long.toHexString(pfn) + " order " + order
                    + " is not an aligned block inside a zone");
        }
        for (int p = idx; p < idx + (1 << order); p++) {
            if (lists.state(p) != FreeLists.ST_ISOLATED) {
                throw new IllegalArgumentException(what + ": pfn 0x" + Long.toHexString(lists.pfnOf(p)) + " is not isolated memory");
            }
        }
        return idx;
    }

    @Override
    public void releaseFreeBlock(long pfn, int order) {
        int idx = isolatedBlock(pfn, order, "releaseFreeBlock");
        for (int p = idx; p < idx + (1 << order); p++) {
            lists.flags[p] = FreeLists.ST_TAIL;
        }
        a.freeBuddyPath(a.zoneOf(idx), idx, order, false);
    }

    /**
     * release_freepages() (mm/compaction.c, 6.1): the isolated block becomes an allocated block again
     * ({@code split_map_pages}' post_alloc_hook with __GFP_MOVABLE) and is freed the ordinary way ({@code __free_page}:
     * the current CPU's per-CPU list with its high/batch rules for pcp orders, {@code pgfree}, {@code mm_page_free}).
     */
    @Override
    public void freeIsolated(long pfn, int order) {
        int idx = isolatedBlock(pfn, order, "freeIsolated");
        for (int p = idx; p < idx + (1 << order); p++) {
            lists.flags[p] = FreeLists.ST_TAIL;
        }
        lists.flags[idx] = (byte) (FreeLists.ST_ALLOC | (MigrateType.MOVABLE.ordinal() << FreeLists.MT_SHIFT));
        lists.order[idx] = (byte) order;
        a.free(pfn, order, a.curCpu);
    }

    @Override
    public boolean migrate(long srcPfn, long dstPfn) {
        int src = lists.indexOf(srcPfn);
        if (src < 0 || a.zoneOf(src) == null || !lists.migratable(src)) {
            a.pgmigrateFail++;
            return false;
        }
        int o = lists.order[src];
        int dst = isolatedBlock(dstPfn, o, "migrate");
        for (int p = dst; p < dst + (1 << o); p++) {
            lists.flags[p] = FreeLists.ST_TAIL;
        }
        lists.flags[dst] = lists.flags[src];
        lists.order[dst] = (byte) o;
        a.arch.onPagesCopied(srcPfn, lists.pfnOf(dst), o, a.curCpu);
        a.lru.migrate(src, dst);
        a.free(srcPfn, o, a.curCpu);
        a.pgmigrateSuccess += 1L << o;
        a.migrationListener.migrated(srcPfn, dstPfn, o);
        return true;
    }

    @Override
    public void drainPerCpuLists() {
        a.drainPerCpuLists();
    }

    @Override
    public void count(String name, long delta) {
        if (name.equals("pgmigrate_fail")) {
            a.pgmigrateFail += delta; // the allocator's own counter (Vmstat prints it once)
            return;
        }
        a.policyCounters.computeIfAbsent(name, k -> new long[1])[0] += delta;
    }
}
