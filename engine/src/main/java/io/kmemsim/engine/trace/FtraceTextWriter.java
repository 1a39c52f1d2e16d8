package io.kmemsim.engine.trace;

import io.kmemsim.api.arch.VirtualLayout;
import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.trace.TraceListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.function.LongSupplier;

/**
 * Writes the page and slab events of a run as ftrace text ({@code cat trace}) in the format of the
 * run's kernel, so the tools people use on real traces (and kmemsim's own replay) read it.
 *
 * <p>Layout per include/trace/events/kmem.h: TRACE_EVENT(mm_page_alloc) (6.1); kernel/trace/trace_output.c: trace_print_context() (6.1) and include/trace/events/kmem.h: TRACE_EVENT(kmalloc) (6.1): task {@code kmemsim-<cpu>} in
 * 16 columns, pid {@code cpu + 1} left-aligned in 7, {@code [%03d]}, the irq-flags column
 * {@code .....} (6.1+; four dots before), the timestamp {@code %5lu.%06lu}. {@code page=} and
 * {@code ptr=} print the simulated addresses as 16 hex digits (a stand-in for the kernel's hashed
 * pointers: {@code vmemmap + pfn * 64} for pages); {@code call_site} prints as a raw address.
 */
public final class FtraceTextWriter implements TraceListener, AutoCloseable {


    private final Writer out;
    private final KernelVersion kernel;
    private final LongSupplier clock;
    private final StringBuilder sb = new StringBuilder(256);
    private long lines;

    /**
     * @param out    where lines go (closed by {@link #close()})
     * @param kernel the kernel whose formats to print
     * @param clock  the simulated time in nanoseconds
     */
    public FtraceTextWriter(Writer out, KernelVersion kernel, LongSupplier clock) {
        this.out = out;
        this.kernel = kernel;
        this.clock = clock;
    }

    /** Writes the header ftrace prints at the top of {@code trace}. */
    public void header(int cpus) {
        sb.setLength(0);
        sb.append("# tracer: nop\n#\n# entries-in-buffer/entries-written: ?/?   #P:").append(cpus).append("\n#\n");
        flushLine();
    }

    private StringBuilder prefix(int cpu, String event) {
        return prefix("kmemsim-" + cpu, cpu + 1, cpu, event);
    }

    private StringBuilder prefix(String comm, int pid, int cpu, String event) {
        sb.setLength(0);
        pad(comm, 16, true);
        sb.append('-');
        int before = sb.length();
        sb.append(pid);
        while (sb.length() - before < 7) {
            sb.append(' ');
        }
        sb.append(" [");
        String c = Integer.toString(cpu);
        for (int i = c.length(); i < 3; i++) {
            sb.append('0');
        }
        sb.append(c).append("] ").append(kernel.has(Feature.TRACE_FLAGS_FIVE_COLUMNS) ? "....." : "....").append(' ');
        long t = clock.getAsLong();
        long secs = t / 1_000_000_000L;
        long usecs = (t % 1_000_000_000L) / 1000;
        pad(Long.toString(secs), 5, true);
        sb.append('.');
        String u = Long.toString(usecs);
        for (int i = u.length(); i < 6; i++) {
            sb.append('0');
        }
        return sb.append(u).append(": ").append(event).append(": ");
    }

    private void pad(String s, int width, boolean right) {
        for (int i = s.length(); right && i < width; i++) {
            sb.append(' ');
        }
        sb.append(s);
    }

    private void hex16(long v) {
        String h = Long.toHexString(v);
        for (int i = h.length(); i < 16; i++) {
            sb.append('0');
        }
        sb.append(h);
    }

    private void pageAndPfn(long pfn) {
        sb.append("page=");
        hex16(pfn < 0 ? 0 : VirtualLayout.ARM64.pageStruct(pfn));
        sb.append(" pfn=");
        long p = Math.max(pfn, 0);
        if (kernel.tracePfnHex()) {
            sb.append("0x").append(Long.toHexString(p));
        } else {
            sb.append(p);
        }
    }

