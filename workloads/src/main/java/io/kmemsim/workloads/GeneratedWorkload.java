package io.kmemsim.workloads;

import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;

/**
 * A {@link Workload} of exactly {@code events} events drawn from a {@link Generator}: event number
 * {@code i} (1-based) happens at simulated time {@code i * nsPerEvent}, and every {@code tickEvery}-th
 * event is a TICK instead, so the host's periodic work (kcompactd, slab reaping) runs.
 *
 * <p>Failure reports are routed to the live set whose tag the handle carries. The host reports a
 * failed allocation before it pulls the next event (the generators may free any live handle from the
 * next event on).
 */
final class GeneratedWorkload implements Workload {

    private final Generator generator;
    private final HandleSpace handles;
    private final long events;
    private final int tickEvery;
    private final long nsPerEvent;
    private long emitted;

    GeneratedWorkload(Generator generator, HandleSpace handles, StreamSettings stream) {
        this.generator = generator;
        this.handles = handles;
        this.events = stream.events();
        this.tickEvery = stream.tickEvery();
        this.nsPerEvent = stream.nsPerEvent();
    }

    @Override
    public boolean next(Event into) {
        if (emitted >= events) {
            return false;
        }
        emitted++;
        long now = emitted * nsPerEvent;
        if (emitted % tickEvery == 0) {
            into.tick(now);
        } else {
            generator.emit(into);
            into.at(now);
        }
        return true;
    }

    @Override
    public long expectedEvents() {
        return events;
    }

    @Override
    public void allocationFailed(long handle) {
        handles.failed(handle);
    }
}
