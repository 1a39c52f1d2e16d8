package io.kmemsim.buddy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;

/**
 * Finding the block that contains a PFN and cutting an exact block out of a free block: used by
 * {@code allocateAt} (trace replay), by migration targets and by the snapshot import. Cutting follows
 * the kernel's {@code break_down_buddy_pages}: the halves not containing the target go to the head of
 * the free block's list at their order.
 */
final class Placement {

    private Placement() {
    }

    /** The head index of the block (free, allocated or on a pcp list) that contains {@code idx}, or −1. */
    static int containingHead(BuddyPageAllocator a, int idx) {
        return a.lists.containingHead(idx);
    }

    /** Removes the free block {@code head} and splits it until the block {@code target} of order {@code o} is alone. */
    static void cutOut(BuddyPageAllocator a, BuddyZone z, int head, int target, int o) {
        int cur = a.order[head];
        int mt = a.typeBits(head);
        a.listDel(z, cur, mt, head);
        a.flags[head] = BuddyPageAllocator.ST_TAIL;
        int h = head;
        while (cur > o) {
            cur--;
            int half = 1 << cur;
            if (target >= h + half) {
                a.lists.add(z, cur, mt, h, false);
                h += half;
            } else {
                a.lists.add(z, cur, mt, h + half, false);
            }
        }
        a.flags[target] = BuddyPageAllocator.ST_TAIL;
        a.order[target] = (byte) o;
    }

    /** Takes the free block of order {@code o} at {@code idx} out of the free lists, or returns false. */
    static boolean takeFree(BuddyPageAllocator a, BuddyZone z, int idx, int o) {
        if ((idx & ((1 << o) - 1)) != 0 || idx + (1 << o) > z.endIdx) {
            return false;
        }
        int head = containingHead(a, idx);
        if (head < 0 || a.state(head) != BuddyPageAllocator.ST_FREE || head + (1 << a.order[head]) < idx + (1 << o)
                || a.order[head] < o) {
            return false;
        }
        cutOut(a, z, head, idx, o);
        return true;
    }

    static long allocateAt(BuddyPageAllocator a, long pfn, int o, int gfp, int cpu) {
        int idx = a.indexOf(pfn);
        BuddyZone z = idx < 0 ? null : a.zoneOf(idx);
        if (z == null) {
            throw new IllegalArgumentException("allocateAt: pfn 0x" + Long.toHexString(pfn) + " is outside the node");
        }
        if ((pfn & ((1L << o) - 1)) != 0) {
            throw new IllegalArgumentException("allocateAt: pfn 0x" + Long.toHexString(pfn) + " is not aligned to order " + o);
        }
        boolean taken = a.state(idx) == BuddyPageAllocator.ST_PCP && a.order[idx] == o
                ? takeFromPcp(a, z, idx, o) : releasePcpOverlapping(a, z, idx, o) && takeFree(a, z, idx, o);
        int mt = a.lists.groupingDisabled || a.fallbackPolicy == null ? 0 : Gfp.migrateType(gfp).ordinal();
        if (!taken) {
            a.trace.pageAlloc(PageAllocator.NO_PAGE, o, MigrateType.of(mt), gfp, cpu);
            return PageAllocator.NO_PAGE;
        }
        a.flags[idx] = (byte) (BuddyPageAllocator.ST_ALLOC | (mt << BuddyPageAllocator.MT_SHIFT) | FreeLists.lruBit(gfp));
        a.order[idx] = (byte) o;
        z.pgalloc += 1L << o;
        a.arch.onPagesAllocated(pfn, o, gfp, cpu);
        a.trace.pageAlloc(pfn, o, MigrateType.of(mt), gfp, cpu);
        return pfn;
    }

    /**
     * Returns to the buddy lists every per-CPU block that overlaps the target block (a replayed trace
     * names the real machine's PFNs; where the simulated pages sit on a per-CPU list is an artifact of
     * the simulation, not of the trace). Always true, for use in a condition.
     */
    private static boolean releasePcpOverlapping(BuddyPageAllocator a, BuddyZone z, int idx, int o) {
        int head = containingHead(a, idx);
        if (head >= 0 && head != idx && a.state(head) == BuddyPageAllocator.ST_PCP) {
            releasePcp(a, z, head);
        }
        int end = Math.min(idx + (1 << o), z.endIdx);
        for (int p = idx; p < end; ) {
            int st = a.state(p);
            if (st == BuddyPageAllocator.ST_PCP) {
                int span = 1 << a.order[p];
                releasePcp(a, z, p);
                p += span;
            } else if (st == BuddyPageAllocator.ST_FREE) {
                p += 1 << a.order[p];
            } else {
                p++;
            }
        }
        return true;
    }

    private static void releasePcp(BuddyPageAllocator a, BuddyZone z, int head) {
        int o = a.order[head];
        int mt = a.typeBits(head);
        if (takeFromPcp(a, z, head, o)) {
            a.freeOnePage(z, head, o, mt, false);
        }
    }

    static boolean takeFromPcp(BuddyPageAllocator a, BuddyZone z, int idx, int o) {
        int first = idx;
        while (a.lists.prev(first) >= 0) {
            first = a.lists.prev(first);
        }
        for (int s = 0; s < z.pcpHead.length; s++) {
            if (z.pcpHead[s] == first) {
                a.lists.pcpDel(z, s, idx);
                z.pcpCount[s / a.rules.pcpLists] -= 1 << o;
                a.flags[idx] = BuddyPageAllocator.ST_TAIL;
                return true;
            }
        }
        return false;
    }
}
