package io.kmemsim.api.support.slab;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.slab.CacheAlignment;
import io.kmemsim.api.slab.SlabFlags;
import org.apiguardian.api.API;

/** The cache rules of {@code mm/slab_common.c} (6.1) that SLAB and SLUB share: merging and the slab GFP flags. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class CacheRules {

    private CacheRules() {
    }

    /**
     * True when a new cache may be merged at all ({@code slab_unmergeable()} of the new cache): merging on,
     * no constructor, no never-merge flag.
     */
    public static boolean mergeable(KernelVersion kernel, boolean merge, boolean ctor, long flags) {
        return merge && !ctor && (flags & SlabFlags.neverMerge(kernel)) == 0;
    }

    /**
     * The common tests of {@code find_mergeable()}: an existing cache of stride {@code existingSize} and
     * flags {@code existingFlags} can take a new one of word-aligned, {@code align}-aligned size
     * {@code size} with {@code flags} when it is not smaller, has the same {@code SLAB_MERGE_SAME} flags,
     * is {@code align}-aligned and wastes less than a word.
     */
    public static boolean mergeFits(int size, int align, long flags, int existingSize, long existingFlags) {
        return size <= existingSize
                && (flags & SlabFlags.MERGE_SAME) == (existingFlags & SlabFlags.MERGE_SAME)
                && (existingSize & (align - 1)) == 0
                && existingSize - size < CacheAlignment.WORD;
    }

    /** The size {@code find_mergeable()} compares: {@code ALIGN(ALIGN(size, sizeof(void *)), align)}. */
    public static int mergeSize(int size, int align) {
        return CacheAlignment.alignUp(CacheAlignment.alignUp(size, CacheAlignment.WORD), align);
    }

    /** The zone and mobility bits a cache's flags add to its slab allocations ({@code s->allocflags}). */
    public static int allocFlags(long flags) {
        return ((flags & SlabFlags.CACHE_DMA) != 0 ? Gfp.DMA : 0)
                | ((flags & SlabFlags.CACHE_DMA32) != 0 ? Gfp.DMA32 : 0)
                | ((flags & SlabFlags.RECLAIM_ACCOUNT) != 0 ? Gfp.RECLAIMABLE : 0);
    }
}
