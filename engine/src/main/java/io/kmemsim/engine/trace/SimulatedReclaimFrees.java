package io.kmemsim.engine.trace;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.reclaim.CacheObjects;
import io.kmemsim.api.reclaim.Shrinker;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.EventOrigin;
import io.kmemsim.engine.util.LongMaps;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replay with {@code reclaim-frees: simulated} (policy mode): the trace's page cache pages go on the simulated
 * LRU lists, and the trace's reclaim frees of them are dropped, so the scenario's reclaim policy decides which
 * page cache pages to free ("what would reclaim policy X have done with my machine's real workload").
 *
 * <p>Rules:
 * <ul>
 *   <li>A page cache allocation is known by its gfp: the page cache allocates with the mapping's mask,
 *       {@code GFP_HIGHUSER_MOVABLE} for regular files, {@code GFP_USER} for a block device, either
 *       without {@code __GFP_FS} where the filesystem asks (6.1 {@code mapping_gfp_mask}, {@code GFP_USER}-based:
 *       {@code __GFP_HARDWALL}); plus {@code __GFP_COMP}, which 6.1's {@code folio_alloc} adds to every folio,
 *       {@code __GFP_WRITE} for writes, {@code __GFP_NORETRY|__GFP_NOWARN} for readahead. So: the mask less
 *       those bits, HIGHMEM, MOVABLE and FS is {@code __GFP_RECLAIM|__GFP_IO|__GFP_HARDWALL}: no
 *       {@code __GFP_ZERO}, which anonymous faults add, and no {@code __GFP_ACCOUNT} (pipe buffers), and without {@code __GFP_ZERO}, which
 *       anonymous faults add ({@code vma_alloc_zeroed_movable_folio}). It becomes PAGE_ALLOC with
 *       {@link Event#asPageCache} (dirty when {@code __GFP_WRITE}). Limits of the rule: a copy-on-write
 *       anonymous page and a shmem page have the same mask and count as page cache.</li>
 *   <li>A free is a reclaim free when its task is reclaiming: a kswapd thread (the pid of the trace's
 *       {@code mm_vmscan_kswapd_wake}/{@code _sleep} events, which kswapd emits itself) or a task between its
 *       {@code mm_vmscan_direct_reclaim_begin} and {@code _end}. A reclaim free of a page cache page is
 *       dropped: the page stays with the simulation; other frees are replayed.</li>
 *   <li>Handles: the trace workload names pages by PFN; here every allocation gets a fresh handle, so a PFN
 *       whose trace free was dropped can be allocated again by the trace while the simulation still holds
 *       the old page. A trace free of a page the simulated reclaim already freed is counted and skipped.</li>
 * </ul>
 * Traces without pids (perf without tid, the binary format) have no reclaim context: no free is dropped.
 */
final class SimulatedReclaimFrees implements Workload, EventOrigin {

    private final TraceWorkload inner;
    private final Context context;
    /** trace PFN → the handle of its live allocation here. */
    private final Long2LongOpenHashMap handleByPfn = LongMaps.create(1 << 12, -1);
    /** handle → trace PFN (−1 once the trace freed it or dropped its free); page cache handles are negative-tagged. */
    private final Long2LongOpenHashMap pfnByHandle = LongMaps.create(1 << 12, -1);
    private final Long2LongOpenHashMap pageCache = LongMaps.create(1 << 12, -1);
    private long nextHandle = 1;
    private long pageCacheAllocs;
    private long droppedReclaimFrees;
    private long replayedReclaimFrees;
    private long freedBySimulation;

    private SimulatedReclaimFrees(TraceWorkload inner, Context context) {
        this.inner = inner;
        this.context = context;
    }

    /** Wraps {@code reader} (to see the reclaim context of each record) for a trace workload made by {@link #workload}. */
    static Context context(TraceReader reader) {
        return new Context(reader);
    }

    /** The trace workload over {@code context}'s reader, with simulated reclaim frees. */
    static Workload workload(TraceWorkload inner, Context context) {
        return new SimulatedReclaimFrees(inner, context);
    }

    /** 6.1's page cache allocation mask (see the class notes). */
    static boolean isPageCache(int gfp) {
        int ignored = Gfp.WRITE | Gfp.NORETRY | Gfp.NOWARN | Gfp.COMP | Gfp.HIGHMEM | Gfp.MOVABLE | Gfp.FS;
        return (gfp & ~ignored) == (Gfp.RECLAIM | Gfp.IO | Gfp.HARDWALL);
    }

    @Override
    public boolean next(Event e) {
        while (inner.next(e)) {
            if (e.type() == EventType.PAGE_ALLOC) {
                long pfn = e.handle();
                long h = nextHandle++;
                handleByPfn.put(pfn, h);
                pfnByHandle.put(h, pfn);
                int gfp = e.gfp();
                long t = e.timeNanos();
                e.pageAlloc(h, e.order(), gfp, e.cpu()).at(t);
                if (isPageCache(gfp)) {
                    pageCache.put(h, 1);
                    pageCacheAllocs++;
                    e.asPageCache((gfp & Gfp.WRITE) != 0);
                }
                return true;
            }
            if (e.type() == EventType.PAGE_FREE) {
                long pfn = e.handle();
                long h = handleByPfn.remove(pfn);
                if (h < 0) {
                    freedBySimulation++;
                    continue;
                }
                pfnByHandle.remove(h);
                boolean reclaimFree = context.reclaimFree(pfn);
                if (reclaimFree && pageCache.containsKey(h)) {
                    droppedReclaimFrees++;
                    continue; // the simulation keeps the page until its own reclaim frees it
                }
                replayedReclaimFrees += reclaimFree ? 1 : 0;
                pageCache.remove(h);
                e.pageFree(h, e.order(), e.cpu()).at(e.timeNanos());
                return true;
            }
            return true;
        }
        return false;
    }

    private void forget(long handle) {
        long pfn = pfnByHandle.remove(handle);
        if (pfn >= 0 && handleByPfn.get(pfn) == handle) {
            handleByPfn.remove(pfn);
        }
        pageCache.remove(handle);
    }

    @Override
    public void allocationFailed(long handle) {
        long pfn = pfnByHandle.get(handle);
        forget(handle);
        inner.allocationFailed(pfn >= 0 ? pfn : handle);
    }

    @Override
    public void reclaimed(long handle, boolean oomKill) {
        forget(handle);
    }

    @Override
    public void evicted(long handle, long shadow) {
        forget(handle);
    }

    @Override
    public List<Shrinker> shrinkers(CacheObjects objects) {
        return inner.shrinkers(objects);
    }

    @Override
    public long expectedEvents() {
        return inner.expectedEvents();
    }

    @Override
    public String eventSource() {
        return inner.eventSource();
    }

    @Override
    public long eventLine() {
        return inner.eventLine();
    }

    @Override
    public void forEachCounter(CounterVisitor visitor) {
        inner.forEachCounter(visitor);
        visitor.counter("replay.page_cache_allocations", pageCacheAllocs);
        visitor.counter("replay.reclaim_frees_left_to_the_simulation", droppedReclaimFrees);
        visitor.counter("replay.reclaim_frees_of_other_pages", replayedReclaimFrees);
        visitor.counter("replay.frees_of_pages_the_simulation_reclaimed", freedBySimulation);
    }

    @Override
    public void close() {
        inner.close();
    }

    /**
     * A reader that passes every record on and remembers whether the last {@code mm_page_free} was made in
     * reclaim context (see the class notes).
     */
    static final class Context implements TraceReader {

        private final TraceReader reader;
        private final Long2LongOpenHashMap kswapdPids = LongMaps.create(8, -1);
        private final Long2LongOpenHashMap inDirectReclaim = LongMaps.create(16, -1);
        private long lastFreePfn = -1;
        private boolean lastFreeInReclaim;

        Context(TraceReader reader) {
            this.reader = reader;
        }

        /** True when the current {@code mm_page_free} record of {@code pfn} was made by a reclaiming task. */
        boolean reclaimFree(long pfn) {
            return pfn == lastFreePfn && lastFreeInReclaim;
        }

        @Override
        public boolean next(TraceRecord r) {
            if (!reader.next(r)) {
                return false;
            }
            int pid = r.pid;
            switch (r.type) {
                case MM_VMSCAN_KSWAPD_WAKE, MM_VMSCAN_KSWAPD_SLEEP -> {
                    if (pid > 0) {
                        kswapdPids.put(pid, 1);
                    }
                }
                case MM_VMSCAN_DIRECT_RECLAIM_BEGIN -> {
                    if (pid > 0) {
                        inDirectReclaim.put(pid, 1);
                    }
                }
                case MM_VMSCAN_DIRECT_RECLAIM_END -> inDirectReclaim.remove(pid);
                case MM_PAGE_FREE -> {
                    lastFreePfn = r.pfn;
                    lastFreeInReclaim = pid > 0 && (kswapdPids.containsKey(pid) || inDirectReclaim.containsKey(pid));
                }
                default -> { }
            }
            return true;
        }

        @Override
        public long position() {
            return reader.position();
        }

        @Override
        public String source() {
            return reader.source();
        }

        @Override
        public Map<String, Long> skipped() {
            return reader.skipped();
        }

        @Override
        public long otherEvents() {
            return reader.otherEvents();
        }

        @Override
        public Map<LineKind, Long> lineKinds() {
            return reader.lineKinds();
        }

        @Override
        public Map<Integer, Long> lostEvents() {
            return reader.lostEvents();
        }

        @Override
        public long lostUncounted() {
            return reader.lostUncounted();
        }

        @Override
        public List<TraceMarker> markers() {
            return reader.markers();
        }

        @Override
        public Map<TraceEventType, Long> reclaimEvents() {
            return reader.reclaimEvents();
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
