package io.kmemsim.api.workload;

import io.kmemsim.api.stats.HasCounters;
import org.apiguardian.api.API;

/**
 * A stream of simulation events, pulled by the host one at a time into a flyweight {@link Event}.
 *
 * <p>Contract: deterministic for its seed; {@link #next} is called by the host's thread only, and
 * never again after it returned false. Its counters (by default none) describe what it generated or,
 * for a trace replay, what it could not replay. A workload that frees what it allocated learns of failed
 * allocations through {@link #allocationFailed} and must not free those handles.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Workload extends AutoCloseable, HasCounters {

    /**
     * Fills {@code into} with the next event.
     *
     * @return false when the stream has ended ({@code into} is then unspecified)
     */
    boolean next(Event into);

    /** The number of events the stream will produce, or −1 when unknown (used for progress only). */
    default long expectedEvents() {
        return -1;
    }

    /** The allocation with {@code handle} (page, kmalloc or cache object) failed: it is not live. */
    default void allocationFailed(long handle) {
    }

    /**
     * The live page allocation with {@code handle} was freed by the host's reclaim ({@code oomKill}: the
     * OOM killer freed its owner's memory): it is not live any more, and the workload must not free or
     * access it. A page cache workload reads it again as a new allocation (a refault). By default nothing.
     */
    default void reclaimed(long handle, boolean oomKill) {
    }

    /**
     * The slab shrinkers of this workload (for objects of reclaimable caches it keeps, such as dentries),
     * given the host's way to free its objects; the host registers them on the page allocator before the
     * first event. By default none. Since 0.2.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default java.util.List<io.kmemsim.api.reclaim.Shrinker> shrinkers(io.kmemsim.api.reclaim.CacheObjects objects) {
        return java.util.List.of();
    }

    /**
     * Like {@link #reclaimed} for a page cache page reclaim evicted, with the shadow entry the kernel
     * leaves in the page cache ({@code workingset_eviction}, mm/workingset.c 6.1): a workload that reads
     * the page again passes it back with {@link Event#asRefault(long)}. By default {@link #reclaimed}.
     * Since 0.2.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default void evicted(long handle, long shadow) {
        reclaimed(handle, false);
    }

    /** Releases resources (open trace files); by default nothing. */
    @Override
    default void close() {
    }
}
