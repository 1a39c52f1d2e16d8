package io.kmemsim.bench.trace;

import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.run.PageEventSink;
import io.kmemsim.engine.run.PageEventSource;

/**
 * A workload that pushes page events and ticks already decoded and translated into arrays (the events the
 * {@code trace} workload produced for the same trace), {@value #CHUNK} per push: it drives the engine's event
 * loop as the {@code trace} workload's push path does, without reading or translating anything. Reset with
 * {@link #rewind} before each run.
 */
final class ArrayPageSource implements Workload, PageEventSource {

    private static final int CHUNK = 2048;
    private static final int ALLOC = EventType.PAGE_ALLOC.ordinal();
    private static final int FREE = EventType.PAGE_FREE.ordinal();

    private final byte[] types;
    private final long[] handles;
    private final byte[] orders;
    private final int[] gfps;
    private final byte[] cpus;
    private final long[] times;
    private final int events;
    private int next;

    ArrayPageSource(byte[] types, long[] handles, byte[] orders, int[] gfps, byte[] cpus, long[] times, int events) {
        this.types = types;
        this.handles = handles;
        this.orders = orders;
        this.gfps = gfps;
        this.cpus = cpus;
        this.times = times;
        this.events = events;
    }

    ArrayPageSource rewind() {
        next = 0;
        return this;
    }

    @Override
    public boolean pushesPageEvents() {
        return true;
    }

    @Override
    public boolean pushPageEvents(PageEventSink sink) {
        int i = next;
        int end = Math.min(events, i + CHUNK);
        for (; i < end; i++) {
            int t = types[i];
            if (t == ALLOC) {
                sink.pageAlloc(handles[i], orders[i], gfps[i], cpus[i], times[i]);
            } else if (t == FREE) {
                sink.pageFree(handles[i], orders[i], cpus[i], times[i]);
            } else {
                sink.tick(times[i]);
            }
        }
        next = i;
        return i < events;
    }

    /** Drives {@code replay} (allocator and one handle map, no loop) with every event; returns the allocations made. */
    long drive(PageReplay replay, io.kmemsim.api.mm.PageAllocator allocator) {
        long n = 0;
        for (int i = 0; i < events; i++) {
            int t = types[i];
            if (t == ALLOC) {
                n += replay.alloc(handles[i], orders[i], gfps[i], cpus[i]) ? 1 : 0;
            } else if (t == FREE) {
                replay.free(handles[i], cpus[i]);
            } else {
                allocator.tick(times[i]);
            }
        }
        return n;
    }

    @Override
    public boolean next(Event into) {
        if (next < events) {
            throw new IllegalStateException("every event is pushed");
        }
        return false;
    }
}
