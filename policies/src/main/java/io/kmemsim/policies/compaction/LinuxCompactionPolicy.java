package io.kmemsim.policies.compaction;

import io.kmemsim.api.kernel.Fragmentation;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.api.trace.TraceListener;
import java.util.List;

/**
 * The kernel's compaction (mm/compaction.c: compact_zone() (6.1)): direct compaction from the allocation
 * slow path, kcompactd woken by allocations and on its period, proactive compaction driven by the
 * fragmentation score (mm/compaction.c: fragmentation_score_zone() (6.1)), and {@code compact_memory}.
 *
 * <p>Notes:
 * <pre>
 * direct (mm/compaction.c: try_to_compact_pages() (6.1); mm/page_alloc.c: __alloc_pages_direct_compact() (6.1))   needs __GFP_IO; zones from the request's highest usable zone down; a zone is skipped
 *                  while deferred (except at SYNC_FULL); compaction_suitable decides; SUCCESS resets
 *                  deferral, COMPLETE/PARTIAL_SKIPPED at non-async priority defers; the allocator counts
 *                  compact_stall for every attempt not SKIPPED and compact_success / compact_fail
 *                  from its retry, and reports the outcome here (deferral reset on success)
 * kcompactd (mm/compaction.c: kcompactd_do_work(), proactive_compact_node() (6.1)) runs on the tick after a wakeup for the largest order asked, in SYNC_LIGHT with skip
 *                  hints honoured; compact_daemon_wake counts its runs
 * proactive        every period, when proactiveness > 0 and the node score exceeds the high mark, every
 *                  populated zone is compacted whole (order -1) until its score is at most the low mark;
 *                  a pass that does not lower the node score delays the next check 64 periods
 * compact_memory   every populated zone whole, MIGRATE_SYNC, until the scanners meet
 * </pre>
 * Per-zone state (cached scanner positions, deferral, skip bits) lives here, as the kernel keeps it in
 * {@code struct zone}. Approximations: kswapd is not modelled (no reclaim), so "kswapd is running" is
 * never true and skip bits are cleared only by the deferral restart rule; which zone a compacted
 * allocation came from is not reported back, so the success reset applies to the preferred zone.
 */
final class LinuxCompactionPolicy implements CompactionPolicy {

    private static final long NANOS_PER_MS = 1_000_000L;
    private static final int PROACTIVE_DEFER_SHIFT = 6;

    private final LinuxCompactionOptions options;
    private final TraceListener trace;
    private ZoneCompactState[] states;
    private int lastDirectZone = -1;
    private boolean lastDirectStalled;
    private int pendingOrder;
    private int pendingHighestZone = Integer.MAX_VALUE;
    private long nextPeriodNanos;
    /** The allocator's context, kept for wakeKcompactd's suitability check (the SPI method has none). */
    private CompactionContext context;

    LinuxCompactionPolicy(LinuxCompactionOptions options) {
        this(options, TraceListener.NONE);
    }

    /** @param trace receives the compaction tracepoints (6.1 include/trace/events/compaction.h) */
    LinuxCompactionPolicy(LinuxCompactionOptions options, TraceListener trace) {
        this.options = options;
        this.trace = trace;
    }

    private ZoneCompactState[] states(CompactionContext ctx) {
        context = ctx;
        if (states == null) {
            List<? extends Zone> zones = ctx.zones();
            states = new ZoneCompactState[zones.size()];
            for (int i = 0; i < zones.size(); i++) {
                Zone z = zones.get(i);
                states[i] = new ZoneCompactState(z.startPfn(), z.startPfn() + z.spannedPages(), ctx.pageblockOrder());
            }
        }
        return states;
    }

    private static int highestZoneIndex(CompactionContext ctx, int gfp) {
        ZoneType highest = Gfp.zone(gfp, ctx.kernelConfig());
        List<? extends Zone> zones = ctx.zones();
        for (int i = zones.size() - 1; i >= 0; i--) {
            if (zones.get(i).type().ordinal() <= highest.ordinal()) {
                return i;
            }
        }
        return 0;
    }

