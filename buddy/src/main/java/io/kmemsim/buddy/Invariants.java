package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;

/**
 * {@code checkInvariants()} of {@link BuddyPageAllocator}: free lists linked both ways and holding only
 * free heads of their order and type inside their zone; per-list, per-order and per-zone counters equal
 * to what the lists hold; every managed page covered by exactly one aligned block; every free head on a
 * list; no two free buddies of one order left unmerged where merging is always allowed (inside a
 * pageblock; in 5.10 at every order, as nothing there refuses a merge without isolation); pageblock
 * types valid; pcp lists consistent with their counts.
 */
final class Invariants {

    private Invariants() {
    }

    static void check(BuddyPageAllocator a) {
        boolean[] onList = new boolean[a.nPages];
        for (BuddyZone z : a.zones) {
            checkLists(a, z, onList);
            checkCoverage(a, z, onList);
            checkPcp(a, z, onList);
            if (z.reservedHighatomic < 0) {
                fail("zone " + z.name() + ": nr_reserved_highatomic is negative: " + z.reservedHighatomic);
            }
        }
        checkPageblocks(a);
    }

    private static void checkLists(BuddyPageAllocator a, BuddyZone z, boolean[] onList) {
        long free = 0;
        long cma = 0;
        long highatomic = 0;
        long blocks = 0;
        for (int o = 0; o <= a.maxOrder; o++) {
            long perOrder = 0;
            for (int mt = 0; mt < BuddyPageAllocator.NT; mt++) {
                long n = walkList(a, z, o, mt, onList);
                if (n != a.nrFree(z.index, o, mt)) {
                    fail("zone " + z.name() + " order " + o + " " + MigrateType.of(mt).printedName()
                            + ": list holds " + n + " blocks, counter says " + a.nrFree(z.index, o, mt));
                }
                perOrder += n;
                long pages = n << o;
                if (mt != MigrateType.ISOLATE.ordinal()) {
                    free += pages;
                    blocks += o >= a.pbo ? pages : 0;
                }
                cma += mt == MigrateType.CMA.ordinal() ? pages : 0;
                highatomic += mt == MigrateType.HIGHATOMIC.ordinal() ? pages : 0;
            }
            if (perOrder != a.nrFree(z.index, o)) {
                fail("zone " + z.name() + " order " + o + ": nr_free " + a.nrFree(z.index, o) + " but lists hold " + perOrder);
            }
        }
        if (free != z.freePages || cma != z.freeCma || highatomic != z.freeHighatomic || blocks != z.freePagesBlocks) {
            fail("zone " + z.name() + ": counters free=" + z.freePages + " cma=" + z.freeCma + " highatomic="
                    + z.freeHighatomic + " blocks=" + z.freePagesBlocks + " but lists hold free=" + free + " cma=" + cma
                    + " highatomic=" + highatomic + " blocks=" + blocks);
        }
    }

    private static long walkList(BuddyPageAllocator a, BuddyZone z, int o, int mt, boolean[] onList) {
        long n = 0;
        int prev = -1;
        for (int i = a.head(z, o, mt); i >= 0; i = a.next[i]) {
            if (a.prev[i] != prev) {
                fail(listWhere(a, z, o, mt, i) + ": prev link is " + a.prev[i] + ", expected " + prev);
            }
            if (a.state(i) != BuddyPageAllocator.ST_FREE || a.order[i] != o || a.typeBits(i) != mt) {
                fail(listWhere(a, z, o, mt, i) + ": list entry is not a free head of that order and type");
            }
            if (!z.spans(i) || !z.spans(i + (1 << o) - 1) || (i & ((1 << o) - 1)) != 0) {
                fail(listWhere(a, z, o, mt, i) + ": block is misaligned or outside the zone");
            }
            if (onList[i]) {
                fail(listWhere(a, z, o, mt, i) + ": block is on two lists");
            }
            onList[i] = true;
            prev = i;
            if (++n > a.nPages) {
                fail(listWhere(a, z, o, mt, i) + ": list has a cycle");
            }
        }
        if (a.tail(z, o, mt) != prev) {
            fail("zone " + z.name() + " order " + o + " " + MigrateType.of(mt).printedName() + ": tail pointer is wrong");
        }
        return n;
    }

