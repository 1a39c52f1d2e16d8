package io.kmemsim.buddy;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.api.trace.TraceListener;
import java.util.List;

/**
 * The allocator's side of reclaim ({@link ReclaimContext}) over {@link Lru}: one reusable instance.
 * Freed folios go back through {@link BuddyPageAllocator#free} (so {@code pgfree}, the trace and the arch
 * hooks see them as the kernel's {@code free_unref_page_list} would), after the holder of the handle is told.
 */
final class BuddyReclaimContext implements ReclaimContext {

    private final BuddyPageAllocator a;
    private final Lru lru;

    BuddyReclaimContext(BuddyPageAllocator a, Lru lru) {
        this.a = a;
        this.lru = lru;
    }

    @Override
    public KernelVersion kernel() {
        return a.kernel;
    }

    @Override
    public List<BuddyZone> zones() {
        return List.of(a.zones);
    }

    @Override
    public int pageblockOrder() {
        return a.pbo;
    }

    @Override
    public boolean swapEnabled() {
        return false;
    }

    @Override
    public long lruPages(int list) {
        checkList(list);
        return lru.pages[list];
    }

    @Override
    public long zoneLruPages(int zoneIndex, int list) {
        checkList(list);
        return lru.zonePages[zoneIndex * 4 + list];
    }

    private static void checkList(int list) {
        if (list < 0 || list > ACTIVE_FILE) {
            throw new IllegalArgumentException("LRU list must be in [0, 3]: " + list);
        }
    }

    @Override
    public long lruTail(int list) {
        checkList(list);
        int idx = lru.tail(list);
        return idx < 0 ? -1 : a.pfnOf(idx);
    }

    @Override
    public long lruPrev(long pfn) {
        int idx = folio(pfn, "lruPrev");
        int p = a.lists.prev(idx);
        return p < 0 ? -1 : a.pfnOf(p);
    }

    private int folio(long pfn, String what) {
        int idx = a.indexOf(pfn);
        if (idx < 0 || !lru.onLru(idx)) {
            throw new IllegalArgumentException(what + ": pfn 0x" + Long.toHexString(pfn) + " is not a folio on an LRU list");
        }
        return idx;
    }

    @Override
    public int lruState(long pfn) {
        int idx = a.indexOf(pfn);
        if (idx < 0) {
            return NOT_ON_LRU;
        }
        int s = lru.state[idx] & 0xff;
        if (!lru.onLru(idx)) {
            return s;
        }
        return s | (a.order[idx] << 8) | (a.zoneOf(idx).index << 16) | (lru.underWriteback(idx) ? WRITEBACK : 0);
    }

    @Override
    public void lruMoveToHead(long pfn, int list) {
        int idx = folio(pfn, "lruMoveToHead");
        lru.moveToHead(idx, list);
        if (ReclaimContext.isActive(list)) {
            // move_folios_to_lru (mm/vmscan.c 6.1): an active folio put back ages the non-resident counter
            lru.nonresidentAge += 1L << a.order[idx];
        }
    }

    @Override
    public void setFlags(long pfn, int set, int clear) {
        int idx = folio(pfn, "setFlags");
        if ((set & ~FLAG_MASK) != 0 || (clear & ~FLAG_MASK) != 0 || ((set | clear) & DIRTY) != 0) {
            throw new IllegalArgumentException("setFlags may change REFERENCED, RECLAIM, YOUNG and WORKINGSET only: set 0x"
                    + Integer.toHexString(set) + " clear 0x" + Integer.toHexString(clear));
        }
        lru.state[idx] = (byte) ((lru.state[idx] & ~clear) | set);
    }

    @Override
    public long reclaim(long pfn) {
        int idx = folio(pfn, "reclaim");
        int s = lru.state[idx];
        if ((s & (DIRTY | RECLAIM)) != 0 || lru.underWriteback(idx) || (!Lru.isFile(s & LRU_MASK) && !swapEnabled())) {
            return 0;
        }
        return release(idx, false);
    }

