package io.kmemsim.slub;

import io.kmemsim.api.support.slab.SlabIds;
import java.util.Arrays;

/**
 * The slab table: every live slab's state in parallel primitive arrays indexed by a slab id (the PFN
 * map is the shared {@link io.kmemsim.api.support.slab.SlabPageMap}).
 *
 * <p>Notes:
 * <ul>
 *   <li>Object {@code i} of a slab is linked by {@code objNext[slab][i]}: the next free object's index,
 *       {@link #END} at the end of a freelist, {@link #ALLOCATED} while the object is handed out, or
 *       {@link #LOST} (debug caches, after a repair). The
 *       per-slab {@code int[]} is kept with the id and reused when the id is (one array per slab id, not
 *       per object; allocated only when a new slab needs more room than the id had).</li>
 *   <li>Slab ids are recycled LIFO; state {@link #FREE_ID} marks an unused id.</li>
 * </ul>
 */
final class SlubSlabs {

    static final int END = -1;
    static final int ALLOCATED = -2;
    /**
     * Debug caches only: neither free nor handed out — cut off a corrupted freelist, or retired with its
     * slab after a failed allocation check ({@code Marking all objects used}); counted in {@code inuse}.
     */
    static final int LOST = -3;

    static final byte FREE_ID = 0;
    /** Frozen: the cpu slab of {@link #cpu}. */
    static final byte CPU = 1;
    /** On the cpu partial list of {@link #cpu} (frozen up to 6.7). */
    static final byte CPU_PARTIAL = 2;
    /** On the node partial list. */
    static final byte NODE_PARTIAL = 3;
    /** Off every list with no free object (debug caches with U would keep it on the full list). */
    static final byte FULL = 4;

    int[] cache = new int[64];
    /** The cache of each live slab (the same as {@code cache}, as a reference for the hot paths). */
    SlubCache[] owner = new SlubCache[64];
    long[] pfn = new long[64];
    long[] base = new long[64];
    byte[] order = new byte[64];
    byte[] state = new byte[64];
    int[] objects = new int[64];
    int[] inuse = new int[64];
    int[] freelist = new int[64];
    int[] cpu = new int[64];
    int[] next = new int[64];
    int[] prev = new int[64];
    /** Cpu partial bookkeeping of the slab at push time: list length ({@code slab->slabs}). */
    int[] partialSlabs = new int[64];
    /** 5.10: free objects of the list at push time ({@code page->pobjects}). */
    int[] partialObjects = new int[64];
    int[][] objNext = new int[64][];

    private final SlabIds ids = new SlabIds();

    /** A fresh slab id (its arrays zeroed where it matters by the caller). */
    int newId() {
        int id = ids.acquire();
        if (id == cache.length) {
            grow(id * 2);
        }
        return id;
    }

    void releaseId(int id) {
        state[id] = FREE_ID;
        cache[id] = -1;
        owner[id] = null;
        ids.release(id);
    }

    /** Ids below this bound have been used. */
    int highWater() {
        return ids.highWater();
    }

    int liveSlabs() {
        return ids.live();
    }

    /** The object-link array of slab {@code id} with room for {@code n} objects. */
    int[] objNextFor(int id, int n) {
        int[] a = objNext[id];
        if (a == null || a.length < n) {
            a = new int[n];
            objNext[id] = a;
        }
        return a;
    }

    private void grow(int n) {
        cache = Arrays.copyOf(cache, n);
        owner = Arrays.copyOf(owner, n);
        pfn = Arrays.copyOf(pfn, n);
        base = Arrays.copyOf(base, n);
        order = Arrays.copyOf(order, n);
        state = Arrays.copyOf(state, n);
        objects = Arrays.copyOf(objects, n);
        inuse = Arrays.copyOf(inuse, n);
        freelist = Arrays.copyOf(freelist, n);
        cpu = Arrays.copyOf(cpu, n);
        next = Arrays.copyOf(next, n);
        prev = Arrays.copyOf(prev, n);
        partialSlabs = Arrays.copyOf(partialSlabs, n);
        partialObjects = Arrays.copyOf(partialObjects, n);
        objNext = Arrays.copyOf(objNext, n);
    }
}