    @Override
    public void pageAlloc(long pfn, int order, MigrateType mt, int gfp, int cpu) {
        prefix(cpu, "mm_page_alloc");
        pageAndPfn(pfn);
        sb.append(" order=").append(order).append(" migratetype=").append(mt.ordinal()).append(" gfp_flags=");
        Gfp.appendTo(sb, gfp, kernel);
        flushLine();
    }

    /**
     * The vmscan events of kswapd print as task {@code kswapd0} with pid {@link #KSWAPD_PID} on CPU 0 (a
     * stand-in: the kernel's kswapd0 is a kernel thread with a boot-time pid).
     */
    static final int KSWAPD_PID = 47;

    @Override
    public void vmscanKswapdWake(int nid, int zoneIndex, int order) {
        prefix("kswapd0", KSWAPD_PID, 0, "mm_vmscan_kswapd_wake");
        sb.append("nid=").append(nid).append(" order=").append(order);
        flushLine();
    }

    @Override
    public void vmscanWakeupKswapd(int nid, int zoneIndex, int order, int gfp, int cpu) {
        prefix(cpu, "mm_vmscan_wakeup_kswapd");
        sb.append("nid=").append(nid).append(" order=").append(order).append(" gfp_flags=");
        Gfp.appendTo(sb, gfp, kernel);
        flushLine();
    }

    @Override
    public void vmscanDirectReclaimBegin(int order, int gfp, int cpu) {
        prefix(cpu, "mm_vmscan_direct_reclaim_begin");
        sb.append("order=").append(order).append(" gfp_flags=");
        Gfp.appendTo(sb, gfp, kernel);
        flushLine();
    }

    @Override
    public void vmscanDirectReclaimEnd(long nrReclaimed, int cpu) {
        prefix(cpu, "mm_vmscan_direct_reclaim_end");
        sb.append("nr_reclaimed=").append(nrReclaimed);
        flushLine();
    }

    /** {@code mm_vmscan_lru_shrink_inactive} as 6.1 prints it (flags {@code show_reclaim_flags(trace_reclaim_flags(file))}). */
    @Override
    public void vmscanLruShrinkInactive(int nid, long nrScanned, long nrReclaimed, long[] stats, int priority,
                                        boolean file, boolean kswapd, int cpu) {
        if (kswapd) {
            prefix("kswapd0", KSWAPD_PID, 0, "mm_vmscan_lru_shrink_inactive");
        } else {
            prefix(cpu, "mm_vmscan_lru_shrink_inactive");
        }
        sb.append("nid=").append(nid).append(" nr_scanned=").append(nrScanned).append(" nr_reclaimed=").append(nrReclaimed)
                .append(" nr_dirty=").append(stats[0]).append(" nr_writeback=").append(stats[1])
                .append(" nr_congested=").append(stats[2]).append(" nr_immediate=").append(stats[3])
                .append(" nr_activate_anon=").append(stats[4]).append(" nr_activate_file=").append(stats[5])
                .append(" nr_ref_keep=").append(stats[6]).append(" nr_unmap_fail=").append(stats[7])
                .append(" priority=").append(priority).append(" flags=")
                .append(file ? "RECLAIM_WB_FILE|RECLAIM_WB_ASYNC" : "RECLAIM_WB_ANON|RECLAIM_WB_ASYNC");
        flushLine();
    }

    @Override
    public void pageFree(long pfn, int order, int cpu) {
        prefix(cpu, "mm_page_free");
        pageAndPfn(pfn);
        sb.append(" order=").append(order);
        flushLine();
    }

