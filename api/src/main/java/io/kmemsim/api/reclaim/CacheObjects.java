package io.kmemsim.api.reclaim;

import org.apiguardian.api.API;

/**
 * The host's side of a workload's {@link Shrinker}: frees a live object the workload allocated (a
 * CACHE_ALLOC event) through the object cache, as the kernel's {@code prune_dcache_sb} ends in
 * {@code kmem_cache_free}. Handed to {@link io.kmemsim.api.workload.Workload#shrinkers}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
@FunctionalInterface
public interface CacheObjects {

    /**
     * Frees the live object {@code handle} of the workload's cache {@code cacheHandle}.
     *
     * @return true when it was live and is now freed; false when it was not live (nothing changed)
     */
    boolean free(long cacheHandle, long handle);
}
