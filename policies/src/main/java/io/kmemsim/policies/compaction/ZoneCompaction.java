package io.kmemsim.policies.compaction;

import static io.kmemsim.api.policy.CompactionContext.ALLOCATED;
import static io.kmemsim.api.policy.CompactionContext.ALLOCATED_TAIL;
import static io.kmemsim.api.policy.CompactionContext.FREE;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.Fragmentation;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.CompactionContext;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.api.trace.TraceListener;
import io.kmemsim.policies.fallback.FallbackTable;

/**
 * One run of {@code compact_zone} over one zone (mm/compaction.c: compaction_suitable(), compact_zone(),
 * __compact_finished(), isolate_migratepages(), isolate_migratepages_block(), isolate_freepages(),
 * isolate_freepages_block(), compaction_alloc(), compaction_free(), release_freepages() (6.1); mm/migrate.c:
 * migrate_pages_batch() (6.1)): the migrate scanner walks up from the zone start isolating movable pages, the free
 * scanner walks down from the zone end isolating free blocks as targets, until the scanners meet or a block of the
 * requested order exists.
 *
 * <p>Counters count as the kernel does: {@code compact_migrate_scanned} and {@code compact_free_scanned} one per loop
 * step (a free buddy block, or an allocated block of order &gt; 0, is passed in one step; an isolated block adds its
 * tail pages), {@code compact_isolated} every page isolated on either side (also sources put back later),
 * {@code pgmigrate_fail} a source that found no target ({@code -ENOMEM}).
 *
 * <p>Notes: not modelled — {@code fast_find_migrateblock} and {@code fast_isolate_freepages} (the free-list shortcuts;
 * neither runs for order −1 with {@code ignore_skip_hint}), lock contention, page capture (mm/page_alloc.c:
 * compaction_capture() (6.1)), a source freed while isolated, {@code -EAGAIN} retries; an allocated block of order
 * &gt; 0 is taken as compound (the allocator does not say which are). Movable blocks of order k are the kernel's
 * folios of order k: up to 6.9 only order-0 pages migrate (compound pages are skipped), from 6.10 a folio migrates
 * when its order is below both the target order and the pageblock order; for order −1 (compact everything) the
 * latter bound alone applies (our reading).
 */
final class ZoneCompaction {

    /** The kernel's {@code enum migrate_mode}. */
    enum Mode { ASYNC, SYNC_LIGHT, SYNC }

    static final int CONTINUE = -1;
    /** {@code COMPACT_CLUSTER_MAX} ({@code SWAP_CLUSTER_MAX}, include/linux/swap.h (6.1)). */
    private static final int CLUSTER_MAX = 32;
    /** migrate_pages() returns {@code -ENOMEM} when compaction_alloc() found no target. */
    private static final int ENOMEM = -12;

    private final CompactionContext ctx;
    private final ZoneCompactState state;
    private final Zone zone;
    private final int order;
    private final MigrateType migratetype;
    private final Mode mode;
    private final boolean direct;
    private final boolean wholeZone;
    private final boolean ignoreSkipHint;
    private final boolean ignoreBlockSuitable;
    private final int proactiveLow;
    private final int pbo;
    private final boolean legacyFolios;

    private long migratePfn;
    /** The free scanner and the isolated targets ({@code cc->free_pfn}, {@code cc->freepages}). */
    private final FreeScanner free;
    /** {@code cc->migratepages} in isolation order (a rescan isolates up to a whole pageblock). */
    private final long[] srcPfn;
    private int nSrc;
    /** {@code cc->nr_migratepages}. */
    private long srcPages;
    /** {@code cc->rescan}: this iteration starts in the pageblock the previous migration came from. */
    private boolean rescan;
    /** migrate_pages() ran out of targets before the scanners met ({@code COMPACT_CONTENDED}). */
    private boolean contended;

    long migrateScanned;
    long freeScanned;
    long isolated;

    private TraceListener trace = TraceListener.NONE;
    private boolean kcompactd;
    /** The CPU the tracepoints print: the task's ({@link CompactionContext#cpu()}) unless kcompactd runs this. */
    private int cpu;