    @Override
    public void pageAllocZoneLocked(long pfn, int order, MigrateType mt, boolean percpuRefill, int cpu) {
        prefix(cpu, "mm_page_alloc_zone_locked");
        pageAndPfn(pfn);
        sb.append(" order=").append(order).append(" migratetype=").append(mt.ordinal())
                .append(" percpu_refill=").append(percpuRefill ? 1 : 0);
        flushLine();
    }

    @Override
    public void pagePcpuDrain(long pfn, int order, MigrateType mt, int cpu) {
        prefix(cpu, "mm_page_pcpu_drain");
        pageAndPfn(pfn);
        sb.append(" order=").append(order).append(" migratetype=").append(mt.ordinal());
        flushLine();
    }

    @Override
    public void pageAllocExtfrag(long pfn, int allocOrder, int fallbackOrder, int pageblockOrder, MigrateType allocType,
                                 MigrateType fallbackType, boolean fragmenting, boolean changeOwnership, int cpu) {
        prefix(cpu, "mm_page_alloc_extfrag");
        pageAndPfn(pfn);
        sb.append(" alloc_order=").append(allocOrder).append(" fallback_order=").append(fallbackOrder)
                .append(" pageblock_order=").append(pageblockOrder)
                .append(" alloc_migratetype=").append(allocType.ordinal())
                .append(" fallback_migratetype=").append(fallbackType.ordinal())
                .append(" fragmenting=").append(fragmenting ? 1 : 0)
                .append(" change_ownership=").append(changeOwnership ? 1 : 0);
        flushLine();
    }

    @Override
    public void kmalloc(long callSite, long ptr, long bytesReq, long bytesAlloc, int gfp, int cpu) {
        slabAlloc("kmalloc", callSite, ptr, bytesReq, bytesAlloc, gfp, cpu, (gfp & Gfp.ACCOUNT) != 0);
    }

    @Override
    public void kmemCacheAlloc(long callSite, long ptr, long bytesReq, long bytesAlloc, int gfp, String cacheName, int cpu) {
        slabAlloc("kmem_cache_alloc", callSite, ptr, bytesReq, bytesAlloc, gfp, cpu, (gfp & Gfp.ACCOUNT) != 0);
    }

    private void slabAlloc(String event, long callSite, long ptr, long req, long alloc, int gfp, int cpu, boolean accounted) {
        prefix(cpu, event);
        callSite(callSite);
        sb.append(" ptr=");
        hex16(ptr);
        sb.append(" bytes_req=").append(req).append(" bytes_alloc=").append(alloc).append(" gfp_flags=");
        Gfp.appendTo(sb, gfp, kernel);
        if (kernel.has(Feature.TRACE_KMALLOC_NODE_FIELD)) {
            sb.append(" node=-1");
        }
        if (kernel.has(Feature.TRACE_ACCOUNTED_FIELD)) {
            sb.append(" accounted=").append(accounted);
        }
        flushLine();
    }

    private void callSite(long callSite) {
        sb.append("call_site=");
        if (kernel.has(Feature.TRACE_CALL_SITE_HEX_PREFIX)) {
            sb.append("0x");
        }
        sb.append(Long.toHexString(callSite));
    }

    @Override
    public void kfree(long callSite, long ptr, int cpu) {
        prefix(cpu, "kfree");
        callSite(callSite);
        sb.append(" ptr=");
        hex16(ptr);
        flushLine();
    }

    @Override
    public void kmemCacheFree(long callSite, long ptr, String cacheName, int cpu) {
        prefix(cpu, "kmem_cache_free");
        callSite(callSite);
        sb.append(" ptr=");
        hex16(ptr);
        if (kernel.has(Feature.TRACE_KMEM_CACHE_FREE_NAME)) {
            sb.append(" name=").append(cacheName);
        }
        flushLine();
    }

    /** The compaction events of kcompactd print as task {@code kcompactd0} with this pid on CPU 0 (a stand-in, as for kswapd). */
    static final int KCOMPACTD_PID = 46;

