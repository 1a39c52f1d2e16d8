package io.kmemsim.api.slab;

import io.kmemsim.api.stats.HasCounters;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A slab allocator: a set of object caches ({@code kmem_cache}) plus kmalloc, over the
 * {@link io.kmemsim.api.mm.PageAllocator}. Objects are named by simulated kernel virtual address.
 *
 * <p>Contract:
 * <ul>
 *   <li>Only the host's thread calls it; CPUs are arguments. Deterministic for a given seed.</li>
 *   <li>Out of memory is a return value ({@link #NO_OBJECT}); misuse (double free, free of an address
 *       the cache did not hand out, unknown cache id) throws {@link IllegalArgumentException} naming
 *       the rule and the address, unless a debug option of the allocator is set to report it the
 *       kernel's way instead.</li>
 *   <li>Cache ids returned by {@link #createCache} are small non-negative ints, valid until
 *       {@link #destroyCache}.</li>
 * </ul>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface ObjectCache extends HasCounters {

    /** Returned by the allocation methods when no memory could be had. */
    long NO_OBJECT = 0L;

    /** {@code kmem_cache_create}: creates a cache (or an alias of a mergeable one) and returns its id. */
    int createCache(CacheSpec spec);

    /** {@code kmem_cache_destroy}. */
    void destroyCache(int cacheId);

    /** {@code kmem_cache_alloc}: an object of cache {@code cacheId}, or {@link #NO_OBJECT}. */
    long alloc(int cacheId, int gfp, int cpu);

    /** {@code kmem_cache_free}. */
    void free(int cacheId, long address, int cpu);

    /** {@code kmalloc}: an object of at least {@code size} bytes, or {@link #NO_OBJECT}. */
    long kmalloc(long size, int gfp, int cpu);

    /** {@code kfree}; {@code address} {@link #NO_OBJECT} is allowed and does nothing, as in the kernel. */
    void kfree(long address, int cpu);

    /** {@code ksize}: the usable size of a kmalloc'ed object. */
    long ksize(long address);

    /**
     * {@code krealloc}: resizes a kmalloc'ed object, keeping it when the new size fits, else allocating
     * a new one, copying and freeing the old; {@code newSize} 0 frees and returns
     * {@link io.kmemsim.api.slab.KmallocClasses#ZERO_SIZE_PTR}; {@link #NO_OBJECT} on failure (the old
     * object is kept).
     *
     * @throws UnsupportedOperationException when the allocator does not model krealloc (the default)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    default long krealloc(long address, long newSize, int gfp, int cpu) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not model krealloc");
    }

    /**
     * {@code kmem_cache_shrink}: releases what the cache holds without objects in use.
     *
     * @throws UnsupportedOperationException when the allocator does not model shrinking (the default)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    default void shrink(int cacheId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not model kmem_cache_shrink");
    }

    /** Periodic work at simulated time {@code nowNanos} (SLAB's cache reaping). */
    default void tick(long nowNanos) {
    }

    /** The {@code /proc/slabinfo} rows, in the kernel's order. */
    List<CacheInfo> slabinfo();

    /** Checks every internal invariant; throws {@link IllegalStateException} describing the first broken one. */
    void checkInvariants();
}
