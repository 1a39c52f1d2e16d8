package io.kmemsim.workloads;

import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;

/**
 * A {@link Workload} of exactly {@code events} events drawn from a {@link Generator}: event number
 * {@code i} (1-based) happens at simulated time {@code i * nsPerEvent}, and every {@code tickEvery}-th
 * event is a TICK instead, so the host's periodic work (kcompactd, slab reaping) runs.
 *
 * <p>An event that is not a TICK is the next queued arch event ({@link ArchEvents}: the mapping that
 * follows an allocation, the free that follows an unmap) when one is waiting, else the generator's.
 * Arch events are events of the stream like any other: they take a place, a time and count towards
 * {@code events}.
 *
 * <p>Failure reports are routed to the live set whose tag the handle carries. The host reports a
 * failed allocation before it pulls the next event (the generators may free any live handle from the
 * next event on, and a queued mapping of a failed allocation is dropped).
 */
final class GeneratedWorkload implements Workload {

    private final Generator generator;
    private final HandleSpace handles;
    private final ArchEvents arch;
    private final long events;
    private final int tickEvery;
    private final long nsPerEvent;
    private long emitted;

    GeneratedWorkload(Generator generator, HandleSpace handles, ArchEvents arch, StreamSettings stream) {
        this.generator = generator;
        this.handles = handles;
        this.arch = arch;
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
            if (!arch.emitPending(into)) {
                generator.emit(into);
            }
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

    @Override
    public void reclaimed(long handle, boolean oomKill) {
        handles.reclaimed(handle, oomKill);
    }

    @Override
    public void evicted(long handle, long shadow) {
        handles.evicted(handle, shadow);
    }

    @Override
    public java.util.List<io.kmemsim.api.reclaim.Shrinker> shrinkers(io.kmemsim.api.reclaim.CacheObjects objects) {
        return generator.shrinkers(objects);
    }

    @Override
    public void forEachCounter(CounterVisitor visitor) {
        generator.forEachCounter(visitor);
        arch.forEachCounter(visitor);
    }
}