    /**
     * The names {@code __print_symbolic(status, COMPACTION_STATUS)} prints for {@code enum compact_result}
     * (6.1 include/trace/events/mmflags.h), indexed by value.
     */
    private static final String[] COMPACTION_STATUS = {
        "not_suitable_zone", "skipped", "deferred", "no_suitable_page", "continue", "complete", "partial_skipped",
        "contended", "success"};

    private void compactionPrefix(boolean kcompactd, int cpu, String event) {
        if (kcompactd) {
            prefix("kcompactd0", KCOMPACTD_PID, 0, event);
        } else {
            prefix(cpu, event);
        }
    }

    private void compactionScanners(long zoneStart, long migratePfn, long freePfn, long zoneEnd, boolean sync) {
        sb.append("zone_start=0x").append(Long.toHexString(zoneStart))
                .append(" migrate_pfn=0x").append(Long.toHexString(migratePfn))
                .append(" free_pfn=0x").append(Long.toHexString(freePfn))
                .append(" zone_end=0x").append(Long.toHexString(zoneEnd))
                .append(", mode=").append(sync ? "sync" : "async");
    }

    /** {@code mm_compaction_begin} as 6.1 prints it ({@code mode=%s} is {@code sync ? "sync" : "async"}). */
    @Override
    public void compactionBegin(long zoneStart, long migratePfn, long freePfn, long zoneEnd, boolean sync,
                                boolean kcompactd, int cpu) {
        compactionPrefix(kcompactd, cpu, "mm_compaction_begin");
        compactionScanners(zoneStart, migratePfn, freePfn, zoneEnd, sync);
        flushLine();
    }

    /** {@code mm_compaction_end} as 6.1 prints it; a status outside the kernel's table prints as its number. */
    @Override
    public void compactionEnd(long zoneStart, long migratePfn, long freePfn, long zoneEnd, boolean sync, int status,
                              boolean kcompactd, int cpu) {
        compactionPrefix(kcompactd, cpu, "mm_compaction_end");
        compactionScanners(zoneStart, migratePfn, freePfn, zoneEnd, sync);
        sb.append(" status=");
        if (status >= 0 && status < COMPACTION_STATUS.length) {
            sb.append(COMPACTION_STATUS[status]);
        } else {
            sb.append("0x").append(Integer.toHexString(status)); // __print_symbolic's fallback for an unknown value
        }
        flushLine();
    }

    @Override
    public void compactionMigratepages(long nrMigrated, long nrFailed, boolean kcompactd, int cpu) {
        compactionPrefix(kcompactd, cpu, "mm_compaction_migratepages");
        sb.append("nr_migrated=").append(nrMigrated).append(" nr_failed=").append(nrFailed);
        flushLine();
    }

    /** {@code mm_compaction_kcompactd_wake}: {@code classzone_idx=%-8s} pads the zone name to 8 columns. */
    @Override
    public void compactionKcompactdWake(int nid, int order, ZoneType highestZone) {
        prefix("kcompactd0", KCOMPACTD_PID, 0, "mm_compaction_kcompactd_wake");
        sb.append("nid=").append(nid).append(" order=").append(order).append(" classzone_idx=");
        String name = highestZone.printedName();
        sb.append(name);
        for (int i = name.length(); i < 8; i++) {
            sb.append(' ');
        }
        flushLine();
    }

    private void zoneName(ZoneType type) {
        String name = type.printedName(); // __print_symbolic of the zone index, padded by %-8s
        sb.append(name);
        for (int i = name.length(); i < 8; i++) {
            sb.append(' ');
        }
    }

    private void compactResult(int ret) {
        if (ret >= 0 && ret < COMPACTION_STATUS.length) {
            sb.append(COMPACTION_STATUS[ret]);
        } else {
            sb.append("0x").append(Integer.toHexString(ret));
        }
    }