    /**
     * @param proactiveLow the zone score at which proactive compaction stops, or −1 when not proactive
     */
    ZoneCompaction(CompactionContext ctx, ZoneCompactState state, Zone zone, int order, MigrateType migratetype,
                   Mode mode, boolean direct, boolean wholeZone, boolean ignoreSkipHint, boolean ignoreBlockSuitable,
                   int proactiveLow) {
        this.ctx = ctx;
        this.state = state;
        this.zone = zone;
        this.order = order;
        this.migratetype = migratetype;
        this.mode = mode;
        this.direct = direct;
        this.wholeZone = wholeZone;
        this.ignoreSkipHint = ignoreSkipHint;
        this.ignoreBlockSuitable = ignoreBlockSuitable;
        this.proactiveLow = proactiveLow;
        this.pbo = ctx.pageblockOrder();
        this.legacyFolios = !ctx.kernel().has(Feature.COMPACTION_FOLIOS);
        this.srcPfn = new long[Math.max(CLUSTER_MAX, 1 << pbo)];
        this.free = new FreeScanner(ctx, state, mode == Mode.ASYNC, ignoreSkipHint, ignoreBlockSuitable, legacyFolios);
    }

    /**
     * Sends this run's {@code mm_compaction_begin}, {@code mm_compaction_finished}, {@code mm_compaction_isolate_migratepages},
     * {@code mm_compaction_isolate_freepages}, {@code mm_compaction_migratepages} and {@code mm_compaction_end} to
     * {@code listener}, where 6.1 mm/compaction.c emits them (compact_zone(), compact_finished(),
     * isolate_migratepages_block(), isolate_freepages_block()); {@code byKcompactd}: run by kcompactd.
     */
    ZoneCompaction traced(TraceListener listener, boolean byKcompactd) {
        this.trace = listener;
        this.kcompactd = byKcompactd;
        this.cpu = byKcompactd ? 0 : ctx.cpu();
        free.traced(listener, byKcompactd, cpu);
        return this;
    }

    /** 6.1 {@code enum compact_result} values the tracepoints print (include/linux/compaction.h). */
    static final int K_NOT_SUITABLE_ZONE = 0;
    static final int K_SKIPPED = 1;
    static final int K_NO_SUITABLE_PAGE = 3;
    static final int K_CONTINUE = 4;
    static final int K_COMPLETE = 5;
    static final int K_PARTIAL_SKIPPED = 6;
    static final int K_CONTENDED = 7;
    static final int K_SUCCESS = 8;

    /**
     * {@code compaction_suitable} (mm/compaction.c: compaction_suitable() (6.1)) with the MIN watermark, for {@code order >= 0}: SUCCESS, SKIPPED or CONTINUE, and
     * its {@code mm_compaction_suitable} line (6.1 mm/compaction.c: compaction_suitable() prints NOT_SUITABLE_ZONE for
     * the fragmentation-index refusal before turning it into SKIPPED).
     */
    static int suitable(CompactionContext ctx, Zone zone, int order, int highestZoneIndex, boolean allowCma,
                        boolean async, int extfragThreshold) {
        return suitable(ctx, zone, order, highestZoneIndex, allowCma, async, extfragThreshold, TraceListener.NONE, false);
    }

    /** {@link #suitable(CompactionContext, Zone, int, int, boolean, boolean, int)} printing its line to {@code trace}. */
    static int suitable(CompactionContext ctx, Zone zone, int order, int highestZoneIndex, boolean allowCma,
                        boolean async, int extfragThreshold, TraceListener trace, boolean kcompactd) {
        int k = suitableStatus(ctx, zone, order, highestZoneIndex, allowCma, async, extfragThreshold);
        trace.compactionSuitable(zone.node(), zone.type(), order, k, kcompactd, kcompactd ? 0 : ctx.cpu());
        return switch (k) {
            case K_SUCCESS -> CompactionResult.SUCCESS.ordinal();
            case K_CONTINUE -> CONTINUE;
            default -> CompactionResult.SKIPPED.ordinal();
        };
    }

