package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;
import java.util.Arrays;

/**
 * The per-page state of one node and the lists threaded through it: the buddy free lists
 * ({@code zone->free_area[order].free_list[migratetype]}), their counters, the pageblock types, and the
 * links the per-CPU lists share. The allocator, its fallback and compaction contexts and the invariant
 * checker do their list work through this type (add, delete, expand, merge, move) instead of touching
 * the arrays of the allocator.
 *
 * <p>Notes (state is struct-of-arrays over page indexes {@code idx = pfn - basePfn}; {@code basePfn} is
 * aligned to the largest block so buddy arithmetic works on indexes):
 * <pre>
 *   links[idx]            long  next (low 32 bits) and prev (high 32 bits) of the intrusive doubly linked
 *                               list (free list, pcp list or LRU list), -1 = none; in one long, so a link or
 *                               unlink touches one cache line per page, and a node of up to 2^31 - 1 pages
 *                               (8 TiB of 4K pages) fits one array
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
 * Every list insertion or removal is charged {@link #LIST_OP_CYCLES} simulated cycles (the cost model;
 * splits and merges are charged through the list operations they do). One thread; no allocation.
 */
final class FreeLists {

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
    /** Migrate types with a free list ({@code MIGRATE_TYPES}: the three pcp types, HIGHATOMIC, CMA, ISOLATE). */
    static final int NT = 6;
    /**
     * Cycles of one list insertion or removal: it writes the list pointers of the page and its neighbour
     * and the list head or counters — three or four 64-byte lines of {@code struct page} and
     * {@code struct zone} that are usually cache hits on the allocating CPU. An assumption (order of
     * magnitude of L1/L2 hit latencies on Cortex-A76/A55), not a published number; docs/performance.md.
     */
    static final long LIST_OP_CYCLES = 12;
    private static final int UNMOVABLE = 0;
    private static final int HIGHATOMIC = 3;
    private static final int CMA = 4;
    private static final int ISOLATE = 5;

    final int maxOrder;
    final int pbo;
    final long basePfn;
    final int nPages;
    private final int nrOrders;
    private final KernelRules rules;

    /** The list links of page {@code idx}: next in the low 32 bits, prev in the high 32 bits ({@link #next}, {@link #prev}). */
    final long[] links;
    final byte[] order;
    final byte[] flags;
    final byte[] pbType;
    private final int[] listHead;
    private final int[] listTail;
    private final long[] nrFreeByType;
    private final long[] nrFree;

    /** Mobility grouping off ({@code page_group_by_mobility_disabled}): pcp-type pageblocks read UNMOVABLE. */
    boolean groupingDisabled;
    /** Set while a narrator listens; every use is behind a null check. */
    Narration narration;
    /** Simulated cycles of list work so far. */
    long cycles;

    FreeLists(KernelRules rules, long basePfn, int nPages, int zones) {
        this.rules = rules;
        this.maxOrder = rules.maxOrder;
        this.nrOrders = maxOrder + 1;
        this.pbo = rules.pageblockOrder;
        this.basePfn = basePfn;
        this.nPages = nPages;
        this.links = new long[nPages];
        this.order = new byte[nPages];
        this.flags = new byte[nPages];
        this.pbType = new byte[(nPages >> pbo) + 1];
        this.listHead = new int[zones * nrOrders * NT];
        this.listTail = new int[zones * nrOrders * NT];
        Arrays.fill(listHead, -1);
        Arrays.fill(listTail, -1);
        this.nrFreeByType = new long[zones * nrOrders * NT];
        this.nrFree = new long[zones * nrOrders];
    }

    // ---------------------------------------------------------------- list links

    private static final long LOW = 0xFFFF_FFFFL;

    /** The next page of page {@code idx}'s list, or −1. */
    int next(int idx) {
        return (int) links[idx];
    }

    /** The previous page of page {@code idx}'s list, or −1. */
    int prev(int idx) {
        return (int) (links[idx] >> 32);
    }

    void setNext(int idx, int n) {
        links[idx] = links[idx] & ~LOW | n & LOW;
    }