    private static String listWhere(BuddyPageAllocator a, BuddyZone z, int o, int mt, int i) {
        return "zone " + z.name() + " order " + o + " " + MigrateType.of(mt).printedName() + " pfn 0x"
                + Long.toHexString(a.pfnOf(i));
    }

    private static String at(BuddyPageAllocator a, BuddyZone z, int i) {
        return "zone " + z.name() + " pfn 0x" + Long.toHexString(a.pfnOf(i));
    }

    private static void checkCoverage(BuddyPageAllocator a, BuddyZone z, boolean[] onList) {
        int i = z.startIdx;
        while (i < z.endIdx) {
            int st = a.state(i);
            if (st == BuddyPageAllocator.ST_HOLE || st == BuddyPageAllocator.ST_RESERVED
                    || st == BuddyPageAllocator.ST_ISOLATED) {
                i++;
                continue;
            }
            if (st == BuddyPageAllocator.ST_TAIL || st > BuddyPageAllocator.ST_ISOLATED) {
                fail(at(a, z, i) + ": page is not covered by any block");
            }
            int o = a.order[i];
            if (o < 0 || o > a.maxOrder || (i & ((1 << o) - 1)) != 0 || i + (1 << o) > z.endIdx) {
                fail(at(a, z, i) + ": block of order " + o + " is misaligned or crosses the zone end");
            }
            for (int t = i + 1; t < i + (1 << o); t++) {
                if (a.state(t) != BuddyPageAllocator.ST_TAIL) {
                    fail(at(a, z, i) + ": order-" + o + " block overlaps the block or hole at pfn 0x" + Long.toHexString(a.pfnOf(t)));
                }
            }
            if (st == BuddyPageAllocator.ST_FREE) {
                if (!onList[i]) {
                    fail(at(a, z, i) + ": free block is on no list");
                }
                checkMerged(a, z, i, o);
            }
            i += 1 << o;
        }
    }

    private static void checkMerged(BuddyPageAllocator a, BuddyZone z, int i, int o) {
        if (o >= a.maxOrder || (o >= a.pbo && a.rules.mergeNeedsMergeableTypes)) {
            return;
        }
        int b = i ^ (1 << o);
        if (a.isFreeBuddy(z, b, o)) {
            fail(at(a, z, i) + ": free order-" + o + " block and its free buddy at pfn 0x" + Long.toHexString(a.pfnOf(b))
                    + " were not merged");
        }
    }

    private static void checkPcp(BuddyPageAllocator a, BuddyZone z, boolean[] onList) {
        int nl = a.rules.pcpLists;
        for (int cpu = 0; cpu < a.cpus; cpu++) {
            long pages = 0;
            for (int li = 0; li < nl; li++) {
                int s = cpu * nl + li;
                int prev = -1;
                for (int i = z.pcpHead[s]; i >= 0; i = a.next[i]) {
                    if (a.prev[i] != prev || a.state(i) != BuddyPageAllocator.ST_PCP || a.order[i] != a.pindexOrder(li)
                            || !z.spans(i) || onList[i]) {
                        fail(at(a, z, i) + " cpu " + cpu + " pcp list " + li + ": pcp entry is inconsistent (links, state, order or zone)");
                    }
                    onList[i] = true;
                    pages += 1L << a.order[i];
                    prev = i;
                }
                if (z.pcpTail[s] != prev) {
                    fail("zone " + z.name() + " cpu " + cpu + " pcp list " + li + ": tail pointer is wrong");
                }
            }
            if (pages != z.pcpCount[cpu]) {
                fail("zone " + z.name() + " cpu " + cpu + ": pcp count " + z.pcpCount[cpu] + " but lists hold " + pages);
            }
        }
    }

    private static void checkPageblocks(BuddyPageAllocator a) {
        for (int b = 0; b < a.pbType.length; b++) {
            int t = a.pbType[b];
            boolean ok = t >= 0 && t < BuddyPageAllocator.NT && (a.cmaConfigured || t != MigrateType.CMA.ordinal());
            if (ok && a.fallbackPolicy == null) {
                ok = t != MigrateType.MOVABLE.ordinal() && t != MigrateType.RECLAIMABLE.ordinal();
            }
            if (!ok) {
                fail("pageblock at pfn 0x" + Long.toHexString(a.pfnOf(b << a.pbo)) + " has invalid type " + t);
            }
        }
    }

    private static void fail(String message) {
        throw new IllegalStateException(message);
    }
}
