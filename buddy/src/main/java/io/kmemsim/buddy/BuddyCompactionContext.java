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
 * (pcp lists for pcp orders, {@code mm_page_free}, {@code pgfree}); released memory goes back through
 * {@code __free_one_page} without {@code pgfree}. Reserved (present, unmanaged) and isolated pages read
 * as unmovable allocated order-0 pages. The copy cost is not charged here (ArchHooks has no copy hook).
 */
final class BuddyCompactionContext implements CompactionContext {

    private final BuddyPageAllocator a;

    BuddyCompactionContext(BuddyPageAllocator a) {
        this.a = a;
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
        return a.pbo;
    }

    @Override
    public int maxOrder() {
        return a.maxOrder;
    }

    @Override
    public int pageState(long pfn) {
        int idx = a.indexOf(pfn);
        if (idx < 0 || a.state(idx) == BuddyPageAllocator.ST_HOLE || a.zoneOf(idx) == null) {
            return HOLE;
        }
        int st = a.state(idx);
        if (st == BuddyPageAllocator.ST_RESERVED || st == BuddyPageAllocator.ST_ISOLATED) {
            return ALLOCATED;
        }
        int head = Placement.containingHead(a, idx);
        if (head < 0) {
            return HOLE;
        }
        int hs = a.state(head);
        if (head != idx) {
            return hs == BuddyPageAllocator.ST_FREE ? FREE_TAIL : ALLOCATED_TAIL;
        }
        int o = a.order[idx] << 8;
        if (hs == BuddyPageAllocator.ST_FREE) {
            return FREE | o;
        }
        if (hs == BuddyPageAllocator.ST_PCP) {
            return PCP | o;
        }
        return ALLOCATED | o | (movableHead(idx) ? MOVABLE_BIT : 0);
    }

    private boolean movableHead(int idx) {
        return a.migratable(idx);
    }

    @Override
    public MigrateType pageblockType(long pfn) {
        int idx = a.indexOf(pfn);
        if (idx < 0 || a.zoneOf(idx) == null) {
            throw new IllegalArgumentException("pageblockType: pfn 0x" + Long.toHexString(pfn) + " is outside every zone");
        }
        return MigrateType.of(a.pageblockTypeAt(idx));
    }

    @Override
    public boolean watermarkOk(Zone zone, int order, long markPages, int highestZoneIndex, boolean allowCma) {
        BuddyZone z = a.zones[zone.type() == null ? 0 : a.zoneIndexOfType[zone.type().ordinal()]];
        return a.zoneWatermarkOk(z, order, markPages, highestZoneIndex, allowCma ? AllocFlags.CMA : 0, z.freePages);
    }

    @Override
    public int isolateFreeBlock(long pfn) {
        int idx = a.indexOf(pfn);
        BuddyZone z = idx < 0 ? null : a.zoneOf(idx);
        if (z == null || a.state(idx) != BuddyPageAllocator.ST_FREE) {
            return -1;
        }
        int o = a.order[idx];
        int mt = a.pageblockTypeAt(idx);
        if (mt != MigrateType.ISOLATE.ordinal()) {
            long mark = z.watermark[WatermarkLevel.MIN.ordinal()] + (1L << o);
            if (!a.zoneWatermarkOk(z, 0, mark, 0, AllocFlags.CMA, z.freePages)) {
                return -1;
            }
        }
        a.listDel(z, o, a.typeBits(idx), idx);
        for (int p = idx; p < idx + (1 << o); p++) {
            a.flags[p] = BuddyPageAllocator.ST_ISOLATED;
        }
        if (o >= a.pbo - 1) {
            for (int p = idx; p < idx + (1 << o); p += 1 << a.pbo) {
                if (BuddyPageAllocator.mergeable(a.pageblockTypeAt(p))) {
                    a.setPageblockType(p, MigrateType.MOVABLE.ordinal());
                }
            }
        }
        return o;
    }

    private int isolatedBlock(long pfn, int order, String what) {
        int idx = a.indexOf(pfn);
        BuddyZone z = idx < 0 ? null : a.zoneOf(idx);
        if (z == null || order < 0 || order > a.maxOrder || (idx & ((1 << order) - 1)) != 0 || !z.spans(idx + (1 << order) - 1)) {
            throw new IllegalArgumentException(what + ": pfn 0x" + Long.toHexString(pfn) + " order " + order
                    + " is not an aligned block inside a zone");
        }
        for (int p = idx; p < idx + (1 << order); p++) {
            if (a.state(p) != BuddyPageAllocator.ST_ISOLATED) {
                throw new IllegalArgumentException(what + ": pfn 0x" + Long.toHexString(a.pfnOf(p)) + " is not isolated memory");
            }
        }
        return idx;
    }

    @Override
    public void releaseFreeBlock(long pfn, int order) {
        int idx = isolatedBlock(pfn, order, "releaseFreeBlock");
        for (int p = idx; p < idx + (1 << order); p++) {
            a.flags[p] = BuddyPageAllocator.ST_TAIL;
        }
        a.freeBuddyPath(a.zoneOf(idx), idx, order, false);
    }

    @Override
    public boolean migrate(long srcPfn, long dstPfn) {
        int src = a.indexOf(srcPfn);
        if (src < 0 || a.zoneOf(src) == null || !movableHead(src)) {
            a.pgmigrateFail++;
            return false;
        }
        int o = a.order[src];
        int dst = isolatedBlock(dstPfn, o, "migrate");
        for (int p = dst; p < dst + (1 << o); p++) {
            a.flags[p] = BuddyPageAllocator.ST_TAIL;
        }
        a.flags[dst] = a.flags[src];
        a.order[dst] = (byte) o;
        a.arch.onPagesCopied(srcPfn, a.pfnOf(dst), o, a.curCpu);
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
        a.policyCounters.computeIfAbsent(name, k -> new long[1])[0] += delta;
    }
}
