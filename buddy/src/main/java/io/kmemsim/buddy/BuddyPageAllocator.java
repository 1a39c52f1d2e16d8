package io.kmemsim.buddy;

import io.kmemsim.api.arch.ArchHooks;
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
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.mm.ReclaimListener;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.trace.TraceListener;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Linux binary buddy allocator for one node (reference/page-allocator.md §3–§7), per kernel version
 * (see {@link KernelRules}). This class is the documented hot-path core: lists, split, merge, per-CPU
 * lists and the allocation path live here; boot geometry, tunables, fallback, compaction, snapshot
 * import and invariant checks are in their own classes.
 *
 * <p>Notes (state is struct-of-arrays over page indexes {@code idx = pfn - basePfn}; {@code basePfn} is
 * aligned to the largest block so buddy arithmetic works on indexes):
 * <pre>
 *   next[idx], prev[idx]  int   intrusive doubly linked list (free list or pcp list), -1 = none
 *   order[idx]            byte  order of the block whose head is idx (FREE, ALLOC, PCP heads)
 *   flags[idx]            byte  bits 0-2 state: 0 TAIL (inside a block), 1 FREE head, 2 ALLOC head,
 *                                               3 PCP head, 4 HOLE (absent), 5 RESERVED (not managed),
 *                                               6 ISOLATED (held by the compaction policy)
 *                               bits 3-5 migrate type: the list a FREE block is on, the cached type of a
 *                                        PCP page, the gfp type of an ALLOC block
 *                               bit  6   PINNED (ALLOC heads: not migratable)
 *                               bit  7   LRU (ALLOC heads: the request had __GFP_MOVABLE, so the block is
 *                                        migratable whatever list it came from, as LRU pages are even
 *                                        with mobility grouping off)
 *   pbType[idx >> PBO]    byte  pageblock migrate type
 *   list heads            int[(zone * nrOrders + order) * 6 + type] head / tail, counts per list
 * </pre>
 * Steps: allocation = zonelist walk (§7.3) with {@code zone_watermark_fast} (§5.6), then the pcp path
 * (§6.3) or {@code rmqueue_buddy} (§4.2) → {@code __rmqueue} → {@code __rmqueue_smallest} + {@code expand}
 * (§3.5) → fallback policy; slow path without reclaim (§7.4–§7.5). Free = pcp (§6.4) or
 * {@code __free_one_page} (§3.3) with head/tail placement. Pages on pcp lists are not free.
 */
final class BuddyPageAllocator implements PageAllocator {

    static final int ST_TAIL = 0;
    static final int ST_FREE = 1;
    static final int ST_ALLOC = 2;
    static final int ST_PCP = 3;
    static final int ST_HOLE = 4;
    static final int ST_RESERVED = 5;
    /** A page of memory isolated by the compaction policy: on no list, not free, owned by the policy. */
    static final int ST_ISOLATED = 6;
    static final int STATE_MASK = 7;
    static final int MT_SHIFT = 3;
    static final int PINNED = 0x40;
    static final int LRU = 0x80;
    static final int NT = 6;
    private static final int UNMOVABLE = 0;
    private static final int MOVABLE = 1;
    private static final int HIGHATOMIC = 3;
    private static final int CMA = 4;
    private static final int ISOLATE = 5;
    private static final MigrateType[] TYPES = MigrateType.values();

    final KernelVersion kernel;
    final KernelConfig config;
    final KernelRules rules;
    final int maxOrder;
    final int nrOrders;
    final int pbo;
    final int cpus;
    final long basePfn;
    final int nPages;
    final int thpOrder;
    final boolean cmaConfigured;

    final int[] next;
    final int[] prev;
    final byte[] order;
    final byte[] flags;
    final byte[] pbType;

    final BuddyZone[] zones;
    final int[] zoneIndexOfType = new int[ZoneType.values().length];
    final int[] listHead;
    final int[] listTail;
    final long[] nrFreeByType;
    final long[] nrFree;

    final FallbackPolicy fallbackPolicy;
    final CompactionPolicy compactionPolicy;
    final TraceListener trace;
    final ArchHooks arch;
    final BuddyFallbackContext fallbackContext;
    final BuddyCompactionContext compactionContext;
    final ReclaimPolicy reclaimPolicy;
    final Lru lru;
    final BuddyReclaimContext reclaimContext;
    final Tunables tunables;
    boolean groupingDisabled;
    MigrationListener migrationListener = (o, n, k) -> { };

    /** Set while a narrator is ({@code kmemsim explain}); every use is behind a null check. */
    Narration narration;
    /** The cpu of the request being served (trace events carry it). */
    int curCpu;
    /** The list type the last block handed out by {@link #rmqueueSmallest} came from. */
    int lastTakenType;

