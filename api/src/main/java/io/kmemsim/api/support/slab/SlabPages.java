package io.kmemsim.api.support.slab;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.slab.KmallocClasses;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.slab.SlabFlags;
import org.apiguardian.api.API;

/**
 * The pages a slab allocator holds: slab pages counted as reclaimable or unreclaimable
 * ({@code NR_SLAB_RECLAIMABLE_B} / {@code NR_SLAB_UNRECLAIMABLE_B}, {@code mm/slab.h:
 * account_slab()}, 6.1) and large kmallocs straight from the page allocator ({@code mm/slab_common.c:
 * kmalloc_large()} and {@code free_large_kmalloc()}, 6.1), which count as unreclaimable.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class SlabPages {

    private final PageAllocator pages;
    private final SlabPageMap map;
    private long taken;
    private long returned;
    private long large;
    private long reclaimableBytes;
    private long unreclaimableBytes;

    public SlabPages(PageAllocator pages, SlabPageMap map) {
        this.pages = pages;
        this.map = map;
    }

    /** Counts a new slab of {@code order} in a cache with {@code cacheFlags}. */
    public void slabAdded(long cacheFlags, int order) {
        taken += 1L << order;
        bytes(cacheFlags, 1L << (order + map.pageShift()));
    }

    /** Counts a slab of {@code order} given back. */
    public void slabRemoved(long cacheFlags, int order) {
        returned += 1L << order;
        bytes(cacheFlags, -(1L << (order + map.pageShift())));
    }

    private void bytes(long cacheFlags, long bytes) {
        if ((cacheFlags & SlabFlags.RECLAIM_ACCOUNT) != 0) {
            reclaimableBytes += bytes;
        } else {
            unreclaimableBytes += bytes;
        }
    }

    /**
     * {@code kmalloc_large}: a compound page of {@code get_order(size)} without the zone modifiers a
     * compound page cannot have; {@link ObjectCache#NO_OBJECT} when the order is above the buddy's largest
     * or the page allocator fails.
     */
    public long kmallocLarge(long size, int gfp, int cpu) {
        int order = KmallocClasses.getOrder(size, map.pageShift());
        if (order > pages.maxOrder()) {
            return ObjectCache.NO_OBJECT;
        }
        long pfn = pages.allocate(order, (gfp & ~(Gfp.DMA32 | Gfp.HIGHMEM)) | Gfp.COMP, cpu);
        if (pfn == PageAllocator.NO_PAGE) {
            return ObjectCache.NO_OBJECT;
        }
        map.mapLarge(pfn, order);
        taken += 1L << order;
        large += 1L << order;
        unreclaimableBytes += 1L << (order + map.pageShift());
        return map.address(pfn);
    }

    /**
     * Frees the large kmalloc at {@code address} (whose head page {@link SlabPageMap#slabOf} found).
     *
     * @throws IllegalArgumentException when {@code address} is inside the block, not its start
     */
    public void freeLarge(long address, int cpu) {
        long pfn = headPfn(address, "kfree");
        int order = map.largeOrder(pfn);
        map.map(pfn, 1, 0);
        pages.free(pfn, order, cpu);
        returned += 1L << order;
        large -= 1L << order;
        unreclaimableBytes -= 1L << (order + map.pageShift());
    }

    /** {@code ksize} of an address in the head page of a large kmalloc: the whole compound page. */
    public long largeKsize(long address) {
        return 1L << (map.pageShift() + map.largeOrder((address - map.linearBase()) >>> map.pageShift()));
    }

    private long headPfn(long address, String op) {
        long rel = address - map.linearBase();
        if ((rel & ((1L << map.pageShift()) - 1)) != 0) {
            throw new IllegalArgumentException(op + ": address inside a large kmalloc, not its start: 0x"
                    + Long.toHexString(address));
        }
        return rel >>> map.pageShift();
    }

    /** Pages taken from the page allocator so far (slabs and large kmallocs). */
    public long pagesTaken() {
        return taken;
    }

    /** Pages given back so far. */
    public long pagesReturned() {
        return returned;
    }

    /** Pages held by large kmallocs now. */
    public long largePages() {
        return large;
    }

    /** Bytes of slabs in SLAB_RECLAIM_ACCOUNT caches. */
    public long reclaimableBytes() {
        return reclaimableBytes;
    }

    /** Bytes of the other slabs and of large kmallocs. */
    public long unreclaimableBytes() {
        return unreclaimableBytes;
    }
}
