package io.kmemsim.slub;

import io.kmemsim.api.support.slab.SlabPages;

/**
 * {@link SlubObjectCache#checkInvariants()}: walks every slab, list and freelist and throws
 * {@link IllegalStateException} naming the first broken rule.
 *
 * <p>Checked: each live slab belongs to a live cache and its pages map back to it; every freelist (slab
 * and cpu) stays within its slab, is acyclic and holds no handed-out object; a slab's {@code inuse} is
 * its object count minus its own freelist; handed-out plus lost (debug caches) objects are the rest; node and cpu partial lists are well linked, hold slabs of the
 * right state and CPU with free objects, and {@code nr_partial} and the cpu list counts match; per-cache
 * slab and object totals and the handed-out count match; pages taken from the page allocator minus pages
 * returned equal the pages held by slabs and large kmallocs.
 */
final class SlubInvariants {

    private SlubInvariants() {
    }

    static void check(SlubObjectCache a) {
        SlubSlabs t = a.slabs;
        int n = a.caches.size();
        long[] slabCount = new long[n];
        long[] objectCount = new long[n];
        long[] handedOut = new long[n];
        long slabPages = 0;
        for (int id = 0; id < t.highWater(); id++) {
            if (t.state[id] == SlubSlabs.FREE_ID) {
                continue;
            }
            int ci = t.cache[id];
            if (ci < 0 || ci >= n || !a.caches.get(ci).live) {
                fail("slab " + id + " belongs to no live cache: " + ci);
            }
            SlubCache c = a.caches.get(ci);
            long pages = 1L << t.order[id];
            for (long p = t.pfn[id]; p < t.pfn[id] + pages; p++) {
                if (a.map.lookup(p) != id + 1) {
                    fail("pfn " + p + " of slab " + id + " (" + c.name + ") maps to " + a.map.lookup(p));
                }
            }
            int free = walk(t, id, t.freelist[id], c.name + " slab " + id + " freelist");
            if (t.inuse[id] != t.objects[id] - free) {
                fail(c.name + " slab " + id + ": inuse " + t.inuse[id] + " != objects " + t.objects[id] + " - free " + free);
            }
            int marked = 0;
            int lost = 0;
            int[] next = t.objNext[id];
            for (int i = 0; i < t.objects[id]; i++) {
                if (next[i] == SlubSlabs.ALLOCATED) {
                    marked++;
                } else if (next[i] == SlubSlabs.LOST) {
                    lost++;
                }
            }
            if (lost > 0 && !c.debug) {
                fail(c.name + " slab " + id + ": " + lost + " lost objects in a cache without debug flags");
            }
            int cpuFree = 0;
            if (t.state[id] == SlubSlabs.CPU) {
                int cpu = t.cpu[id];
                if (cpu < 0 || c.cpu[cpu].slab != id) {
                    fail(c.name + " slab " + id + " is frozen but not the cpu slab of cpu " + cpu);
                }
                cpuFree = walk(t, id, c.cpu[cpu].freelist, c.name + " cpu " + cpu + " freelist");
            }
            if (marked + lost != t.objects[id] - free - cpuFree) {
                fail(c.name + " slab " + id + ": " + marked + " objects handed out and " + lost + " lost, expected "
                        + (t.objects[id] - free - cpuFree));
            }
            if (t.state[id] == SlubSlabs.FULL && free != 0) {
                fail(c.name + " slab " + id + " is off every list but has " + free + " free objects");
            }
            handedOut[ci] += marked;
            slabCount[ci]++;
            objectCount[ci] += t.objects[id];
            slabPages += pages;
        }
        for (SlubCache c : a.caches) {
            if (c.live) {
                checkCache(a, c, slabCount[c.index], objectCount[c.index], handedOut[c.index]);
            }
        }
        SlabPages book = a.book;
        if (book.pagesTaken() - book.pagesReturned() != slabPages + book.largePages()) {
            fail("pages taken " + book.pagesTaken() + " - returned " + book.pagesReturned() + " != slab pages "
                    + slabPages + " + large kmalloc pages " + book.largePages());
        }
    }

    private static void checkCache(SlubObjectCache a, SlubCache c, long slabs, long objects, long handedOut) {
        SlubSlabs t = a.slabs;
        if (slabs != c.nrSlabs || objects != c.totalObjects) {
            fail(c.name + ": node counts " + c.nrSlabs + " slabs / " + c.totalObjects + " objects, found "
                    + slabs + " / " + objects);
        }
        if (handedOut != c.allocated) {
            fail(c.name + ": " + c.allocated + " objects allocated, " + handedOut + " marked");
        }
        int count = 0;
        int prev = -1;
        for (int s = c.partialHead; s >= 0; s = t.next[s]) {
            if (++count > c.nrSlabs) {
                fail(c.name + ": node partial list is cyclic");
            }
            if (t.state[s] != SlubSlabs.NODE_PARTIAL || t.cache[s] != c.index || t.prev[s] != prev) {
                fail(c.name + ": slab " + s + " badly linked on the node partial list (state " + t.state[s] + ")");
            }
            if (t.freelist[s] == SlubSlabs.END) {
                fail(c.name + ": slab " + s + " on the node partial list has no free object");
            }
            prev = s;
        }
        if (count != c.nrPartial || prev != c.partialTail) {
            fail(c.name + ": nr_partial " + c.nrPartial + " but " + count + " slabs listed");
        }
        for (int cpu = 0; cpu < a.cpus; cpu++) {
            if (c.cpu[cpu].slab < 0 && c.cpu[cpu].freelist != SlubSlabs.END) {
                fail(c.name + ": cpu " + cpu + " has a freelist but no cpu slab");
            }
            int len = 0;
            for (int s = c.cpu[cpu].partialHead; s >= 0; s = t.next[s]) {
                if (++len > c.nrSlabs) {
                    fail(c.name + ": cpu " + cpu + " partial list is cyclic");
                }
                if (t.state[s] != SlubSlabs.CPU_PARTIAL || t.cpu[s] != cpu || t.cache[s] != c.index) {
                    fail(c.name + ": slab " + s + " on cpu " + cpu + "'s partial list has state " + t.state[s]);
                }
                if (t.freelist[s] == SlubSlabs.END) {
                    fail(c.name + ": slab " + s + " on cpu " + cpu + "'s partial list has no free object");
                }
            }
            int head = c.cpu[cpu].partialHead;
            if (head >= 0 && t.partialSlabs[head] != len) {
                fail(c.name + ": cpu " + cpu + " partial list has " + len + " slabs, head says " + t.partialSlabs[head]);
            }
        }
    }

    /** Counts a freelist from {@code head} within slab {@code id}, failing on a cycle, a stray index or a handed-out object. */
    private static int walk(SlubSlabs t, int id, int head, String what) {
        int[] next = t.objNext[id];
        int count = 0;
        for (int i = head; i != SlubSlabs.END; i = next[i]) {
            if (i < 0 || i >= t.objects[id]) {
                fail(what + ": index " + i + " outside [0, " + t.objects[id] + ")");
            }
            if (++count > t.objects[id]) {
                fail(what + ": cycle");
            }
        }
        return count;
    }

    private static void fail(String message) {
        throw new IllegalStateException(message);
    }
}
