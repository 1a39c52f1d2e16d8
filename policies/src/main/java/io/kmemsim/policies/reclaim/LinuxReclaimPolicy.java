package io.kmemsim.policies.reclaim;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.api.policy.ReclaimPolicy;
import java.util.List;

/**
 * The kernel's reclaim (6.1 mm/vmscan.c, the classic two-list LRU; Debian's 6.1 builds MGLRU but leaves
 * it disabled) for one node.
 *
 * <p>Notes:
 * <ul>
 *   <li>kswapd: {@code wakeup_kswapd} raises {@code kswapd_order} and {@code kswapd_highest_zoneidx} and
 *       wakes a sleeping kswapd unless the node is hopeless ({@code kswapd_failures >= MAX_RECLAIM_RETRIES})
 *       or balanced and unboosted ({@code pgdat_balanced}, {@code pgdat_watermark_boosted}), in which case a
 *       request without {@code __GFP_DIRECT_RECLAIM} wakes kcompactd. A woken kswapd runs on the next tick:
 *       {@code balance_pgdat} — boost reclaim first, priority from {@code DEF_PRIORITY} down to 1,
 *       {@code kswapd_shrink_node} with {@code nr_to_reclaim = Σ max(high_wmark, SWAP_CLUSTER_MAX)}, order
 *       dropped to 0 after {@code compact_gap(order)} pages, boosts cleared and kcompactd woken at
 *       {@code pageblock_order} after a boosted run — then {@code kswapd_try_to_sleep}: kcompactd is woken for
 *       the request's order when the node is balanced; otherwise kswapd stays awake for the next tick.</li>
 *   <li>Direct reclaim: {@code try_to_free_pages} → {@code do_try_to_free_pages}: {@code nr_to_reclaim =
 *       SWAP_CLUSTER_MAX}, priority 12..0, {@code compaction_ready} zones skipped for costly orders, the
 *       {@code force_deactivate} retry.</li>
 *   <li>{@code shrink_node} → {@code shrink_lruvec}: {@code get_scan_count} without swap is SCAN_FILE
 *       (each file list {@code size >> priority}, anon lists 0), batches of {@code SWAP_CLUSTER_MAX} per
 *       list, the active list shrunk only when {@code inactive_is_low}; {@code should_continue_reclaim} for
 *       reclaim/compaction; then {@code shrink_slab} ({@link SlabShrink}) with the slab pages freed added to
 *       {@code nr_reclaimed}. Memcg and throttling are not modelled.</li>
 *   <li>{@code shrink_inactive_list} → {@code isolate_lru_folios} (from the tail; folios of zones above
 *       {@code reclaim_idx} are skipped to the head, counted {@code pgskip}) and {@code shrink_folio_list}:
 *       {@code folio_check_references} (accessed mapping → keep, or activate when also referenced or
 *       accessed before; unmapped referenced file → reclaim clean). Folios under writeback are activated
 *       (kswapd counts {@code nr_immediate} for PG_reclaim ones on a PGDAT_WRITEBACK node, else PG_reclaim is
 *       set). Dirty file folios: only kswapd, on a node marked PGDAT_DIRTY, writes a folio already marked
 *       PG_reclaim ({@code pageout}, {@code nr_vmscan_write}; kept on the list under writeback); any other gets
 *       PG_reclaim, is activated and counted {@code nr_vmscan_immediate_reclaim} (the flusher writes it and
 *       {@code folio_end_writeback} rotates it to the inactive tail). Clean folios are freed. The flusher is
 *       woken when every folio taken was dirty and not queued; {@code shrink_node} marks the node
 *       PGDAT_WRITEBACK / PGDAT_DIRTY for kswapd, {@code prepare_kswapd_sleep} clears them.</li>
 *   <li>{@code shrink_active_list}: in 6.1 only {@code VM_EXEC} file folios with an accessed mapping stay
 *       active (not modelled); every other folio loses its accessed bit and goes to the inactive head with
 *       PG_workingset, counted {@code pgrefill} (scanned) and {@code pgdeactivate}.</li>
 *   <li>OOM: {@code out_of_memory} → {@code select_bad_process} by {@code oom_badness} (rss; ties go to
 *       the later process), its memory freed, {@code oom_kill} counted. A request without {@code __GFP_FS}
 *       pretends progress instead.</li>
 * </ul>
 */
class LinuxReclaimPolicy implements ReclaimPolicy {

    static final int NO_ZONE = -1;
    static final int NID = 0;