    void setPrev(int idx, int p) {
        links[idx] = (long) p << 32 | links[idx] & LOW;
    }

    /** Both links of page {@code idx} in one store. */
    void setLinks(int idx, int n, int p) {
        links[idx] = (long) p << 32 | n & LOW;
    }

    // ---------------------------------------------------------------- pages and pageblocks

    /** The page index of {@code pfn}, or −1 outside the node. */
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

    /**
     * Whether the sparsemem section of page {@code idx} holds a page that is not a hole: a section without RAM
     * has no memmap, so the kernel's pfn walkers skip it (6.1 {@code include/linux/memory_hotplug.h:
     * pfn_to_online_page()}).
     */
    boolean sectionHasMemory(int idx) {
        int shift = rules.sectionShift;
        long first = ((basePfn + idx) >> shift) << shift;
        int from = (int) Math.max(0, first - basePfn);
        int to = (int) Math.min(nPages, first + (1L << shift) - basePfn);
        for (int i = from; i < to; i++) {
            if ((flags[i] & STATE_MASK) != ST_HOLE) {
                return true;
            }
        }
        return false;
    }

    int pageblockType(int idx) {
        return pbType[idx >> pbo];
    }

    /**
     * {@code set_pageblock_migratetype} ({@code mm/page_alloc.c}, 6.1): with grouping disabled the three
     * pcp types are stored UNMOVABLE.
     */
    void setPageblockType(int idx, int mt) {
        pbType[idx >> pbo] = (byte) (groupingDisabled && mt < MigrateType.PCPTYPES ? UNMOVABLE : mt);
    }

    /** True for an allocated head that compaction may migrate: an LRU (movable-request) block, not pinned. */
    boolean migratable(int idx) {
        return (flags[idx] & STATE_MASK) == ST_ALLOC && (flags[idx] & LRU) != 0 && (flags[idx] & PINNED) == 0;
    }

    /** The head of the free, allocated or pcp block containing page {@code idx}, or −1 (a hole, reserved or isolated page). */
    int containingHead(int idx) {
        int st = state(idx);
        if (st != ST_TAIL) {
            return st == ST_HOLE || st >= ST_RESERVED ? -1 : idx;
        }
        for (int o = 1; o <= maxOrder; o++) {
            int h = idx & -(1 << o);
            int hs = state(h);
            if (hs == ST_FREE || hs == ST_ALLOC || hs == ST_PCP) {
                if (h + (1 << order[h]) > idx) {
                    return h;
                }
            }
        }
        return -1;
    }

    /** True when {@code b} is the head of a free block of order {@code o} in zone {@code z} ({@code page_is_buddy}). */
    boolean isFreeBuddy(BuddyZone z, int b, int o) {
        return b >= z.startIdx && b < z.endIdx && (flags[b] & STATE_MASK) == ST_FREE && order[b] == o;
    }

    /** The LRU flag bit for a request: set when the gfp asks for movable memory. */
    static int lruBit(int gfp) {
        return (gfp & io.kmemsim.api.kernel.Gfp.MOVABLE) != 0 ? LRU : 0;
    }

    static boolean mergeable(int mt) {
        return mt < MigrateType.PCPTYPES;
    }

    // ---------------------------------------------------------------- free lists (mm/page_alloc.c: add_to_free_list, del_page_from_free_list)

    private int slot(int zone, int o, int mt) {
        return (zone * nrOrders + o) * NT + mt;
    }

    /** Free blocks of order {@code o} in zone {@code zone} ({@code free_area[o].nr_free}). */
    long nrFree(int zone, int o) {
        return nrFree[zone * nrOrders + o];
    }

    /** Free blocks of order {@code o} on list {@code mt} of zone {@code zone}. */
    long nrFree(int zone, int o, int mt) {
        return nrFreeByType[(zone * nrOrders + o) * NT + mt];
    }

    /** The first block of list ({@code o}, {@code mt}) of zone {@code z}, or −1. */
    int head(BuddyZone z, int o, int mt) {
        return listHead[slot(z.index, o, mt)];
    }

