package io.kmemsim.workloads;

import io.kmemsim.api.plugin.Doc;

/**
 * Options of the {@code page-cache} workload (docs/workloads.md).
 *
 * @param events            events in the stream, ticks included
 * @param tickEvery         every this many events one is a TICK
 * @param nsPerEvent        simulated nanoseconds per event
 * @param files             streaming files, read (or written) one after the other, round robin
 * @param fileMb            size of each streaming file in MiB
 * @param writeFraction     share of streaming accesses that are writes (the page becomes dirty)
 * @param hotMb             size of the hot file, re-read cyclically, in MiB (0: none)
 * @param hotFraction       share of page cache accesses that go to the hot file
 * @param syncEvery         events between two WRITEBACK events (periodic sync); 0 = never
 * @param processes         processes holding anonymous memory
 * @param anonMbPerProcess  anonymous memory each process builds up, in MiB
 * @param processLifetime   events a process lives once its memory is built up, before it exits and restarts
 * @param anonFraction      share of events that are anonymous memory work (allocate, touch, exit)
 */
public record PageCacheOptions(
        @Doc("events in the stream, ticks included (default 3000000)") long events,
        @Doc("every this many events one is a TICK (kswapd and the flusher run at ticks; default 1000, >= 2)") int tickEvery,
        @Doc("simulated nanoseconds per event (default 1000)") long nsPerEvent,
        @Doc("streaming files read or written one after the other, round robin, > 0 (default 8)") int files,
        @Doc("size of each streaming file in MiB, > 0 (default 1024)") long fileMb,
        @Doc("share of streaming accesses that are writes, which dirty the page, in [0, 1] (default 0.2)") double writeFraction,
        @Doc("size of the hot file, re-read cyclically so its pages are activated, in MiB, >= 0 (default 256)") long hotMb,
        @Doc("share of page cache accesses that go to the hot file, in [0, 1] (default 0.3)") double hotFraction,
        @Doc("events between two WRITEBACK events (sync of all dirty pages); 0 = never (default 50000)") long syncEvery,
        @Doc("processes with anonymous memory (owners 1..processes for the OOM killer), in [0, 65535] (default 4)") int processes,
        @Doc("anonymous memory each process builds up, in MiB, >= 0 (default 128)") long anonMbPerProcess,
        @Doc("events a process lives once its memory is built up, before it exits (frees everything) and restarts, > 0 (default 400000)") long processLifetime,
        @Doc("share of events that are anonymous memory work (allocate, touch, exit), in [0, 1] (default 0.1)") double anonFraction) {

    /** The defaults. */
    public PageCacheOptions() {
        this(3_000_000, 1000, 1000, 8, 1024, 0.2, 256, 0.3, 50_000, 4, 128, 400_000, 0.1);
    }
}
