package io.kmemsim.slab;

/**
 * {@link SlabObjectCache#checkInvariants()}: every slab on the list its active count says, the node
 * counters equal to what the lists hold, the free-index arrays naming exactly the free objects, every
 * array-cache entry a cached object of its cache, the user-object counts, colour offsets in range, the
 * PFN map and off-slab free-index arrays consistent.
 */
final class SlabInvariants {

    private SlabInvariants() {
    }

    static void check(SlabObjectCache a) {
        SlabSlabs slabs = a.slabs;
        long[] slabsPerCache = new long[a.caches.size()];
        for (int s = 0; s < slabs.highWater(); s++) {
            if (slabs.isLive(s)) {
                slabsPerCache[slabs.cache[s]]++;
                checkSlab(a, s);
            }
        }
        for (SlabCache c : a.caches) {
            if (!c.live) {
                if (slabsPerCache[c.index] != 0) {
                    fail(c, "destroyed cache still has " + slabsPerCache[c.index] + " slabs");
                }
                continue;
            }
            if (slabsPerCache[c.index] != c.totalSlabs) {
                fail(c, "total_slabs " + c.totalSlabs + " but " + slabsPerCache[c.index] + " slabs exist");
            }
            checkLists(a, c);
            checkArrays(a, c);
        }
    }

    private static void checkSlab(SlabObjectCache a, int s) {
        SlabSlabs slabs = a.slabs;
        SlabCache c = a.caches.get(slabs.cache[s]);
        int active = slabs.active[s];
        if (active < 0 || active > c.num) {
            fail(c, "slab " + s + " active " + active + " outside [0, " + c.num + "]");
        }
        byte expectedList = active == 0 ? SlabSlabs.FREE : active == c.num ? SlabSlabs.FULL : SlabSlabs.PARTIAL;
        if (slabs.list[s] != expectedList) {
            fail(c, "slab " + s + " with " + active + " of " + c.num + " active is on list " + slabs.list[s]);
        }
        boolean[] seen = new boolean[c.num];
        for (int k = active; k < c.num; k++) {
            int i = slabs.freeIdx[s][k];
            if (i < 0 || i >= c.num || seen[i] || slabs.objState[s][i] != SlabSlabs.OBJ_FREE) {
                fail(c, "slab " + s + " free index entry " + k + " names object " + i + " that is not a distinct free object");
            }
            seen[i] = true;
        }
        int notFree = 0;
        for (int i = 0; i < c.num; i++) {
            notFree += slabs.objState[s][i] != SlabSlabs.OBJ_FREE ? 1 : 0;
        }
        if (notFree != active) {
            fail(c, "slab " + s + " active " + active + " but " + notFree + " objects are out of it");
        }
        long page = a.map.address(slabs.pfn[s]);
        int off = slabs.colourOff[s];
        if (off < 0 || off % c.geometry.colourOff() != 0 || off / c.geometry.colourOff() > Math.max(0, c.geometry.colour() - 1)
                || slabs.sMem[s] != page + off) {
            fail(c, "slab " + s + " colour offset " + off + " outside the cache's " + c.geometry.colour() + " colours");
        }
        long end = page + (1L << (a.pageShift + c.order));
        long arrayBytes = c.geometry.placement() == SlabGeometry.Placement.ON_SLAB ? c.geometry.freelistSize() : 0;
        if (slabs.sMem[s] + (long) c.num * c.size > end - arrayBytes) {
            fail(c, "slab " + s + " objects overrun the slab");
        }
        for (long p = 0; p < 1L << c.order; p++) {
            if (a.map.lookup(slabs.pfn[s] + p) != s + 1) {
                fail(c, "pfn map does not name slab " + s + " at pfn " + (slabs.pfn[s] + p));
            }
        }
        boolean offSlab = c.geometry.placement() == SlabGeometry.Placement.OFF_SLAB;
        if (offSlab != (slabs.offSlabFreelist[s] != 0)) {
            fail(c, "slab " + s + " off-slab free-index array present " + !offSlab + " for placement " + c.geometry.placement());
        }
        if (offSlab) {
            int h = a.map.slabOf(slabs.offSlabFreelist[s], "checkInvariants");
            SlabCache holder = h < 0 ? null : a.caches.get(slabs.cache[h]);
            if (holder != null && slabs.objState[h][(int) ((slabs.offSlabFreelist[s] - slabs.sMem[h]) / holder.size)]
                    != SlabSlabs.OBJ_USER) {
                fail(c, "slab " + s + " off-slab free-index array is not an allocated kmalloc object");
            }
        }
    }