    /** The kernel's order of {@code enum compact_result} (CONTINUE and others in between are never returned). */
    private static int rank(CompactionResult r) {
        return switch (r) {
            case NOT_ATTEMPTED -> -1;
            case SKIPPED -> 1;
            case DEFERRED -> 2;
            case COMPLETE -> 5;
            case PARTIAL_SKIPPED -> 6;
            case SUCCESS -> 8;
        };
    }

    @Override
    public CompactionResult compactDirect(int order, int gfp, CompactPriority priority, CompactionContext ctx) {
        lastDirectStalled = false;
        if ((gfp & Gfp.IO) == 0 || order <= 0) {
            return CompactionResult.SKIPPED;
        }
        ZoneCompactState[] st = states(ctx);
        MigrateType mt = Gfp.migrateType(gfp);
        int highest = highestZoneIndex(ctx, gfp);
        boolean full = priority == CompactPriority.SYNC_FULL;
        ZoneCompaction.Mode mode = priority == CompactPriority.ASYNC ? ZoneCompaction.Mode.ASYNC : ZoneCompaction.Mode.SYNC_LIGHT;
        CompactionResult rc = CompactionResult.SKIPPED;
        List<? extends Zone> zones = ctx.zones();
        lastDirectZone = -1;
        for (int z = highest; z >= 0; z--) {
            Zone zone = zones.get(z);
            if (!zone.populated()) {
                continue;
            }
            lastDirectZone = lastDirectZone < 0 ? z : lastDirectZone;
            if (!full && deferred(ctx, z, order, false)) {
                rc = rank(CompactionResult.DEFERRED) > rank(rc) ? CompactionResult.DEFERRED : rc;
                continue;
            }
            CompactionResult status = compactZone(ctx, z, order, mt, highest, mode, true, full, false);
            rc = rank(status) > rank(rc) ? status : rc;
            if (status == CompactionResult.SUCCESS) {
                deferReset(ctx, z, order, false, false);
                break;
            }
            if (priority != CompactPriority.ASYNC
                    && (status == CompactionResult.COMPLETE || status == CompactionResult.PARTIAL_SKIPPED)) {
                defer(ctx, z, order, false);
            }
        }
        lastDirectStalled = rc != CompactionResult.SKIPPED; // the allocator counts compact_stall then
        return rc;
    }

    private CompactionResult compactZone(CompactionContext ctx, int z, int order, MigrateType mt, int highest,
                                         ZoneCompaction.Mode mode, boolean direct, boolean full, boolean daemon) {
        Zone zone = ctx.zones().get(z);
        if (order >= 0) {
            int s = ZoneCompaction.suitable(ctx, zone, order, highest, mt == MigrateType.MOVABLE,
                    mode == ZoneCompaction.Mode.ASYNC, options.extfragThreshold(), trace, daemon);
            if (s != ZoneCompaction.CONTINUE) {
                return CompactionResult.values()[s];
            }
        }
        ZoneCompaction cc = new ZoneCompaction(ctx, states[z], zone, order, mt, mode, direct, full, full, full, -1)
                .traced(trace, daemon);
        CompactionResult r = cc.run();
        account(ctx, cc, daemon);
        return r;
    }

    private static void account(CompactionContext ctx, ZoneCompaction cc, boolean daemon) {
        ctx.count(daemon ? "compact_daemon_migrate_scanned" : "compact_migrate_scanned", cc.migrateScanned);
        ctx.count(daemon ? "compact_daemon_free_scanned" : "compact_free_scanned", cc.freeScanned);
        ctx.count("compact_isolated", cc.isolated);
    }

