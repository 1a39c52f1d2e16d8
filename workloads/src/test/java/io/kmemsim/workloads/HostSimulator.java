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
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Plays the host for a workload: pulls every event, keeps the live handles of each kind, fails some
 * allocations (at random with {@code failRate}, and every page allocation that would exceed
 * {@code capacityPages}) by calling {@code allocationFailed} before pulling the next event, and checks
 * the workload contract on each event. Keeps histograms and a digest of the whole sequence.
 *
 * <p>Arch events are checked as the engine resolves them and the arm64 hooks accept them: a mapping
 * names a live allocation ({@link Event#allocation()}) — PAGE_FAULT and EXEC_MAP a movable one (EXEC_MAP
 * of order 0), DMA_MAP an unmovable one — at most once; a user mapping has a mapping id in
 * [1, processes], a user VA in [1 GiB, 2^39) aligned to its size and overlapping no live mapping of its
 * address space; a MUNMAP removes exactly one live mapping; a DMA_UNMAP repeats its DMA_MAP; a
 * PAGE_FREE frees an allocation whose mappings are all gone.
 */
final class HostSimulator {

    private final double failRate;
    private final long capacityPages;
    private final SplittableRandom failRandom = new SplittableRandom(12345);
    private final int maxOrder;
    private final int cpus;
    private int pageShift = 12;
    private int processes = 8;

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
    /** Live user mappings by allocation handle: {mapping id, va, bytes}. */
    final Map<Long, long[]> userMaps = new HashMap<>();
    /** Live user mappings per address space: va -> allocation handle. */
    final Map<Long, TreeMap<Long, Long>> spaces = new HashMap<>();
    /** Live DMA mappings by allocation handle: {offset, size, direction}. */
    final Map<Long, long[]> dmaMaps = new HashMap<>();
    /** Allocations that had a user mapping or DMA mapping at some time. */
    final Set<Long> everMapped = new HashSet<>();
    /** Every user mapping made: {mapping id, va, bytes, order, 1 for EXEC_MAP else 0}. */
    final List<long[]> userMapsEver = new ArrayList<>();
    final Map<Long, Long> dmaDirections = new HashMap<>();
    long partialDma;
    long movableAllocsOk;
    long unmovableAllocsOk;
    private long lastAlloc = -1;
    private long expectFreeOf = -1;
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

    /** Sets the page size ({@code PAGE_SHIFT}) and the address spaces the arch events may name. */
    HostSimulator arch(int shift, int spaces) {
        this.pageShift = shift;
        this.processes = spaces;
        return this;
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
        if (e.type() != EventType.TICK) {
            order(e);
        }
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
            case PAGE_FAULT, EXEC_MAP -> userMap(e);
            case MUNMAP -> munmap(e);
            case DMA_MAP -> dmaMap(e);
            case DMA_UNMAP -> dmaUnmap(e);
        }
        return false;
    }

    /**
     * Checks the order of arch events: a mapping directly follows its allocation, the free of an
     * unmapped allocation directly follows its unmap (ticks may come between).
     */
    private void order(Event e) {
        if (expectFreeOf >= 0) {
            long h = expectFreeOf;
            check(e.type() == EventType.PAGE_FREE && e.handle() == h, () -> "the free of " + h + " must follow its unmap: " + e);
            expectFreeOf = -1;
        }
        switch (e.type()) {
            case PAGE_FAULT, EXEC_MAP, DMA_MAP -> check(e.allocation() == lastAlloc, () -> "a mapping follows its allocation: " + e);
            case MUNMAP -> expectFreeOf = spaces.containsKey(e.handle()) && spaces.get(e.handle()).containsKey(e.address())
                    ? spaces.get(e.handle()).get(e.address()) : -1;
            case DMA_UNMAP -> expectFreeOf = e.allocation();
            default -> {
            }
        }
        lastAlloc = e.type() == EventType.PAGE_ALLOC ? e.handle() : -1;
    }

    /** The packed order | migrate type << 8 of the live allocation an arch event names. */
    private int allocationOf(Event e) {
        Integer packed = livePages.get(e.allocation());
        check(packed != null, () -> e.type() + " names an allocation that is not live"
                + (failed.contains(e.allocation()) ? " (it failed)" : "") + ": " + e + " allocation=" + e.allocation());
        return packed;
    }

    private void userMap(Event e) {
        int packed = allocationOf(e);
        int order = packed & 0xff;
        check(packed >> 8 == 1, () -> e.type() + " of an allocation that is not movable: " + e);
        check(!userMaps.containsKey(e.allocation()) && !dmaMaps.containsKey(e.allocation()),
                () -> "allocation mapped twice: " + e);
        check(e.pfn() == -1, () -> "the workload does not know PFNs: " + e);
        long bytes = (1L << order) << pageShift;
        if (e.type() == EventType.PAGE_FAULT) {
            check(e.order() == order, () -> "PAGE_FAULT order " + e.order() + " but the allocation has order " + order);
            check(e.flags() == Event.FAULT_WRITE, () -> "anonymous memory is mapped by a write fault: " + e);
        } else {
            check(order == 0 && e.size() == bytes, () -> "EXEC_MAP of one order-0 page: " + e);
        }
        long va = e.address();
        check(e.handle() >= 1 && e.handle() <= processes, () -> "mapping id in [1, " + processes + "]: " + e);
        check((va & (bytes - 1)) == 0, () -> "VA aligned to the folio size " + bytes + ": " + e);
        check(va >= UserVa.BASE && va + bytes <= 1L << UserVa.smallestVaBits(pageShift), () -> "user VA in range: " + e);
        TreeMap<Long, Long> space = spaces.computeIfAbsent(e.handle(), k -> new TreeMap<>());
        Map.Entry<Long, Long> below = space.floorEntry(va + bytes - 1);
        check(below == null || below.getKey() + userMaps.get(below.getValue())[2] <= va,
                () -> "mapping overlaps a live mapping of its address space: " + e);
        space.put(va, e.allocation());
        userMaps.put(e.allocation(), new long[] {e.handle(), va, bytes});
        userMapsEver.add(new long[] {e.handle(), va, bytes, order, e.type() == EventType.EXEC_MAP ? 1 : 0});
        everMapped.add(e.allocation());
    }

    private void munmap(Event e) {
        TreeMap<Long, Long> space = spaces.get(e.handle());
        Long allocation = space == null ? null : space.remove(e.address());
        check(allocation != null, () -> "MUNMAP of a range that is not mapped: " + e);
        long[] m = userMaps.remove(allocation);
        check(m[2] == e.size(), () -> "MUNMAP size " + e.size() + " but " + m[2] + " bytes were mapped: " + e);
        check(livePages.containsKey(allocation), () -> "MUNMAP after the allocation was freed: " + e);
    }

    private void dmaMap(Event e) {
        int packed = allocationOf(e);
        long bytes = (1L << (packed & 0xff)) << pageShift;
        check(packed >> 8 == 0, () -> "DMA_MAP of an allocation that is not unmovable: " + e);
        check(!dmaMaps.containsKey(e.allocation()) && !userMaps.containsKey(e.allocation()), () -> "allocation mapped twice: " + e);
        check(e.size() > 0 && e.address() >= 0 && e.address() + e.size() <= bytes, () -> "DMA range inside the allocation: " + e);
        check(e.flags() >= Event.DMA_BIDIRECTIONAL && e.flags() <= Event.DMA_FROM_DEVICE, () -> "DMA direction: " + e);
        dmaMaps.put(e.allocation(), new long[] {e.address(), e.size(), e.flags()});
        dmaDirections.merge(e.flags(), 1L, Long::sum);
        everMapped.add(e.allocation());
        if (e.size() < bytes) {
            partialDma++;
        }
    }

    private void dmaUnmap(Event e) {
        allocationOf(e);
        long[] m = dmaMaps.remove(e.allocation());
        check(m != null, () -> "DMA_UNMAP without a DMA_MAP: " + e);
        check(m[0] == e.address() && m[1] == e.size() && m[2] == e.flags(), () -> "DMA_UNMAP differs from its DMA_MAP: " + e);
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
        movableAllocsOk += mt == 1 ? 1 : 0;
        unmovableAllocsOk += mt == 0 ? 1 : 0;
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
        check(!userMaps.containsKey(e.handle()) && !dmaMaps.containsKey(e.handle()),
                () -> "PAGE_FREE of an allocation that is still mapped: " + e);
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
        h = Seeds.mix64(h ^ e.address()) + e.allocation();
        return Seeds.mix64(h ^ e.timeNanos());
    }

    long count(EventType type) {
        return types.getOrDefault(type, 0L);
    }
}
