package io.kmemsim.api.reclaim;

import org.apiguardian.api.API;

/**
 * A slab shrinker ({@code struct shrinker}, include/linux/shrinker.h, 6.1): something that holds objects
 * of reclaimable caches (dentries, inodes: {@code SLAB_RECLAIM_ACCOUNT}) it can let go of under memory
 * pressure. It is registered on the page allocator ({@link io.kmemsim.api.mm.PageAllocator#registerShrinker},
 * the kernel's {@code register_shrinker}); the reclaim policy calls it from {@code shrink_slab}
 * ({@link io.kmemsim.api.policy.ReclaimContext#shrinkers}), deciding how many objects to scan from
 * {@link #countObjects}, the scan priority, {@link #seeks} and {@link #batch} as 6.1's
 * {@code do_shrink_slab} (mm/vmscan.c) does.
 *
 * <p>Called by the host's thread only, from inside an allocation or a tick: a shrinker frees objects (through
 * {@link CacheObjects}) and must not allocate.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public interface Shrinker {

    /** {@code DEFAULT_SEEKS} (include/linux/shrinker.h): the cost of recreating an object, relative. */
    int DEFAULT_SEEKS = 2;
    /** {@code SHRINK_BATCH} (mm/vmscan.c): objects per {@link #scanObjects} call when {@link #batch} is 0. */
    long SHRINK_BATCH = 128;
    /** {@code SHRINK_STOP}: returned by {@link #scanObjects} when it cannot make progress now (e.g. no {@code __GFP_FS}). */
    long SHRINK_STOP = -1;
    /** {@code SHRINK_EMPTY}: returned by {@link #countObjects} when there is nothing at all. */
    long SHRINK_EMPTY = -2;

    /** A name for counters and messages (e.g. {@code super_cache} for a superblock's dentry and inode LRUs). */
    String name();

    /** {@code count_objects}: the objects that could be freed now, 0 or {@link #SHRINK_EMPTY} when none. */
    long countObjects();

    /**
     * {@code scan_objects}: looks at up to {@code nrToScan} objects, least recently used first, and frees
     * those it can.
     *
     * @param gfp the gfp mask of the reclaim ({@code shrink_control.gfp_mask})
     * @return the objects freed, or {@link #SHRINK_STOP}
     */
    long scanObjects(long nrToScan, int gfp);

    /** {@code shrinker->seeks}; 0 means "no IO to recreate": scan half of them at any priority. */
    default int seeks() {
        return DEFAULT_SEEKS;
    }

    /** {@code shrinker->batch}; 0 means {@link #SHRINK_BATCH}. */
    default long batch() {
        return 0;
    }
}
