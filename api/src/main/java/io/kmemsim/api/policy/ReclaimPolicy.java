package io.kmemsim.api.policy;

import org.apiguardian.api.API;

/**
 * Decides how the page allocator gets memory back under pressure: when kswapd wakes and how far it
 * balances, what direct reclaim does for an allocation stuck in the slow path, how many pages may still
 * be reclaimed in a zone (for {@code should_reclaim_retry}), and whom the OOM killer picks. The policy
 * ages and scans the LRU lists through {@link ReclaimContext}; the allocator owns the lists and frees
 * the pages.
 *
 * <p>Called by the allocator's thread only; the context is valid only during the call. Every method has
 * a default that does nothing, so {@link #NONE} is the allocator without reclaim.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public interface ReclaimPolicy {

    /** A policy that never reclaims: kswapd does nothing, direct reclaim frees nothing, no OOM kills. */
    ReclaimPolicy NONE = new ReclaimPolicy() {
    };

    /**
     * {@code wakeup_kswapd}: an allocation of {@code order} whose highest usable zone is
     * {@code highestZoneIndex} entered the slow path with {@code __GFP_KSWAPD_RECLAIM} (or a zone's
     * watermark was boosted, order 0). The policy records the request; kswapd runs on {@link #onTick}.
     */
    default void wakeKswapd(int order, int gfp, int highestZoneIndex, ReclaimContext context) {
    }

    /** Background work at simulated time {@code nowNanos}: kswapd's {@code balance_pgdat} when woken. */
    default void onTick(long nowNanos, ReclaimContext context) {
    }

    /**
     * Direct reclaim for an allocation of {@code order} with {@code gfp} ({@code try_to_free_pages}).
     * Called only when the request may direct-reclaim; the allocator counts {@code allocstall_<zone>}.
     *
     * @return the pages reclaimed ({@code did_some_progress}; 0 when nothing was freed)
     */
    default long directReclaim(int order, int gfp, int highestZoneIndex, ReclaimContext context) {
        return 0;
    }

    /**
     * Pages of zone {@code zoneIndex} reclaim could still free ({@code zone_reclaimable_pages}); the
     * allocator adds them to the free pages in {@code should_reclaim_retry}'s watermark check.
     */
    default long zoneReclaimablePages(int zoneIndex, ReclaimContext context) {
        return 0;
    }

    /**
     * The OOM killer ({@code out_of_memory}) for an allocation of {@code order} with {@code gfp} that
     * reclaim could not satisfy; called only where the kernel's {@code __alloc_pages_may_oom} would call
     * it. The policy picks a victim owner and frees its memory with {@link ReclaimContext#killOwner}.
     *
     * @return true when memory was freed (or progress is pretended, as for a request without
     *         {@code __GFP_FS}), so the allocator retries
     */
    default boolean outOfMemory(int order, int gfp, ReclaimContext context) {
        return false;
    }
}
