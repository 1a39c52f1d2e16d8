package io.kmemsim.workloads;

import io.kmemsim.api.workload.Event;

/**
 * One synthetic event source without a clock: {@link GeneratedWorkload} (or {@link MixGenerator})
 * decides when it is asked, and sets ticks and time.
 */
interface Generator {

    /** Fills {@code into} with one event that is not a TICK; never allocates per call. */
    void emit(Event into);
}
