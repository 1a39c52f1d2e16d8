package io.kmemsim.api.support.slab;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Slab ids: indexes into an allocator's struct-of-arrays slab table, recycled last-in first-out so the
 * table stays as small as the most slabs ever live at once.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class SlabIds {

    private int[] free = new int[64];
    private int freeCount;
    private int highWater;
    private int live;

    /** A free id: a recycled one, else {@link #highWater()} (the caller grows its arrays when that reaches their length). */
    public int acquire() {
        live++;
        return freeCount > 0 ? free[--freeCount] : highWater++;
    }

    /** Gives {@code id} back. */
    public void release(int id) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = id;
        live--;
    }

    /** Ids below this bound have been used. */
    public int highWater() {
        return highWater;
    }

    /** Ids in use. */
    public int live() {
        return live;
    }
}
