package io.kmemsim.workloads;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Plays the host for a workload: pulls every event, keeps the live handles of each kind, fails some
 * allocations (at random with {@code failRate}, and every page allocation that would exceed
 * {@code capacityPages}) by calling {@code allocationFailed} before pulling the next event, and checks
 * the workload contract on each event. Keeps histograms and a digest of the whole sequence.
 */
final class HostSimulator {

    private final double failRate;
    private final long capacityPages;
    private final SplittableRandom failRandom = new SplittableRandom(12345);
    private final int maxOrder;
    private final int cpus;

    final Map<Long, Integer> livePages = new HashMap<>();
    final Map<Long, Long> allocatedAt = new HashMap<>();
    final long[] livePagesByType = new long[3];
    final List<long[]> seriesAtTicks = new ArrayList<>();
    Predicate<Event> failIf = e -> false;
    long lifetimeSum;
    long lifetimeCount;
    final Set<Long> liveKmalloc = new HashSet<>();
    final Map<Long, Long> liveObjects = new HashMap<>();
    final Map<Long, String> caches = new HashMap<>();
    final Set<Long> failed = new HashSet<>();
    final long[] allocsByOrder = new long[16];
    final long[] freesByOrder = new long[16];
    final Map<Integer, Long> gfpCounts = new HashMap<>();
    final Map<Long, Long> kmallocSizes = new HashMap<>();
    final Map<Long, Long> cacheAllocs = new HashMap<>();
    final Map<EventType, Long> types = new EnumMap<>(EventType.class);
    final Map<String, Long> createFlags = new HashMap<>();
    long livePageCount;
    long maxLivePages;
    long failures;
    long events;
    long digest = 17;
    long lastTime;

    HostSimulator(double failRate, long capacityPages, int maxOrder, int cpus) {
        this.failRate = failRate;
        this.capacityPages = capacityPages;
        this.maxOrder = maxOrder;
        this.cpus = cpus;
    }

    static HostSimulator lenient() {
        return new HostSimulator(0, Long.MAX_VALUE, 10, 4);
    }

    /** Runs {@code w} to its end, checking ticks against {@code tickEvery} and time against {@code nsPerEvent}. */
    HostSimulator run(Workload w, int tickEvery, long nsPerEvent) {
        Event e = new Event();
        while (w.next(e)) {
            events++;
            boolean tick = events % tickEvery == 0;
            check(e.type() == EventType.TICK == tick, () -> "event " + events + " tick expected " + tick + ": " + e);
            check(e.timeNanos() == events * nsPerEvent, () -> "event " + events + " at time " + e.timeNanos());
            types.merge(e.type(), 1L, Long::sum);
            digest = digest(digest, e);
            if (e.type() != EventType.TICK && e.type() != EventType.CACHE_CREATE && e.type() != EventType.CACHE_DESTROY) {
                check(e.cpu() >= 0 && e.cpu() < cpus, () -> "cpu out of range: " + e);
            }
            if (handle(e)) {
                failures++;
                forget(e.handle());
                failed.add(e.handle());
                w.allocationFailed(e.handle());
            }
        }
        check(events == w.expectedEvents(), () -> "emitted " + events + " events, expected " + w.expectedEvents());
        return this;
    }

