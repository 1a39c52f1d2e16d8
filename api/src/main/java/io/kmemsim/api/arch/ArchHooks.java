package io.kmemsim.api.arch;

import io.kmemsim.api.stats.HasCounters;
import io.kmemsim.api.workload.Event;
import org.apiguardian.api.API;

/**
 * What the architecture does around memory management: page tables in simulated memory, barriers,
 * TLB and cache maintenance, page clearing — counted and charged in simulated cycles.
 *
 * <p>Contract: called by the host's thread only; every method returns quickly and never fails for
 * ordinary input. The default methods do nothing, so hooks implement only what they model.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface ArchHooks extends HasCounters {

    /** Hooks that model nothing and cost nothing. */
    ArchHooks NONE = new ArchHooks() {
    };

    /**
     * A block was handed out by the page allocator (e.g. zeroing with {@code __GFP_ZERO}). Called by the
     * page allocator itself (so the allocator's internal users — slab pages, page-table pages — are
     * seen too), never by the host.
     */
    default void onPagesAllocated(long pfn, int order, int gfp, int cpu) {
    }

    /**
     * The page allocator migrated a live block (compaction): the {@code 2^order} pages at {@code srcPfn}
     * were copied to {@code dstPfn}. Called by the allocator before it frees the source, so the copy
     * can be charged.
     */
    default void onPagesCopied(long srcPfn, long dstPfn, int order, int cpu) {
    }

    /** A block was returned to the page allocator; called by the page allocator, like {@link #onPagesAllocated}. */
    default void onPagesFreed(long pfn, int order, int cpu) {
    }

    /**
     * An architecture-level workload event (page fault, unmap, DMA map/unmap, exec mapping). The
     * event is a flyweight: valid only during the call.
     */
    default void onEvent(Event event) {
    }

    /** Simulated cycles charged so far. */
    default long cycles() {
        return 0;
    }
}
