package io.kmemsim.policies.reclaim;

import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.ReclaimContext;
import java.util.List;

/**
 * The LRU scanning of the {@code linux} reclaim policy, 6.1 mm/vmscan.c from {@code shrink_node} down:
 * {@code shrink_lruvec} after {@code get_scan_count}, {@code shrink_list}, {@code isolate_lru_folios},
 * {@code shrink_inactive_list} with {@code shrink_folio_list}, {@code shrink_active_list},
 * {@code inactive_is_low} and {@code should_continue_reclaim} (see {@link LinuxReclaimPolicy}'s notes).
 * Works on the policy's {@link ScanControl}; a subclass may choose victims differently by overriding
 * {@link #isolate}.
 */
class LruScanner {

    final ScanControl sc;
    final SlabShrink slab = new SlabShrink();
    private final long[] batch = new long[ReclaimContext.SWAP_CLUSTER_MAX];
    private final long[] shrinkStats = new long[8];

    LruScanner(ScanControl sc) {
        this.sc = sc;
    }


    /** {@code shrink_node} with {@code should_continue_reclaim}. */
    long shrinkNode(ReclaimContext ctx) {
        long total = 0;
        while (true) {
            long reclaimedBefore = sc.nrReclaimed;
            long scannedBefore = sc.nrScanned;
            sc.mayDeactivateFile = sc.forceDeactivate || inactiveIsLow(ctx, ReclaimContext.INACTIVE_FILE);
            sc.mayDeactivateAnon = sc.forceDeactivate || inactiveIsLow(ctx, ReclaimContext.INACTIVE_ANON);
            sc.clearNr();
            shrinkLruvec(ctx);
            // shrink_node_memcgs: shrink_slab after shrink_lruvec; shrink_node adds reclaim_state->reclaimed_slab
            slab.shrinkSlab(ctx, sc.gfp, sc.priority);
            sc.nrReclaimed += ctx.takeReclaimedSlab();
            if (sc.kswapd) {
                // shrink_node: kswapd marks the node PGDAT_WRITEBACK / PGDAT_DIRTY from this pass
                if (sc.nrWriteback > 0 && sc.nrWriteback == sc.nrTaken) {
                    sc.pgdatWriteback = true;
                }
                if (sc.nrUnqueuedDirty == sc.nrFileTaken) {
                    sc.pgdatDirty = true;
                }
            }
            long reclaimed = sc.nrReclaimed - reclaimedBefore;
            total += reclaimed;
            if (!shouldContinueReclaim(ctx, reclaimed, sc.nrScanned - scannedBefore)) {
                return total;
            }
        }
    }

    /** {@code should_continue_reclaim} (reclaim/compaction for high orders). */
    private boolean shouldContinueReclaim(ReclaimContext ctx, long reclaimed, long scanned) {
        boolean inReclaimCompaction = sc.order > 0
                && (sc.order > PageOrders.COSTLY_ORDER || sc.priority < ReclaimContext.DEF_PRIORITY - 2);
        if (!inReclaimCompaction || reclaimed == 0) {
            return false;
        }
        List<? extends Zone> zones = ctx.zones();
        long gap = 2L << sc.order;
        for (int zi = 0; zi <= sc.reclaimIdx && zi < zones.size(); zi++) {
            Zone z = zones.get(zi);
            if (z.managedPages() == 0) {
                continue;
            }
            if (ctx.watermarkOk(zi, sc.order, LinuxReclaimPolicy.wmark(z, WatermarkLevel.MIN), sc.reclaimIdx)
                    || ctx.watermarkOk(zi, 0, LinuxReclaimPolicy.wmark(z, sc.order > PageOrders.COSTLY_ORDER ? WatermarkLevel.LOW
                            : WatermarkLevel.MIN) + gap, sc.reclaimIdx)) {
                return false;
            }
        }
        long inactive = ctx.lruPages(ReclaimContext.INACTIVE_FILE)
                + (ctx.swapEnabled() ? ctx.lruPages(ReclaimContext.INACTIVE_ANON) : 0);
        return inactive > gap;
    }

