package io.kmemsim.api.stats;

import org.apiguardian.api.API;

/** A component that owns named counters. The visiting order is stable (the kernel's order where it has one). */
@API(status = API.Status.STABLE, since = "0.1")
public interface HasCounters {

    /** Visits every counter this component owns; by default it owns none. */
    default void forEachCounter(CounterVisitor visitor) {
    }
}