    /** {@code mm_compaction_suitable} and {@code mm_compaction_finished} (6.1: {@code node=%d zone=%-8s order=%d ret=%s}). */
    private void zoneOrderRet(String event, int nid, ZoneType zoneType, int order, int ret, boolean kcompactd, int cpu) {
        compactionPrefix(kcompactd, cpu, event);
        sb.append("node=").append(nid).append(" zone=");
        zoneName(zoneType);
        sb.append(" order=").append(order).append(" ret=");
        compactResult(ret);
        flushLine();
    }

    @Override
    public void compactionSuitable(int nid, ZoneType zoneType, int order, int ret, boolean kcompactd, int cpu) {
        zoneOrderRet("mm_compaction_suitable", nid, zoneType, order, ret, kcompactd, cpu);
    }

    @Override
    public void compactionFinished(int nid, ZoneType zoneType, int order, int ret, boolean kcompactd, int cpu) {
        zoneOrderRet("mm_compaction_finished", nid, zoneType, order, ret, kcompactd, cpu);
    }

    /** {@code mm_compaction_wakeup_kcompactd}: {@code nid=%d order=%d classzone_idx=%-8s}, in the waker's context. */
    @Override
    public void compactionWakeupKcompactd(int nid, int order, ZoneType highestZone, int cpu) {
        prefix(cpu, "mm_compaction_wakeup_kcompactd");
        sb.append("nid=").append(nid).append(" order=").append(order).append(" classzone_idx=");
        zoneName(highestZone);
        flushLine();
    }

    /** The isolate events: {@code range=(0x%lx ~ 0x%lx) nr_scanned=%lu nr_taken=%lu}. */
    private void isolate(String event, long startPfn, long endPfn, long nrScanned, long nrTaken, boolean kcompactd, int cpu) {
        compactionPrefix(kcompactd, cpu, event);
        sb.append("range=(0x").append(Long.toHexString(startPfn)).append(" ~ 0x").append(Long.toHexString(endPfn))
                .append(") nr_scanned=").append(nrScanned).append(" nr_taken=").append(nrTaken);
        flushLine();
    }

    @Override
    public void compactionIsolateMigratepages(long startPfn, long endPfn, long nrScanned, long nrTaken,
                                              boolean kcompactd, int cpu) {
        isolate("mm_compaction_isolate_migratepages", startPfn, endPfn, nrScanned, nrTaken, kcompactd, cpu);
    }

    @Override
    public void compactionIsolateFreepages(long startPfn, long endPfn, long nrScanned, long nrTaken,
                                           boolean kcompactd, int cpu) {
        isolate("mm_compaction_isolate_freepages", startPfn, endPfn, nrScanned, nrTaken, kcompactd, cpu);
    }

    private static final String[] DEFER_EVENTS = {
        "mm_compaction_defer_compaction", "mm_compaction_deferred", "mm_compaction_defer_reset"};

    /**
     * The deferral events (6.1: {@code node=%d zone=%-8s order=%d order_failed=%d consider=%u limit=%lu}, the limit
     * printed as {@code 1UL << defer_shift}).
     */
    @Override
    public void compactionDefer(int kind, int nid, ZoneType zoneType, int order, int considered, int deferShift,
                                int orderFailed, boolean kcompactd, int cpu) {
        compactionPrefix(kcompactd, cpu, DEFER_EVENTS[kind]);
        sb.append("node=").append(nid).append(" zone=");
        zoneName(zoneType);
        sb.append(" order=").append(order).append(" order_failed=").append(orderFailed)
                .append(" consider=").append(Integer.toUnsignedLong(considered))
                .append(" limit=").append(1L << deferShift);
        flushLine();
    }

    private void flushLine() {
        if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '\n') {
            sb.append('\n');
        }
        try {
            out.append(sb);
        } catch (IOException e) {
            throw new UncheckedIOException("writing trace", e);
        }
        lines++;
    }

    /** Lines written. */
    public long lines() {
        return lines;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing trace", e);
        }
    }
}
