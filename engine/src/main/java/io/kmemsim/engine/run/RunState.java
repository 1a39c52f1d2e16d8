package io.kmemsim.engine.run;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.engine.scenario.Scenario;
import java.util.Optional;

/**
 * A live view of a run for {@link RunObserver}s: the components (to render {@code /proc} files from)
 * and the loop's counters. Valid only during the observer call on the run's thread; callers must not
 * change the components' state.
 */
public interface RunState {

    /** The scenario being run. */
    Scenario scenario();

    /** The scenario's kernel version. */
    KernelVersion kernel();

    /** The platform. */
    Platform platform();

    /** The number of simulated CPUs. */
    int cpus();

    /** The page allocator. */
    PageAllocator pageAllocator();

    /** The object cache, if the scenario has one. */
    Optional<ObjectCache> objectCache();

    /** The architecture hooks ({@link ArchHooks#NONE} when the scenario names none). */
    ArchHooks archHooks();

    /** Events taken from the workload so far. */
    long eventsProcessed();

    /** The simulated time: the latest event time seen, in nanoseconds. */
    long simulatedNanos();

    /** Page allocations that succeeded, per order ({@code maxOrder() + 1} entries; a copy). */
    long[] allocSuccessByOrder();

    /** Page allocations that failed, per order (a copy). */
    long[] allocFailureByOrder();

    /** The loop's page counters so far. */
    PageTotals pageTotals();

    /** What reclaim did to the workload's page allocations (zeros when nothing was reclaimed). */
    default ReclaimTotals reclaimTotals() {
        return ReclaimTotals.NONE;
    }

    /** The loop's slab counters so far. */
    SlabTotals slabTotals();

    /** Latency of the successful page allocations so far, per order, in simulated cycles. */
    AllocationLatency allocationLatency();
}
