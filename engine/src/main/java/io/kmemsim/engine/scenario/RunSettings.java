package io.kmemsim.engine.scenario;

import io.kmemsim.api.plugin.Doc;

/**
 * The engine's own settings, the scenario's {@code run} section.
 *
 * @param checkInvariantsEvery call {@code checkInvariants()} on the page allocator and the object cache
 *                             after every this many events; 0 never
 * @param tickNanos            when positive, the engine also ticks the allocator and the object cache each
 *                             time the events' simulated time passes a multiple of this many nanoseconds;
 *                             0 leaves ticking to the workload's TICK events
 */
public record RunSettings(
        @Doc("check the allocator's and cache's invariants every N events (0: never)") long checkInvariantsEvery,
        @Doc("engine tick period in simulated nanoseconds (0: only the workload's TICK events)") long tickNanos) {

    public RunSettings {
        if (checkInvariantsEvery < 0) {
            throw new IllegalArgumentException("check-invariants-every must be >= 0: " + checkInvariantsEvery);
        }
        if (tickNanos < 0) {
            throw new IllegalArgumentException("tick-nanos must be >= 0: " + tickNanos);
        }
    }

    /** Defaults: no invariant checks, no engine ticks. */
    public RunSettings() {
        this(0, 0);
    }
}
