package io.kmemsim.engine.run;

/**
 * A workload of the engine's own (the {@code trace} workload) that can hand its page events to the event loop
 * directly, as calls of a {@link PageEventSink}, instead of one {@link io.kmemsim.api.workload.Event} per
 * {@link io.kmemsim.api.workload.Workload#next} call: the record type is dispatched on once, and no event object is
 * filled and read back. The loop mixes both ways: it pushes until the source declines, pulls one event with
 * {@code next}, and pushes again, so the stream of events, and everything the loop does with them, is the same
 * as when every event is pulled. Not for plugins (the type is the engine's, not the api's). The loop checks a
 * pushed event's order and CPU as a pulled one's; a handle that is already live is caught after the allocation
 * (one probe of the handle map instead of two), so a source must keep that part of the contract itself.
 */
public interface PageEventSource {

    /** Whether this source pushes at all (checked once, before the first event); false: pull every event. */
    boolean pushesPageEvents();

    /**
     * Pushes the next events into {@code sink}, in stream order, as long as they are page allocations, page frees
     * and ticks (a few thousand at most per call).
     *
     * @return true to be called again; false when the next event must be pulled with {@code next} (an event of
     *         another kind, a case the push path leaves to {@code next}, or the end of the stream)
     */
    boolean pushPageEvents(PageEventSink sink);
}