    private static int suitableStatus(CompactionContext ctx, Zone zone, int order, int highestZoneIndex, boolean allowCma,
                                      boolean async, int extfragThreshold) {
        long min = zone.watermark(WatermarkLevel.MIN);
        if (ctx.watermarkOk(zone, order, min, highestZoneIndex, allowCma)) {
            return K_SUCCESS;
        }
        long gap = 2L << order;
        boolean costly = order > PageOrders.COSTLY_ORDER;
        if (ctx.kernel().has(Feature.COMPACTION_COSTLY_ASYNC_SKIP) && costly && async && !allowCma
                && !ctx.watermarkOk(zone, 0, min + gap, highestZoneIndex, false)) {
            return K_SKIPPED;
        }
        long mark = (costly ? zone.watermark(WatermarkLevel.LOW) : min) + gap;
        if (!ctx.watermarkOk(zone, 0, mark, highestZoneIndex, true)) {
            return K_SKIPPED;
        }
        if (costly) {
            int fi = Fragmentation.fragmentationIndex(nrFree(ctx, zone), order);
            if (fi >= 0 && fi <= extfragThreshold) {
                return K_NOT_SUITABLE_ZONE;
            }
        }
        return K_CONTINUE;
    }

    static long[] nrFree(CompactionContext ctx, Zone zone) {
        long[] nr = new long[ctx.maxOrder() + 1];
        for (int o = 0; o < nr.length; o++) {
            nr[o] = zone.freeBlocks(o);
        }
        return nr;
    }

    /**
     * Runs the scanners (mm/compaction.c: compact_zone() (6.1)) after suitability was checked; returns COMPLETE,
     * PARTIAL_SKIPPED or SUCCESS. {@code last_migrated_pfn} starts at 0 as in the kernel, so a zone whose first
     * pageblock is pageblock 0 (amd64's DMA starts at PFN 1) begins with {@code cc->rescan} set.
     */
    CompactionResult run() {
        if (order >= 0 && state.restarting(order) && state.blockskipFlush) {
            state.clearSkipBits();
        }
        int sync = mode == Mode.ASYNC ? 0 : 1;
        if (wholeZone) {
            migratePfn = state.start;
            free.freePfn = state.lastBlockStart();
        } else {
            migratePfn = clamp(state.cachedMigratePfn[sync], state.start);
            free.freePfn = clamp(state.cachedFreePfn, state.lastBlockStart());
        }
        // compact_zone(): keep the async and sync cached PFNs in step until a block with candidates is found
        boolean updateCached = mode == Mode.ASYNC && state.cachedMigratePfn[0] == state.cachedMigratePfn[1];
        long lastMigratedPfn = 0;
        trace.compactionBegin(state.start, migratePfn, free.freePfn, state.end, mode != Mode.ASYNC, kcompactd, cpu);
        CompactionResult result;
        while ((result = compactFinished()) == null) {
            long iterationStart = migratePfn;
            rescan = lastMigratedPfn >> pbo == iterationStart >> pbo;
            if (isolateMigratePages()) {
                updateCached = false;
                lastMigratedPfn = iterationStart;
                int err = migratePages();
                if (err == ENOMEM && !scannersMet()) {
                    contended = true; // 6.1: COMPACT_CONTENDED, and out
                    result = CompactionResult.PARTIAL_SKIPPED;
                    break;
                }
                if (err != 0 && direct && mode == Mode.ASYNC) {
                    migratePfn = blockEnd(migratePfn - 1, order); // skip the rest of the failed order-aligned block
                    lastMigratedPfn = 0;
                }
            } else if (updateCached) {
                state.cachedMigratePfn[1] = state.cachedMigratePfn[0];
            }
            // check_drain: the migrate scanner left the order-aligned block it migrated from
            if (order > 0 && lastMigratedPfn != 0 && lastMigratedPfn < migratePfn >> order << order) {
                ctx.drainPerCpuLists();
                lastMigratedPfn = 0;
            }
        }
        free.release();
        freeScanned = free.scanned;
        isolated += free.isolated;
        int status = contended ? K_CONTENDED : kernelStatus(result);
        trace.compactionEnd(state.start, migratePfn, free.freePfn, state.end, mode != Mode.ASYNC, status, kcompactd, cpu);
        return result;
    }