    /** Applies one event; returns true when the host fails the allocation. */
    private boolean handle(Event e) {
        switch (e.type()) {
            case PAGE_ALLOC -> {
                return pageAlloc(e);
            }
            case PAGE_FREE -> pageFree(e);
            case KMALLOC -> {
                kmallocSizes.merge(e.size(), 1L, Long::sum);
                gfpCounts.merge(e.gfp(), 1L, Long::sum);
                return newHandle(e) && liveKmalloc.add(e.handle()) && fail(false);
            }
            case KFREE -> check(liveKmalloc.remove(e.handle()), () -> "KFREE of a handle that is not live: " + e);
            case CACHE_CREATE -> {
                check(caches.put(e.cacheHandle(), e.name()) == null, () -> "cache handle reused: " + e);
                createFlags.put(e.name(), e.flags());
            }
            case CACHE_ALLOC -> {
                check(caches.containsKey(e.cacheHandle()), () -> "CACHE_ALLOC from an unknown cache: " + e);
                cacheAllocs.merge(e.cacheHandle(), 1L, Long::sum);
                gfpCounts.merge(e.gfp(), 1L, Long::sum);
                return newHandle(e) && liveObjects.put(e.handle(), e.cacheHandle()) == null && fail(false);
            }
            case CACHE_FREE -> {
                Long cache = liveObjects.remove(e.handle());
                check(cache != null && cache == e.cacheHandle(), () -> "CACHE_FREE of a handle that is not live in that cache: " + e);
            }
            case CACHE_DESTROY -> check(caches.remove(e.cacheHandle()) != null, () -> "CACHE_DESTROY of an unknown cache: " + e);
            case TICK -> seriesAtTicks.add(livePagesByType.clone());
        }
        return false;
    }

    private boolean pageAlloc(Event e) {
        check(e.order() >= 0 && e.order() <= maxOrder, () -> "order out of range: " + e);
        Gfp.migrateType(e.gfp());
        newHandle(e);
        allocsByOrder[e.order()]++;
        gfpCounts.merge(e.gfp(), 1L, Long::sum);
        if (fail(livePageCount + (1L << e.order()) > capacityPages || failIf.test(e))) {
            return true;
        }
        int mt = Gfp.migrateType(e.gfp()).ordinal();
        livePages.put(e.handle(), e.order() | mt << 8);
        allocatedAt.put(e.handle(), events);
        livePageCount += 1L << e.order();
        livePagesByType[mt] += 1L << e.order();
        maxLivePages = Math.max(maxLivePages, livePageCount);
        return false;
    }

    private void pageFree(Event e) {
        Integer packed = livePages.remove(e.handle());
        check(packed != null, () -> "PAGE_FREE of a handle that is not live"
                + (failed.contains(e.handle()) ? " (it failed)" : "") + ": " + e);
        int order = packed & 0xff;
        check(order == e.order(), () -> "PAGE_FREE order " + e.order() + " but allocated with " + order);
        freesByOrder[order]++;
        livePageCount -= 1L << order;
        livePagesByType[packed >> 8] -= 1L << order;
        lifetimeSum += events - allocatedAt.remove(e.handle());
        lifetimeCount++;
    }

    HostSimulator failing(Predicate<Event> predicate) {
        this.failIf = predicate;
        return this;
    }

    /** Share of page allocations with {@code gfp}. */
    double gfpShare(int gfp) {
        long all = 0;
        for (long n : gfpCounts.values()) {
            all += n;
        }
        return gfpCounts.getOrDefault(gfp, 0L) / (double) all;
    }

    private boolean newHandle(Event e) {
        check(e.handle() >= 0, () -> "negative handle: " + e);
        check(!livePages.containsKey(e.handle()) && !liveKmalloc.contains(e.handle())
                && !liveObjects.containsKey(e.handle()), () -> "handle already live: " + e);
        failed.remove(e.handle());
        return true;
    }

    private boolean fail(boolean mustFail) {
        boolean f = mustFail || (failRate > 0 && failRandom.nextDouble() < failRate);
        return f;
    }

    private void forget(long handle) {
        livePages.remove(handle);
        liveKmalloc.remove(handle);
        liveObjects.remove(handle);
    }

    private static void check(boolean ok, Supplier<String> message) {
        if (!ok) {
            throw new AssertionError(message.get());
        }
    }

    private static long digest(long d, Event e) {
        long h = d;
        h = Seeds.mix64(h ^ e.type().ordinal()) + e.handle();
        h = Seeds.mix64(h ^ e.order()) + e.gfp();
        h = Seeds.mix64(h ^ e.cpu()) + e.size();
        h = Seeds.mix64(h ^ e.cacheHandle()) + e.flags();
        return Seeds.mix64(h ^ e.timeNanos());
    }

    long count(EventType type) {
        return types.getOrDefault(type, 0L);
    }
}