    /**
     * {@code inactive_is_low}: {@code inactive * inactive_ratio < active}, with {@code inactive_ratio =
     * int_sqrt(10 * gb)} for {@code gb} the list pair's size in GiB, or 1 below 1 GiB (4 KiB pages).
     */
    static boolean inactiveIsLow(long inactive, long active, int pageShift) {
        long gb = (inactive + active) >> (30 - pageShift);
        long ratio = gb > 0 ? intSqrt(10 * gb) : 1;
        return inactive * ratio < active;
    }

    private static boolean inactiveIsLow(ReclaimContext ctx, int inactiveLru) {
        return inactiveIsLow(ctx.lruPages(inactiveLru), ctx.lruPages(inactiveLru + 1), 12);
    }

    /** {@code int_sqrt}: the floor of the square root. */
    static long intSqrt(long x) {
        long r = (long) Math.sqrt((double) x);
        while (r * r > x) {
            r--;
        }
        while ((r + 1) * (r + 1) <= x) {
            r++;
        }
        return r;
    }

    /** Pages of list {@code lru} in zones up to {@code reclaimIdx} ({@code lruvec_lru_size}). */
    private static long lruSize(ReclaimContext ctx, int lru, int reclaimIdx) {
        long n = 0;
        for (int zi = 0; zi <= reclaimIdx && zi < ctx.zones().size(); zi++) {
            n += ctx.zoneLruPages(zi, lru);
        }
        return n;
    }

    /** {@code shrink_lruvec} after {@code get_scan_count}. */
    private void shrinkLruvec(ReclaimContext ctx) {
        boolean swap = ctx.swapEnabled();
        long inactiveAnon = swap ? lruSize(ctx, ReclaimContext.INACTIVE_ANON, sc.reclaimIdx) >> sc.priority : 0;
        long activeAnon = swap ? lruSize(ctx, ReclaimContext.ACTIVE_ANON, sc.reclaimIdx) >> sc.priority : 0;
        long inactiveFile = lruSize(ctx, ReclaimContext.INACTIVE_FILE, sc.reclaimIdx) >> sc.priority;
        long activeFile = lruSize(ctx, ReclaimContext.ACTIVE_FILE, sc.reclaimIdx) >> sc.priority;
        boolean proportional = !sc.kswapd && sc.priority == ReclaimContext.DEF_PRIORITY;
        long reclaimed = 0;
        while (inactiveAnon > 0 || activeFile > 0 || inactiveFile > 0) {
            long n;
            if (inactiveAnon > 0) {
                n = Math.min(inactiveAnon, ReclaimContext.SWAP_CLUSTER_MAX);
                inactiveAnon -= n;
                reclaimed += shrinkList(ctx, ReclaimContext.INACTIVE_ANON, n);
            }
            if (activeAnon > 0) {
                n = Math.min(activeAnon, ReclaimContext.SWAP_CLUSTER_MAX);
                activeAnon -= n;
                reclaimed += shrinkList(ctx, ReclaimContext.ACTIVE_ANON, n);
            }
            if (inactiveFile > 0) {
                n = Math.min(inactiveFile, ReclaimContext.SWAP_CLUSTER_MAX);
                inactiveFile -= n;
                reclaimed += shrinkList(ctx, ReclaimContext.INACTIVE_FILE, n);
            }
            if (activeFile > 0) {
                n = Math.min(activeFile, ReclaimContext.SWAP_CLUSTER_MAX);
                activeFile -= n;
                reclaimed += shrinkList(ctx, ReclaimContext.ACTIVE_FILE, n);
            }
            if (reclaimed < sc.nrToReclaim || proportional) {
                continue;
            }
            long nrAnon = inactiveAnon + activeAnon;
            if (nrAnon == 0 || inactiveFile + activeFile == 0) {
                break;
            }
        }
        sc.nrReclaimed += reclaimed;
    }

