package io.kmemsim.api.policy;

import org.apiguardian.api.API;

/**
 * Decides when and how the page allocator compacts memory: direct compaction after a failed costly
 * allocation, background compaction on ticks (kcompactd, proactive compaction), and a whole-node
 * {@code compact_memory}. The policy drives the scanners; the allocator moves pages through
 * {@link CompactionContext}.
 *
 * <p>Called by the allocator's thread only; the context is valid only during the call.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface CompactionPolicy {

    /** A policy that never compacts. */
    CompactionPolicy NONE = new CompactionPolicy() {
        @Override
        public CompactionResult compactDirect(int order, int gfp, CompactionContext context) {
            return CompactionResult.NOT_ATTEMPTED;
        }

        @Override
        public void onTick(long nowNanos, CompactionContext context) {
        }

        @Override
        public void compactNode(CompactionContext context) {
        }
    };

    /** Direct compaction for an allocation of {@code order} with {@code gfp} that just failed. */
    CompactionResult compactDirect(int order, int gfp, CompactionContext context);

    /** Periodic background work at simulated time {@code nowNanos} (kcompactd wakes, proactive compaction). */
    void onTick(long nowNanos, CompactionContext context);

    /** Compacts every zone of the node completely ({@code /proc/sys/vm/compact_memory}). */
    void compactNode(CompactionContext context);
}
