package io.kmemsim.engine.run;

/**
 * Engine-internal: a workload that must know which of its page handles are live (the {@code trace} workload,
 * which frees a PFN with the order it was allocated with and spots a PFN allocated twice) reads the event
 * loop's own handle → block map instead of keeping a second map of the same handles: one map update per page
 * event instead of two. Plugins cannot implement it (they see the api only); a workload the loop never hands a
 * {@link Host} keeps its own map.
 */
public interface SharedLiveBlocks {

    /** The loop's side: which page handles hold a live block. */
    interface Host {

        /** The order of the live page block of {@code handle}, or −1 when the handle holds none. */
        int liveOrder(long handle);
    }

    /** Called by the loop once, before the first event: from now on {@code host} answers for live page handles. */
    void useHost(Host host);

    /**
     * The allocator reclaimed (or OOM-killed) the live block of {@code handle}, of {@code order}: the loop no
     * longer holds it. Called before {@code Workload.reclaimed}.
     */
    void reclaimedByHost(long handle, int order);
}