    private final LinuxReclaimOptions options;
    private final ScanControl sc;
    private final LruScanner scanner;

    /** {@code pgdat->kswapd_order}, {@code kswapd_highest_zoneidx} ({@link #NO_ZONE} = MAX_NR_ZONES). */
    int kswapdOrder;
    int kswapdHighestZone = NO_ZONE;
    /** kswapd was woken (runs on the next tick) or did not get the node balanced (runs again). */
    boolean kswapdAwake;
    int kswapdFailures;
    long kswapdSleptAt = -1;
    private long now;

    LinuxReclaimPolicy(LinuxReclaimOptions options) {
        this(options, new LruScanner(new ScanControl()));
    }

    LinuxReclaimPolicy(LinuxReclaimOptions options, LruScanner scanner) {
        this.options = options;
        this.scanner = scanner;
        this.sc = scanner.sc;
    }

    // ---------------------------------------------------------------- kswapd

    @Override
    public void wakeKswapd(int order, int gfp, int highestZoneIndex, ReclaimContext ctx) {
        if (!managed(ctx, highestZoneIndex) && !anyManaged(ctx, highestZoneIndex)) {
            return;
        }
        if (kswapdHighestZone == NO_ZONE || kswapdHighestZone < highestZoneIndex) {
            kswapdHighestZone = highestZoneIndex;
        }
        if (kswapdOrder < order) {
            kswapdOrder = order;
        }
        if (kswapdAwake) {
            return;
        }
        if (kswapdFailures >= ReclaimContext.MAX_RECLAIM_RETRIES
                || (pgdatBalanced(ctx, order, highestZoneIndex) && !watermarkBoosted(ctx, highestZoneIndex))) {
            if ((gfp & Gfp.DIRECT_RECLAIM) == 0) {
                ctx.wakeKcompactd(order, highestZoneIndex);
            }
            return;
        }
        ctx.trace().vmscanWakeupKswapd(NID, highestZoneIndex, order, gfp, ctx.cpu());
        kswapdAwake = true;
        if (kswapdSleptAt >= 0 && now - kswapdSleptAt < options.lowWmarkQuickMs() * 1_000_000L) {
            ctx.count("kswapd_low_wmark_hit_quickly", 1);
        }
    }

    private static boolean managed(ReclaimContext ctx, int zi) {
        return zi >= 0 && zi < ctx.zones().size() && ctx.zones().get(zi).managedPages() > 0;
    }

