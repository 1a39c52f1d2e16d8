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
 * @param startBuddyinfo       a real machine's {@code /proc/buddyinfo} to start from ("" for a freshly
 *                             booted machine): the page allocator's free lists are rebuilt to match it
 *                             before the first event (needs an allocator that can import snapshots);
 *                             a relative path is resolved against the scenario file's directory
 * @param startPagetypeinfo    the matching {@code /proc/pagetypeinfo} ("" for none): migrate types of the
 *                             free blocks and the pageblock counts
 */
public record RunSettings(
        @Doc("check the allocator's and cache's invariants every N events (0: never)") long checkInvariantsEvery,
        @Doc("engine tick period in simulated nanoseconds (0: only the workload's TICK events)") long tickNanos,
        @Doc("start from a real machine's /proc/buddyinfo (path; empty: a freshly booted machine)") String startBuddyinfo,
        @Doc("with start-buddyinfo: the matching /proc/pagetypeinfo (path; empty: none)") String startPagetypeinfo) {

    public RunSettings {
        if (checkInvariantsEvery < 0) {
            throw new IllegalArgumentException("check-invariants-every must be >= 0: " + checkInvariantsEvery);
        }
        if (tickNanos < 0) {
            throw new IllegalArgumentException("tick-nanos must be >= 0: " + tickNanos);
        }
        startBuddyinfo = startBuddyinfo == null ? "" : startBuddyinfo;
        startPagetypeinfo = startPagetypeinfo == null ? "" : startPagetypeinfo;
        if (startBuddyinfo.isEmpty() && !startPagetypeinfo.isEmpty()) {
            throw new IllegalArgumentException("start-pagetypeinfo needs start-buddyinfo");
        }
    }

    /** Settings with the two numbers given and no start snapshot. */
    public RunSettings(long checkInvariantsEvery, long tickNanos) {
        this(checkInvariantsEvery, tickNanos, "", "");
    }

    /** Defaults: no invariant checks, no engine ticks. */
    public RunSettings() {
        this(0, 0);
    }
}