    private static void checkLists(SlabObjectCache a, SlabCache c) {
        SlabSlabs slabs = a.slabs;
        long total = 0;
        long free = 0;
        long freeObjects = 0;
        for (byte list = 0; list < 3; list++) {
            int prev = -1;
            for (int s = c.listHead[list]; s >= 0; s = slabs.next[s]) {
                if (slabs.list[s] != list || slabs.prev[s] != prev || slabs.cache[s] != c.index) {
                    fail(c, "slab list " + list + " is broken at slab " + s);
                }
                total++;
                free += list == SlabSlabs.FREE ? 1 : 0;
                freeObjects += c.num - slabs.active[s];
                prev = s;
            }
            if (c.listTail[list] != prev) {
                fail(c, "slab list " + list + " tail " + c.listTail[list] + " but last slab " + prev);
            }
        }
        if (total != c.totalSlabs || free != c.freeSlabs || freeObjects != c.freeObjects) {
            fail(c, "node counters total_slabs " + c.totalSlabs + " free_slabs " + c.freeSlabs + " free_objects "
                    + c.freeObjects + " but the lists hold " + total + ", " + free + ", " + freeObjects);
        }
    }

    private static void checkArrays(SlabObjectCache a, SlabCache c) {
        SlabSlabs slabs = a.slabs;
        long cached = 0;
        for (int cpu = 0; cpu <= c.cpuAvail.length; cpu++) {
            long[] entries = cpu < c.cpuAvail.length ? c.cpuEntries[cpu] : c.sharedEntries;
            int avail = cpu < c.cpuAvail.length ? c.cpuAvail[cpu] : c.sharedAvail;
            if (avail < 0 || avail > entries.length) {
                fail(c, "array cache avail " + avail + " outside [0, " + entries.length + "]");
            }
            for (int k = 0; k < avail; k++) {
                int s = a.map.slabOf(entries[k], "checkInvariants");
                if (s < 0 || slabs.cache[s] != c.index
                        || slabs.objState[s][(int) ((entries[k] - slabs.sMem[s]) / c.size)] != SlabSlabs.OBJ_CACHED) {
                    fail(c, "array cache entry 0x" + Long.toHexString(entries[k]) + " is not a cached object of the cache");
                }
            }
            cached += avail;
        }
        long out = 0;
        long user = 0;
        for (int s = c.listHead[SlabSlabs.FULL]; s >= 0; s = slabs.next[s]) {
            out += slabs.active[s];
            user += count(slabs.objState[s], c.num, SlabSlabs.OBJ_USER);
        }
        for (int s = c.listHead[SlabSlabs.PARTIAL]; s >= 0; s = slabs.next[s]) {
            out += slabs.active[s];
            user += count(slabs.objState[s], c.num, SlabSlabs.OBJ_USER);
        }
        if (out != cached + user || user != c.allocated || out != c.numActive) {
            fail(c, out + " objects out of slabs, " + cached + " in array caches, " + user + " in use, counted "
                    + c.allocated + " in use and " + c.numActive + " active");
        }
    }

    private static int count(byte[] states, int n, byte state) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            k += states[i] == state ? 1 : 0;
        }
        return k;
    }

    private static void fail(SlabCache c, String what) {
        throw new IllegalStateException("slab cache " + c.name + ": " + what);
    }
}