    /** {@code block_end_pfn(pfn, order)}: the end of the {@code 2^order}-aligned block holding {@code pfn}. */
    private static long blockEnd(long pfn, int order) {
        long size = order > 0 ? 1L << order : 1;
        return (pfn + size) & -size;
    }

    /** {@code compact_scanners_met}. */
    private boolean scannersMet() {
        return free.freePfn >> pbo <= migratePfn >> pbo;
    }

    /** The value of 6.1 include/linux/compaction.h {@code enum compact_result} for a result {@link #run} returns. */
    static int kernelStatus(CompactionResult r) {
        return switch (r) {
            case NOT_ATTEMPTED -> 0; // not returned by run(); COMPACT_NOT_SUITABLE_ZONE is the nearest
            case SKIPPED -> 1;
            case DEFERRED -> 2;
            case COMPLETE -> 5;
            case PARTIAL_SKIPPED -> 6;
            case SUCCESS -> 8;
        };
    }

    private long clamp(long pfn, long otherwise) {
        return pfn < state.start || pfn >= state.end ? otherwise : pfn;
    }

    // ---- compact_finished (mm/compaction.c: __compact_finished() (6.1)) --------------------------------------------------------------

    /**
     * {@code compact_finished}: the result when compaction should stop, or null to continue, after the
     * {@code mm_compaction_finished} line with the kernel's value (no_suitable_page prints, then continues).
     */
    private CompactionResult compactFinished() {
        int k = finished();
        trace.compactionFinished(zone.node(), zone.type(), order, k, kcompactd, cpu);
        return switch (k) {
            case K_COMPLETE -> CompactionResult.COMPLETE;
            case K_PARTIAL_SKIPPED -> CompactionResult.PARTIAL_SKIPPED;
            case K_SUCCESS -> CompactionResult.SUCCESS;
            default -> null;
        };
    }

    /** {@code __compact_finished}: the kernel's {@code enum compact_result} value. */
    private int finished() {
        if (scannersMet()) {
            state.resetCached();
            if (direct) {
                state.blockskipFlush = true;
            }
            return wholeZone ? K_COMPLETE : K_PARTIAL_SKIPPED;
        }
        if (proactiveLow >= 0) {
            int score = Fragmentation.extfragForOrder(nrFree(ctx, zone), Math.min(pbo, ctx.maxOrder()));
            return score > proactiveLow ? K_CONTINUE : K_SUCCESS;
        }
        if (order < 0 || (migratePfn & ((1L << pbo) - 1)) != 0) {
            return K_CONTINUE;
        }
        for (int o = order; o <= ctx.maxOrder(); o++) {
            if (zone.freeBlocks(o, migratetype) > 0) {
                return K_SUCCESS;
            }
            if (migratetype == MigrateType.MOVABLE && ctx.kernelConfig().cma() && zone.freeBlocks(o, MigrateType.CMA) > 0) {
                return K_SUCCESS;
            }
            if (migratetype.isPcpType() && FallbackTable.worthClaiming(o, migratetype, pbo, false)) {
                for (MigrateType f : FallbackTable.fallbacks(migratetype)) {
                    if (zone.freeBlocks(o, f) > 0) {
                        return K_SUCCESS;
                    }
                }
            }
        }
        return K_NO_SUITABLE_PAGE;
    }

    // ---- migrate scanner (mm/compaction.c: isolate_migratepages(), isolate_migratepages_block() (6.1)) ----------

    /**
     * {@code isolate_migratepages}: walks pageblocks from the migrate scanner up while a block ends at or below the
     * free scanner, and isolates from the first suitable one; true when pages were isolated (ISOLATE_SUCCESS).
     * {@code fast_find_migrateblock} is not modelled: it returns at once with {@code ignore_skip_hint} (compact_memory)
     * and for orders up to PAGE_ALLOC_COSTLY_ORDER.
     */
    private boolean isolateMigratePages() {
        long pbn = 1L << pbo;
        long lowPfn = migratePfn;
        long blockStart = Math.max(lowPfn >> pbo << pbo, state.start);
        for (long blockEnd = (lowPfn >> pbo << pbo) + pbn; blockEnd <= free.freePfn;
                migratePfn = lowPfn = blockEnd, blockStart = blockEnd, blockEnd += pbn) {
            if (CompactionContext.kind(ctx.pageState(blockStart)) == CompactionContext.HOLE) {
                continue; // pageblock_pfn_to_page() found no page
            }
            if ((lowPfn & (pbn - 1)) == 0 && !ignoreSkipHint && state.skipped(blockStart)) {
                continue; // isolation_suitable(): the skip bit
            }
            if (!suitableSource(blockStart)) {
                updateCachedMigrate(blockEnd);
                continue;
            }
            isolateMigratePagesBlock(lowPfn, blockEnd);
            break;
        }
        return nSrc > 0;
    }

