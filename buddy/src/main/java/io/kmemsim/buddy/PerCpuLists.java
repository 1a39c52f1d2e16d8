package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.PageOrders;

/**
 * The per-CPU page lists of a {@link BuddyPageAllocator} ({@code struct per_cpu_pages}, {@code mm/page_alloc.c}): which orders they hold, their list index,
 * the refill ({@code rmqueue_pcplist} + {@code rmqueue_bulk}), the free ({@code free_unref_page_commit})
 * with its high/batch rules per version, and the bulk drain ({@code free_pcppages_bulk}). The lists are
 * threaded through {@link FreeLists}; their heads, counts and factors live in each {@link BuddyZone}.
 * The buddy side (refill source, merge on drain) is the allocator's.
 */
final class PerCpuLists {

    private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
    private static final int ISOLATE = MigrateType.ISOLATE.ordinal();
    private static final MigrateType[] TYPES = MigrateType.values();

    private final BuddyPageAllocator a;
    private final FreeLists lists;
    private final KernelRules rules;
    private final int thpOrder;
    private final int nl;
    private final boolean highOrders;
    private final boolean autoTune;
    private final boolean cmaBypass;
    private final boolean rereadTypeAtDrain;
    private final Watermarks watermarks;
    /** The pageblock types and their shift ({@link FreeLists#pageblockType}), held here for the order-0 free. */
    private final byte[] pbType;
    private final int pbo;

    PerCpuLists(BuddyPageAllocator a, FreeLists lists, Watermarks watermarks, KernelRules rules, int thpOrder,
            boolean cmaBypass) {
        this.a = a;
        this.lists = lists;
        this.watermarks = watermarks;
        this.rules = rules;
        this.thpOrder = thpOrder;
        this.nl = rules.pcpLists;
        this.highOrders = rules.pcpHighOrders;
        this.autoTune = rules.pcpAutoTune;
        this.cmaBypass = cmaBypass;
        this.rereadTypeAtDrain = rules.pcpRereadTypeAtDrain;
        this.pbType = lists.pbType;
        this.pbo = lists.pbo;
    }

    /**
     * True when {@code rmqueue} sends this request around the pcp lists: before 6.2, a movable request
     * that may not use CMA when CMA is configured.
     */
    boolean bypassed(int mt, int allocFlags) {
        return cmaBypass && (allocFlags & AllocFlags.CMA) == 0 && mt == MOVABLE;
    }

    /**
     * The common case of the whole fast path, without a narrator: an order-0 request served by the pcp
     * list of zone {@code z}, the first zone the zonelist walk from the preferred zone (index {@code hz})
     * does not skip (the preferred zone itself unless it is empty), where {@code get_page_from_freelist}
     * would pass the zone's
     * watermark by the order-0 shortcut (the zone's {@link BuddyZone#fastFloor}; 6.7+ the high mark while
     * ZONE_BELOW_HIGH is clear) and take the list head with nothing else to do (no refill, no boost to
     * clear). The floor holds {@code lowmem_reserve} of {@code z}'s own index; a request whose preferred zone
     * is an empty zone above {@code z} is tested against {@code z.lowmem_reserve[hz]}, so it is taken here
     * only when the two are equal (as they are while the zones between are empty: mm/page_alloc.c:
     * setup_per_zone_lowmem_reserve() (6.1) sums the managed pages above). Returns the page, or −1
     * having changed nothing, and the caller takes the full path. Kept small so that the JIT inlines it.
     */
    int allocFast(BuddyZone z, int hz, int mt, int allocFlags, int cpu) {
        int s = cpu * nl + mt; // pindex(0, mt) in every layout
        int idx = z.pcpHead[s];
        long floor = (allocFlags & AllocFlags.CMA) != 0 ? z.fastFloorCma : z.fastFloor;
        if (idx < 0 || z.freePages <= floor
                || (allocFlags & (AllocFlags.WMARK_MASK | AllocFlags.RESERVES)) != AllocFlags.WMARK_LOW
                || bypassed(mt, allocFlags)
                || hz != z.index && z.lowmemReserve[hz] != z.lowmemReserve[z.index]) {
            return -1;
        }
        if (highOrders) {
            int[] freeFactor = z.pcpFreeFactor;
            int f = freeFactor[cpu];
            if (f != 0) {
                freeFactor[cpu] = f >> 1;
            }
        }
        lists.pcpDelHead(z, s, idx);
        z.pcpCount[cpu]--;
        return idx;
    }