    private long shrinkList(ReclaimContext ctx, int lru, long nrToScan) {
        if (ReclaimContext.isActive(lru)) {
            boolean may = ReclaimContext.isFile(lru) ? sc.mayDeactivateFile : sc.mayDeactivateAnon;
            if (may) {
                shrinkActiveList(ctx, lru, nrToScan);
            } else {
                sc.skippedDeactivate = true;
            }
            return 0;
        }
        return shrinkInactiveList(ctx, lru, nrToScan);
    }

    // ---------------------------------------------------------------- isolation

    /**
     * {@code isolate_lru_folios}: takes folios from the tail of {@code lru} into {@link #batch} until
     * {@code nrToScan} pages of eligible zones were scanned; folios of zones above {@code reclaim_idx} go to
     * the head ({@code pgskip}). Returns the number of folios taken; the pages scanned go to
     * {@code scanned[0]}.
     */
    int isolate(ReclaimContext ctx, int lru, long nrToScan, long[] scanned) {
        int taken = 0;
        long scan = 0;
        long pfn = ctx.lruTail(lru);
        long skippedHead = -1;
        while (scan < nrToScan && pfn >= 0 && pfn != skippedHead && taken < batch.length) {
            long prev = ctx.lruPrev(pfn);
            int state = ctx.lruState(pfn);
            long pages = 1L << ReclaimContext.order(state);
            if (ReclaimContext.zone(state) > sc.reclaimIdx) {
                ctx.lruMoveToHead(pfn, lru);
                ctx.count(pgskipName(ctx, ReclaimContext.zone(state)), pages);
                if (skippedHead < 0) {
                    skippedHead = pfn;
                }
            } else {
                scan += pages;
                batch[taken++] = pfn;
            }
            pfn = prev;
        }
        scanned[0] = scan;
        return taken;
    }

    private String[] pgskipNames;