    /**
     * {@code suitable_migration_source}: not a pageblock covered by a compound page of at least pageblock order
     * ({@code pageblock_skip_persistent}); async direct compaction also wants the request's migrate type.
     */
    private boolean suitableSource(long blockStart) {
        int first = ctx.pageState(Math.max(blockStart, state.start));
        int kind = CompactionContext.kind(first);
        boolean coveredByLargeFolio = (kind == ALLOCATED && CompactionContext.order(first) >= pbo)
                || (kind == ALLOCATED_TAIL && blockStart >= state.start);
        if (coveredByLargeFolio) {
            return false;
        }
        if (direct && mode == Mode.ASYNC) {
            MigrateType bt = ctx.pageblockType(blockStart);
            return migratetype == MigrateType.MOVABLE ? bt.isMovableLike() : bt == migratetype;
        }
        return true;
    }

    /**
     * {@code isolate_migratepages_block(cc, lowPfn, endPfn)}. One loop step is one {@code nr_scanned}: a free buddy
     * block and an allocated block of order &gt; 0 (taken as compound) are passed in one step, any other page —
     * a free block's tail where a pageblock starts inside it, a page on a per-CPU list, a reserved or unmovable
     * page — costs one step; an isolated page adds its tail pages. Isolation stops at {@code COMPACT_CLUSTER_MAX}
     * pages unless {@code cc->rescan}. Async direct compaction gives up an order-aligned chunk at the first page
     * it cannot isolate and puts back what it took from it.
     */
    private void isolateMigratePagesBlock(long lowPfn, long endPfn) {
        long startPfn = lowPfn;
        long nrScanned = 0;
        long nrIsolated = 0;
        boolean skipOnFailure = direct && mode == Mode.ASYNC;
        long nextSkipPfn = skipOnFailure ? blockEnd(lowPfn, order) : 0;
        long validPage = -1;
        boolean skipUpdated = false;
        boolean aborted = false;
        long pbn = 1L << pbo;
        for (; lowPfn < endPfn; lowPfn++) {
            if (skipOnFailure && lowPfn >= nextSkipPfn) {
                if (nrIsolated > 0) {
                    break;
                }
                nextSkipPfn = blockEnd(lowPfn, order);
            }
            nrScanned++;
            if (validPage < 0 && (lowPfn & (pbn - 1)) == 0) {
                if (!ignoreSkipHint && state.skipped(lowPfn)) {
                    lowPfn = endPfn;
                    aborted = true;
                    break;
                }
                validPage = lowPfn;
            }
            int st = ctx.pageState(lowPfn);
            int kind = CompactionContext.kind(st);
            int o = CompactionContext.order(st);
            if (kind == FREE) {
                if (o > 0 && o <= ctx.maxOrder()) {
                    lowPfn += (1L << o) - 1;
                }
                continue;
            }
            if (kind == ALLOCATED && eligibleSource(st)) {
                if (!skipUpdated) {
                    // test_and_set_skip() at the first page taken under the lru lock: only a pageblock-aligned pfn
                    skipUpdated = true;
                    if (!ignoreSkipHint && (lowPfn & (pbn - 1)) == 0) {
                        state.setSkip(lowPfn);
                    }
                }
                srcPfn[nSrc++] = lowPfn;
                srcPages += 1L << o;
                nrIsolated += 1L << o;
                nrScanned += (1L << o) - 1;
                lowPfn += (1L << o) - 1;
                if (srcPages >= CLUSTER_MAX && !rescan) {
                    ++lowPfn;
                    break;
                }
                continue;
            }
            if (kind == ALLOCATED && o > 0) {
                lowPfn += (1L << o) - 1; // PageCompound: skipped at once, regardless of being on the LRU
            }
            // isolate_fail
            if (!skipOnFailure) {
                continue;
            }
            if (nrIsolated > 0) {
                nSrc = 0; // putback_movable_pages()
                srcPages = 0;
                nrIsolated = 0;
            }
            if (lowPfn < nextSkipPfn) {
                lowPfn = nextSkipPfn - 1;
                nextSkipPfn += 1L << order;
            }
        }
        if (!aborted && lowPfn > endPfn) {
            lowPfn = endPfn;
        }
        if (lowPfn == endPfn && (nrIsolated == 0 || rescan)) {
            if (validPage >= 0 && !skipUpdated) {
                state.setSkip(validPage); // set_pageblock_skip(valid_page), whatever ignore_skip_hint says
            }
            updateCachedMigrate(lowPfn);
        }
        // 6.1 mm/compaction.c: isolate_migratepages_block() ends with its range, pages scanned and pages isolated
        trace.compactionIsolateMigratepages(startPfn, lowPfn, nrScanned, nrIsolated, kcompactd, cpu);
        migrateScanned += nrScanned;
        isolated += nrIsolated;
        migratePfn = lowPfn;
    }