    private static boolean anyManaged(ReclaimContext ctx, int hz) {
        for (int i = 0; i <= hz && i < ctx.zones().size(); i++) {
            if (managed(ctx, i)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onTick(long nowNanos, ReclaimContext ctx) {
        now = nowNanos;
        if (!kswapdAwake) {
            return;
        }
        int allocOrder = kswapdOrder;
        int highest = kswapdHighestZone == NO_ZONE ? ctx.zones().size() - 1 : kswapdHighestZone;
        kswapdOrder = 0;
        kswapdHighestZone = NO_ZONE;
        ctx.trace().vmscanKswapdWake(NID, highest, allocOrder);
        int reclaimOrder = balancePgdat(ctx, allocOrder, highest);
        boolean hopeless = kswapdFailures >= ReclaimContext.MAX_RECLAIM_RETRIES;
        if (hopeless || pgdatBalanced(ctx, reclaimOrder, highest)) {
            if (!hopeless) {
                // prepare_kswapd_sleep: clear_pgdat_congested
                sc.pgdatDirty = false;
                sc.pgdatWriteback = false;
            }
            ctx.wakeKcompactd(allocOrder, highest);
            kswapdAwake = false;
            kswapdSleptAt = nowNanos;
        } else {
            ctx.count("kswapd_high_wmark_hit_quickly", 1);
        }
    }

    /** {@code wmark_pages(zone, level)}: the watermark plus the zone's {@code watermark_boost}. */
    static long wmark(Zone z, WatermarkLevel level) {
        return z.watermark(level) + z.watermarkBoost();
    }

    /** {@code pgdat_balanced}: some managed zone up to {@code hz} meets its high watermark at {@code order}. */
    static boolean pgdatBalanced(ReclaimContext ctx, int order, int hz) {
        boolean any = false;
        List<? extends Zone> zones = ctx.zones();
        for (int i = 0; i <= hz && i < zones.size(); i++) {
            Zone z = zones.get(i);
            if (z.managedPages() == 0) {
                continue;
            }
            any = true;
            if (ctx.watermarkOk(i, order, wmark(z, WatermarkLevel.HIGH), hz)) {
                return true;
            }
        }
        return !any;
    }

    /** {@code pgdat_watermark_boosted}. */
    static boolean watermarkBoosted(ReclaimContext ctx, int hz) {
        List<? extends Zone> zones = ctx.zones();
        for (int i = Math.min(hz, zones.size() - 1); i >= 0; i--) {
            if (zones.get(i).managedPages() > 0 && zones.get(i).watermarkBoost() > 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code balance_pgdat}; returns the order kswapd finished at. */
    int balancePgdat(ReclaimContext ctx, int order, int hz) {
        ctx.count("pageoutrun", 1);
        List<? extends Zone> zones = ctx.zones();
        long[] zoneBoosts = new long[zones.size()];
        long nrBoostReclaim = 0;
        for (int i = 0; i <= hz && i < zones.size(); i++) {
            if (zones.get(i).managedPages() > 0) {
                zoneBoosts[i] = zones.get(i).watermarkBoost();
                nrBoostReclaim += zoneBoosts[i];
            }
        }
        boolean boosted = nrBoostReclaim > 0;
        begin(Gfp.GFP_KERNEL, order, hz, true);
        boolean balancedAtStart = false;
        restart:
        while (true) {
            sc.priority = ReclaimContext.DEF_PRIORITY;
            do {
                long reclaimedBefore = sc.nrReclaimed;
                boolean raisePriority = true;
                sc.reclaimIdx = hz;
                boolean balanced = pgdatBalanced(ctx, sc.order, hz);
                if (!balanced && nrBoostReclaim > 0) {
                    nrBoostReclaim = 0;
                    continue restart;
                }
                if (nrBoostReclaim == 0 && balanced) {
                    balancedAtStart = true;
                    break restart;
                }
                if (nrBoostReclaim > 0 && sc.priority == ReclaimContext.DEF_PRIORITY - 2) {
                    raisePriority = false;
                }
                sc.nrScanned = 0;
                if (kswapdShrinkNode(ctx)) {
                    raisePriority = false;
                }
                long reclaimed = sc.nrReclaimed - reclaimedBefore;
                nrBoostReclaim -= Math.min(nrBoostReclaim, reclaimed);
                if (nrBoostReclaim > 0 && reclaimed == 0) {
                    break;
                }
                if (raisePriority || reclaimed == 0) {
                    sc.priority--;
                }
            } while (sc.priority >= 1);
            break;
        }
        if (!balancedAtStart && sc.nrReclaimed == 0) {
            kswapdFailures++;
        }
        if (boosted) {
            for (int i = 0; i <= hz && i < zones.size(); i++) {
                if (zoneBoosts[i] > 0) {
                    ctx.reduceBoost(i, zoneBoosts[i]);
                }
            }
            ctx.wakeKcompactd(ctx.pageblockOrder(), hz);
        }
        return sc.order;
    }

    /** {@code kswapd_shrink_node}. */
    private boolean kswapdShrinkNode(ReclaimContext ctx) {
        sc.nrToReclaim = 0;
        List<? extends Zone> zones = ctx.zones();
        for (int z = 0; z <= sc.reclaimIdx && z < zones.size(); z++) {
            if (zones.get(z).managedPages() > 0) {
                sc.nrToReclaim += Math.max(wmark(zones.get(z), WatermarkLevel.HIGH), ReclaimContext.SWAP_CLUSTER_MAX);
            }
        }
        shrinkNode(ctx);
        if (sc.order > 0 && sc.nrReclaimed >= 2L << sc.order) {
            sc.order = 0;
        }
        return sc.nrScanned >= sc.nrToReclaim;
    }

    private void begin(int gfp, int order, int reclaimIdx, boolean kswapd) {
        sc.gfp = gfp;
        sc.order = order;
        sc.reclaimIdx = reclaimIdx;
        sc.kswapd = kswapd;
        sc.nrReclaimed = 0;
        sc.nrScanned = 0;
        sc.forceDeactivate = false;
        sc.skippedDeactivate = false;
        sc.compactionReady = false;
        sc.priority = ReclaimContext.DEF_PRIORITY;
    }

    // ---------------------------------------------------------------- direct reclaim

    @Override
    public long directReclaim(int order, int gfp, int highestZoneIndex, ReclaimContext ctx) {
        ctx.trace().vmscanDirectReclaimBegin(order, gfp, ctx.cpu());
        begin(gfp, order, highestZoneIndex, false);
        sc.nrToReclaim = ReclaimContext.SWAP_CLUSTER_MAX;
        long result = doTryToFreePages(ctx);
        ctx.trace().vmscanDirectReclaimEnd(result, ctx.cpu());
        return result;
    }

    /** {@code do_try_to_free_pages}. */
    private long doTryToFreePages(ReclaimContext ctx) {
        int initialPriority = sc.priority;
        while (true) {
            do {
                sc.nrScanned = 0;
                shrinkZones(ctx);
                if (sc.nrReclaimed >= sc.nrToReclaim || sc.compactionReady) {
                    break;
                }
            } while (--sc.priority >= 0);
            if (sc.nrReclaimed > 0) {
                return sc.nrReclaimed;
            }
            if (sc.compactionReady) {
                return 1;
            }
            if (sc.skippedDeactivate) {
                sc.priority = initialPriority;
                sc.forceDeactivate = true;
                sc.skippedDeactivate = false;
                continue;
            }
            return 0;
        }
    }

    /** {@code shrink_zones} for one node: costly orders skip zones ready for compaction. */
    private void shrinkZones(ReclaimContext ctx) {
        List<? extends Zone> zones = ctx.zones();
        for (int zi = Math.min(sc.reclaimIdx, zones.size() - 1); zi >= 0; zi--) {
            if (zones.get(zi).managedPages() == 0) {
                continue;
            }
            if (sc.order > PageOrders.COSTLY_ORDER && (sc.gfp & Gfp.IO) != 0 && compactionReady(ctx, zi)) {
                sc.compactionReady = true;
                continue;
            }
            shrinkNode(ctx);
            return;
        }
    }

    /**
     * {@code compaction_ready}: {@code compaction_suitable} says SUCCESS (the order's min watermark is met),
     * or it does not say SKIPPED (order-0 low watermark plus {@code compact_gap}) and the zone meets its
     * high watermark plus {@code compact_gap} at order 0. The fragmentation-index test is not applied.
     */
    private boolean compactionReady(ReclaimContext ctx, int zi) {
        Zone z = ctx.zones().get(zi);
        long gap = 2L << sc.order;
        if (ctx.watermarkOk(zi, sc.order, wmark(z, WatermarkLevel.MIN), sc.reclaimIdx)) {
            return true;
        }
        if (!ctx.watermarkOk(zi, 0, wmark(z, WatermarkLevel.LOW) + gap, sc.reclaimIdx)) {
            return false;
        }
        return ctx.watermarkOk(zi, 0, wmark(z, WatermarkLevel.HIGH) + gap, sc.reclaimIdx);
    }

    // ---------------------------------------------------------------- retry and OOM

    @Override
    public long zoneReclaimablePages(int zoneIndex, ReclaimContext ctx) {
        long n = ctx.zoneLruPages(zoneIndex, ReclaimContext.INACTIVE_FILE) + ctx.zoneLruPages(zoneIndex, ReclaimContext.ACTIVE_FILE);
        if (ctx.swapEnabled()) {
            n += ctx.zoneLruPages(zoneIndex, ReclaimContext.INACTIVE_ANON) + ctx.zoneLruPages(zoneIndex, ReclaimContext.ACTIVE_ANON);
        }
        return n;
    }

    @Override
    public boolean outOfMemory(int order, int gfp, ReclaimContext ctx) {
        if ((gfp & Gfp.FS) == 0) {
            return true;
        }
        int victim = selectBadProcess(ctx);
        if (victim <= 0) {
            return false;
        }
        long freed = ctx.killOwner(victim);
        ctx.count("oom_kill", 1);
        ctx.count("kmemsim_oom_killed_pages", freed);
        return true;
    }

    /** {@code select_bad_process}: the owner with the most pages; ties go to the later owner (0 when none). */
    static int selectBadProcess(ReclaimContext ctx) {
        int chosen = 0;
        long chosenPoints = 0;
        for (int owner = 1; owner < ctx.ownerLimit(); owner++) {
            long points = ctx.ownerPages(owner);
            if (points > 0 && points >= chosenPoints) {
                chosen = owner;
                chosenPoints = points;
            }
        }
        return chosen;
    }

    /** The LRU scanning of this policy (shrink_node and below). */
    LruScanner scanner() {
        return scanner;
    }

    /** {@code shrink_node}; a node that reclaimed something is not hopeless ({@code kswapd_failures = 0}). */
    private void shrinkNode(ReclaimContext ctx) {
        if (scanner.shrinkNode(ctx) > 0) {
            kswapdFailures = 0;
        }
    }
}
