package io.kmemsim.buddy;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.FallbackContext;

/**
 * The allocator's side of a migrate-type fallback: one reusable instance, re-aimed at each request, that
 * does the kernel's list work for the {@link io.kmemsim.api.policy.FallbackPolicy} (mm/page_alloc.c: __rmqueue_fallback(), boost_watermark() (6.1); mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.12); mm/page_alloc.c: __rmqueue_claim(), __rmqueue_steal() (6.15),
 * include/trace/events/kmem.h: TRACE_EVENT(mm_page_alloc) (6.1)). Valid only inside {@link #run}.
 */
final class BuddyFallbackContext implements FallbackContext {

    private static final MigrateType[] TYPES = MigrateType.values();
    private final BuddyPageAllocator a;
    private final FreeLists lists;
    private BuddyZone zone;
    private int order;
    private int requested;
    private int allocFlags;
    private boolean active;

    BuddyFallbackContext(BuddyPageAllocator a) {
        this.a = a;
        this.lists = a.lists;
    }

    /** Calls the policy for a request; returns the allocated page index or −1. */
    int run(BuddyZone z, int o, int mt, int flags) {
        this.zone = z;
        this.order = o;
        this.requested = mt;
        this.allocFlags = flags;
        this.active = true;
        try {
            long pfn = a.fallbackPolicy.fallback(this);
            if (pfn == PageAllocator.NO_PAGE) {
                return -1;
            }
            int idx = lists.indexOf(pfn);
            if (idx < 0 || !z.spans(idx) || lists.state(idx) != FreeLists.ST_TAIL || lists.order[idx] != o) {
                throw new IllegalStateException("fallback policy returned pfn 0x" + Long.toHexString(pfn)
                        + " that no take or allocate primitive handed out for order " + o);
            }
            return idx;
        } finally {
            active = false;
        }
    }

    private void checkActive() {
        if (!active) {
            throw new IllegalStateException("FallbackContext used outside FallbackPolicy.fallback");
        }
    }

    /** The page index of a free block head in the zone, else an exception naming the PFN. */
    private int freeHead(long pfn, String what) {
        checkActive();
        int idx = lists.indexOf(pfn);
        if (idx < 0 || !zone.spans(idx) || lists.state(idx) != FreeLists.ST_FREE) {
            throw new IllegalArgumentException(what + ": pfn 0x" + Long.toHexString(pfn)
                    + " is not the head of a free block in zone " + zone.name());
        }
        return idx;
    }

    private int inZone(long pfn, String what) {
        checkActive();
        int idx = lists.indexOf(pfn);
        if (idx < 0 || !zone.spans(idx)) {
            throw new IllegalArgumentException(what + ": pfn 0x" + Long.toHexString(pfn) + " is outside zone " + zone.name());
        }
        return idx;
    }

    @Override
    public KernelVersion kernel() {
        return a.kernel;
    }

