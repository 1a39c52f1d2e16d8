package io.kmemsim.cli;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.trace.TraceEventType;
import io.kmemsim.engine.trace.TraceFormat;
import io.kmemsim.engine.trace.TraceReadOptions;
import io.kmemsim.engine.trace.TraceReader;
import io.kmemsim.engine.trace.TraceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A test workload that replays a real kernel's page events and lets the simulated reclaim decide what the kernel's
 * reclaim decided (docs/reclaim-vs-kernel.md): every {@code mm_page_alloc} is replayed, page cache allocations marked
 * as such, and every free is replayed except those the kernel's reclaim did — frees by kswapd, or by a task between its
 * {@code mm_vmscan_direct_reclaim_begin} and {@code _end} — of page cache pages. Those pages stay on the simulated LRU
 * until the simulated kswapd or direct reclaim takes them. A later free of a page the simulation already reclaimed is
 * dropped. Ticks (when the simulated kswapd and flusher run) are sent every {@code tickNanos} of trace time.
 *
 * <p>Page cache by gfp, as this kernel allocated it (6.1, block device page cache, no filesystem): order 0 with
 * {@code __GFP_HARDWALL} (GFP_USER's bit) and without {@code __GFP_MOVABLE} or {@code __GFP_ZERO} —
 * readahead's {@code GFP_NOFS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_HARDWALL} (mm/readahead.c:
 * readahead_gfp_mask() of the bdev mapping's GFP_USER, fs/buffer.c grow_dev_page() without __GFP_FS) and the write
 * path's {@code GFP_USER|__GFP_COMP|__GFP_WRITE} (dirty). Anonymous memory: {@code GFP_HIGHUSER_MOVABLE} with
 * {@code __GFP_ZERO} (the anonymous fault), owned by the faulting pid. Test code: not a product workload (issue 15
 * item 5 is the product version).
 */
final class KernelTraceReclaimWorkload implements Workload {

    /**
     * Options: the trace (gzip or plain ftrace text), the tick period in trace nanoseconds, and the trace times (in
     * seconds, comma-separated, ascending) that split the run into phases for the per-phase counters.
     */
    record Options(String trace, long tickNanos, String phases) {
    }

    /** The provider of {@code kernel-trace-reclaim}. */
    static final class Provider implements WorkloadProvider<Options> {

        @Override
        public String id() {
            return "kernel-trace-reclaim";
        }

        @Override
        public String description() {
            return "test: a kernel trace replayed with its reclaim frees left to the simulated reclaim";
        }

        @Override
        public Class<Options> optionsType() {
            return Options.class;
        }

        @Override
        public Workload create(Options options, ProviderContext context) {
            String[] p = options.phases() == null || options.phases().isBlank() ? new String[0] : options.phases().split(",");
            long[] bounds = new long[p.length];
            for (int i = 0; i < p.length; i++) {
                bounds[i] = Math.round(Double.parseDouble(p[i].trim()) * 1e9);
            }
            return new KernelTraceReclaimWorkload(Path.of(options.trace()), options.tickNanos(), bounds, context.kernel());
        }
    }

    private final TraceReader reader;
    private final TraceRecord rec = new TraceRecord();
    private final long tickNanos;
    private final Map<Long, Long> handleOfPfn = new HashMap<>();
    private final Set<Long> pageCache = new HashSet<>();
    private final Set<Long> gone = new HashSet<>();
    private final Set<Integer> inDirectReclaim = new HashSet<>();
    private int kswapdPid = -1;
    private long nextHandle = 1;
    private long nextTick = -1;
    private boolean pending;
    private final long[] bounds;
    /** Per phase: pages the simulated reclaim freed, and page cache frees the kernel's reclaim did. */
    final long[] simReclaimedByPhase;
    final long[] kernelReclaimByPhase;

    long pageCacheAllocs;
    long anonAllocs;
    long kernelReclaimFrees;
    long kernelReclaimFreesByKswapd;
    long droppedFreesOfReclaimed;
    long simReclaimed;
    long reclaimedByBoth;
    long kswapdWakes;
    long directReclaimBegins;
    long kernelFailedAllocs;

    KernelTraceReclaimWorkload(Path trace, long tickNanos, long[] bounds, KernelVersion kernel) {
        this.tickNanos = tickNanos;
        this.bounds = bounds.clone();
        this.simReclaimedByPhase = new long[bounds.length + 1];
        this.kernelReclaimByPhase = new long[bounds.length + 1];
        try {
            InputStream in = Files.newInputStream(trace);
            if (trace.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            this.reader = TraceFormat.text(in, trace.toString(), kernel, new TraceReadOptions(false, null, null, true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isPageCache(int order, int gfp) {
        return order == 0 && (gfp & Gfp.HARDWALL) != 0 && (gfp & (Gfp.MOVABLE | Gfp.ZERO)) == 0;
    }

    static boolean isAnon(int gfp) {
        return (gfp & Gfp.GFP_HIGHUSER_MOVABLE) == Gfp.GFP_HIGHUSER_MOVABLE && (gfp & Gfp.ZERO) != 0;
    }

    private int phase() {
        int i = 0;
        while (i < bounds.length && rec.timeNanos() >= bounds[i]) {
            i++;
        }
        return i;
    }

    /** True when the free on the current record is the kernel's reclaim at work. */
    private boolean byKernelReclaim() {
        return rec.pid() == kswapdPid || inDirectReclaim.contains(rec.pid());
    }

    @Override
    public boolean next(Event into) {
        while (true) {
            if (!pending) {
                if (!reader.next(rec)) {
                    return false;
                }
                pending = true;
            }
            long t = rec.timeNanos();
            if (nextTick < 0) {
                nextTick = (t / tickNanos + 1) * tickNanos;
            } else if (t >= nextTick) {
                into.tick(nextTick);
                nextTick += tickNanos;
                return true;
            }
            pending = false;
            TraceEventType type = rec.type();
            switch (type) {
                case MM_VMSCAN_KSWAPD_WAKE -> {
                    kswapdPid = rec.pid();
                    kswapdWakes++;
                }
                case MM_VMSCAN_DIRECT_RECLAIM_BEGIN -> {
                    inDirectReclaim.add(rec.pid());
                    directReclaimBegins++;
                }
                case MM_VMSCAN_DIRECT_RECLAIM_END -> inDirectReclaim.remove(rec.pid());
                case MM_PAGE_ALLOC -> {
                    if (rec.pfn() < 0) {
                        kernelFailedAllocs++;
                        continue; // the kernel's allocation failed: nothing to replay
                    }
                    long h = nextHandle++;
                    handleOfPfn.put(rec.pfn(), h);
                    into.pageAlloc(h, rec.order(), rec.gfp(), rec.cpu()).at(t);
                    if (isPageCache(rec.order(), rec.gfp())) {
                        pageCache.add(h);
                        pageCacheAllocs++;
                        into.asPageCache((rec.gfp() & Gfp.WRITE) != 0);
                    } else if (isAnon(rec.gfp())) {
                        anonAllocs++;
                        into.asAnon(Math.max(1, rec.pid() & 0xffff));
                    }
                    return true;
                }
                case MM_PAGE_FREE, MM_PAGE_FREE_BATCHED -> {
                    Long h = handleOfPfn.remove(rec.pfn());
                    if (h == null) {
                        continue; // allocated before the trace began
                    }
                    if (gone.remove(h)) {
                        droppedFreesOfReclaimed++;
                        if (byKernelReclaim()) {
                            reclaimedByBoth++; // the kernel's reclaim freed a page the simulation had reclaimed
                        }
                        continue;
                    }
                    if (pageCache.contains(h) && byKernelReclaim()) {
                        kernelReclaimFrees++;
                        kernelReclaimByPhase[phase()]++;
                        if (rec.pid() == kswapdPid) {
                            kernelReclaimFreesByKswapd++;
                        }
                        continue; // left to the simulated reclaim
                    }
                    pageCache.remove(h);
                    into.pageFree(h, rec.order(), rec.cpu()).at(t);
                    return true;
                }
                default -> {
                }
            }
        }
    }

    @Override
    public void reclaimed(long handle, boolean oomKill) {
        simReclaimed++;
        simReclaimedByPhase[phase()]++;
        pageCache.remove(handle);
        gone.add(handle);
    }

    @Override
    public void allocationFailed(long handle) {
        pageCache.remove(handle);
        gone.add(handle);
    }

    @Override
    public void forEachCounter(CounterVisitor v) {
        v.counter("workload.pagecache_allocs", pageCacheAllocs);
        v.counter("workload.anon_allocs", anonAllocs);
        v.counter("workload.kernel_reclaim_frees", kernelReclaimFrees);
        v.counter("workload.kernel_reclaim_frees_kswapd", kernelReclaimFreesByKswapd);
        v.counter("workload.dropped_frees_of_reclaimed", droppedFreesOfReclaimed);
        v.counter("workload.sim_reclaimed", simReclaimed);
        v.counter("workload.reclaimed_by_both", reclaimedByBoth);
        v.counter("workload.kernel_kswapd_wakes", kswapdWakes);
        v.counter("workload.kernel_direct_reclaim_begins", directReclaimBegins);
        v.counter("workload.kernel_failed_allocs", kernelFailedAllocs);
        for (int i = 0; i < simReclaimedByPhase.length; i++) {
            v.counter("workload.sim_reclaimed_phase" + i, simReclaimedByPhase[i]);
            v.counter("workload.kernel_reclaim_frees_phase" + i, kernelReclaimByPhase[i]);
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
