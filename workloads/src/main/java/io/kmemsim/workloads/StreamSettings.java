package io.kmemsim.workloads;

/**
 * The options every workload shares, validated: how many events, how often a TICK, and how much
 * simulated time one event stands for.
 */
record StreamSettings(long events, int tickEvery, long nsPerEvent) {

    static StreamSettings of(String where, long events, int tickEvery, long nsPerEvent) {
        Checks.positive(where, "events", events);
        Checks.atLeast(where, "tick-every", tickEvery, 2);
        Checks.positive(where, "ns-per-event", nsPerEvent);
        if (events > Long.MAX_VALUE / nsPerEvent) {
            throw new IllegalArgumentException(where + "events * ns-per-event must fit a signed 64-bit time in ns: "
                    + events + " * " + nsPerEvent);
        }
        return new StreamSettings(events, tickEvery, nsPerEvent);
    }
}