    final long[] pgalloc;
    final long[] allocstall;
    long pgfree;
    long pgmigrateSuccess;
    long pgmigrateFail;
    long extfragEvents;
    /**
     * Simulated cycles of list work (the cost model): each free-list or per-CPU-list insertion or removal
     * costs {@link #LIST_OP_CYCLES}. Splits and merges are charged through the list operations they do.
     */
    long cycles;
    /**
     * Cycles of one list insertion or removal: it writes the list pointers of the page and its neighbour
     * and the list head or counters — three or four 64-byte lines of {@code struct page} and
     * {@code struct zone} that are usually cache hits on the allocating CPU. An assumption (order of
     * magnitude of L1/L2 hit latencies on Cortex-A76/A55), not a published number; docs/performance.md.
     */
    static final long LIST_OP_CYCLES = 12;
    final Map<String, long[]> policyCounters = new LinkedHashMap<>();

    BuddyPageAllocator(ProviderContext ctx, BuddyOptions options) {
        this.kernel = ctx.kernel();
        this.config = ctx.kernelConfig();
        this.rules = new KernelRules(kernel, config);
        this.maxOrder = rules.maxOrder;
        this.nrOrders = maxOrder + 1;
        this.pbo = rules.pageblockOrder;
        this.cpus = ctx.cpus();
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be >= 1: " + cpus);
        }
        int thp = kernel.atLeast(6, 10) ? config.pageSize().hugetlbOrder() : pbo;
        this.thpOrder = config.transparentHugepage() && thp <= maxOrder ? thp : -1;
        this.cmaConfigured = config.cma();
        this.fallbackPolicy = ctx.fallbackPolicy().orElse(null);
        this.compactionPolicy = ctx.compactionPolicy();
        this.trace = ctx.traceListener();
        this.arch = ctx.archHooks();
        BootLayout layout = new BootLayout(ctx.platform(), config, maxOrder, pbo, options.movablecoreMb());
        this.basePfn = layout.basePfn;
        this.nPages = layout.nPages;
        this.next = new int[nPages];
        this.prev = new int[nPages];
        this.order = new byte[nPages];
        this.flags = new byte[nPages];
        this.pbType = new byte[(nPages >> pbo) + 1];
        List<ZoneType> types = config.zones();
        this.zones = new BuddyZone[types.size()];
        Arrays.fill(zoneIndexOfType, -1);
        for (int i = 0; i < zones.length; i++) {
            zones[i] = new BuddyZone(this, i, types.get(i), cpus, rules.pcpLists, zones.length);
            zoneIndexOfType[types.get(i).ordinal()] = i;
        }
        this.listHead = new int[zones.length * nrOrders * NT];
        this.listTail = new int[zones.length * nrOrders * NT];
        Arrays.fill(listHead, -1);
        Arrays.fill(listTail, -1);
        this.nrFreeByType = new long[zones.length * nrOrders * NT];
        this.nrFree = new long[zones.length * nrOrders];
        this.pgalloc = new long[zones.length];
        this.allocstall = new long[zones.length];
        this.fallbackContext = new BuddyFallbackContext(this);
        this.compactionContext = new BuddyCompactionContext(this);
        this.reclaimPolicy = ctx.reclaimPolicy();
        this.lru = new Lru(this);
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
    }

    // ---------------------------------------------------------------- addressing

    int indexOf(long pfn) {
        long i = pfn - basePfn;
        return i < 0 || i >= nPages ? -1 : (int) i;
    }

    long pfnOf(int idx) {
        return basePfn + idx;
    }

    int state(int idx) {
        return flags[idx] & STATE_MASK;
    }

    int typeBits(int idx) {
        return (flags[idx] >> MT_SHIFT) & 7;
    }

    int pageblockTypeAt(int idx) {
        return pbType[idx >> pbo];
    }

    /** {@code set_pageblock_migratetype}: with grouping disabled the three pcp types are stored UNMOVABLE (§4.8). */
    void setPageblockType(int idx, int mt) {
        pbType[idx >> pbo] = (byte) (groupingDisabled && mt < MigrateType.PCPTYPES ? UNMOVABLE : mt);
    }

    BuddyZone zoneOf(int idx) {
        for (BuddyZone z : zones) {
            if (z.spans(idx)) {
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

    long nrFree(int zone, int o) {
        return nrFree[zone * nrOrders + o];
    }

    long nrFree(int zone, int o, int mt) {
        return nrFreeByType[(zone * nrOrders + o) * NT + mt];
    }

    long countPageblocks(BuddyZone z, int mt) {
        if (z.spanned == 0) {
            return 0;
        }
        long n = 0;
        for (int b = z.startIdx >> pbo; b <= (z.endIdx - 1) >> pbo; b++) {
            if (pbType[b] == mt) {
                n++;
            }
        }
        return n;
    }

    /**
     * Walks the zone's pages once and classifies its pageblocks by the allocated blocks in them (an
     * allocation spanning several pageblocks counts in each); free and per-CPU pages count for nothing.
     */
    io.kmemsim.api.mm.PageblockOccupancy occupancy(BuddyZone z) {
        if (z.spanned == 0) {
            return new io.kmemsim.api.mm.PageblockOccupancy(0, 0, 0, 0);
        }
        int firstBlock = z.startIdx >> pbo;
        int blocks = ((z.endIdx - 1) >> pbo) - firstBlock + 1;
        byte[] seen = new byte[blocks]; // bit 0 movable, bit 1 unmovable, bit 2 type mismatch
        int idx = z.startIdx;
        while (idx < z.endIdx) {
            int st = flags[idx] & STATE_MASK;
            if (st == ST_ALLOC || st == ST_FREE || st == ST_PCP) {
                int span = 1 << order[idx];
                if (st == ST_ALLOC) {
                    int mt = (flags[idx] >> MT_SHIFT) & 7;
                    int cls = (flags[idx] & LRU) != 0 ? 1 : 2;
                    for (int b = idx >> pbo; b <= (idx + span - 1) >> pbo && b - firstBlock < blocks; b++) {
                        seen[b - firstBlock] |= (byte) (cls | (pbType[b] != mt ? 4 : 0));
                    }
                }
                idx += span;
            } else {
                idx++;
            }
        }
        long unmovable = 0;
        long mixed = 0;
        long mismatch = 0;
        for (byte b : seen) {
            unmovable += (b & 2) != 0 ? 1 : 0;
            mixed += (b & 3) == 3 ? 1 : 0;
            mismatch += (b & 4) != 0 ? 1 : 0;
        }
        return new io.kmemsim.api.mm.PageblockOccupancy(blocks, unmovable, mixed, mismatch);
    }

    // ---------------------------------------------------------------- free lists (§3.1)

    private int slot(int zone, int o, int mt) {
        return (zone * nrOrders + o) * NT + mt;
    }

    /** Puts the free block {@code idx} of order {@code o} on list {@code mt} (head or tail) and counts it. */
    void listAdd(BuddyZone z, int o, int mt, int idx, boolean tail) {
        cycles += LIST_OP_CYCLES;
        int s = slot(z.index, o, mt);
        flags[idx] = (byte) (ST_FREE | (mt << MT_SHIFT));
        order[idx] = (byte) o;
        if (listHead[s] < 0) {
            next[idx] = -1;
            prev[idx] = -1;
            listHead[s] = idx;
            listTail[s] = idx;
        } else if (tail) {
            int t = listTail[s];
            next[t] = idx;
            prev[idx] = t;
            next[idx] = -1;
            listTail[s] = idx;
        } else {
            int h = listHead[s];
            prev[h] = idx;
            next[idx] = h;
            prev[idx] = -1;
            listHead[s] = idx;
        }
        account(z, o, mt, 1);
    }

    /** Removes the free block {@code idx} from its list; its flags are left for the caller to set. */
    void listDel(BuddyZone z, int o, int mt, int idx) {
        cycles += LIST_OP_CYCLES;
        int s = slot(z.index, o, mt);
        int p = prev[idx];
        int n = next[idx];
        if (p < 0) {
            listHead[s] = n;
        } else {
            next[p] = n;
        }
        if (n < 0) {
            listTail[s] = p;
        } else {
            prev[n] = p;
        }
        account(z, o, mt, -1);
    }

    private void account(BuddyZone z, int o, int mt, int sign) {
        nrFree[z.index * nrOrders + o] += sign;
        nrFreeByType[slot(z.index, o, mt)] += sign;
        long pages = (long) sign << o;
        if (mt != ISOLATE) {
            z.freePages += pages;
            if (o >= pbo) {
                z.freePagesBlocks += pages;
            }
        }
        if (mt == CMA) {
            z.freeCma += pages;
        } else if (mt == HIGHATOMIC) {
            z.freeHighatomic += pages;
        }
    }

    int head(BuddyZone z, int o, int mt) {
        return listHead[slot(z.index, o, mt)];
    }

    int tail(BuddyZone z, int o, int mt) {
        return listTail[slot(z.index, o, mt)];
    }

    /** Moves the free block at {@code idx} to the tail of list {@code to} ({@code move_to_free_list}). */
    void moveToTail(BuddyZone z, int idx, int to) {
        int o = order[idx];
        listDel(z, o, typeBits(idx), idx);
        listAdd(z, o, to, idx, true);
    }

    // ---------------------------------------------------------------- split (§3.5)

    /** {@code __rmqueue_smallest}: head of the smallest non-empty list of {@code mt} at or above {@code o}, split. */
    int rmqueueSmallest(BuddyZone z, int o, int mt) {
        for (int cur = o; cur <= maxOrder; cur++) {
            int idx = listHead[slot(z.index, cur, mt)];
            if (idx < 0) {
                if (narration != null) {
                    narration.listEmpty(cur, mt);
                }
                continue;
            }
            if (narration != null) {
                narration.listTake(cur, mt, idx, o);
            }
            listDel(z, cur, mt, idx);
            expand(z, idx, o, cur, mt);
            lastTakenType = mt;
            if (rules.zoneLockedFromSmallest) {
                trace.pageAllocZoneLocked(pfnOf(idx), o, TYPES[mt], pcpAllowed(o) && mt < MigrateType.PCPTYPES, curCpu);
            }
            return idx;
        }
        return -1;
    }

    /** {@code expand}: keeps the lower half, puts each upper half at the head of list {@code mt}. */
    void expand(BuddyZone z, int idx, int low, int high, int mt) {
        int size = 1 << high;
        while (high > low) {
            high--;
            size >>= 1;
            listAdd(z, high, mt, idx + size, false);
            if (narration != null) {
                narration.split(idx + size, high, mt);
            }
        }
        flags[idx] = ST_TAIL;
        order[idx] = (byte) low;
    }

    // ---------------------------------------------------------------- merge (§3.3)

    /** True when {@code b} is the head of a free block of order {@code o} in zone {@code z} ({@code page_is_buddy}). */
    boolean isFreeBuddy(BuddyZone z, int b, int o) {
        return b >= z.startIdx && b < z.endIdx && (flags[b] & STATE_MASK) == ST_FREE && order[b] == o;
    }

    /** The LRU flag bit for a request: set when the gfp asks for movable memory. */
    static int lruBit(int gfp) {
        return (gfp & Gfp.MOVABLE) != 0 ? LRU : 0;
    }

    /** True for an allocated head that compaction may migrate: an LRU (movable-request) block, not pinned. */
    boolean migratable(int idx) {
        return (flags[idx] & STATE_MASK) == ST_ALLOC && (flags[idx] & LRU) != 0 && (flags[idx] & PINNED) == 0;
    }

    static boolean mergeable(int mt) {
        return mt < MigrateType.PCPTYPES;
    }

    /** {@code __free_one_page}: merges with free buddies up to the largest order and inserts at head or tail. */
    void freeOnePage(BuddyZone z, int idx, int o, int mt, boolean toTail) {
        int buddy = idx ^ (1 << o);
        while (o < maxOrder) {
            buddy = idx ^ (1 << o);
            if (!isFreeBuddy(z, buddy, o)) {
                if (narration != null) {
                    narration.mergeStop(idx, buddy, o, "not a free block of order " + o);
                }
                break;
            }
            int bmt = pbType[buddy >> pbo];
            if (o >= pbo && mt != bmt && (rules.mergeNeedsMergeableTypes
                    ? !mergeable(mt) || !mergeable(bmt) : mt == ISOLATE || bmt == ISOLATE)) {
                if (narration != null) {
                    narration.mergeStop(idx, buddy, o, "free, but its pageblock type may not merge with this one");
                }
                break;
            }
            if (narration != null) {
                narration.merge(idx, buddy, o);
            }
            listDel(z, o, typeBits(buddy), buddy);
            flags[buddy] = ST_TAIL;
            if (rules.retypeBuddyOnMerge && bmt != mt) {
                int last = rules.retypeAllBuddyPageblocks && o > pbo ? buddy + (1 << o) - 1 : buddy;
                for (int p = buddy; p <= last; p += 1 << pbo) {
                    setPageblockType(p, mt);
                }
            }
            flags[idx] = ST_TAIL;
            idx &= buddy;
            o++;
        }
        boolean tail = toTail;
        if (!tail && o < maxOrder - 1) {
            int higher = idx & buddy;
            tail = isFreeBuddy(z, higher ^ (1 << (o + 1)), o + 1);
        }
        listAdd(z, o, mt, idx, tail);
        if (narration != null) {
            narration.insert(idx, o, mt, tail);
        }
    }

    /** {@code free_one_page}: the non-pcp path, with {@code split_large_buddy} from 6.10 (§3.3). */
    void freeBuddyPath(BuddyZone z, int idx, int o, boolean toTail) {
        if (rules.splitLargeBuddy && o > pbo) {
            for (int p = idx; p < idx + (1 << o); p += 1 << pbo) {
                flags[p] = ST_TAIL;
                freeOnePage(z, p, pbo, pageblockTypeAt(p), toTail);
            }
            return;
        }
        freeOnePage(z, idx, o, pageblockTypeAt(idx), toTail);
    }

    // ---------------------------------------------------------------- __rmqueue (§4.2)

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
        if (idx >= 0 && !rules.zoneLockedFromSmallest) {
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

    // ---------------------------------------------------------------- per-CPU lists (§6)

    boolean pcpAllowed(int o) {
        return rules.pcpHighOrders ? o <= PageOrders.COSTLY_ORDER || o == thpOrder : o == 0;
    }

    int pindex(int o, int mt) {
        if (!rules.pcpHighOrders) {
            return mt;
        }
        if (o > PageOrders.COSTLY_ORDER) {
            return 12 + (rules.pcpLists == 14 && mt == MOVABLE ? 1 : 0);
        }
        return MigrateType.PCPTYPES * o + mt;
    }

    int pindexOrder(int li) {
        return !rules.pcpHighOrders ? 0 : li >= 12 ? thpOrder : li / MigrateType.PCPTYPES;
    }

    private int pcpRefillCount(BuddyZone z, int cpu, int o) {
        int batch = z.pcpBatch;
        if (!rules.pcpHighOrders) {
            return batch;
        }
        if (!rules.pcpAutoTune) {
            return batch > 1 ? Math.max(batch >> o, 2) : batch;
        }
        int high = Math.max(z.pcpHighMin, Math.min(z.pcpHigh[cpu], z.pcpHighMax));
        z.pcpHigh[cpu] = high;
        if (high < batch) {
            return 1;
        }
        int b = o == 0 ? batch << z.pcpAllocFactor[cpu] : batch;
        if (z.pcpHighMin != z.pcpHighMax && !z.belowHigh) {
            z.pcpHigh[cpu] = Math.min(high + b, z.pcpHighMax);
            high = z.pcpHigh[cpu];
        }
        if (o == 0) {
            int cap = Math.max(high - z.pcpCount[cpu] - batch, batch);
            if (b <= cap && z.pcpAllocFactor[cpu] < Tunables.PCP_BATCH_SCALE_MAX) {
                z.pcpAllocFactor[cpu]++;
            }
            b = Math.min(b, cap);
        }
        return b > 1 ? Math.max(b >> o, 2) : b;
    }

    /** {@code rmqueue_pcplist}: the head of the pcp list, refilled with {@code rmqueue_bulk} when empty. */
    int rmqueuePcplist(BuddyZone z, int o, int mt, int allocFlags, int cpu) {
        if (rules.pcpHighOrders) {
            z.pcpFreeFactor[cpu] >>= 1;
        }
        int s = cpu * rules.pcpLists + pindex(o, mt);
        if (z.pcpHead[s] < 0) {
            int n = pcpRefillCount(z, cpu, o);
            if (narration != null) {
                narration.pcpRefillStart(cpu, o, mt, n);
            }
            int got = 0;
            for (int i = 0; i < n; i++) {
                int idx = rmqueue(z, o, mt, allocFlags);
                if (idx < 0) {
                    break;
                }
                pcpAdd(z, s, idx, o, lastTakenType, true);
                z.pcpCount[cpu] += 1 << o;
                got++;
                if (narration != null) {
                    narration.pcpRefilled(idx);
                }
            }
            if (narration != null) {
                narration.pcpRefillEnd(o, got);
            }
            if (z.pcpHead[s] < 0) {
                return -1;
            }
        }
        int idx = z.pcpHead[s];
        if (narration != null) {
            narration.pcpHit(cpu, o, mt, z.pcpCount[cpu]);
        }
        pcpDel(z, s, idx);
        z.pcpCount[cpu] -= 1 << o;
        return idx;
    }

    void pcpAdd(BuddyZone z, int s, int idx, int o, int cachedType, boolean tail) {
        cycles += LIST_OP_CYCLES;
        flags[idx] = (byte) (ST_PCP | (cachedType << MT_SHIFT));
        order[idx] = (byte) o;
        if (z.pcpHead[s] < 0) {
            next[idx] = -1;
            prev[idx] = -1;
            z.pcpHead[s] = idx;
            z.pcpTail[s] = idx;
        } else if (tail) {
            next[z.pcpTail[s]] = idx;
            prev[idx] = z.pcpTail[s];
            next[idx] = -1;
            z.pcpTail[s] = idx;
        } else {
            prev[z.pcpHead[s]] = idx;
            next[idx] = z.pcpHead[s];
            prev[idx] = -1;
            z.pcpHead[s] = idx;
        }
    }

    void pcpDel(BuddyZone z, int s, int idx) {
        cycles += LIST_OP_CYCLES;
        int p = prev[idx];
        int n = next[idx];
        if (p < 0) {
            z.pcpHead[s] = n;
        } else {
            next[p] = n;
        }
        if (n < 0) {
            z.pcpTail[s] = p;
        } else {
            prev[n] = p;
        }
    }

    /** {@code free_unref_page} + {@code free_unref_page_commit} (§3.4, §6.4). */
    private void freeToPcp(BuddyZone z, int idx, int o, int cpu) {
        int pageblockType = pageblockTypeAt(idx);
        if (pageblockType == ISOLATE) {
            freeBuddyPath(z, idx, o, false);
            return;
        }
        int listType = pageblockType >= MigrateType.PCPTYPES ? MOVABLE : pageblockType;
        int li = pindex(o, listType);
        pcpAdd(z, cpu * rules.pcpLists + li, idx, o, pageblockType, false);
        z.pcpCount[cpu] += 1 << o;
        if (narration != null) {
            narration.pcpFree(cpu, z.pcpCount[cpu], z.pcpHigh[cpu]);
        }
        int batch = z.pcpBatch;
        if (!rules.pcpHighOrders) {
            if (z.pcpCount[cpu] >= z.pcpHigh[cpu]) {
                freePcppagesBulk(z, cpu, batch, li);
            }
        } else if (!rules.pcpAutoTune) {
            boolean freeHigh = z.pcpFreeFactor[cpu] > 0 && o > 0 && o <= PageOrders.COSTLY_ORDER;
            int high = freeHigh ? 0 : z.pcpHigh[cpu];
            if (z.pcpCount[cpu] >= high) {
                freePcppagesBulk(z, cpu, nrPcpFree(z, cpu, high, batch, freeHigh), li);
            }
        } else {
            freeToPcpAutoTuned(z, cpu, o, li);
        }
    }

    private int nrPcpFree(BuddyZone z, int cpu, int high, int batch, boolean freeHigh) {
        if (freeHigh) {
            return z.pcpCount[cpu];
        }
        if (high < batch) {
            return 1;
        }
        int maxFree = high - batch;
        long b = (long) batch << z.pcpFreeFactor[cpu];
        if (b < maxFree && (!rules.pcpScaleCap || z.pcpFreeFactor[cpu] < Tunables.PCP_BATCH_SCALE_MAX)) {
            z.pcpFreeFactor[cpu]++;
        }
        return (int) Math.max(batch, Math.min(b, maxFree));
    }

    /** The 6.7+ free path (§6.4, approximate per the reference's point of uncertainty 3). */
    private void freeToPcpAutoTuned(BuddyZone z, int cpu, int o, int li) {
        z.pcpAllocFactor[cpu] >>= 1;
        int batch = z.pcpBatch;
        boolean freeHigh = false;
        if (o > 0 && o <= PageOrders.COSTLY_ORDER) {
            freeHigh = z.pcpFreeFactor[cpu] >= batch && z.pcpPrevFreeHighOrder[cpu];
            z.pcpPrevFreeHighOrder[cpu] = true;
        } else {
            z.pcpPrevFreeHighOrder[cpu] = false;
        }
        if (z.pcpFreeFactor[cpu] < batch << Tunables.PCP_BATCH_SCALE_MAX) {
            z.pcpFreeFactor[cpu] += 1 << o;
        }
        int high = nrPcpHighAutoTuned(z, cpu, batch, freeHigh);
        if (z.pcpCount[cpu] >= high) {
            int n;
            if (freeHigh) {
                n = Math.min(z.pcpCount[cpu], batch << Tunables.PCP_BATCH_SCALE_MAX);
            } else if (high < batch) {
                n = 1;
            } else {
                n = Math.max(batch, Math.min(z.pcpFreeFactor[cpu], high - batch));
            }
            freePcppagesBulk(z, cpu, n, li);
            if (z.belowHigh && zoneWatermarkOk(z, 0, z.mark(AllocFlags.WMARK_HIGH), zones.length - 1, 0, z.freePages)) {
                z.belowHigh = false;
            }
        }
    }

    private int nrPcpHighAutoTuned(BuddyZone z, int cpu, int batch, boolean freeHigh) {
        int high = Math.max(z.pcpHighMin, Math.min(z.pcpHigh[cpu], z.pcpHighMax));
        z.pcpHigh[cpu] = high;
        if (high == 0) {
            return 0;
        }
        if (freeHigh) {
            z.pcpHigh[cpu] = Math.max(high - (batch << Tunables.PCP_BATCH_SCALE_MAX), z.pcpHighMin);
            return 0;
        }
        if (z.pcpHighMin == z.pcpHighMax) {
            return high;
        }
        if (z.belowHigh) {
            int freeCount = Math.max(z.pcpFreeFactor[cpu], batch);
            z.pcpHigh[cpu] = Math.max(high - freeCount, z.pcpHighMin);
            return Math.max(z.pcpCount[cpu], z.pcpHighMin);
        }
        if (z.pcpCount[cpu] >= high) {
            int need = z.pcpFreeFactor[cpu] + batch;
            if (z.pcpHigh[cpu] < need) {
                z.pcpHigh[cpu] = Math.max(z.pcpHighMin, Math.min(need, z.pcpHighMax));
            }
        }
        return high;
    }

    /** {@code free_pcppages_bulk}: 5.10 round robin over the three types, 6.1+ over all lists (§6.4). */
    void freePcppagesBulk(BuddyZone z, int cpu, int count, int startList) {
        count = Math.min(count, z.pcpCount[cpu]);
        int base = cpu * rules.pcpLists;
        int nl = rules.pcpLists;
        if (!rules.pcpHighOrders) {
            int li = 0;
            int batchFree = 0;
            while (count > 0) {
                do {
                    batchFree++;
                    li = li + 1 == nl ? 0 : li + 1;
                } while (z.pcpHead[base + li] < 0);
                if (batchFree == nl) {
                    batchFree = count;
                }
                do {
                    drainOne(z, cpu, base + li);
                } while (--count > 0 && --batchFree > 0 && z.pcpHead[base + li] >= 0);
            }
            return;
        }
        int li = startList - 1;
        while (count > 0) {
            do {
                li = li + 1 > nl - 1 ? 0 : li + 1;
            } while (z.pcpHead[base + li] < 0);
            do {
                count -= 1 << drainOne(z, cpu, base + li);
            } while (count > 0 && z.pcpHead[base + li] >= 0);
        }
    }

    /** Frees the tail page of pcp list {@code s} to the buddy lists; returns its order. */
    private int drainOne(BuddyZone z, int cpu, int s) {
        int idx = z.pcpTail[s];
        int o = order[idx];
        int mt = rules.pcpRereadTypeAtDrain ? pageblockTypeAt(idx) : typeBits(idx);
        pcpDel(z, s, idx);
        z.pcpCount[cpu] -= 1 << o;
        flags[idx] = ST_TAIL;
        freeOnePage(z, idx, o, mt, false);
        trace.pagePcpuDrain(pfnOf(idx), o, TYPES[mt], cpu);
        return o;
    }

    /** {@code drain_pages_zone}: 6.1.104+ and 6.7+ in chunks of {@code batch << PCP_BATCH_SCALE_MAX}. */
    void drainZoneCpu(BuddyZone z, int cpu) {
        while (z.pcpCount[cpu] > 0) {
            int chunk = rules.pcpScaleCap ? z.pcpBatch << Tunables.PCP_BATCH_SCALE_MAX : z.pcpCount[cpu];
            freePcppagesBulk(z, cpu, Math.min(chunk, z.pcpCount[cpu]), 0);
        }
    }

    @Override
    public void drainPerCpuLists() {
        for (int cpu = 0; cpu < cpus; cpu++) {
            for (BuddyZone z : zones) {
                drainZoneCpu(z, cpu);
            }
        }
    }

    // ---------------------------------------------------------------- watermarks (§5.6)

    long unusableFree(BuddyZone z, int o, int allocFlags) {
        long unusable = (1L << o) - 1;
        if (!AllocFlags.hasReserveRights(allocFlags, rules)) {
            unusable += rules.unusableFreeHighatomic ? z.freeHighatomic : z.reservedHighatomic;
        }
        if ((allocFlags & AllocFlags.CMA) == 0) {
            unusable += z.freeCma;
        }
        return unusable;
    }

    /** {@code __zone_watermark_ok}. */
    boolean zoneWatermarkOk(BuddyZone z, int o, long mark, int highestIdx, int allocFlags, long free) {
        free -= unusableFree(z, o, allocFlags);
        long min = AllocFlags.reduceMin(mark, allocFlags, rules);
        if (free <= min + z.lowmemReserve[highestIdx]) {
            return false;
        }
        if (o == 0) {
            return true;
        }
        boolean cma = (allocFlags & AllocFlags.CMA) != 0;
        boolean highatomic = AllocFlags.mayUseHighatomicList(allocFlags, rules);
        for (int cur = o; cur <= maxOrder; cur++) {
            if (nrFree(z.index, cur) == 0) {
                continue;
            }
            for (int mt = 0; mt < MigrateType.PCPTYPES; mt++) {
                if (nrFree(z.index, cur, mt) > 0) {
                    return true;
                }
            }
            if ((cma && nrFree(z.index, cur, CMA) > 0) || (highatomic && nrFree(z.index, cur, HIGHATOMIC) > 0)) {
                return true;
            }
        }
        return false;
    }

    /** {@code zone_watermark_fast}. */
    boolean zoneWatermarkFast(BuddyZone z, int o, long mark, int highestIdx, int allocFlags, int gfp) {
        long free = z.freePages;
        if (o == 0) {
            long reserved = unusableFree(z, 0, allocFlags);
            long usable = rules.fastCheckClamped ? free - Math.min(free, reserved) : free - reserved;
            if (usable > mark + z.lowmemReserve[highestIdx]) {
                return true;
            }
        }
        if (zoneWatermarkOk(z, o, mark, highestIdx, allocFlags, free)) {
            return true;
        }
        boolean retry = rules.boostRetryByGfpAtomic ? (gfp & Gfp.ATOMIC) != 0 : (allocFlags & AllocFlags.MIN_RESERVE) != 0;
        if (o == 0 && retry && z.boost > 0 && (allocFlags & AllocFlags.WMARK_MASK) == AllocFlags.WMARK_MIN) {
            return zoneWatermarkOk(z, o, z.watermark[AllocFlags.WMARK_MIN], highestIdx, allocFlags, free);
        }
        return false;
    }

    // ---------------------------------------------------------------- allocation (§7)

    @Override
    public long allocate(int o, int gfp, int cpu) {
        checkOrder(o);
        checkCpu(cpu);
        curCpu = cpu;
        int hz = zoneIndexOfType[Gfp.zone(gfp, config).ordinal()];
        int mt = groupingDisabled || fallbackPolicy == null ? UNMOVABLE : Gfp.migrateType(gfp).ordinal();
        int allocFlags = AllocFlags.fastPath(gfp, TYPES[mt], cmaConfigured) | noFragmentFlag(hz);
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
        long pfn = idx < 0 ? NO_PAGE : pfnOf(idx);
        if (idx >= 0) {
            flags[idx] = (byte) (ST_ALLOC | (mt << MT_SHIFT) | lruBit(gfp));
            order[idx] = (byte) o;
            arch.onPagesAllocated(pfn, o, gfp, cpu);
        }
        trace.pageAlloc(pfn, o, TYPES[mt], gfp, cpu);
        return pfn;
    }

    /** ALLOC_NOFRAGMENT (§4.9): with ZONE_DMA32 configured and the preferred zone Normal; only with a fallback policy. */
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

    /** {@code get_page_from_freelist} (§7.3); returns the page index or −1. */
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
                    ok = zoneWatermarkFast(z, o, z.mark(AllocFlags.WMARK_HIGH), hz, allocFlags, gfp);
                    z.belowHigh = !ok;
                }
                if (!ok && !zoneWatermarkFast(z, o, z.mark(allocFlags & AllocFlags.WMARK_MASK), hz, allocFlags, gfp)
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
                    pgalloc[zi] += 1L << o;
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
        boolean cmaBypass = cmaConfigured && !kernel.atLeast(6, 2) && (allocFlags & AllocFlags.CMA) == 0 && mt == MOVABLE;
        boolean viaPcp = pcpAllowed(o) && !cmaBypass;
        if (viaPcp) {
            idx = rmqueuePcplist(z, o, mt, allocFlags, curCpu);
        }
        if (idx < 0 && (!viaPcp || rules.pcpHighOrders)) {
            idx = rmqueueBuddy(z, o, mt, allocFlags);
        }
        if (z.boostedFlag && (!rules.boostedWakeNeedsKswapd || (allocFlags & AllocFlags.KSWAPD) != 0)) {
            z.boostedFlag = false;
            z.kswapdWoken = true;
        }
        return idx;
    }

    /**
     * Runs direct compaction at {@code priority}; unless it was not attempted or skipped (a deferred
     * result still counts, §10.8), counts {@code compact_stall}, retries the free lists and counts {@code compact_success} or
     * {@code compact_fail} (§10.8), telling the policy the outcome. Returns the page or −1.
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
        checkOrder(o);
        checkCpu(cpu);
        int idx = checkAllocated(pfn, o, "free");
        curCpu = cpu;
        BuddyZone z = zoneOf(idx);
        pgfree += 1L << o;
        trace.pageFree(pfn, o, cpu);
        arch.onPagesFreed(pfn, o, cpu);
        lru.remove(idx);
        flags[idx] = ST_TAIL;
        if (narration != null) {
            narration.free(idx, o, pcpAllowed(o));
        }
        if (pcpAllowed(o)) {
            freeToPcp(z, idx, o, cpu);
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
        return Placement.allocateAt(this, pfn, o, gfp, cpu);
    }

    @Override
    public void importFreeAreas(FreeAreaSnapshot snapshot) {
        SnapshotImport.apply(this, snapshot);
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
    }

    @Override
    public boolean pcpRefillAt(long pfn, int o, int cpu) {
        return TwinState.refill(this, pfn, o, cpu);
    }

    @Override
    public boolean pcpDrainAt(long pfn, int o) {
        return TwinState.drain(this, pfn, o);
    }

    @Override
    public void freeTraced(long pfn, int o, int cpu) {
        TwinState.freeTraced(this, pfn, o, cpu);
    }

    @Override
    public void setPageblockType(long pfn, MigrateType type) {
        TwinState.setPageblockType(this, pfn, type);
    }

    @Override
    public void compactMemory() {
        compactionPolicy.compactNode(compactionContext);
    }

    @Override
    public long cycles() {
        return cycles;
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
    }

    @Override
    public void checkInvariants() {
        lru.check();
        Invariants.check(this);
    }

    @Override
    public void forEachCounter(CounterVisitor v) {
        long free = 0;
        long blocks = 0;
        long cma = 0;
        for (BuddyZone z : zones) {
            free += z.freePages;
            blocks += z.freePagesBlocks;
            cma += z.freeCma;
        }
        v.counter("nr_free_pages", free);
        if (rules.freePagesBlocks) {
            v.counter("nr_free_pages_blocks", blocks);
        }
        ReclaimCounters.zoneLru(this, v);
        v.counter("nr_free_cma", cma);
        ReclaimCounters.nodeLru(this, v);
        for (BuddyZone z : zones) {
            v.counter("pgalloc_" + z.name().toLowerCase(java.util.Locale.ROOT), pgalloc[z.index]);
        }
        for (BuddyZone z : zones) {
            v.counter("allocstall_" + z.name().toLowerCase(java.util.Locale.ROOT), allocstall[z.index]);
        }
        v.counter("pgfree", pgfree);
        v.counter("pgmigrate_success", pgmigrateSuccess);
        v.counter("pgmigrate_fail", pgmigrateFail);
        for (Map.Entry<String, long[]> e : policyCounters.entrySet()) {
            v.counter(e.getKey(), e.getValue()[0]);
        }
        v.counter("kmemsim_extfrag_events", extfragEvents);
    }

    /** Bytes of per-page and per-pageblock state (for docs/performance.md). */
    long stateBytes() {
        return 4L * next.length + 4L * prev.length + order.length + flags.length + pbType.length + lru.stateBytes();
    }
}
