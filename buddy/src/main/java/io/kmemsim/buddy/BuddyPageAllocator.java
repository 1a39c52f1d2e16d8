package io.kmemsim.buddy;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.MigrationListener;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageAllocatorMisuseException;
import io.kmemsim.api.mm.ReclaimListener;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.trace.TraceListener;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Linux binary buddy allocator for one node ({@code mm/page_alloc.c}), per kernel version (see
 * {@link KernelRules}). This class is the hot-path core: the allocation path (zonelist walk, pcp or buddy,
 * {@code __rmqueue}, fallback) and the free path. The page state and the list operations (add, delete,
 * split, merge, move) are {@link FreeLists}; the per-CPU lists are {@link PerCpuLists}; watermark checks
 * {@link Watermarks}; boot geometry, tunables, fallback, compaction, snapshot import and invariant checks
 * are in their own classes.
 *
 * <p>Steps: allocation = zonelist walk (mm/page_alloc.c: get_page_from_freelist() (6.1)) with {@code zone_watermark_fast} (mm/page_alloc.c: __zone_watermark_ok() (6.1)), then the pcp path
 * (mm/page_alloc.c: rmqueue_pcplist(), rmqueue_bulk() (6.1)) or {@code rmqueue_buddy} (mm/page_alloc.c: __rmqueue() (6.1)) → {@code __rmqueue} → {@code __rmqueue_smallest} + {@code expand}
 * (mm/page_alloc.c: __rmqueue_smallest() (6.1)) → fallback policy; slow path without reclaim (mm/page_alloc.c: __alloc_pages_slowpath(), __alloc_pages() (6.1)). Free = pcp (mm/page_alloc.c: free_unref_page_commit(), free_pcppages_bulk() (6.1)) or
 * {@code __free_one_page} (mm/page_alloc.c: __free_one_page() (6.1)) with head/tail placement. Pages on pcp lists are not free.
 */
final class BuddyPageAllocator implements PageAllocator {

    // Page states and flag bits, named here too for the classes that predate FreeLists.
    static final int ST_TAIL = FreeLists.ST_TAIL;
    static final int ST_FREE = FreeLists.ST_FREE;
    static final int ST_ALLOC = FreeLists.ST_ALLOC;
    static final int ST_PCP = FreeLists.ST_PCP;
    static final int ST_HOLE = FreeLists.ST_HOLE;
    static final int ST_RESERVED = FreeLists.ST_RESERVED;
    static final int ST_ISOLATED = FreeLists.ST_ISOLATED;
    static final int MT_SHIFT = FreeLists.MT_SHIFT;
    static final int LRU = FreeLists.LRU;
    static final int NT = FreeLists.NT;
    private static final int UNMOVABLE = 0;
    private static final int HIGHATOMIC = 3;
    private static final int CMA = 4;
    private static final MigrateType[] TYPES = MigrateType.values();
    private static final int INVALID_ZONE = Integer.MIN_VALUE;

    final KernelVersion kernel;
    final KernelConfig config;
    final KernelRules rules;
    final int maxOrder;
    final int pbo;
    final int cpus;
    final long basePfn;
    final int nPages;
    final int thpOrder;
    final boolean cmaConfigured;

    final FreeLists lists;
    final PerCpuLists pcp;
    final Watermarks watermarks;
    // The page-state arrays of {@link #lists}, for the classes that predate FreeLists (LRU, twin state).
    final int[] links;
    final byte[] order;
    final byte[] flags;

    final BuddyZone[] zones;
    final int[] zoneIndexOfType = new int[ZoneType.values().length];
    /** {@code gfp_zone()} as a zone index per zone-modifier combination (−1: not configured). */
    final int[] zoneIndexOfGfp;
    /**
     * The zone the order-0 fast path serves per zone-modifier combination: the first zone at or below the
     * preferred one that the zonelist walk does not skip (managed pages, not ZONE_DEVICE; a zonelist holds
     * only populated zones, mm/page_alloc.c: build_zonerefs_node() (6.1)), null where there is none or the
     * index is not a zone. Kept current by {@link #refreshFastFloors} (an import or twin step may change
     * {@code managed}); {@code checkInvariants} compares it with a fresh computation.
     */
    final BuddyZone[] zoneOfGfp;
    /** The zone {@link #zoneOf} found last: frees come back to the zone they were allocated from. */
    private BuddyZone lastZone;

