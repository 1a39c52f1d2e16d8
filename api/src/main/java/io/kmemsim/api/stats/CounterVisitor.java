package io.kmemsim.api.stats;

import org.apiguardian.api.API;

/**
 * Receives a component's counters, one call per counter, with the kernel's name where the kernel has
 * one (e.g. {@code pgalloc_normal}, {@code nr_free_pages}, {@code compact_stall}).
 */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface CounterVisitor {

    /** One counter: its name and current value. */
    void counter(String name, long value);
}
