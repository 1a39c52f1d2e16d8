package io.kmemsim.engine.run;

/**
 * Where a {@link PageEventSource} pushes its page events: the event loop, which handles each exactly as the same
 * event pulled through {@link io.kmemsim.api.workload.Workload#next} (counted, time advanced, the allocator called,
 * latency and counters recorded, invariants checked and progress reported on the same events).
 */
public interface PageEventSink {

    /**
     * A PAGE_ALLOC of {@code handle} (no PFN placement, no LRU flags) at {@code timeNanos}.
     *
     * @return false when the allocation failed: the handle is not live (the source treats it as
     *         {@link io.kmemsim.api.workload.Workload#allocationFailed} would)
     */
    boolean pageAlloc(long handle, int order, int gfp, int cpu, long timeNanos);

    /** A PAGE_FREE of {@code handle}, allocated with {@code order}, at {@code timeNanos}. */
    void pageFree(long handle, int order, int cpu, long timeNanos);

    /** A TICK event at {@code timeNanos}. */
    void tick(long timeNanos);
}