    int tail(BuddyZone z, int o, int mt) {
        return listTail[slot(z.index, o, mt)];
    }

    /** Puts the free block {@code idx} of order {@code o} on list {@code mt} (head or tail) and counts it. */
    void add(BuddyZone z, int o, int mt, int idx, boolean tail) {
        cycles += LIST_OP_CYCLES;
        flags[idx] = (byte) (ST_FREE | (mt << MT_SHIFT));
        order[idx] = (byte) o;
        link(listHead, listTail, slot(z.index, o, mt), idx, tail);
        account(z, o, mt, 1);
    }

    /** Removes the free block {@code idx} from its list; its flags are left for the caller to set. */
    void del(BuddyZone z, int o, int mt, int idx) {
        cycles += LIST_OP_CYCLES;
        unlink(listHead, listTail, slot(z.index, o, mt), idx);
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
            z.refreshFastFloor();
        } else if (mt == HIGHATOMIC) {
            z.freeHighatomic += pages;
            z.refreshFastFloor();
        }
    }

    /** Moves the free block at {@code idx} to the tail of list {@code to} ({@code move_to_free_list}). */
    void moveToTail(BuddyZone z, int idx, int to) {
        int o = order[idx];
        del(z, o, typeBits(idx), idx);
        add(z, o, to, idx, true);
    }

    // ---------------------------------------------------------------- split (expand) and merge (__free_one_page)

    /** {@code expand}: keeps the lower half, puts each upper half at the head of list {@code mt}. */
    void expand(BuddyZone z, int idx, int low, int high, int mt) {
        int size = 1 << high;
        while (high > low) {
            high--;
            size >>= 1;
            add(z, high, mt, idx + size, false);
            if (narration != null) {
                narration.split(idx + size, high, mt);
            }
        }
        flags[idx] = ST_TAIL;
        order[idx] = (byte) low;
    }

    /** {@code __free_one_page}: merges with free buddies up to the largest order and inserts at head or tail. */
    void merge(BuddyZone z, int idx, int o, int mt, boolean toTail) {
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
            del(z, o, typeBits(buddy), buddy);
            flags[buddy] = ST_TAIL;
            if (bmt != mt && rules.retypeBuddyOnMerge) {
                retypeBuddy(buddy, o, mt);
            }
            flags[idx] = ST_TAIL;
            idx &= buddy;
            o++;
        }
        boolean tail = toTail || mergeLikely(z, idx, buddy, o);
        add(z, o, mt, idx, tail);
        if (narration != null) {
            narration.insert(idx, o, mt, tail);
        }
    }

    /** 6.10+ {@code __free_one_page}: the merged buddy's pageblock (6.19, 6.12.65+: every one of them) takes the freed type. */
    private void retypeBuddy(int buddy, int o, int mt) {
        int last = rules.retypeAllBuddyPageblocks && o > pbo ? buddy + (1 << o) - 1 : buddy;
        for (int p = buddy; p <= last; p += 1 << pbo) {
            setPageblockType(p, mt);
        }
    }

    /**
     * {@code buddy_merge_likely} (mm/page_alloc.c, 6.1): the block {@code idx} of order {@code o}, merged
     * last with {@code buddy}, goes to the tail when the buddy of the next order up is free. Kept out of
     * {@link #merge} so that it stays under C2's inlining limit (325 bytecode bytes).
     */
    private boolean mergeLikely(BuddyZone z, int idx, int buddy, int o) {
        if (o >= maxOrder - 1) {
            return false;
        }
        int higher = idx & buddy;
        return isFreeBuddy(z, higher ^ (1 << (o + 1)), o + 1);
    }

    // ---------------------------------------------------------------- per-CPU list links (struct per_cpu_pages lists)

    /**
     * The first {@code max} (or fewer) blocks of free list ({@code o}, {@code mt}) of zone {@code z} moved, in list
     * order, to the empty pcp list {@code s}: the state {@code rmqueue_bulk} (mm/page_alloc.c, 6.1) leaves when
     * each of them is the head {@code __rmqueue_smallest} takes and {@code list_add_tail} appends. The run keeps
     * its links; only its two ends and the list heads change, and the counters change once (the same totals,
     * and the same {@link #cycles}: a delete and an add per block). {@code mt} is a pcp type (not CMA,
     * HIGHATOMIC or ISOLATE). Returns how many blocks moved.
     */
    int moveRunToPcp(BuddyZone z, int o, int mt, int s, int max) {
        int sl = slot(z.index, o, mt);
        int first = listHead[sl];
        if (first < 0 || max <= 0) {
            return 0;
        }
        byte f = (byte) (ST_PCP | (mt << MT_SHIFT));
        byte ob = (byte) o;
        int idx = first;
        int last;
        int k = 0;
        do {
            last = idx;
            flags[idx] = f;
            order[idx] = ob;
            k++;
            idx = next(idx);
        } while (k < max && idx >= 0);
        listHead[sl] = idx; // the rest of the free list, or none
        if (idx < 0) {
            listTail[sl] = -1;
        } else {
            setPrev(idx, -1);
        }
        setNext(last, -1); // first's prev is already -1: it was the head
        z.pcpHead[s] = first;
        z.pcpTail[s] = last;
        cycles += 2L * k * LIST_OP_CYCLES;
        nrFree[z.index * nrOrders + o] -= k;
        nrFreeByType[sl] -= k;
        long pages = (long) k << o;
        z.freePages -= pages;
        if (o >= pbo) {
            z.freePagesBlocks -= pages;
        }
        return k;
    }

    /** Links page {@code idx} of order {@code o} into pcp list {@code s} of zone {@code z}, caching {@code cachedType}. */
    void pcpAdd(BuddyZone z, int s, int idx, int o, int cachedType, boolean tail) {
        cycles += LIST_OP_CYCLES;
        flags[idx] = (byte) (ST_PCP | (cachedType << MT_SHIFT));
        order[idx] = (byte) o;
        link(z.pcpHead, z.pcpTail, s, idx, tail);
    }

    /** Unlinks page {@code idx} from pcp list {@code s} of zone {@code z}; its flags are left for the caller. */
    void pcpDel(BuddyZone z, int s, int idx) {
        cycles += LIST_OP_CYCLES;
        unlink(z.pcpHead, z.pcpTail, s, idx);
    }

    /**
     * {@link #pcpDel} of the head {@code idx} of pcp list {@code s}: a head's {@code prev} link is always −1,
     * so only its successor is read.
     */
    void pcpDelHead(BuddyZone z, int s, int idx) {
        cycles += LIST_OP_CYCLES;
        int n = next(idx);
        z.pcpHead[s] = n;
        if (n < 0) {
            z.pcpTail[s] = -1;
        } else {
            setPrev(n, -1);
        }
    }

    /**
     * {@link #pcpDel} of the tail {@code idx} of pcp list {@code s}: a tail's {@code next} link is always −1,
     * so only its predecessor is read (the drain takes tails).
     */
    void pcpDelTail(BuddyZone z, int s, int idx) {
        cycles += LIST_OP_CYCLES;
        int p = prev(idx);
        z.pcpTail[s] = p;
        if (p < 0) {
            z.pcpHead[s] = -1;
        } else {
            setNext(p, -1);
        }
    }

    // ---------------------------------------------------------------- the intrusive list itself

    private void link(int[] heads, int[] tails, int s, int idx, boolean tail) {
        if (heads[s] < 0) {
            setLinks(idx, -1, -1);
            heads[s] = idx;
            tails[s] = idx;
        } else if (tail) {
            int t = tails[s];
            setNext(t, idx);
            setLinks(idx, -1, t);
            tails[s] = idx;
        } else {
            int h = heads[s];
            setPrev(h, idx);
            setLinks(idx, h, -1);
            heads[s] = idx;
        }
    }

    private void unlink(int[] heads, int[] tails, int s, int idx) {
        int p = prev(idx);
        int n = next(idx);
        if (p < 0) {
            heads[s] = n;
        } else {
            setNext(p, n);
        }
        if (n < 0) {
            tails[s] = p;
        } else {
            setPrev(n, p);
        }
    }
}