    final FallbackPolicy fallbackPolicy;
    final CompactionPolicy compactionPolicy;
    final TraceListener trace;
    final ArchHooks arch;
    /**
     * False when neither a trace listener nor arch hooks are attached: the pcp paths then skip the two
     * no-op calls, as a kernel skips a disabled tracepoint (a static-key NOP, include/linux/tracepoint.h)
     * and an arch hook configured out. With either attached, both are called as always.
     */
    final boolean hooked;
    final BuddyFallbackContext fallbackContext;
    final BuddyCompactionContext compactionContext;
    final ReclaimPolicy reclaimPolicy;
    final Lru lru;
    /** {@link Lru#state}, read on every free (a page on no LRU list needs no removal). */
    private final byte[] lruState;
    final BuddyReclaimContext reclaimContext;
    final Tunables tunables;
    MigrationListener migrationListener = (o, n, k) -> { };

    /** Set while a narrator is ({@code kmemsim explain}); every use is behind a null check. */
    Narration narration;
    /** The cpu of the request being served (trace events carry it). */
    int curCpu;
    /** Set by a twin import: the per-CPU lists follow a trace, see {@link TwinState}. */
    boolean tracedPcp;
    /** The list type the last block handed out by {@link #rmqueueSmallest} came from. */
    int lastTakenType;

    final long[] allocstall;
    long pgfree;
    long pgmigrateSuccess;
    long pgmigrateFail;
    long extfragEvents;
    final Map<String, long[]> policyCounters = new LinkedHashMap<>();

