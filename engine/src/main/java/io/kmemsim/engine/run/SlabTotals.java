package io.kmemsim.engine.run;

/**
 * What the loop counted of slab events.
 *
 * @param kmallocs           KMALLOC events satisfied
 * @param kmallocFailures    KMALLOC events that got {@code NO_OBJECT}
 * @param kfrees             KFREE events of live handles, and {@code kfree(NULL)}
 * @param unknownKfrees      KFREE events whose handle was not live
 * @param cachesCreated      CACHE_CREATE events
 * @param cachesDestroyed    CACHE_DESTROY events
 * @param cacheAllocs        CACHE_ALLOC events satisfied
 * @param cacheAllocFailures CACHE_ALLOC events that got {@code NO_OBJECT}
 * @param cacheFrees         CACHE_FREE events of live handles
 * @param unknownCacheFrees  CACHE_FREE events whose handle was not live
 */
public record SlabTotals(long kmallocs, long kmallocFailures, long kfrees, long unknownKfrees, long cachesCreated,
                         long cachesDestroyed, long cacheAllocs, long cacheAllocFailures, long cacheFrees,
                         long unknownCacheFrees) {
}