    private String pgskipName(ReclaimContext ctx, int zone) {
        if (pgskipNames == null) {
            pgskipNames = new String[ctx.zones().size()];
            for (int i = 0; i < pgskipNames.length; i++) {
                pgskipNames[i] = "pgskip_" + ctx.zones().get(i).name().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return pgskipNames[zone];
    }

    /** The batch {@link #isolate} filled (valid until the next isolation). */
    long[] batch() {
        return batch;
    }

    private final long[] scannedOut = new long[1];

    /** {@code shrink_inactive_list} with {@code shrink_folio_list}. */
    long shrinkInactiveList(ReclaimContext ctx, int lru, long nrToScan) {
        int taken = isolate(ctx, lru, nrToScan, scannedOut);
        long nrScanned = scannedOut[0];
        boolean file = ReclaimContext.isFile(lru);
        sc.nrScanned += nrScanned;
        ctx.count(sc.kswapd ? "pgscan_kswapd" : "pgscan_direct", nrScanned);
        ctx.count(file ? "pgscan_file" : "pgscan_anon", nrScanned);
        if (taken == 0) {
            return 0;
        }
        java.util.Arrays.fill(shrinkStats, 0);
        long reclaimed = 0;
        long takenPages = 0;
        long unqueuedDirty = 0;
        for (int i = 0; i < taken; i++) {
            long pfn = batch[i];
            int state = ctx.lruState(pfn);
            long pages = 1L << ReclaimContext.order(state);
            takenPages += pages;
            // folio_check_dirty_writeback: only file folios count as dirty or under writeback
            boolean dirty = file && (state & ReclaimContext.DIRTY) != 0;
            boolean writeback = file && (state & ReclaimContext.WRITEBACK) != 0;
            boolean reclaimFlag = (state & ReclaimContext.RECLAIM) != 0;
            if (dirty || writeback) {
                shrinkStats[0] += pages;
            }
            if (dirty && !writeback) {
                unqueuedDirty += pages;
            }
            if (writeback && reclaimFlag) {
                shrinkStats[2] += pages;
            }
            if (writeback) {
                if (sc.kswapd && reclaimFlag && sc.pgdatWriteback) {
                    shrinkStats[3] += pages; // case 1: nr_immediate
                } else {
                    ctx.setFlags(pfn, ReclaimContext.RECLAIM, 0); // case 2 (global reclaim is writeback_throttling_sane)
                    shrinkStats[1] += pages;
                }
                activate(ctx, pfn, lru, pages);
                continue;
            }
            // folio_check_references
            boolean young = (state & ReclaimContext.YOUNG) != 0;
            boolean referenced = (state & ReclaimContext.REFERENCED) != 0;
            ctx.setFlags(pfn, 0, ReclaimContext.YOUNG | ReclaimContext.REFERENCED);
            if (young) {
                ctx.setFlags(pfn, ReclaimContext.REFERENCED, 0);
                if (referenced) {
                    activate(ctx, pfn, lru, pages);
                } else {
                    shrinkStats[6] += pages;
                    ctx.lruMoveToHead(pfn, lru);
                }
                continue;
            }
            boolean reclaimClean = referenced && file;
            if (dirty) {
                if (!sc.kswapd || !reclaimFlag || !sc.pgdatDirty) {
                    // only kswapd writes, and only a folio met dirty before on a node marked PGDAT_DIRTY
                    ctx.count("nr_vmscan_immediate_reclaim", pages);
                    ctx.setFlags(pfn, ReclaimContext.RECLAIM, 0);
                    activate(ctx, pfn, lru, pages);
                } else {
                    // FOLIOREF_RECLAIM_CLEAN and !may_enter_fs keep it; else pageout() starts writeback: keep
                    if (!reclaimClean && (sc.gfp & io.kmemsim.api.kernel.Gfp.FS) != 0) {
                        ctx.pageout(pfn);
                    }
                    ctx.lruMoveToHead(pfn, lru);
                }
                continue;
            }
            long freed = ctx.reclaim(pfn);
            if (freed > 0) {
                reclaimed += freed;
            } else if (!file) {
                activate(ctx, pfn, lru, pages);
            } else {
                ctx.lruMoveToHead(pfn, lru);
            }
        }
        sc.nrDirty += shrinkStats[0];
        sc.nrCongested += shrinkStats[2];
        sc.nrUnqueuedDirty += unqueuedDirty;
        sc.nrWriteback += shrinkStats[1];
        sc.nrImmediate += shrinkStats[3];
        sc.nrTaken += takenPages;
        if (file) {
            sc.nrFileTaken += takenPages;
        }
        if (unqueuedDirty == takenPages) {
            ctx.wakeFlushers();
        }
        ctx.count(sc.kswapd ? "pgsteal_kswapd" : "pgsteal_direct", reclaimed);
        ctx.count(file ? "pgsteal_file" : "pgsteal_anon", reclaimed);
        ctx.trace().vmscanLruShrinkInactive(LinuxReclaimPolicy.NID, nrScanned, reclaimed, shrinkStats, sc.priority, file, sc.kswapd, ctx.cpu());
        return reclaimed;
    }

    private void activate(ReclaimContext ctx, long pfn, int lru, long pages) {
        ctx.lruMoveToHead(pfn, lru + 1);
        shrinkStats[ReclaimContext.isFile(lru) ? 5 : 4] += pages;
        ctx.count("pgactivate", pages);
    }

    /** {@code shrink_active_list}: all but {@code VM_EXEC} file folios (not modelled) go to the inactive head with PG_workingset. */
    void shrinkActiveList(ReclaimContext ctx, int lru, long nrToScan) {
        int taken = isolate(ctx, lru, nrToScan, scannedOut);
        ctx.count("pgrefill", scannedOut[0]);
        long deactivated = 0;
        for (int i = 0; i < taken; i++) {
            long pfn = batch[i];
            int state = ctx.lruState(pfn);
            ctx.setFlags(pfn, ReclaimContext.WORKINGSET, ReclaimContext.YOUNG);
            ctx.lruMoveToHead(pfn, lru - 1);
            deactivated += 1L << ReclaimContext.order(state);
        }
        ctx.count("pgdeactivate", deactivated);
    }
}
