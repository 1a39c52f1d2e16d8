package io.kmemsim.workloads;

import io.kmemsim.api.plugin.Doc;

/**
 * Options of the {@code fragmenter} workload (docs/workloads.md). Fractions are of the platform's RAM
 * in pages (the sum of its banks).
 *
 * @param events                events in the stream, ticks included
 * @param tickEvery             every this many events one is a TICK
 * @param nsPerEvent            simulated nanoseconds per event
 * @param unmovableFraction     long-lived unmovable pages to hold, as a fraction of RAM
 * @param unmovableOrderWeights order distribution of the unmovable allocations
 * @param unmovableTurnover     per-event probability that one long-lived unmovable block is freed
 * @param movableOrderWeights   order distribution of the movable allocations
 * @param fillFraction          a fill phase ends when live pages reach this fraction of RAM
 * @param drainFraction         a drain phase ends when live pages fall to this fraction of RAM
 * @param churnRate             share of events that go against the phase's direction
 * @param phases                fill/drain cycles before steady churn
 */
public record FragmenterOptions(
        @Doc("events in the stream, ticks included (default 2000000)") long events,
        @Doc("every this many events one is a TICK (default 1000, >= 2)") int tickEvery,
        @Doc("simulated nanoseconds per event (default 1000)") long nsPerEvent,
        @Doc("long-lived unmovable pages to hold, as a fraction of RAM in [0, fill-fraction] (default 0.05)") double unmovableFraction,
        @Doc("order distribution of unmovable allocations as order:weight,... (default 0:90,1:5,2:3,3:2, illustrative)") String unmovableOrderWeights,
        @Doc("per-event probability that one long-lived unmovable block is freed (replaced in the next fill), in [0, 1] (default 0.001)") double unmovableTurnover,
        @Doc("order distribution of movable allocations as order:weight,... (default 0:1)") String movableOrderWeights,
        @Doc("a fill phase ends when live pages reach this fraction of RAM, in (0, 1] (default 0.9)") double fillFraction,
        @Doc("a drain phase ends when live pages fall to this fraction of RAM, in [0, fill-fraction) (default 0.3)") double drainFraction,
        @Doc("share of events that go against the phase (a free while filling, an allocation while draining), in [0, 0.5) (default 0.2)") double churnRate,
        @Doc("fill/drain cycles before steady churn at the reached level, >= 1 (default 3)") int phases) {

    /** The defaults. */
    public FragmenterOptions() {
        this(2_000_000, 1000, 1000, 0.05, "0:90,1:5,2:3,3:2", 0.001, "0:1", 0.9, 0.3, 0.2, 3);
    }
}
