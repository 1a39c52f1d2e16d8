package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.FreeAreaSnapshot.ZoneFreeArea;
import java.util.List;
import java.util.Map;

/**
 * {@code importFreeAreas}: rebuilds the state so each zone's free lists hold exactly the snapshot's
 * blocks, everything else allocated (as unmovable order-0 pages, since the snapshot does not say what
 * they are).
 *
 * <p>Notes: pageblock types, when given, are assigned in ascending PFN order in the kernel's type order
 * (the snapshot does not say where each type lies). Free blocks are placed first-fit in ascending PFN
 * order, largest order first, preferring pageblocks of the block's type, never next to a free buddy of
 * the same order (the kernel would have merged them). List order is ascending PFN. The pcp lists are
 * emptied; the highatomic reserve is the HighAtomic pageblocks; the watermark boost is cleared.
 */
final class SnapshotImport {

    private static final MigrateType[] TYPES = MigrateType.values();

    private SnapshotImport() {
    }

    static void apply(BuddyPageAllocator a, FreeAreaSnapshot snapshot) {
        for (ZoneFreeArea area : snapshot.zones()) {
            if (area.node() != 0) {
                throw new IllegalArgumentException("snapshot zone " + area.zone().printedName() + " is on node "
                        + area.node() + "; buddy models node 0 only");
            }
            zoneFor(a, area);
        }
        a.drainPerCpuLists();
        for (BuddyZone z : a.zones) {
            reset(a, z);
        }
        for (ZoneFreeArea area : snapshot.zones()) {
            fill(a, zoneFor(a, area), area);
        }
    }

    private static BuddyZone zoneFor(BuddyPageAllocator a, ZoneFreeArea area) {
        int zi = a.zoneIndexOfType[area.zone().ordinal()];
        if (zi < 0) {
            throw new IllegalArgumentException("snapshot has zone " + area.zone().printedName()
                    + ", which this kernel configuration does not have");
        }
        BuddyZone z = a.zones[zi];
        if (area.freeBlocks().size() > a.maxOrder + 1) {
            throw new IllegalArgumentException("zone " + z.name() + ": snapshot lists " + area.freeBlocks().size()
                    + " orders, this allocator keeps " + (a.maxOrder + 1));
        }
        return z;
    }

    private static void reset(BuddyPageAllocator a, BuddyZone z) {
        for (int o = 0; o <= a.maxOrder; o++) {
            for (int mt = 0; mt < BuddyPageAllocator.NT; mt++) {
                for (int i = a.head(z, o, mt); i >= 0; i = a.head(z, o, mt)) {
                    a.listDel(z, o, mt, i);
                }
            }
        }
        for (int i = z.startIdx; i < z.endIdx; i++) {
            int st = a.state(i);
            if (st != BuddyPageAllocator.ST_HOLE && st != BuddyPageAllocator.ST_RESERVED) {
                a.flags[i] = BuddyPageAllocator.ST_ALLOC;
                a.order[i] = 0;
            }
        }
        z.reservedHighatomic = 0;
        z.boost = 0;
    }

    private static void fill(BuddyPageAllocator a, BuddyZone z, ZoneFreeArea area) {
        assignPageblocks(a, z, area.pageblocksByType());
        z.reservedHighatomic = a.countPageblocks(z, MigrateType.HIGHATOMIC.ordinal()) << a.pbo;
        Map<MigrateType, List<Long>> byType = area.freeBlocksByType();
        long total = 0;
        for (int o = 0; o < area.freeBlocks().size(); o++) {
            total += area.freeBlocks().get(o) << o;
        }
        if (total > z.managed) {
            throw new IllegalArgumentException("zone " + z.name() + ": snapshot has " + total
                    + " free pages but the zone manages " + z.managed);
        }
        for (int o = a.maxOrder; o >= 0; o--) {
            long want = o < area.freeBlocks().size() ? area.freeBlocks().get(o) : 0;
            long placed = 0;
            for (Map.Entry<MigrateType, List<Long>> e : byType.entrySet()) {
                long n = o < e.getValue().size() ? e.getValue().get(o) : 0;
                place(a, z, o, e.getKey().ordinal(), n);
                placed += n;
            }
            if (byType.isEmpty()) {
                place(a, z, o, a.pageblockTypeAt(Math.max(z.startIdx, 0)), want);
            } else if (placed != want) {
                throw new IllegalArgumentException("zone " + z.name() + " order " + o + ": buddyinfo says " + want
                        + " free blocks but pagetypeinfo lists " + placed);
            }
        }
    }

    private static void assignPageblocks(BuddyPageAllocator a, BuddyZone z, Map<MigrateType, Long> counts) {
        if (counts.isEmpty() || z.spanned == 0) {
            return;
        }
        int b = z.startIdx >> a.pbo;
        int last = (z.endIdx - 1) >> a.pbo;
        for (MigrateType mt : TYPES) {
            long n = counts.getOrDefault(mt, 0L);
            for (long k = 0; k < n; k++, b++) {
                if (b > last) {
                    throw new IllegalArgumentException("zone " + z.name() + ": snapshot lists more pageblocks ("
                            + counts.values().stream().mapToLong(Long::longValue).sum() + ") than the zone spans ("
                            + (last - (z.startIdx >> a.pbo) + 1) + ")");
                }
                a.lists.pbType[b] = (byte) mt.ordinal();
            }
        }
    }

    private static void place(BuddyPageAllocator a, BuddyZone z, int o, int mt, long count) {
        long left = count;
        for (int pass = 0; pass < 2 && left > 0; pass++) {
            int first = (z.startIdx + (1 << o) - 1) & -(1 << o);
            for (int i = first; i + (1 << o) <= z.endIdx && left > 0; i += 1 << o) {
                if ((pass == 0 && a.pageblockTypeAt(i) != mt) || !fits(a, z, i, o)) {
                    continue;
                }
                for (int t = i; t < i + (1 << o); t++) {
                    a.flags[t] = BuddyPageAllocator.ST_TAIL;
                }
                a.lists.add(z, o, mt, i, true);
                left--;
            }
        }
        if (left > 0) {
            throw new IllegalArgumentException("zone " + z.name() + ": cannot place " + left + " more free order-" + o
                    + " blocks of type " + TYPES[mt].printedName() + " without overlapping or merging");
        }
    }

    private static boolean fits(BuddyPageAllocator a, BuddyZone z, int i, int o) {
        for (int t = i; t < i + (1 << o); t++) {
            if (a.state(t) != BuddyPageAllocator.ST_ALLOC || a.order[t] != 0) {
                return false;
            }
        }
        return o >= a.maxOrder || !a.lists.isFreeBuddy(z, i ^ (1 << o), o);
    }
}