    /**
     * {@link #allocFast} for the other orders the pcp lists hold (1 to {@code PAGE_ALLOC_COSTLY_ORDER} and the
     * THP order, 5.13+): the list of zone {@code z} for ({@code o}, {@code mt}) is not empty and
     * {@code get_page_from_freelist} would pass the zone's watermark with {@code __zone_watermark_ok} for
     * order {@code o} (mm/page_alloc.c, 6.1): usable free pages, less the {@code 2^o - 1} pages an order-{@code o}
     * request may not count, above the zone's floor, and a free block of order {@code o} or more on a list
     * the request may use. Then the same steps as {@code rmqueue_pcplist}. Returns the page, or −1 having
     * changed nothing.
     */
    int allocFastHigh(BuddyZone z, int hz, int o, int mt, int allocFlags, int cpu) {
        int s = cpu * nl + pindex(o, mt);
        int idx = z.pcpHead[s];
        long floor = (allocFlags & AllocFlags.CMA) != 0 ? z.fastFloorCma : z.fastFloor;
        if (idx < 0 || floor == Long.MAX_VALUE || z.freePages - ((1L << o) - 1) <= floor
                || (allocFlags & (AllocFlags.WMARK_MASK | AllocFlags.RESERVES)) != AllocFlags.WMARK_LOW
                || bypassed(mt, allocFlags)
                || hz != z.index && z.lowmemReserve[hz] != z.lowmemReserve[z.index]
                || !watermarks.freeBlockAtOrAbove(z, o, allocFlags)) {
            return -1;
        }
        z.pcpFreeFactor[cpu] >>= 1;
        lists.pcpDelHead(z, s, idx);
        z.pcpCount[cpu] -= 1 << o;
        return idx;
    }

    /**
     * {@link #free} of an order-0 page without a narrator: the same steps with the order fixed, so the JIT
     * keeps it small ({@code order_to_pindex(mt, 0)} is {@code mt} in every layout; an order-0 free is never
     * a high-order free).
     */
    void free0(BuddyZone z, int idx, int cpu) {
        int pageblockType = pbType[idx >> pbo]; // free_unref_page_prepare: get_pfnblock_migratetype()
        if (pageblockType == ISOLATE) {
            lists.flags[idx] = FreeLists.ST_TAIL;
            a.freeBuddyPath(z, idx, 0, false);
            return;
        }
        int listType = pageblockType >= MigrateType.PCPTYPES ? MOVABLE : pageblockType;
        lists.pcpAdd(z, cpu * nl + listType, idx, 0, pageblockType, false);
        int[] counts = z.pcpCount;
        int count = counts[cpu] + 1;
        counts[cpu] = count;
        if (!autoTune && count < z.pcpHigh[cpu]) {
            return; // below pcp->high: nothing to flush
        }
        afterFree(z, 0, cpu, listType, count);
    }

    /** True for the orders the per-CPU lists hold: 0 before 5.13, up to {@code PAGE_ALLOC_COSTLY_ORDER} and the THP order since. */
    boolean allowed(int o) {
        return highOrders ? o <= PageOrders.COSTLY_ORDER || o == thpOrder : o == 0;
    }

    /** {@code order_to_pindex}. */
    int pindex(int o, int mt) {
        if (!highOrders) {
            return mt;
        }
        if (o > PageOrders.COSTLY_ORDER) {
            return 12 + (nl == 14 && mt == MOVABLE ? 1 : 0);
        }
        return MigrateType.PCPTYPES * o + mt;
    }

    /** {@code pindex_to_order}. */
    int pindexOrder(int li) {
        return !highOrders ? 0 : li >= 12 ? thpOrder : li / MigrateType.PCPTYPES;
    }

