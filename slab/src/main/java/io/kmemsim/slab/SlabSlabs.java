package io.kmemsim.slab;

import java.util.Arrays;

/**
 * The slab table: every live slab's state in parallel primitive arrays indexed by a slab id, and the map
 * from PFN to slab id (and to large-kmalloc blocks).
 *
 * <p>Notes:
 * <ul>
 *   <li>Per slab: the free-index array {@code freeIdx[id]} (entries {@code [active, num)} are the free
 *       objects' indices, mm/slab.c: set_free_obj(), cache_init_objs() (6.1)) and the object states {@code objState[id]}: {@link #OBJ_FREE} in the slab,
 *       {@link #OBJ_CACHED} in an array cache (counted active by the slab), {@link #OBJ_USER} handed out.
 *       Both arrays are kept with the id and reused when the id is.</li>
 *   <li>{@code sMem} is the address of object 0: the slab's linear-map address plus its colour offset.</li>
 *   <li>PFN map: a directory of 64 Ki-PFN chunks made on first use; 0 = nothing, {@code id + 1} for every
 *       page of a slab, {@code -(order + 1)} for the head page of a large kmalloc.</li>
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

    private static final int CHUNK_SHIFT = 16;
    private static final int CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;

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

    private int[] freeIds = new int[64];
    private int freeIdCount;
    private int highWater;
    private int liveSlabs;
    private int[][] pfnDir = new int[16][];

    /** A fresh slab id with free-index and state arrays for {@code num} objects. */
    int newId(int num) {
        int id;
        if (freeIdCount > 0) {
            id = freeIds[--freeIdCount];
        } else {
            if (highWater == cache.length) {
                grow(highWater * 2);
            }
            id = highWater++;
        }
        if (freeIdx[id] == null || freeIdx[id].length < num) {
            freeIdx[id] = new int[num];
            objState[id] = new byte[num];
        }
        liveSlabs++;
        return id;
    }

    void releaseId(int id) {
        cache[id] = -1;
        list[id] = UNLISTED;
        if (freeIdCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
        }
        freeIds[freeIdCount++] = id;
        liveSlabs--;
    }

    int highWater() {
        return highWater;
    }

    int liveSlabs() {
        return liveSlabs;
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

    /** The PFN map value at {@code p} (0 when nothing is there). */
    int lookup(long p) {
        long chunk = p >>> CHUNK_SHIFT;
        if (chunk >= pfnDir.length) {
            return 0;
        }
        int[] c = pfnDir[(int) chunk];
        return c == null ? 0 : c[(int) (p & CHUNK_MASK)];
    }

    /** Sets the PFN map for {@code pages} pages from {@code p}. */
    void map(long p, long pages, int value) {
        for (long q = p; q < p + pages; q++) {
            long chunk = q >>> CHUNK_SHIFT;
            if (chunk >= Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pfn too large for the slab map: " + q);
            }
            if (chunk >= pfnDir.length) {
                pfnDir = Arrays.copyOf(pfnDir, (int) Math.max(chunk + 1, pfnDir.length * 2L));
            }
            int[] c = pfnDir[(int) chunk];
            if (c == null) {
                c = new int[1 << CHUNK_SHIFT];
                pfnDir[(int) chunk] = c;
            }
            c[(int) (q & CHUNK_MASK)] = value;
        }
    }
}
