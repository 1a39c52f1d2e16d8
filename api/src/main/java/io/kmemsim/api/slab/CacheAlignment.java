package io.kmemsim.api.slab;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import org.apiguardian.api.API;

/**
 * The alignment arithmetic both slab allocators share (mm/slab_common.c: setup_kmalloc_cache_index_table(), calculate_alignment() (6.1)).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class CacheAlignment {

    /** The word size {@code W} on the 64-bit kernels modelled. */
    public static final int WORD = 8;

    /** {@code ARCH_SLAB_MINALIGN}: alignof(u64) = 8 (no KASAN tag modes). */
    public static final int ARCH_SLAB_MINALIGN = 8;

    private CacheAlignment() {
    }

    /**
     * {@code calculate_alignment} (mm/slab_common.c: calculate_alignment() (6.1)): with {@link SlabFlags#HWCACHE_ALIGN} start from the cache line
     * and halve it while the object fits in half of it; never below {@link #ARCH_SLAB_MINALIGN}; rounded
     * up to a multiple of the word.
     *
     * @param flags         the cache's {@code SLAB_*} flags
     * @param align         the requested alignment (0 for none)
     * @param size          the object size
     * @param cacheLineSize {@code cache_line_size()} (64 on the RK3588 and x86-64)
     */
    public static int calculate(long flags, int align, int size, int cacheLineSize) {
        int a = align;
        if ((flags & SlabFlags.HWCACHE_ALIGN) != 0) {
            int r = cacheLineSize;
            while (size <= r / 2) {
                r /= 2;
            }
            a = Math.max(a, r);
        }
        a = Math.max(a, ARCH_SLAB_MINALIGN);
        return alignUp(a, WORD);
    }

    /**
     * The alignment a kmalloc cache of {@code size} bytes is created with, before {@link #calculate}
     * (mm/slab_common.c: setup_kmalloc_cache_index_table() (6.1); include/linux/slab.h: ARCH_KMALLOC_MINALIGN (6.1)): from {@code archKmallocMinalign}, raised for a power-of-two size to the size itself
     * (5.10 – 6.6: "natural alignment"), or from 6.12 to the largest power of two dividing the size
     * (96 → 32, 192 → 64). The reference does not pin when the second rule arrived; kmemsim applies it
     * from 6.12 (it changes only the {@code align} value, never the stride of a non-debug cache).
     */
    public static int kmallocAlign(KernelVersion kernel, int size, int archKmallocMinalign) {
        if (kernel.has(Feature.KMALLOC_ALIGN_LOWEST_BIT)) {
            return Math.max(archKmallocMinalign, size & -size);
        }
        return Integer.bitCount(size) == 1 ? Math.max(archKmallocMinalign, size) : archKmallocMinalign;
    }

    /** {@code ALIGN(x, a)} for a power of two {@code a}. */
    public static int alignUp(int x, int a) {
        return (x + a - 1) & -a;
    }

    /** {@code ALIGN(x, a)} for a power of two {@code a}. */
    public static long alignUp(long x, long a) {
        return (x + a - 1) & -a;
    }
}
