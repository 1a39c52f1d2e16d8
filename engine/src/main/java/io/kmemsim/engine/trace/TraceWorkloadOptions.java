package io.kmemsim.engine.trace;

import io.kmemsim.api.plugin.Doc;
import io.kmemsim.api.plugin.Required;

/**
 * Options of the {@code trace} workload, which replays a kernel trace.
 *
 * @param file      the trace file (ftrace / trace-cmd / perf script text, or kmemsim binary)
 * @param format    {@code auto}, {@code ftrace}, {@code trace-cmd}, {@code perf} or {@code binary}
 * @param mode      {@code exact} (allocations placed at the trace's PFNs) or {@code policy} (the simulated
 *                  allocator chooses; frees follow allocations by the trace's identity)
 * @param skipBad   count malformed lines by reason instead of stopping at the first
 * @param tickNanos a TICK whenever the trace's time crosses a multiple of this many nanoseconds (0: none)
 * @param slabObjects replay kmalloc / kmem_cache events through the scenario's object cache too; off by
 *                  default because a trace already holds the slab pages as {@code mm_page_alloc}
 *                  events, and replaying both would count that memory twice
 * @param fromMarker replay only the events after the first trace marker whose text contains this ("" = from the start)
 * @param toMarker   stop at the first trace marker after the start whose text contains this ("" = to the end)
 * @param reclaimFrees {@code trace}: replay the trace's frees as they are; {@code simulated} (policy mode): page
 *                  cache allocations go on the simulated LRU and the trace's reclaim frees of them are left to the
 *                  scenario's reclaim policy ({@link SimulatedReclaimFrees})
 * @param decode    how a binary trace is read in policy mode: {@code thread} (default: batches of records decoded
 *                  on a second thread while the loop replays the batch before, when the host has more than one
 *                  processor), {@code batch} (the same batches, decoded on the loop's thread) or {@code record}
 *                  (one record at a time); the replay's results are the same with each
 */
public record TraceWorkloadOptions(
        @Required @Doc("the trace to replay: ftrace/trace-cmd/perf script text or a kmemsim binary trace") String file,
        @Doc("auto, ftrace, trace-cmd, perf or binary") String format,
        @Doc("exact: place allocations at the trace's PFNs; policy: let the simulated allocator choose") String mode,
        @Doc("count malformed lines by reason instead of stopping at the first") boolean skipBad,
        @Doc("emit a TICK whenever trace time crosses a multiple of this many ns (0 = none)") long tickNanos,
        @Doc("also replay kmalloc/kmem_cache events through the object cache (the trace's slab pages are replayed as pages either way)")
        boolean slabObjects,
        @Doc("replay only the events after the first trace marker whose text contains this (text traces)") String fromMarker,
        @Doc("stop at the first trace marker (after the start) whose text contains this (text traces)") String toMarker,
        @Doc("trace: replay the trace's frees as they are; simulated (policy mode): page cache pages go on the simulated LRU and the trace's reclaim frees of them are dropped, so the scenario's reclaim policy decides (default trace)") String reclaimFrees,
        @Doc("binary traces in policy mode: thread (decode batches on a second thread, default), batch (decode them on the run's thread) or record (one record at a time); results are the same") String decode) {

    /** Defaults: auto-detected format, policy mode, stop at bad lines, a tick every 100 ms of trace time, whole trace. */
    public TraceWorkloadOptions() {
        this("", "auto", "policy", false, 100_000_000L, false, "", "", "trace", "thread");
    }

    /** The default way of decoding ({@code decode: thread}). */
    public TraceWorkloadOptions(String file, String format, String mode, boolean skipBad, long tickNanos, boolean slabObjects,
                                String fromMarker, String toMarker, String reclaimFrees) {
        this(file, format, mode, skipBad, tickNanos, slabObjects, fromMarker, toMarker, reclaimFrees, "thread");
    }

    /** The trace's own frees ({@code reclaim-frees: trace}). */
    public TraceWorkloadOptions(String file, String format, String mode, boolean skipBad, long tickNanos, boolean slabObjects,
                                String fromMarker, String toMarker) {
        this(file, format, mode, skipBad, tickNanos, slabObjects, fromMarker, toMarker, "trace");
    }

    /** The whole trace (no marker window). */
    public TraceWorkloadOptions(String file, String format, String mode, boolean skipBad, long tickNanos, boolean slabObjects) {
        this(file, format, mode, skipBad, tickNanos, slabObjects, "", "", "trace", "thread");
    }
}
