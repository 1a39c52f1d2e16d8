package io.kmemsim.api.support.slab;

import org.apiguardian.api.API;

/**
 * {@code obj_to_index} without a division: like the kernel's {@code reciprocal_divide(offset,
 * cache->reciprocal_size)} ({@code include/linux/slub_def.h}, {@code mm/slab.h}, 6.1), the object index is
 * a multiply-high by a per-cache reciprocal. Here the reciprocal is {@code ceil(2^64 / size)}, exact for
 * every offset below 2^32 (Lemire, Kaser and Kurz, "Faster remainder by direct computation", 2019).
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ObjectIndex {

    private ObjectIndex() {
    }

    /**
     * The reciprocal of a stride (a slab stride is at least a word; from 3 up the reciprocal fits a signed
     * long, so {@link Math#multiplyHigh} gives the unsigned product).
     *
     * @throws IllegalArgumentException when {@code size < 3}
     */
    public static long reciprocal(int size) {
        if (size < 3) {
            throw new IllegalArgumentException("object stride must be >= 3: " + size);
        }
        return Long.divideUnsigned(-1L, size) + 1;
    }

    /** {@code offset / size} for {@code 0 <= offset < 2^31}, given {@code reciprocal(size)}. */
    public static int divide(int offset, long reciprocal) {
        return (int) Math.multiplyHigh(reciprocal, offset);
    }
}