    /**
     * A movable allocated head the scanner may isolate: an LRU page that is not pinned (isolate_migratepages_block()'s
     * mapping, unevictable and async dirty/writeback rules are not modelled). Up to 6.9 only order-0 pages (compound
     * pages are skipped); from 6.10 a folio below the pageblock order and, for a positive target order, below it.
     */
    private boolean eligibleSource(int st) {
        if (!CompactionContext.movable(st)) {
            return false;
        }
        int o = CompactionContext.order(st);
        if (legacyFolios) {
            return o == 0;
        }
        return o < pbo && (order < 0 || o < order);
    }

    /**
     * {@code update_cached_migrate(cc, pfn)}: {@code pageblock_end_pfn(pfn)} — for a pageblock-aligned {@code pfn}
     * (its callers pass a block end) that is the end of the next pageblock, as in 6.1.
     */
    private void updateCachedMigrate(long pfn) {
        long pbn = 1L << pbo;
        long end = (pfn + pbn) & -pbn;
        if (end > state.cachedMigratePfn[0]) {
            state.cachedMigratePfn[0] = end;
        }
        if (mode != Mode.ASYNC && end > state.cachedMigratePfn[1]) {
            state.cachedMigratePfn[1] = end;
        }
    }

    // ---- migration (mm/migrate.c: migrate_pages(), migrate_pages_batch() (6.1); compaction_alloc/free) ---------

    /**
     * {@code migrate_pages(&cc->migratepages, compaction_alloc, compaction_free, …)}: the list holds the isolated
     * pages newest first (isolate_migratepages_block() adds at the head), so the highest PFN moves first. A page
     * whose {@code compaction_alloc} finds no target fails with {@code -ENOMEM} (counted in pgmigrate_fail) and the
     * rest are put back uncounted. Moved sources are freed by the allocator's ordinary free path.
     *
     * @return 0, {@link #ENOMEM}, or the number of pages that failed otherwise
     */
    private int migratePages() {
        long migrated = 0;
        int err = 0;
        for (int i = nSrc - 1; i >= 0; i--) {
            int o = CompactionContext.order(ctx.pageState(srcPfn[i]));
            long dst = free.alloc(o, migratePfn, srcPages);
            if (dst < 0) {
                ctx.count("pgmigrate_fail", 1L << o);
                err = ENOMEM;
                break;
            }
            if (ctx.migrate(srcPfn[i], dst)) {
                migrated += 1L << o;
            } else {
                free.free(dst, o);
                err++;
            }
        }
        // migrate_pages() counts base pages: nr_failed = cc->nr_migratepages - nr_succeeded
        trace.compactionMigratepages(migrated, srcPages - migrated, kcompactd, cpu);
        nSrc = 0;
        srcPages = 0;
        return err;
    }

}
