package io.kmemsim.workloads;

import io.kmemsim.api.plugin.Doc;

/**
 * Options of the {@code mix} workload (docs/workloads.md): a weighted interleaving of the other
 * workloads, each with its own options. The parts' own {@code events}, {@code tick-every} and
 * {@code ns-per-event} are ignored: the mix's stream settings apply. Lifetimes and intervals in a
 * part's options count that part's events.
 *
 * @param events     events in the stream, ticks included
 * @param tickEvery  every this many events one is a TICK
 * @param nsPerEvent simulated nanoseconds per event
 * @param weights    {@code part:weight,…} over churn, fragmenter, thp, slab-churn
 * @param churn      options of the churn part
 * @param fragmenter options of the fragmenter part
 * @param thp        options of the thp part
 * @param slabChurn  options of the slab-churn part
 */
public record MixOptions(
        @Doc("events in the stream, ticks included (default 3000000)") long events,
        @Doc("every this many events one is a TICK (default 1000, >= 2)") int tickEvery,
        @Doc("simulated nanoseconds per event (default 1000)") long nsPerEvent,
        @Doc("share of events per part as part:weight,... over churn, fragmenter, thp, slab-churn; weight 0 leaves a part out (default churn:25,fragmenter:20,thp:10,slab-churn:45)") String weights,
        @Doc("options of the churn part (default: live-target 0.15 of RAM)") ChurnOptions churn,
        @Doc("options of the fragmenter part (default: 3% unmovable, fill to 50%, drain to 15%, 2 phases, movable orders 0/2/4)") FragmenterOptions fragmenter,
        @Doc("options of the thp part (default: bursts of 32 every 20000 part events)") ThpOptions thp,
        @Doc("options of the slab-churn part (default: the slab-churn defaults)") SlabChurnOptions slabChurn) {

    /** The defaults: a blend of all four that runs 3 million events in seconds. */
    public MixOptions() {
        this(3_000_000, 1000, 1000, "churn:25,fragmenter:20,thp:10,slab-churn:45",
                new ChurnOptions(0, 1000, 1000, "0:80,1:8,2:5,3:5,4:1,5:0.5,6:0.3,7:0.1,8:0.05,9:0.05",
                        "unmovable:15,movable:75,reclaimable:10", 0.05, "live-target", 50_000, 0.15),
                new FragmenterOptions(0, 1000, 1000, 0.03, "0:90,1:5,2:3,3:2", 0.001, "0:60,2:20,4:20",
                        0.5, 0.15, 0.2, 2),
                new ThpOptions(0, 1000, 1000, 32, 20_000, -1, "madvise", false, true, 50_000, 1,
                        "0:85,1:7,2:4,3:4", "unmovable:15,movable:75,reclaimable:10", 50_000),
                new SlabChurnOptions());
    }
}
