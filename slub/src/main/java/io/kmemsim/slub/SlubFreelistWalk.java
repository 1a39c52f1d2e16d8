package io.kmemsim.slub;

/**
 * The debug caches' freelist walk ({@code mm/slub.c: on_freelist()}, §4.5) through the simulated
 * free-pointer words, with the kernel's repairs ({@code Freechain corrupt}, {@code Freepointer corrupt},
 * {@code Object count adjusted}) and the rebuild of the allocator's own freelist from what the walk found.
 */
final class SlubFreelistWalk {

    /** A walked object while the freelist is rebuilt. */
    private static final int IN_CHAIN = -4;

    private final SlubObjectCache a;
    private final SlubDebug d;
    private final SlubSlabs t;
    /** The objects of the last walk, in order. */
    private int[] chain = new int[64];

    SlubFreelistWalk(SlubObjectCache a, SlubDebug d) {
        this.a = a;
        this.d = d;
        this.t = a.slabs;
    }

    /**
     * {@code on_freelist} (§4.5): walks the slab's freelist through the free-pointer words, looking for
     * object {@code search} (−1: none). A bad link after an object cuts the chain there
     * ({@code Freechain corrupt}); a bad head clears the freelist ({@code Freepointer corrupt},
     * {@code Freelist cleared}); then the slab's in-use counter is checked against the count. The
     * allocator's freelist is rebuilt from the walk when {@code resync} or a repair happened.
     *
     * @return 1 when {@code search} was found, 0 when not, −1 when the freelist was cleared
     */
    int onFreelist(SlubCache c, int slab, int search, boolean resync) {
        int objects = t.objects[slab];
        if (chain.length < objects + 2) {
            chain = new int[objects + 2];
        }
        long fp = d.freelistAddr(c, slab);
        long target = search < 0 ? -1 : d.objAddr(c, slab, search);
        int nr = 0;
        int object = -1;
        boolean repaired = false;
        while (fp != 0 && nr <= objects) {
            if (fp == target) {
                return 1;
            }
            if (!d.validPointer(c, slab, fp)) {
                if (object < 0) {
                    d.slabErr(c, slab, "Freepointer corrupt");
                    rebuild(c, slab, 0);
                    t.inuse[slab] = objects;
                    d.r.fix(d.out, c.name, "Freelist cleared");
                    return -1;
                }
                d.objectErr(c, slab, object, "Freechain corrupt");
                d.storeFreePointer(c, slab, object, 0);
                repaired = true;
                break;
            }
            object = d.indexOf(c, slab, fp);
            chain[nr++] = object;
            fp = d.getFreePointer(c, slab, object);
        }
        if (t.inuse[slab] != objects - nr) {
            d.slabErr(c, slab, "Wrong object count. Counter is " + t.inuse[slab] + " but counted were " + (objects - nr));
            d.r.fix(d.out, c.name, "Object count adjusted");
            repaired = true;
        }
        if (repaired || resync) {
            rebuild(c, slab, nr);
        }
        return 0;
    }

    /**
     * Rebuilds the allocator's freelist of {@code slab} from the first {@code n} walked objects in
     * {@link #chain} (stopping at a repeat): they become free (a handed-out one is no longer counted as
     * allocated), every other non-handed-out object becomes {@link SlubSlabs#LOST}; {@code inuse} follows.
     * A node-partial slab left without free objects leaves the list; a listless slab that regained free
     * objects joins it (the kernel leaves lists alone here; kmemsim keeps its list invariants).
     */
    private void rebuild(SlubCache c, int slab, int n) {
        int[] next = t.objNext[slab];
        int objects = t.objects[slab];
        for (int i = 0; i < objects; i++) {
            if (next[i] != SlubSlabs.ALLOCATED) {
                next[i] = SlubSlabs.LOST;
            }
        }
        int head = SlubSlabs.END;
        int prev = -1;
        int len = 0;
        for (int k = 0; k < n; k++) {
            int idx = chain[k];
            if (next[idx] >= 0 || next[idx] == IN_CHAIN || next[idx] == SlubSlabs.END) {
                break;
            }
            if (next[idx] == SlubSlabs.ALLOCATED) {
                c.allocated--;
            }
            next[idx] = IN_CHAIN;
            if (prev < 0) {
                head = idx;
            } else {
                next[prev] = idx;
            }
            prev = idx;
            len++;
        }
        if (prev >= 0) {
            next[prev] = SlubSlabs.END;
        }
        t.freelist[slab] = head;
        t.inuse[slab] = objects - len;
        if (t.state[slab] == SlubSlabs.NODE_PARTIAL && head == SlubSlabs.END) {
            a.slow.removePartial(c, slab);
        } else if (t.state[slab] == SlubSlabs.FULL && head != SlubSlabs.END && !d.failed[slab]) {
            a.slow.addPartial(c, slab, true);
        }
    }

    /** True when object {@code idx} is on the allocator's freelist of {@code slab}. */
    boolean isFree(int slab, int idx) {
        int v = t.objNext[slab][idx];
        return v >= 0 || v == SlubSlabs.END;
    }
}