    @Override
    public void afterCompaction(int order, int gfp, boolean allocated, CompactionContext ctx) {
        if (!lastDirectStalled) {
            return;
        }
        lastDirectStalled = false;
        if (allocated && lastDirectZone >= 0) {
            states(ctx);
            deferReset(ctx, lastDirectZone, order, true, false);
            states[lastDirectZone].blockskipFlush = false;
        }
    }

    @Override
    public void wakeKcompactd(int order, int highestZoneIndex) {
        if (order > 0) {
            boolean sleeping = pendingOrder == 0; // woken and not yet run: the kernel's wq_has_sleeper() is false
            pendingOrder = Math.max(pendingOrder, order);
            pendingHighestZone = Math.min(pendingHighestZone, highestZoneIndex);
            if (sleeping && context != null && trace != TraceListener.NONE) {
                traceWakeup(context, order, highestZoneIndex);
            }
        }
    }

    /**
     * 6.1 mm/compaction.c: wakeup_kcompactd() prints {@code mm_compaction_wakeup_kcompactd} when a sleeping kcompactd is
     * woken and kcompactd_node_suitable() finds a zone up to the highest asked where compaction_suitable() (alloc_flags 0:
     * the MIN watermark, no CMA) says CONTINUE; each of those checks prints its {@code mm_compaction_suitable} line.
     * Only the tracepoints depend on it: the simulated kcompactd still runs at the next tick and checks the zones itself.
     */
    private void traceWakeup(CompactionContext ctx, int order, int highestZoneIndex) {
        int highest = Math.min(pendingHighestZone, ctx.zones().size() - 1);
        for (int z = 0; z <= highest; z++) {
            Zone zone = ctx.zones().get(z);
            if (zone.populated() && ZoneCompaction.suitable(ctx, zone, pendingOrder, highest, false, false,
                    options.extfragThreshold(), trace, false) == ZoneCompaction.CONTINUE) {
                Zone h = ctx.zones().get(Math.min(highestZoneIndex, ctx.zones().size() - 1));
                trace.compactionWakeupKcompactd(h.node(), order, h.type(), ctx.cpu());
                return;
            }
        }
    }

    // ---- deferral (6.1 mm/compaction.c: defer_compaction(), compaction_deferred(), compaction_defer_reset()) ----

    private static final int TRACE_DEFER = 0;
    private static final int TRACE_DEFERRED = 1;
    private static final int TRACE_DEFER_RESET = 2;

    private boolean deferred(CompactionContext ctx, int z, int order, boolean daemon) {
        boolean d = states[z].deferred(order);
        if (d) {
            traceDefer(ctx, TRACE_DEFERRED, z, order, daemon);
        }
        return d;
    }

    private void defer(CompactionContext ctx, int z, int order, boolean daemon) {
        states[z].defer(order);
        traceDefer(ctx, TRACE_DEFER, z, order, daemon);
    }

    private void deferReset(CompactionContext ctx, int z, int order, boolean allocSuccess, boolean daemon) {
        states[z].deferReset(order, allocSuccess);
        traceDefer(ctx, TRACE_DEFER_RESET, z, order, daemon);
    }

    private void traceDefer(CompactionContext ctx, int kind, int z, int order, boolean daemon) {
        ZoneCompactState st = states[z];
        Zone zone = ctx.zones().get(z);
        trace.compactionDefer(kind, zone.node(), zone.type(), order, st.considered, st.deferShift, st.orderFailed,
                daemon, daemon ? 0 : ctx.cpu());
    }

    @Override
    public void onTick(long nowNanos, CompactionContext ctx) {
        states(ctx);
        if (pendingOrder > 0) {
            kcompactd(ctx, pendingOrder, Math.min(pendingHighestZone, ctx.zones().size() - 1));
            pendingOrder = 0;
            pendingHighestZone = Integer.MAX_VALUE;
        }
        if (options.proactiveness() > 0 && nowNanos >= nextPeriodNanos) {
            long period = options.kcompactdPeriodMs() * NANOS_PER_MS;
            nextPeriodNanos = nowNanos + (proactive(ctx) ? period : period << PROACTIVE_DEFER_SHIFT);
        }
    }

