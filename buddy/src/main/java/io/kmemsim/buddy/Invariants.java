package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;

/**
 * {@code checkInvariants()} of {@link BuddyPageAllocator}, over its {@link FreeLists} and per-CPU lists: free lists linked both ways and holding only
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
        FreeLists l = a.lists;
        boolean[] onList = new boolean[l.nPages];
        boolean mergeAlways = !a.rules.mergeNeedsMergeableTypes;
        for (BuddyZone z : a.zones) {
            checkLists(l, z, onList);
            checkCoverage(l, z, onList, mergeAlways);
            checkPcp(l, a.pcp, a.cpus, z, onList);
            if (z.reservedHighatomic < 0) {
                fail("zone " + z.name() + ": nr_reserved_highatomic is negative: " + z.reservedHighatomic);
            }
            if (z.fastFloor != z.computeFastFloor(false) || z.fastFloorCma != z.computeFastFloor(true)) {
                fail("zone " + z.name() + ": the order-0 fast path's watermark floor is stale: " + z.fastFloor + "/"
                        + z.fastFloorCma + ", its inputs give " + z.computeFastFloor(false) + "/" + z.computeFastFloor(true));
            }
        }
        for (int bits = 0; bits < a.zoneOfGfp.length; bits++) {
            if (a.zoneOfGfp[bits] != a.fastZone(a.zoneIndexOfGfp[bits])) {
                fail("the order-0 fast path's zone for zone modifiers 0x" + Integer.toHexString(bits) + " is stale: "
                        + a.zoneOfGfp[bits] + ", the zonelist walk reaches " + a.fastZone(a.zoneIndexOfGfp[bits]));
            }
        }
        checkPageblocks(l, a.cmaConfigured, a.fallbackPolicy != null);
    }

    private static void checkLists(FreeLists l, BuddyZone z, boolean[] onList) {
        long free = 0;
        long cma = 0;
        long highatomic = 0;
        long blocks = 0;
        for (int o = 0; o <= l.maxOrder; o++) {
            long perOrder = 0;
            for (int mt = 0; mt < FreeLists.NT; mt++) {
                long n = walkList(l, z, o, mt, onList);
                if (n != l.nrFree(z.index, o, mt)) {
                    fail("zone " + z.name() + " order " + o + " " + MigrateType.of(mt).printedName()
                            + ": list holds " + n + " blocks, counter says " + l.nrFree(z.index, o, mt));
                }
                perOrder += n;
                long pages = n << o;
                if (mt != MigrateType.ISOLATE.ordinal()) {
                    free += pages;
                    blocks += o >= l.pbo ? pages : 0;
                }
                cma += mt == MigrateType.CMA.ordinal() ? pages : 0;
                highatomic += mt == MigrateType.HIGHATOMIC.ordinal() ? pages : 0;
            }
            if (perOrder != l.nrFree(z.index, o)) {
                fail("zone " + z.name() + " order " + o + ": nr_free " + l.nrFree(z.index, o) + " but lists hold " + perOrder);
            }
        }
        if (free != z.freePages || cma != z.freeCma || highatomic != z.freeHighatomic || blocks != z.freePagesBlocks) {
            fail("zone " + z.name() + ": counters free=" + z.freePages + " cma=" + z.freeCma + " highatomic="
                    + z.freeHighatomic + " blocks=" + z.freePagesBlocks + " but lists hold free=" + free + " cma=" + cma
                    + " highatomic=" + highatomic + " blocks=" + blocks);
        }
    }

    private static long walkList(FreeLists l, BuddyZone z, int o, int mt, boolean[] onList) {
        long n = 0;
        int prev = -1;
        for (int i = l.head(z, o, mt); i >= 0; i = l.next(i)) {
            if (l.prev(i) != prev) {
                fail(listWhere(l, z, o, mt, i) + ": prev link is " + l.prev(i) + ", expected " + prev);
            }
            if (l.state(i) != FreeLists.ST_FREE || l.order[i] != o || l.typeBits(i) != mt) {
                fail(listWhere(l, z, o, mt, i) + ": list entry is not a free head of that order and type");
            }
            if (!z.spans(i) || !z.spans(i + (1 << o) - 1) || (i & ((1 << o) - 1)) != 0) {
                fail(listWhere(l, z, o, mt, i) + ": block is misaligned or outside the zone");
            }
            if (onList[i]) {
                fail(listWhere(l, z, o, mt, i) + ": block is on two lists");
            }
            onList[i] = true;
            prev = i;
            if (++n > l.nPages) {
                fail(listWhere(l, z, o, mt, i) + ": list has a cycle");
            }
        }
        if (l.tail(z, o, mt) != prev) {
            fail("zone " + z.name() + " order " + o + " " + MigrateType.of(mt).printedName() + ": tail pointer is wrong");
        }
        return n;
    }

    private static String listWhere(FreeLists l, BuddyZone z, int o, int mt, int i) {
        return "zone " + z.name() + " order " + o + " " + MigrateType.of(mt).printedName() + " pfn 0x"
                + Long.toHexString(l.pfnOf(i));
    }

    private static String at(FreeLists l, BuddyZone z, int i) {
        return "zone " + z.name() + " pfn 0x" + Long.toHexString(l.pfnOf(i));
    }

    private static void checkCoverage(FreeLists l, BuddyZone z, boolean[] onList, boolean mergeAlways) {
        int i = z.startIdx;
        while (i < z.endIdx) {
            int st = l.state(i);
            if (st == FreeLists.ST_HOLE || st == FreeLists.ST_RESERVED
                    || st == FreeLists.ST_ISOLATED) {
                i++;
                continue;
            }
            if (st == FreeLists.ST_TAIL || st > FreeLists.ST_ISOLATED) {
                fail(at(l, z, i) + ": page is not covered by any block");
            }
            int o = l.order[i];
            if (o < 0 || o > l.maxOrder || (i & ((1 << o) - 1)) != 0 || i + (1 << o) > z.endIdx) {
                fail(at(l, z, i) + ": block of order " + o + " is misaligned or crosses the zone end");
            }
            for (int t = i + 1; t < i + (1 << o); t++) {
                if (l.state(t) != FreeLists.ST_TAIL) {
                    fail(at(l, z, i) + ": order-" + o + " block overlaps the block or hole at pfn 0x" + Long.toHexString(l.pfnOf(t)));
                }
            }
            if (st == FreeLists.ST_FREE) {
                if (!onList[i]) {
                    fail(at(l, z, i) + ": free block is on no list");
                }
                checkMerged(l, z, i, o, mergeAlways);
            }
            i += 1 << o;
        }
    }

    private static void checkMerged(FreeLists l, BuddyZone z, int i, int o, boolean mergeAlways) {
        if (o >= l.maxOrder || (o >= l.pbo && !mergeAlways)) {
            return;
        }
        int b = i ^ (1 << o);
        if (l.isFreeBuddy(z, b, o)) {
            fail(at(l, z, i) + ": free order-" + o + " block and its free buddy at pfn 0x" + Long.toHexString(l.pfnOf(b))
                    + " were not merged");
        }
    }

    private static void checkPcp(FreeLists l, PerCpuLists pcp, int cpus, BuddyZone z, boolean[] onList) {
        int nl = z.pcpHead.length / cpus;
        for (int cpu = 0; cpu < cpus; cpu++) {
            long pages = 0;
            for (int li = 0; li < nl; li++) {
                int s = cpu * nl + li;
                int prev = -1;
                for (int i = z.pcpHead[s]; i >= 0; i = l.next(i)) {
                    if (l.prev(i) != prev || l.state(i) != FreeLists.ST_PCP || l.order[i] != pcp.pindexOrder(li)
                            || !z.spans(i) || onList[i]) {
                        fail(at(l, z, i) + " cpu " + cpu + " pcp list " + li + ": pcp entry is inconsistent (links, state, order or zone)");
                    }
                    onList[i] = true;
                    pages += 1L << l.order[i];
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

    private static void checkPageblocks(FreeLists l, boolean cmaConfigured, boolean fallbackPolicy) {
        for (int b = 0; b < l.pbType.length; b++) {
            int t = l.pbType[b];
            boolean ok = t >= 0 && t < FreeLists.NT && (cmaConfigured || t != MigrateType.CMA.ordinal());
            if (ok && !fallbackPolicy) {
                ok = t != MigrateType.MOVABLE.ordinal() && t != MigrateType.RECLAIMABLE.ordinal();
            }
            if (!ok) {
                fail("pageblock at pfn 0x" + Long.toHexString(l.pfnOf(b << l.pbo)) + " has invalid type " + t);
            }
        }
    }

    private static void fail(String message) {
        throw new IllegalStateException(message);
    }
}
