package io.kmemsim.workloads;

import io.kmemsim.api.reclaim.CacheObjects;
import io.kmemsim.api.reclaim.Shrinker;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;
import java.util.List;

/**
 * One synthetic event source without a clock: {@link GeneratedWorkload} (or the {@code mix}) decides
 * when it is asked, and sets ticks and time.
 */
interface Generator {

    /** Fills {@code into} with one event that is not a TICK; never allocates per call. */
    void emit(Event into);

    /** The slab shrinkers of this source (objects of reclaimable caches it keeps); by default none. */
    default List<Shrinker> shrinkers(CacheObjects objects) {
        return List.of();
    }

    /** The source's own counters; by default none. */
    default void forEachCounter(CounterVisitor visitor) {
    }
}