    BuddyPageAllocator(ProviderContext ctx, BuddyOptions options) {
        this.kernel = ctx.kernel();
        this.config = ctx.kernelConfig();
        this.rules = new KernelRules(kernel, config);
        this.maxOrder = rules.maxOrder;
        this.pbo = rules.pageblockOrder;
        this.cpus = ctx.cpus();
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be >= 1: " + cpus);
        }
        int thp = kernel.has(Feature.PAGEBLOCK_ORDER_THP) ? config.pageSize().hugetlbOrder() : pbo;
        this.thpOrder = config.transparentHugepage() && thp <= maxOrder ? thp : -1;
        this.cmaConfigured = config.cma();
        this.fallbackPolicy = ctx.fallbackPolicy().orElse(null);
        this.compactionPolicy = ctx.compactionPolicy();
        this.trace = ctx.traceListener();
        this.arch = ctx.archHooks();
        this.hooked = trace != TraceListener.NONE || arch != ArchHooks.NONE;
        BootLayout layout = new BootLayout(ctx.platform(), config, maxOrder, pbo, options.movablecoreMb());
        this.basePfn = layout.basePfn;
        this.nPages = layout.nPages;
        List<ZoneType> types = config.zones();
        this.lists = new FreeLists(rules, basePfn, nPages, types.size());
        this.links = lists.links;
        this.order = lists.order;
        this.flags = lists.flags;
        this.watermarks = new Watermarks(rules, lists);
        this.pcp = new PerCpuLists(this, lists, watermarks, rules, thpOrder,
                cmaConfigured && kernel.has(Feature.CMA_BYPASS_WITHOUT_ALLOC_CMA)); // pre-6.2 rmqueue: CMA-less movable requests skip the pcp lists
        this.zones = new BuddyZone[types.size()];
        Arrays.fill(zoneIndexOfType, -1);
        for (int i = 0; i < zones.length; i++) {
            zones[i] = new BuddyZone(this, i, types.get(i), cpus, rules.pcpLists, zones.length);
            zoneIndexOfType[types.get(i).ordinal()] = i;
        }
        this.lastZone = zones[0];
        this.zoneIndexOfGfp = AllocFlags.zoneIndexOfGfp(config, zoneIndexOfType, INVALID_ZONE);
        this.zoneOfGfp = new BuddyZone[zoneIndexOfGfp.length];
        this.allocstall = new long[zones.length];
        this.fallbackContext = new BuddyFallbackContext(this);
        this.compactionContext = new BuddyCompactionContext(this);
        this.reclaimPolicy = ctx.reclaimPolicy();
        this.lru = new Lru(this);
        this.lruState = lru.state;
        this.reclaimContext = new BuddyReclaimContext(this, lru);
        if (reclaimPolicy != ReclaimPolicy.NONE) {
            ReclaimCounters.register(policyCounters, zones);
        }
        this.tunables = new Tunables(this, options);
        Boot.populate(this, layout);
        if (layout.late.isEmpty()) {
            tunables.setupAll();
        } else {
            tunables.setupAtBoot();
            Boot.releaseLate(this, layout);
            tunables.afterLateRelease();
        }
        refreshFastFloors();
    }

    /** {@link BuddyZone#refreshFastFloor} of every zone: after an import or a twin step, which set zone fields directly. */
    void refreshFastFloors() {
        for (BuddyZone z : zones) {
            z.refreshFastFloor();
        }
        for (int bits = 0; bits < zoneOfGfp.length; bits++) {
            zoneOfGfp[bits] = fastZone(zoneIndexOfGfp[bits]);
        }
    }

    /** The first zone at or below index {@code hz} that {@link #getPageFromFreelist} does not skip, or null. */
    BuddyZone fastZone(int hz) {
        for (int zi = hz; zi >= 0; zi--) {
            if (zones[zi].managed > 0 && zones[zi].type != ZoneType.DEVICE) {
                return zones[zi];
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- addressing and page state

    int indexOf(long pfn) {
        return lists.indexOf(pfn);
    }

    long pfnOf(int idx) {
        return basePfn + idx;
    }

    int state(int idx) {
        return lists.state(idx);
    }

    int typeBits(int idx) {
        return lists.typeBits(idx);
    }

    int pageblockTypeAt(int idx) {
        return lists.pageblockType(idx);
    }

    void setPageblockType(int idx, int mt) {
        lists.setPageblockType(idx, mt);
    }

    /** The zone spanning page {@code idx}, or null (a hole between zones or outside the node). */
    BuddyZone zoneOf(int idx) {
        BuddyZone last = lastZone;
        if (last.spans(idx)) {
            return last;
        }
        for (BuddyZone z : zones) {
            if (z.spans(idx)) {
                lastZone = z;
                return z;
            }
        }
        return null;
    }

    void checkOrder(int o) {
        PageOrders.checkOrder(o, maxOrder);
    }

    void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalArgumentException("cpu must be in [0, " + (cpus - 1) + "]: " + cpu);
        }
    }

    long countPageblocks(BuddyZone z, int mt) {
        return PageblockMaps.count(lists, z, mt);
    }

    // ---------------------------------------------------------------- list work kept for older helpers

    int head(BuddyZone z, int o, int mt) {
        return lists.head(z, o, mt);
    }

    void listDel(BuddyZone z, int o, int mt, int idx) {
        lists.del(z, o, mt, idx);
    }

    void freeOnePage(BuddyZone z, int idx, int o, int mt, boolean toTail) {
        lists.merge(z, idx, o, mt, toTail);
    }

    void pcpAdd(BuddyZone z, int s, int idx, int o, int cachedType, boolean tail) {
        lists.pcpAdd(z, s, idx, o, cachedType, tail);
    }

    boolean pcpAllowed(int o) {
        return pcp.allowed(o);
    }

    int pindex(int o, int mt) {
        return pcp.pindex(o, mt);
    }

    boolean zoneWatermarkOk(BuddyZone z, int o, long mark, int highestIdx, int allocFlags, long free) {
        return watermarks.zoneWatermarkOk(z, o, mark, highestIdx, allocFlags, free);
    }

    // ---------------------------------------------------------------- __rmqueue_smallest (mm/page_alloc.c: __rmqueue_smallest() (6.1))

    /** {@code __rmqueue_smallest}: head of the smallest non-empty list of {@code mt} at or above {@code o}, split. */
    int rmqueueSmallest(BuddyZone z, int o, int mt) {
        for (int cur = o; cur <= maxOrder; cur++) {
            int idx = lists.head(z, cur, mt);
            if (idx < 0) {
                if (narration != null) {
                    narration.listEmpty(cur, mt);
                }
                continue;
            }
            if (narration != null) {
                narration.listTake(cur, mt, idx, o);
            }
            lists.del(z, cur, mt, idx);
            lists.expand(z, idx, o, cur, mt);
            tookBlock(idx, o, mt);
            return idx;
        }
        return -1;
    }

    /**
     * Block {@code idx} was taken from list {@code mt} for an order-{@code o} request: remembers the type
     * (the pcp refill caches it) and, from 5.11, emits {@code mm_page_alloc_zone_locked} here.
     */
    void tookBlock(int idx, int o, int mt) {
        lastTakenType = mt;
        if (hooked && rules.zoneLockedFromSmallest) { // not hooked: the listener is TraceListener.NONE
            trace.pageAllocZoneLocked(pfnOf(idx), o, TYPES[mt], pcp.allowed(o) && mt < MigrateType.PCPTYPES, curCpu);
        }
    }

    /** {@code expand}: keeps the lower half, puts each upper half at the head of list {@code mt}. */

    void freeBuddyPath(BuddyZone z, int idx, int o, boolean toTail) {
        if (rules.splitLargeBuddy && o > pbo) {
            for (int p = idx; p < idx + (1 << o); p += 1 << pbo) {
                flags[p] = ST_TAIL;
                lists.merge(z, p, pbo, lists.pageblockType(p), toTail);
            }
            return;
        }
        lists.merge(z, idx, o, lists.pageblockType(idx), toTail);
    }

    // ---------------------------------------------------------------- __rmqueue (mm/page_alloc.c: __rmqueue() (6.1))

    int rmqueue(BuddyZone z, int o, int mt, int allocFlags) {
        int idx = -1;
        boolean cma = (allocFlags & AllocFlags.CMA) != 0;
        if (cma && z.freeCma > z.freePages / 2) {
            idx = rmqueueSmallest(z, o, CMA);
        }
        if (idx < 0) {
            idx = rmqueueSmallest(z, o, mt);
            if (idx < 0 && cma) {
                idx = rmqueueSmallest(z, o, CMA);
            }
            if (idx < 0 && fallbackPolicy != null && mt < MigrateType.PCPTYPES) {
                if (narration != null) {
                    narration.fallback(o, mt);
                }
                idx = fallbackContext.run(z, o, mt, allocFlags);
                lastTakenType = mt;
            }
        }
        if (idx >= 0 && hooked && !rules.zoneLockedFromSmallest) {
            trace.pageAllocZoneLocked(pfnOf(idx), o, TYPES[mt], o == 0, curCpu);
        }
        return idx;
    }

    /** {@code rmqueue_buddy}: HIGHATOMIC first when allowed, {@code __rmqueue}, HIGHATOMIC as last resort. */
    int rmqueueBuddy(BuddyZone z, int o, int mt, int allocFlags) {
        int idx = -1;
        if (AllocFlags.highatomicFirst(allocFlags, o, rules)) {
            idx = rmqueueSmallest(z, o, HIGHATOMIC);
            if (idx >= 0 && !rules.zoneLockedFromSmallest) {
                trace.pageAllocZoneLocked(pfnOf(idx), o, TYPES[mt], o == 0, curCpu);
            }
        }
        if (idx < 0) {
            idx = rmqueue(z, o, mt, allocFlags);
        }
        if (idx < 0 && (allocFlags & rules.highatomicLastResortMask) != 0) {
            idx = rmqueueSmallest(z, o, HIGHATOMIC);
        }
        return idx;
    }

    @Override
    public void drainPerCpuLists() {
        for (int cpu = 0; cpu < cpus; cpu++) {
            for (BuddyZone z : zones) {
                pcp.drainZoneCpu(z, cpu);
            }
        }
    }

    // ---------------------------------------------------------------- allocation (mm/page_alloc.c: __alloc_pages() (6.1))

    @Override
    public long allocate(int o, int gfp, int cpu) {
        if (o == 0 && cpu >= 0 && cpu < cpus && narration == null) {
            // the order-0 pcp fast path: the checks below pass for these arguments, and the same steps follow
            int bits = gfp & Gfp.ZONEMASK;
            BuddyZone z = zoneOfGfp[bits];
            if (z != null) {
                curCpu = cpu;
                int mt = lists.groupingDisabled || fallbackPolicy == null ? UNMOVABLE : Gfp.migrateType(gfp).ordinal();
                int idx = pcp.allocFast(z, zoneIndexOfGfp[bits], mt, AllocFlags.fastPath(gfp, mt, cmaConfigured), cpu);
                if (idx >= 0) {
                    z.pgalloc++;
                    return allocated(idx, 0, gfp, mt, cpu);
                }
                return allocateChecked(o, gfp, cpu, false); // the fast path declined: the whole path
            }
        }
        return allocateChecked(o, gfp, cpu, true);
    }

    /**
     * {@link #allocate} with every check, by the pcp fast path (orders 0 and, 5.13+, the other pcp orders;
     * unless it has just declined this request: {@code tryFast} false) or the whole path; kept apart so the
     * JIT inlines the order-0 case.
     */
    private long allocateChecked(int o, int gfp, int cpu, boolean tryFast) {
        checkOrder(o);
        checkCpu(cpu);
        curCpu = cpu;
        int hz = zoneIndexOfGfp[gfp & Gfp.ZONEMASK];
        if (hz == INVALID_ZONE) {
            Gfp.zone(gfp, config); // throws the error naming the combination
        }
        int mt = lists.groupingDisabled || fallbackPolicy == null ? UNMOVABLE : Gfp.migrateType(gfp).ordinal();
        int allocFlags = AllocFlags.fastPath(gfp, mt, cmaConfigured) | noFragmentFlag(hz);
        BuddyZone fz = tryFast && hz >= 0 && narration == null && pcp.allowed(o) ? zoneOfGfp[gfp & Gfp.ZONEMASK] : null;
        int idx = fz == null ? -1 : o == 0 ? pcp.allocFast(fz, hz, mt, allocFlags, cpu) : pcp.allocFastHigh(fz, hz, o, mt, allocFlags, cpu);
        if (idx >= 0) {
            fz.pgalloc += 1L << o;
        } else {
            idx = allocateFull(o, gfp, mt, allocFlags, hz);
        }
        if (idx < 0) {
            trace.pageAlloc(NO_PAGE, o, TYPES[mt], gfp, cpu);
            return NO_PAGE;
        }
        return allocated(idx, o, gfp, mt, cpu);
    }

    /** The block {@code idx} of order {@code o} is handed out: its page state, the arch hook and the trace event. */
    private long allocated(int idx, int o, int gfp, int mt, int cpu) {
        long pfn = pfnOf(idx);
        flags[idx] = (byte) (ST_ALLOC | (mt << MT_SHIFT) | FreeLists.lruBit(gfp));
        order[idx] = (byte) o;
        if (hooked) {
            arch.onPagesAllocated(pfn, o, gfp, cpu);
            trace.pageAlloc(pfn, o, TYPES[mt], gfp, cpu);
        }
        return pfn;
    }

    /** The whole allocation path: {@code get_page_from_freelist}, then the slow path; told to a narrator. */
    private int allocateFull(int o, int gfp, int mt, int allocFlags, int hz) {
        if (narration != null) {
            narration.request(o, gfp, mt, zones[hz], allocFlags & AllocFlags.WMARK_MASK);
        }
        int idx = getPageFromFreelist(o, gfp, allocFlags, mt, hz);
        if (idx < 0) {
            idx = SlowPath.allocate(this, o, gfp, mt, hz);
        }
        if (narration != null) {
            if (idx < 0) {
                narration.failed(o);
            } else {
                narration.allocated(idx, o);
            }
        }
        return idx;
    }

    /** ALLOC_NOFRAGMENT (mm/page_alloc.c: alloc_flags_nofragment() (6.1)): with ZONE_DMA32 configured and the preferred zone Normal; only with a fallback policy. */
    private int noFragmentFlag(int hz) {
        if (fallbackPolicy == null || !config.zoneDma32()) {
            return 0;
        }
        for (int zi = hz; zi >= 0; zi--) {
            if (zones[zi].managed > 0 && zones[zi].type != ZoneType.DEVICE) {
                return zones[zi].type == ZoneType.NORMAL ? AllocFlags.NOFRAGMENT : 0;
            }
        }
        return 0;
    }

    /** {@code get_page_from_freelist} (mm/page_alloc.c: get_page_from_freelist() (6.1)); returns the page index or −1. */
    int getPageFromFreelist(int o, int gfp, int allocFlags, int mt, int hz) {
        while (true) {
            for (int zi = hz; zi >= 0; zi--) {
                BuddyZone z = zones[zi];
                if (z.managed == 0 || z.type == ZoneType.DEVICE) {
                    if (narration != null) {
                        narration.skipZone(z);
                    }
                    continue;
                }
                boolean ok = false;
                if (rules.belowHighFlag && !z.belowHigh) {
                    ok = watermarks.zoneWatermarkFast(z, o, z.mark(AllocFlags.WMARK_HIGH), hz, allocFlags, gfp);
                    if (z.belowHigh == ok) {
                        z.belowHigh = !ok;
                        z.refreshFastFloor();
                    }
                }
                if (!ok && !watermarks.zoneWatermarkFast(z, o, z.mark(allocFlags & AllocFlags.WMARK_MASK), hz, allocFlags, gfp)
                        && (allocFlags & AllocFlags.NO_WATERMARKS) == 0) {
                    if (narration != null) {
                        narration.watermark(z, o, allocFlags & AllocFlags.WMARK_MASK, hz, false);
                    }
                    continue;
                }
                if (narration != null) {
                    narration.watermark(z, o, allocFlags & AllocFlags.WMARK_MASK, hz, true);
                }
                int idx = rmqueueTop(z, o, mt, allocFlags);
                if (idx >= 0) {
                    z.pgalloc += 1L << o;
                    if (AllocFlags.highatomicFirst(allocFlags, o, rules)) {
                        Highatomic.reserve(this, z, idx, o);
                    }
                    return idx;
                }
            }
            if ((allocFlags & AllocFlags.NOFRAGMENT) == 0) {
                return -1;
            }
            allocFlags &= ~AllocFlags.NOFRAGMENT;
        }
    }

    /** {@code rmqueue}: the pcp path for pcp orders (6.1+: falling through to the buddy path), else the buddy path. */
    private int rmqueueTop(BuddyZone z, int o, int mt, int allocFlags) {
        int idx = -1;
        boolean viaPcp = pcp.allowed(o) && !pcp.bypassed(mt, allocFlags);
        if (viaPcp) {
            idx = pcp.rmqueue(z, o, mt, allocFlags, curCpu);
        }
        if (idx < 0 && (!viaPcp || rules.pcpHighOrders)) {
            idx = rmqueueBuddy(z, o, mt, allocFlags);
        }
        if (z.boostedFlag && (!rules.boostedWakeNeedsKswapd || (allocFlags & AllocFlags.KSWAPD) != 0)) {
            z.boostedFlag = false;
            z.kswapdWoken = true;
            z.refreshFastFloor();
        }
        return idx;
    }

    /**
     * Runs direct compaction at {@code priority}; unless it was not attempted or skipped (a deferred
     * result still counts, mm/compaction.c: try_to_compact_pages() (6.1); mm/page_alloc.c: __alloc_pages_direct_compact() (6.1)), counts {@code compact_stall}, retries the free lists and counts {@code compact_success} or
     * {@code compact_fail} (mm/compaction.c: try_to_compact_pages() (6.1); mm/page_alloc.c: __alloc_pages_direct_compact() (6.1)), telling the policy the outcome. Returns the page or −1.
     */
    int compactAndRetry(int o, int gfp, int allocFlags, int mt, int hz, CompactPriority priority, CompactionResult[] result) {
        CompactionResult r = compactionPolicy.compactDirect(o, gfp, priority, compactionContext);
        result[0] = r;
        if (r == CompactionResult.NOT_ATTEMPTED || r == CompactionResult.SKIPPED) {
            return -1;
        }
        compactionContext.count("compact_stall", 1);
        int idx = getPageFromFreelist(o, gfp, allocFlags, mt, hz);
        compactionContext.count(idx >= 0 ? "compact_success" : "compact_fail", 1);
        compactionPolicy.afterCompaction(o, gfp, idx >= 0, compactionContext);
        return idx;
    }

    // ---------------------------------------------------------------- free

    @Override
    public void free(long pfn, int o, int cpu) {
        BuddyZone last = lastZone;
        long i = pfn - basePfn;
        if (narration == null && cpu >= 0 && cpu < cpus && i >= last.startIdx && i < last.endIdx) {
            // a block of the zone of the last free (its span lies inside the node): the checks below pass for
            // these arguments, and the same steps follow
            int idx = (int) i;
            if (o > 0) {
                if ((flags[idx] & FreeLists.STATE_MASK) == ST_ALLOC && order[idx] == o) {
                    freeHigh(last, idx, o, cpu);
                    return;
                }
            } else if (o == 0 && (flags[idx] & FreeLists.STATE_MASK) == ST_ALLOC && order[idx] == 0) {
                curCpu = cpu;
                pgfree++;
                if (hooked) {
                    trace.pageFree(pfn, 0, cpu);
                    arch.onPagesFreed(pfn, 0, cpu);
                }
                if (lru.used && (lruState[idx] & ReclaimContext.LRU_MASK) != Lru.NONE) { // else Lru.remove has nothing to do
                    lru.remove(idx);
                }
                pcp.free0(last, idx, cpu);
                return;
            }
        }
        freeChecked(pfn, o, cpu);
    }

    /**
     * {@link #free} of an allocated block of order {@code o > 0} in zone {@code z}, without a narrator, its
     * arguments checked: the steps of {@link #freeChecked} after its checks ({@code free_unref_page} for the
     * pcp orders, 5.13+; {@code __free_pages_ok} for the others). Kept apart so the order-0 free stays small.
     */
    private void freeHigh(BuddyZone z, int idx, int o, int cpu) {
        curCpu = cpu;
        pgfree += 1L << o;
        if (hooked) {
            long pfn = pfnOf(idx);
            trace.pageFree(pfn, o, cpu);
            arch.onPagesFreed(pfn, o, cpu);
        }
        if ((lruState[idx] & ReclaimContext.LRU_MASK) != Lru.NONE) { // Lru.remove: not on a list, nothing to do
            lru.remove(idx);
        }
        flags[idx] = ST_TAIL;
        if (pcp.allowed(o)) {
            pcp.free(z, idx, o, cpu);
        } else {
            freeBuddyPath(z, idx, o, false);
        }
    }

    /** {@link #free} with every check, by any path (kept apart so the JIT inlines the order-0 pcp free). */
    private void freeChecked(long pfn, int o, int cpu) {
        checkOrder(o);
        checkCpu(cpu);
        long i = pfn - basePfn;
        int idx = i < 0 || i >= nPages ? -1 : (int) i;
        BuddyZone z = idx < 0 ? null : zoneOf(idx);
        if (z == null || (flags[idx] & FreeLists.STATE_MASK) != ST_ALLOC || order[idx] != o) {
            checkAllocated(pfn, o, "free"); // throws the error naming what is wrong
        }
        curCpu = cpu;
        pgfree += 1L << o;
        if (hooked) {
            trace.pageFree(pfn, o, cpu);
            arch.onPagesFreed(pfn, o, cpu);
        }
        if ((lruState[idx] & ReclaimContext.LRU_MASK) != Lru.NONE) { // Lru.remove: not on a list, nothing to do
            lru.remove(idx);
        }
        if (o == 0 && narration == null) {
            pcp.free0(z, idx, cpu); // the pcp free of every version, told to no narrator
            return;
        }
        flags[idx] = ST_TAIL;
        boolean viaPcp = pcp.allowed(o);
        if (narration != null) {
            narration.free(idx, o, viaPcp);
        }
        if (viaPcp) {
            pcp.free(z, idx, o, cpu);
        } else {
            freeBuddyPath(z, idx, o, false);
        }
    }

    int checkAllocated(long pfn, int o, String what) {
        int idx = indexOf(pfn);
        if (idx < 0 || zoneOf(idx) == null) {
            throw new PageAllocatorMisuseException(what + " of pfn 0x" + Long.toHexString(pfn) + " order " + o
                    + ": pfn is outside the node");
        }
        if (state(idx) != ST_ALLOC) {
            throw new PageAllocatorMisuseException(what + " of pfn 0x" + Long.toHexString(pfn) + " order " + o
                    + ": block is not allocated");
        }
        if (order[idx] != o) {
            throw new PageAllocatorMisuseException(what + " of pfn 0x" + Long.toHexString(pfn) + " order " + o
                    + ": block was allocated with order " + order[idx]);
        }
        return idx;
    }

    // ---------------------------------------------------------------- the rest of the SPI

    @Override
    public long allocateAt(long pfn, int o, int gfp, int cpu) {
        checkOrder(o);
        checkCpu(cpu);
        curCpu = cpu;
        if (tracedPcp) {
            TwinState.allocatedTraced(this, pfn, o, cpu);
            refreshFastFloors();
        }
        return Placement.allocateAt(this, pfn, o, gfp, cpu);
    }

    @Override
    public void importFreeAreas(FreeAreaSnapshot snapshot) {
        SnapshotImport.apply(this, snapshot);
        refreshFastFloors();
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.PLACE_AT_PFN, Capability.MIGRATION, Capability.IMPORT_SNAPSHOT,
                Capability.IMPORT_PAGE_STATE, Capability.TRACED_PCP, Capability.COMPACT_MEMORY,
                Capability.RECLAIM, Capability.NARRATION);
    }

    @Override
    public void importPageState(io.kmemsim.api.mm.PageStateImage image) {
        TwinState.importImage(this, image);
        refreshFastFloors();
    }

    @Override
    public boolean pcpRefillAt(long pfn, int o, int cpu) {
        boolean done = TwinState.refill(this, pfn, o, cpu);
        refreshFastFloors();
        return done;
    }

    @Override
    public boolean pcpDrainAt(long pfn, int o) {
        boolean done = TwinState.drain(this, pfn, o);
        refreshFastFloors();
        return done;
    }

    @Override
    public void freeTraced(long pfn, int o, int cpu) {
        TwinState.freeTraced(this, pfn, o, cpu);
        refreshFastFloors();
    }

    @Override
    public int pcpFreeBulk(ZoneType zone, int cpu, int pages) {
        return TwinState.freeBulk(this, zone, cpu, pages);
    }

    @Override
    public int pcpRefill(ZoneType zone, int cpu, int pages, MigrateType type) {
        return TwinState.refillBulk(this, zone, cpu, pages, type);
    }

    @Override
    public void setPageblockType(long pfn, MigrateType type) {
        TwinState.setPageblockType(this, pfn, type);
        refreshFastFloors();
    }

    @Override
    public void compactMemory() {
        compactionPolicy.compactNode(compactionContext);
    }

    @Override
    public void compactMemory(int cpu) {
        checkCpu(cpu);
        curCpu = cpu; // the compaction context frees on the current CPU
        compactMemory();
    }

    @Override
    public long cycles() {
        return lists.cycles;
    }

    @Override
    public int maxOrder() {
        return maxOrder;
    }

    @Override
    public int pageblockOrder() {
        return pbo;
    }

    @Override
    public List<BuddyZone> zones() {
        return List.of(zones);
    }

    @Override
    public void tick(long nowNanos) {
        ReclaimCounters.tick(this, nowNanos);
        for (BuddyZone z : zones) {
            if (z.kswapdWoken) {
                z.kswapdWoken = false;
                z.boost = 0;
                z.refreshFastFloor();
            }
        }
        compactionPolicy.onTick(nowNanos, compactionContext);
    }

    @Override
    public void setMigrationListener(MigrationListener listener) {
        this.migrationListener = listener == null ? (o, n, k) -> { } : listener;
    }

    @Override
    public void lruAdd(long pfn, int o, long pageFlags) {
        lru.add(checkAllocated(pfn, o, "lruAdd"), o, pageFlags);
    }

    @Override
    public void pageAccessed(long pfn, boolean write) {
        int idx = indexOf(pfn);
        if (idx < 0 || state(idx) != ST_ALLOC) {
            throw new PageAllocatorMisuseException("pageAccessed of pfn 0x" + Long.toHexString(pfn) + ": block is not allocated");
        }
        lru.accessed(idx, write);
    }

    @Override
    public void writeback() {
        lru.writebackAll();
    }

    @Override
    public void registerShrinker(io.kmemsim.api.reclaim.Shrinker shrinker) {
        lru.shrinkers.add(java.util.Objects.requireNonNull(shrinker, "shrinker"));
    }

    @Override
    public void setReclaimListener(ReclaimListener listener) {
        lru.listener = listener == null ? (p, o, oom) -> { } : listener;
    }

    @Override
    public void setNarrator(io.kmemsim.api.mm.Narrator narrator) {
        narration = narrator == null ? null : new Narration(narrator, this);
        lists.narration = narration;
    }

    @Override
    public void checkInvariants() {
        lru.check();
        Invariants.check(this);
    }

    @Override
    public void forEachCounter(CounterVisitor v) {
        Vmstat.visit(this, v);
    }

    /** Bytes of per-page and per-pageblock state (for docs/performance.md). */
    long stateBytes() {
        return 4L * links.length + order.length + flags.length + lists.pbType.length + lru.stateBytes();
    }
}