    private int refillCount(BuddyZone z, int cpu, int o) {
        int batch = z.pcpBatch;
        if (!highOrders) {
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
    int rmqueue(BuddyZone z, int o, int mt, int allocFlags, int cpu) {
        if (highOrders) {
            z.pcpFreeFactor[cpu] >>= 1;
        }
        int s = cpu * nl + pindex(o, mt);
        int idx = z.pcpHead[s];
        if (idx < 0) {
            idx = refill(z, s, o, mt, allocFlags, cpu);
            if (idx < 0) {
                return -1;
            }
        }
        Narration narration = lists.narration;
        if (narration != null) {
            narration.pcpHit(cpu, o, mt, z.pcpCount[cpu]);
        }
        lists.pcpDelHead(z, s, idx);
        z.pcpCount[cpu] -= 1 << o;
        return idx;
    }

    /** {@code rmqueue_bulk} into pcp list {@code s}; returns its new head or −1. */
    private int refill(BuddyZone z, int s, int o, int mt, int allocFlags, int cpu) {
        Narration narration = lists.narration;
        int n = refillCount(z, cpu, o);
        if (narration != null) {
            narration.pcpRefillStart(cpu, o, mt, n);
        }
        int got = 0;
        if (narration == null && !a.hooked && mt < MigrateType.PCPTYPES && z.pcpHead[s] < 0
                && ((allocFlags & AllocFlags.CMA) == 0 || z.freeCma == 0)) {
            // __rmqueue would take the head of free list (o, mt) while it is not empty (no CMA-first turn, no
            // split, no fallback): those blocks move to the empty pcp list as one run, in the same order
            got = lists.moveRunToPcp(z, o, mt, s, n);
            if (got > 0) {
                a.lastTakenType = mt;
                z.pcpCount[cpu] += got << o;
            }
        }
        for (int i = got; i < n; i++) {
            int idx = a.rmqueue(z, o, mt, allocFlags);
            if (idx < 0) {
                break;
            }
            lists.pcpAdd(z, s, idx, o, a.lastTakenType, true);
            z.pcpCount[cpu] += 1 << o;
            got++;
            if (narration != null) {
                narration.pcpRefilled(idx);
            }
        }
        if (narration != null) {
            narration.pcpRefillEnd(o, got);
        }
        return z.pcpHead[s];
    }

    /** {@code free_unref_page} + {@code free_unref_page_commit}. */
    void free(BuddyZone z, int idx, int o, int cpu) {
        int pageblockType = lists.pageblockType(idx);
        if (pageblockType == ISOLATE) {
            a.freeBuddyPath(z, idx, o, false);
            return;
        }
        int listType = pageblockType >= MigrateType.PCPTYPES ? MOVABLE : pageblockType;
        int li = pindex(o, listType);
        lists.pcpAdd(z, cpu * nl + li, idx, o, pageblockType, false);
        int count = z.pcpCount[cpu] += 1 << o;
        if (lists.narration != null) {
            lists.narration.pcpFree(cpu, count, z.pcpHigh[cpu]);
        }
        if (!autoTune && count < z.pcpHigh[cpu]
                && !(highOrders && o > 0 && o <= PageOrders.COSTLY_ORDER && z.pcpFreeFactor[cpu] > 0)) {
            return; // below pcp->high and no high-order free pressure: nothing to flush
        }
        afterFree(z, o, cpu, li, count);
    }

    /** The high/batch rules after a free once the count may have reached {@code pcp->high}, per version. */
    private void afterFree(BuddyZone z, int o, int cpu, int li, int count) {
        if (!highOrders) {
            if (count >= z.pcpHigh[cpu]) {
                freeBulk(z, cpu, z.pcpBatch, li);
            }
        } else if (!autoTune) {
            boolean freeHigh = o > 0 && o <= PageOrders.COSTLY_ORDER && z.pcpFreeFactor[cpu] > 0;
            int high = freeHigh ? 0 : z.pcpHigh[cpu];
            if (count >= high) {
                freeBulk(z, cpu, nrFree(z, cpu, high, z.pcpBatch, freeHigh), li);
            }
        } else {
            freeAutoTuned(z, cpu, o, li);
        }
    }

    int nrFree(BuddyZone z, int cpu, int high, int batch, boolean freeHigh) {
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

    /** The 6.7+ free path ({@code free_unref_page_commit} with {@code nr_pcp_high}/{@code nr_pcp_free}, 6.7; approximate). */
    private void freeAutoTuned(BuddyZone z, int cpu, int o, int li) {
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
        int high = highAutoTuned(z, cpu, batch, freeHigh);
        if (z.pcpCount[cpu] >= high) {
            int n;
            if (freeHigh) {
                n = Math.min(z.pcpCount[cpu], batch << Tunables.PCP_BATCH_SCALE_MAX);
            } else if (high < batch) {
                n = 1;
            } else {
                n = Math.max(batch, Math.min(z.pcpFreeFactor[cpu], high - batch));
            }
            freeBulk(z, cpu, n, li);
            if (z.belowHigh && a.zoneWatermarkOk(z, 0, z.mark(AllocFlags.WMARK_HIGH), a.zones.length - 1, 0, z.freePages)) {
                z.belowHigh = false;
                z.refreshFastFloor();
            }
        }
    }

    private int highAutoTuned(BuddyZone z, int cpu, int batch, boolean freeHigh) {
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

    /** {@code free_pcppages_bulk}: 5.10 round robin over the three types, 6.1+ over all lists. */
    void freeBulk(BuddyZone z, int cpu, int count, int startList) {
        count = Math.min(count, z.pcpCount[cpu]);
        int base = cpu * nl;
        if (!highOrders) {
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
        int o = lists.order[idx];
        int mt = rereadTypeAtDrain ? pbType[idx >> pbo] : (lists.flags[idx] >> FreeLists.MT_SHIFT) & 7;
        lists.pcpDelTail(z, s, idx);
        z.pcpCount[cpu] -= 1 << o;
        lists.flags[idx] = FreeLists.ST_TAIL;
        lists.merge(z, idx, o, mt, false);
        if (a.hooked) { // else the trace listener is TraceListener.NONE: nothing to tell
            a.trace.pagePcpuDrain(lists.pfnOf(idx), o, TYPES[mt], cpu);
        }
        return o;
    }

    /** {@code drain_pages_zone}: 6.1.104+ and 6.7+ in chunks of {@code batch << PCP_BATCH_SCALE_MAX}. */
    void drainZoneCpu(BuddyZone z, int cpu) {
        while (z.pcpCount[cpu] > 0) {
            int chunk = rules.pcpScaleCap ? z.pcpBatch << Tunables.PCP_BATCH_SCALE_MAX : z.pcpCount[cpu];
            freeBulk(z, cpu, Math.min(chunk, z.pcpCount[cpu]), 0);
        }
    }
}