    private long release(int idx, boolean oom) {
        int o = a.order[idx];
        long pfn = a.pfnOf(idx);
        boolean file = Lru.isFile(lru.list(idx));
        long shadow = file && !oom ? lru.evictionShadow(idx) : 0;
        lru.remove(idx);
        if (file && !oom) {
            lru.listener.evicted(pfn, o, shadow);
        } else {
            lru.listener.reclaimed(pfn, o, oom);
        }
        a.free(pfn, o, a.curCpu);
        return 1L << o;
    }

    @Override
    public long pageout(long pfn) {
        int idx = folio(pfn, "pageout");
        if ((lru.state[idx] & DIRTY) == 0 || !Lru.isFile(lru.list(idx))) {
            return 0;
        }
        lru.startWriteback(idx);
        lru.state[idx] |= RECLAIM;
        long n = 1L << a.order[idx];
        lru.nrVmscanWrite += n;
        return n;
    }

    @Override
    public List<io.kmemsim.api.reclaim.Shrinker> shrinkers() {
        return lru.shrinkersView;
    }

    private long reclaimedSlab;

    @Override
    public long scanObjects(io.kmemsim.api.reclaim.Shrinker shrinker, long nrToScan, int gfp) {
        long before = a.pgfree;
        long r = shrinker.scanObjects(nrToScan, gfp);
        reclaimedSlab += a.pgfree - before;
        return r;
    }

    @Override
    public long takeReclaimedSlab() {
        long r = reclaimedSlab;
        reclaimedSlab = 0;
        return r;
    }

    @Override
    public void wakeFlushers() {
        lru.flusherWoken = true;
    }

    @Override
    public boolean watermarkOk(int zoneIndex, int order, long markPages, int highestZoneIndex) {
        BuddyZone z = a.zones[zoneIndex];
        return a.zoneWatermarkOk(z, order, markPages, highestZoneIndex, 0, z.freePages);
    }

    @Override
    public void reduceBoost(int zoneIndex, long pages) {
        BuddyZone z = a.zones[zoneIndex];
        z.boost -= Math.min(z.boost, Math.max(0, pages));
        z.refreshFastFloor();
    }

    @Override
    public void wakeKcompactd(int order, int highestZoneIndex) {
        a.compactionPolicy.wakeKcompactd(order, highestZoneIndex);
    }

    @Override
    public int pageblockFreePages(long pfn) {
        int idx = a.indexOf(pfn);
        if (idx < 0) {
            return 0;
        }
        int start = idx & ~((1 << a.pbo) - 1);
        int end = Math.min(start + (1 << a.pbo), a.nPages);
        int free = 0;
        int i = start;
        while (i < end) {
            int st = a.state(i);
            if (st == BuddyPageAllocator.ST_FREE) {
                free += 1 << a.order[i];
                i += 1 << a.order[i];
            } else if (st == BuddyPageAllocator.ST_ALLOC || st == BuddyPageAllocator.ST_PCP) {
                i += 1 << a.order[i];
            } else {
                i++;
            }
        }
        return free;
    }

    @Override
    public int ownerLimit() {
        return lru.ownerLimit();
    }

    @Override
    public long ownerPages(int owner) {
        return lru.ownerPages(owner);
    }

    @Override
    public long killOwner(int owner) {
        long freed = 0;
        for (int list = INACTIVE_ANON; list <= ACTIVE_ANON; list++) {
            int idx = lru.tail(list);
            while (idx >= 0) {
                int p = a.lists.prev(idx);
                if (lru.owner(idx) == owner) {
                    freed += release(idx, true);
                }
                idx = p;
            }
        }
        return freed;
    }

    @Override
    public void count(String name, long delta) {
        if ("nr_vmscan_immediate_reclaim".equals(name)) {
            lru.nrVmscanImmediate += delta;
            return;
        }
        a.policyCounters.computeIfAbsent(name, k -> new long[1])[0] += delta;
    }

    @Override
    public int cpu() {
        return a.curCpu;
    }

    @Override
    public TraceListener trace() {
        return a.trace;
    }
}
