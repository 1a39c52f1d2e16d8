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

    /** Releases resources (open trace files); by default nothing. */
    @Override
    default void close() {
    }
}
