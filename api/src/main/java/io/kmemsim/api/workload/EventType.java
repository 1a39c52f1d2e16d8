package io.kmemsim.api.workload;

import org.apiguardian.api.API;

/** The kinds of simulation event; which {@link Event} fields each uses is listed per constant. */
@API(status = API.Status.STABLE, since = "0.1")
public enum EventType {
    /** A page allocation: handle, order, gfp, cpu (pfn: the trace's PFN when replaying, else −1). */
    PAGE_ALLOC,
    /** A page free: handle (of the allocation), order, cpu (pfn as for PAGE_ALLOC). */
    PAGE_FREE,
    /** kmalloc: handle, size, gfp, cpu. */
    KMALLOC,
    /** kfree: handle (of the kmalloc; −1 for {@code kfree(NULL)}), cpu. */
    KFREE,
    /** kmem_cache_create: cacheHandle, name, size, align, flags (SLAB_* bits; bit 63 = has a constructor). */
    CACHE_CREATE,
    /** kmem_cache_alloc: cacheHandle, handle, gfp, cpu. */
    CACHE_ALLOC,
    /** kmem_cache_free: cacheHandle, handle, cpu. */
    CACHE_FREE,
    /** kmem_cache_destroy: cacheHandle. */
    CACHE_DESTROY,
    /** Time passes: timeNanos is the new simulated time (periodic work runs). */
    TICK
}
