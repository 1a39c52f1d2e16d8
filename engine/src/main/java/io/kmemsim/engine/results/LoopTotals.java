package io.kmemsim.engine.results;

import io.kmemsim.engine.run.PageTotals;
import io.kmemsim.engine.run.RunState;
import io.kmemsim.engine.run.SlabTotals;

/**
 * The simulation loop's own counters at one moment (no plugin call reads them, so they can always be
 * taken, even from a run that failed).
 *
 * @param events         events processed
 * @param simulatedNanos the simulated time
 * @param allocSuccess   successful page allocations per order
 * @param allocFailure   failed page allocations per order
 * @param pages          page event totals
 * @param slab           slab event totals
 */
record LoopTotals(long events, long simulatedNanos, long[] allocSuccess, long[] allocFailure, PageTotals pages,
                  SlabTotals slab) {

    /** The loop's counters now. */
    static LoopTotals of(RunState state) {
        return new LoopTotals(state.eventsProcessed(), state.simulatedNanos(), state.allocSuccessByOrder(),
                state.allocFailureByOrder(), state.pageTotals(), state.slabTotals());
    }
}