    @Override
    public Zone zone() {
        return zone;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public MigrateType requested() {
        return TYPES[requested];
    }

    @Override
    public boolean noFragment() {
        return (allocFlags & AllocFlags.NOFRAGMENT) != 0;
    }

    @Override
    public boolean kswapdAllowed() {
        return (allocFlags & AllocFlags.KSWAPD) != 0;
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
    public boolean mobilityGroupingDisabled() {
        return lists.groupingDisabled;
    }

    @Override
    public long headBlock(int o, MigrateType mt) {
        checkActive();
        PageOrders.checkOrder(o, lists.maxOrder);
        int idx = lists.head(zone, o, mt.ordinal());
        if (idx >= 0 && lists.narration != null) {
            lists.narration.fallbackFound(idx, o, mt.ordinal());
        }
        return idx < 0 ? PageAllocator.NO_PAGE : lists.pfnOf(idx);
    }

    @Override
    public MigrateType pageblockType(long pfn) {
        return TYPES[lists.pageblockType(inZone(pfn, "pageblockType"))];
    }

    @Override
    public boolean pageblockInZone(long pfn) {
        return Highatomic.pageblockInZone(lists, zone, inZone(pfn, "pageblockInZone"));
    }

    @Override
    public int freePagesInPageblock(long pfn) {
        int start = inZone(pfn, "freePagesInPageblock") & -(1 << lists.pbo);
        int free = 0;
        for (int p = start; p < start + (1 << lists.pbo); p++) {
            if (lists.state(p) == FreeLists.ST_FREE && zone.spans(p)) {
                free += 1 << lists.order[p];
                p += (1 << lists.order[p]) - 1;
            }
        }
        return free;
    }

    @Override
    public int movablePagesInPageblock(long pfn) {
        int start = inZone(pfn, "movablePagesInPageblock") & -(1 << lists.pbo);
        int movable = 0;
        for (int p = start; p < start + (1 << lists.pbo); p++) {
            if (lists.state(p) == FreeLists.ST_ALLOC && zone.spans(p)) {
                int o = lists.order[p];
                if (lists.migratable(p)) {
                    movable += 1 << o;
                }
                p += (1 << o) - 1;
            }
        }
        if (lists.narration != null) {
            lists.narration.alikePages(start, movable);
        }
        return movable;
    }

    @Override
    public long takeBlock(long pfn, int blockOrder, MigrateType remainderType) {
        int idx = freeHead(pfn, "takeBlock");
        checkBlockOrder(idx, blockOrder, pfn);
        if (lists.narration != null) {
            lists.narration.fallbackTake(idx, blockOrder, lists.typeBits(idx), remainderType.ordinal(),
                    remainderType.ordinal() == requested);
        }
        lists.del(zone, blockOrder, lists.typeBits(idx), idx);
        lists.expand(zone, idx, order, blockOrder, remainderType.ordinal());
        a.tookBlock(idx, order, remainderType.ordinal());
        return pfn;
    }

    @Override
    public long claimWholeBlock(long pfn, int blockOrder) {
        int idx = freeHead(pfn, "claimWholeBlock");
        checkBlockOrder(idx, blockOrder, pfn);
        if (blockOrder < lists.pbo) {
            throw new IllegalArgumentException("claimWholeBlock: order " + blockOrder + " is below pageblock_order " + lists.pbo);
        }
        if (lists.narration != null) {
            lists.narration.claimWhole(idx, blockOrder, requested);
        }
        lists.del(zone, blockOrder, lists.typeBits(idx), idx);
        for (int p = idx; p < idx + (1 << blockOrder); p += 1 << lists.pbo) {
            lists.setPageblockType(p, requested);
        }
        lists.expand(zone, idx, order, blockOrder, requested);
        a.tookBlock(idx, order, requested);
        return pfn;
    }

    private void checkBlockOrder(int idx, int blockOrder, long pfn) {
        if (lists.order[idx] != blockOrder || blockOrder < order) {
            throw new IllegalArgumentException("free block at pfn 0x" + Long.toHexString(pfn) + " has order "
                    + lists.order[idx] + ", not " + blockOrder + " (request order " + order + ")");
        }
    }

    @Override
    public int moveFreePagesOfPageblock(long pfn, MigrateType to) {
        int idx = inZone(pfn, "moveFreePagesOfPageblock");
        int moved = Highatomic.moveFreePagesOfPageblock(lists, zone, idx, to.ordinal());
        if (lists.narration != null) {
            lists.narration.movedFree(idx, moved, to.ordinal());
        }
        return moved;
    }

    @Override
    public void moveBlock(long pfn, int blockOrder, MigrateType to) {
        int idx = freeHead(pfn, "moveBlock");
        checkBlockOrder(idx, blockOrder, pfn);
        if (lists.narration != null) {
            lists.narration.moveBlock(idx, blockOrder, lists.typeBits(idx), to.ordinal());
        }
        lists.moveToTail(zone, idx, to.ordinal());
    }

    @Override
    public void setPageblockType(long pfn, MigrateType mt) {
        int idx = inZone(pfn, "setPageblockType");
        if (lists.narration != null) {
            lists.narration.retype(idx, lists.pageblockType(idx), mt.ordinal());
        }
        lists.setPageblockType(idx, mt.ordinal());
    }

    @Override
    public long allocateSmallest(MigrateType mt) {
        checkActive();
        int idx = a.rmqueueSmallest(zone, order, mt.ordinal());
        return idx < 0 ? PageAllocator.NO_PAGE : lists.pfnOf(idx);
    }

    @Override
    public void boostWatermark() {
        checkActive();
        if (a.tunables.boostWatermark(zone) && kswapdAllowed()) {
            zone.boostedFlag = true;
            zone.refreshFastFloor();
        }
    }

    @Override
    public void recordFallback(long pfn, int fallbackOrder, MigrateType fallbackType) {
        int idx = inZone(pfn, "recordFallback");
        boolean fragmenting = fallbackOrder < lists.pbo;
        boolean changeOwnership = lists.pageblockType(idx) == requested;
        a.extfragEvents++;
        if (lists.narration != null) {
            lists.narration.extfrag(pfn, order, fallbackOrder, fragmenting, changeOwnership);
        }
        a.trace.pageAllocExtfrag(pfn, order, fallbackOrder, lists.pbo, TYPES[requested], fallbackType,
                fragmenting, changeOwnership, a.curCpu);
    }
}
