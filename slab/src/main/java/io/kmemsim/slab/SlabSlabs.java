package io.kmemsim.slab;

import io.kmemsim.api.support.slab.SlabIds;
import java.util.Arrays;

/**
 * The slab table: every live slab's state in parallel primitive arrays indexed by a slab id.
 *
 * <p>Notes:
 * <ul>
 *   <li>Per slab: the free-index array {@code freeIdx[id]} (entries {@code [active, num)} are the free
 *       objects' indices, §6.2) and the object states {@code objState[id]}: {@link #OBJ_FREE} in the slab,
 *       {@link #OBJ_CACHED} in an array cache (counted active by the slab), {@link #OBJ_USER} handed out.
 *       Both arrays are kept with the id and reused when the id is.</li>
 *   <li>{@code sMem} is the address of object 0: the slab's linear-map address plus its colour offset.</li>
 *   <li>The PFN map is the shared {@link io.kmemsim.api.support.slab.SlabPageMap}.</li>
 * </ul>
 */
final class SlabSlabs {

    static final byte FULL = 0;
    static final byte PARTIAL = 1;
    static final byte FREE = 2;
    static final byte UNLISTED = 3;

    static final byte OBJ_FREE = 0;
    static final byte OBJ_CACHED = 1;
    static final byte OBJ_USER = 2;

    int[] cache = new int[64];
    long[] pfn = new long[64];
    long[] sMem = new long[64];
    int[] colourOff = new int[64];
    byte[] order = new byte[64];
    byte[] list = new byte[64];
    int[] active = new int[64];
    int[] next = new int[64];
    int[] prev = new int[64];
    /** Off-slab caches: the address of the kmalloc'ed free-index array; 0 otherwise. */
    long[] offSlabFreelist = new long[64];
    int[][] freeIdx = new int[64][];
    byte[][] objState = new byte[64][];

    private final SlabIds ids = new SlabIds();

    /** A fresh slab id with free-index and state arrays for {@code num} objects. */
    int newId(int num) {
        int id = ids.acquire();
        if (id == cache.length) {
            grow(id * 2);
        }
        if (freeIdx[id] == null || freeIdx[id].length < num) {
            freeIdx[id] = new int[num];
            objState[id] = new byte[num];
        }
        return id;
    }

    void releaseId(int id) {
        cache[id] = -1;
        list[id] = UNLISTED;
        ids.release(id);
    }

    int highWater() {
        return ids.highWater();
    }

    int liveSlabs() {
        return ids.live();
    }

    /** True when {@code id} is in use. */
    boolean isLive(int id) {
        return cache[id] >= 0;
    }

    private void grow(int n) {
        cache = Arrays.copyOf(cache, n);
        pfn = Arrays.copyOf(pfn, n);
        sMem = Arrays.copyOf(sMem, n);
        colourOff = Arrays.copyOf(colourOff, n);
        order = Arrays.copyOf(order, n);
        list = Arrays.copyOf(list, n);
        active = Arrays.copyOf(active, n);
        next = Arrays.copyOf(next, n);
        prev = Arrays.copyOf(prev, n);
        offSlabFreelist = Arrays.copyOf(offSlabFreelist, n);
        freeIdx = Arrays.copyOf(freeIdx, n);
        objState = Arrays.copyOf(objState, n);
    }

    // ---------------------------------------------------------------- per-cache lists (slabs_full, slabs_partial, slabs_free)

    /** Puts slab {@code s} at the head of list {@code which} of cache {@code c}. */
    void addHead(SlabCache c, int s, byte which) {
        this.list[s] = which;
        prev[s] = -1;
        next[s] = c.listHead[which];
        if (c.listHead[which] >= 0) {
            prev[c.listHead[which]] = s;
        } else {
            c.listTail[which] = s;
        }
        c.listHead[which] = s;
    }

    /** Puts slab {@code s} at the tail of list {@code which} of cache {@code c}. */
    void addTail(SlabCache c, int s, byte which) {
        this.list[s] = which;
        next[s] = -1;
        prev[s] = c.listTail[which];
        if (c.listTail[which] >= 0) {
            next[c.listTail[which]] = s;
        } else {
            c.listHead[which] = s;
        }
        c.listTail[which] = s;
    }

    /** Takes slab {@code s} off its list, if any. */
    void unlink(SlabCache c, int s) {
        byte which = this.list[s];
        if (which == UNLISTED) {
            return;
        }
        int p = prev[s];
        int n = next[s];
        if (p >= 0) {
            next[p] = n;
        } else {
            c.listHead[which] = n;
        }
        if (n >= 0) {
            prev[n] = p;
        } else {
            c.listTail[which] = p;
        }
        next[s] = -1;
        prev[s] = -1;
        this.list[s] = UNLISTED;
    }
}