    /** {@code kcompactd_do_work} (mm/compaction.c: kcompactd_do_work(), proactive_compact_node() (6.1)). */
    private void kcompactd(CompactionContext ctx, int order, int highest) {
        ctx.count("compact_daemon_wake", 1);
        // 6.1 mm/compaction.c: kcompactd_do_work()
        trace.compactionKcompactdWake(ctx.zones().get(highest).node(), order, ctx.zones().get(highest).type());
        for (int z = 0; z <= highest; z++) {
            Zone zone = ctx.zones().get(z);
            if (!zone.populated() || deferred(ctx, z, order, true)) {
                continue;
            }
            // kcompactd_do_work() asks compaction_suitable(zone, order, 0, zoneid) itself before compact_zone() asks again
            if (ZoneCompaction.suitable(ctx, zone, order, z, false, false, options.extfragThreshold(), trace, true)
                    != ZoneCompaction.CONTINUE) {
                continue;
            }
            CompactionResult r = compactZone(ctx, z, order, MigrateType.MOVABLE, highest, ZoneCompaction.Mode.SYNC_LIGHT,
                    false, false, true);
            if (r == CompactionResult.SUCCESS) {
                deferReset(ctx, z, order, false, true);
            } else if (r == CompactionResult.COMPLETE || r == CompactionResult.PARTIAL_SKIPPED) {
                ctx.drainPerCpuLists();
                defer(ctx, z, order, true);
            }
        }
    }

    /**
     * One proactive check (mm/compaction.c: fragmentation_score_zone(), kcompactd_do_work() (6.1)).
     *
     * @return false when compaction ran and did not lower the node score (the next check is deferred)
     */
    private boolean proactive(CompactionContext ctx) {
        int high = Fragmentation.proactiveHighWatermark(ctx.kernel(), options.proactiveness());
        int low = Fragmentation.proactiveLowWatermark(ctx.kernel(), options.proactiveness());
        long score = nodeScore(ctx);
        if (score <= high) {
            return true;
        }
        for (int z = 0; z < ctx.zones().size(); z++) {
            Zone zone = ctx.zones().get(z);
            if (!zone.populated()) {
                continue;
            }
            ZoneCompaction cc = new ZoneCompaction(ctx, states[z], zone, -1, MigrateType.MOVABLE,
                    ZoneCompaction.Mode.SYNC_LIGHT, false, true, true, false, low).traced(trace, true);
            cc.run();
            account(ctx, cc, true);
        }
        return nodeScore(ctx) < score;
    }

    /** The node's proactive score: the sum of the weighted zone scores (mm/compaction.c: fragmentation_score_zone() (6.1)). */
    static long nodeScore(CompactionContext ctx) {
        long nodePresent = 0;
        for (Zone z : ctx.zones()) {
            nodePresent += z.presentPages();
        }
        int hpageOrder = Math.min(ctx.pageblockOrder(), ctx.maxOrder());
        long score = 0;
        for (Zone z : ctx.zones()) {
            if (z.populated()) {
                int zoneScore = Fragmentation.extfragForOrder(ZoneCompaction.nrFree(ctx, z), hpageOrder);
                score += Fragmentation.weightedZoneScore(z.presentPages(), zoneScore, nodePresent);
            }
        }
        return score;
    }

    @Override
    public void compactNode(CompactionContext ctx) {
        states(ctx);
        for (int z = 0; z < ctx.zones().size(); z++) {
            Zone zone = ctx.zones().get(z);
            if (!zone.populated()) {
                continue;
            }
            ZoneCompaction cc = new ZoneCompaction(ctx, states[z], zone, -1, MigrateType.MOVABLE,
                    ZoneCompaction.Mode.SYNC, false, true, true, false, -1).traced(trace, false);
            cc.run();
            account(ctx, cc, false);
        }
    }
}
