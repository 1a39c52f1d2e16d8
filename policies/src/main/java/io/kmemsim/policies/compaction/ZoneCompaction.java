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
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * One run of {@code compact_zone} over one zone (mm/compaction.c: compaction_suitable(), compact_zone(), __compact_finished(), isolate_migratepages_block(), isolate_freepages() (6.1)): the
 * migrate scanner walks up from the zone start isolating movable pages, the free scanner walks down
 * from the zone end isolating free blocks as targets, until the scanners meet or a block of the
 * requested order exists.
 *
 * <p>Notes: modelled with the linear scanners only. Not modelled: {@code fast_find_migrateblock} and
 * {@code fast_isolate_freepages} (the free-list shortcuts that jump the scanners), lock contention,
 * page capture (mm/page_alloc.c: compaction_capture() (6.1)). Migration never fails for a movable source, so "putting back" is a no-op.
 * Movable blocks of order k are the kernel's folios of order k: up to 6.8 only order-0 pages migrate
 * (compound pages are skipped), from 6.10 a folio migrates when its order is below both the target
 * order and the pageblock order; for order −1 (compact everything) the latter bound alone applies
 * (the reference does not say; our reading).
 */
final class ZoneCompaction {

    /** The kernel's {@code enum migrate_mode}. */
    enum Mode { ASYNC, SYNC_LIGHT, SYNC }

    static final int CONTINUE = -1;
    private static final int CLUSTER_MAX = 32;

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
    private long freePfn;
    private final long[] srcPfn = new long[CLUSTER_MAX];
    private int nSrc;
    private long srcPages;
    private final ArrayDeque<long[]> freePieces = new ArrayDeque<>();
    private long freeIsolatedPages;
    private long lastMigratedPfn = -1;
    private int freeStride;

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
        this.freeStride = mode == Mode.ASYNC ? CLUSTER_MAX : 1;
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
        return this;
    }

    /** 6.1 {@code enum compact_result} values the tracepoints print (include/linux/compaction.h). */
    static final int K_NOT_SUITABLE_ZONE = 0;
    static final int K_SKIPPED = 1;
    static final int K_NO_SUITABLE_PAGE = 3;
    static final int K_CONTINUE = 4;
    static final int K_COMPLETE = 5;
    static final int K_PARTIAL_SKIPPED = 6;
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

    /** Runs the scanners (mm/compaction.c: compact_zone() (6.1)) after suitability was checked; returns COMPLETE, PARTIAL_SKIPPED or SUCCESS. */
    CompactionResult run() {
        if (order >= 0 && state.restarting(order) && state.blockskipFlush) {
            state.clearSkipBits();
        }
        int sync = mode == Mode.ASYNC ? 0 : 1;
        if (wholeZone) {
            migratePfn = state.start;
            freePfn = state.lastBlockStart();
        } else {
            migratePfn = clamp(state.cachedMigratePfn[sync], state.start);
            freePfn = clamp(state.cachedFreePfn, state.lastBlockStart());
        }
        trace.compactionBegin(state.start, migratePfn, freePfn, state.end, mode != Mode.ASYNC, kcompactd, cpu);
        CompactionResult result;
        while ((result = compactFinished()) == null) {
            if (!isolateMigratePages()) {
                flushIfLeftRegion();
                continue;
            }
            migrateIsolated();
            flushIfLeftRegion();
        }
        releaseFree();
        trace.compactionEnd(state.start, migratePfn, freePfn, state.end, mode != Mode.ASYNC, kernelStatus(result), kcompactd, cpu);
        return result;
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
        if (freePfn >> pbo <= migratePfn >> pbo) {
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

    // ---- migrate scanner (mm/compaction.c: isolate_migratepages_block() (6.1)) ---------------------------------------------------------------

    /** Isolates movable pages from the next pageblock that can be processed; true when some were isolated. */
    private boolean isolateMigratePages() {
        long pbn = 1L << pbo;
        while (true) {
            long blockStart = migratePfn >> pbo << pbo;
            long blockEnd = Math.min(blockStart + pbn, state.end);
            if (blockEnd > freePfn || migratePfn >= state.end) {
                migratePfn = Math.max(migratePfn, freePfn);
                return false;
            }
            boolean atStart = migratePfn == Math.max(blockStart, state.start);
            if (atStart && !ignoreSkipHint && state.skipped(blockStart)) {
                migratePfn = blockEnd;
                continue;
            }
            if (!suitableSource(blockStart)) {
                migratePfn = blockEnd;
                updateCachedMigrate(blockEnd);
                continue;
            }
            return scanMigrateBlock(blockStart, blockEnd, atStart);
        }
    }

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

    private boolean scanMigrateBlock(long blockStart, long blockEnd, boolean atStart) {
        long pfn = migratePfn;
        long startPfn = migratePfn;
        long scannedBefore = migrateScanned;
        long isolatedBefore = isolated;
        boolean asyncDirect = direct && mode == Mode.ASYNC && order > 0;
        long chunk = order > 0 ? 1L << order : 1;
        int chunkFirstSrc = nSrc;
        while (pfn < blockEnd) {
            if (asyncDirect && (pfn & (chunk - 1)) == 0) {
                chunkFirstSrc = nSrc;
            }
            int st = ctx.pageState(pfn);
            int kind = CompactionContext.kind(st);
            migrateScanned++;
            if (kind == FREE) {
                pfn += 1L << CompactionContext.order(st);
                continue;
            }
            if (kind == ALLOCATED) {
                int o = CompactionContext.order(st);
                if (eligibleSource(st)) {
                    srcPfn[nSrc++] = pfn;
                    srcPages += 1L << o;
                    isolated += 1L << o;
                    pfn += 1L << o;
                    if (nSrc == CLUSTER_MAX) {
                        break;
                    }
                    continue;
                }
                if (asyncDirect) {
                    // a page that cannot move spoils its 2^order chunk: put the chunk back, skip it
                    isolated -= pagesFrom(chunkFirstSrc);
                    srcPages -= pagesFrom(chunkFirstSrc);
                    nSrc = chunkFirstSrc;
                    pfn = (pfn & ~(chunk - 1)) + chunk;
                    continue;
                }
                pfn += 1L << o;
                continue;
            }
            pfn++;
        }
        migratePfn = Math.min(pfn, blockEnd);
        // 6.1 mm/compaction.c: isolate_migratepages_block() ends with its range, pages scanned and pages isolated
        trace.compactionIsolateMigratepages(startPfn, migratePfn, migrateScanned - scannedBefore,
                isolated - isolatedBefore, kcompactd, cpu);
        if (pfn >= blockEnd && nSrc == 0) {
            if (!ignoreSkipHint || !atStart) {
                state.setSkip(blockStart);
            }
            updateCachedMigrate(blockEnd);
        }
        return nSrc > 0;
    }

    private long pagesFrom(int firstSrc) {
        long pages = 0;
        for (int i = firstSrc; i < nSrc; i++) {
            pages += 1L << CompactionContext.order(ctx.pageState(srcPfn[i]));
        }
        return pages;
    }

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

    private void updateCachedMigrate(long pfn) {
        if (pfn > state.cachedMigratePfn[0]) {
            state.cachedMigratePfn[0] = pfn;
        }
        if (mode != Mode.ASYNC && pfn > state.cachedMigratePfn[1]) {
            state.cachedMigratePfn[1] = pfn;
        }
    }

    // ---- migration and its targets (mm/compaction.c: isolate_freepages() (6.1)) -----------------------------------------------------

    private void migrateIsolated() {
        long migrated = 0;
        for (int i = 0; i < nSrc; i++) {
            int o = CompactionContext.order(ctx.pageState(srcPfn[i]));
            long dst = takeTarget(o);
            if (dst < 0) {
                break; // no target left: the remaining sources stay where they are
            }
            if (ctx.migrate(srcPfn[i], dst)) {
                lastMigratedPfn = srcPfn[i];
                migrated += 1L << o;
            } else {
                ctx.releaseFreeBlock(dst, o);
            }
        }
        // migrate_pages() counts base pages: nr_failed = cc->nr_migratepages - nr_succeeded
        trace.compactionMigratepages(migrated, srcPages - migrated, kcompactd, cpu);
        nSrc = 0;
        srcPages = 0;
    }

    /** {@code compaction_alloc}: an isolated target of {@code 2^o} pages, running the free scanner once if needed. */
    private long takeTarget(int o) {
        long dst = takeIsolated(o);
        if (dst < 0) {
            isolateFreePages();
            dst = takeIsolated(o);
        }
        return dst;
    }

    private long takeIsolated(int o) {
        long[] best = null;
        if (legacyFolios) {
            best = freePieces.peekFirst();
        } else {
            for (long[] piece : freePieces) {
                if (piece[1] >= o && (best == null || piece[1] < best[1])) {
                    best = piece;
                }
            }
        }
        if (best == null || best[1] < o) {
            return -1;
        }
        freePieces.remove(best);
        long pfn = best[0];
        for (int k = (int) best[1] - 1; k >= o; k--) {
            freePieces.addFirst(new long[] {pfn + (1L << k), k}); // upper halves, ascending at the head
        }
        freeIsolatedPages -= 1L << o;
        return pfn;
    }

    /** The free scanner: isolates free blocks from the top of the zone down until enough targets exist. */
    private void isolateFreePages() {
        long pbn = 1L << pbo;
        long low = (migratePfn >> pbo << pbo) + pbn;
        long blockStart = freePfn >> pbo << pbo;
        for (; blockStart >= low; blockStart -= pbn) {
            boolean resuming = freePfn >> pbo << pbo == blockStart;
            long scanFrom = Math.max(resuming ? freePfn : blockStart, state.start);
            long blockEnd = Math.min(blockStart + pbn, state.end);
            if (!suitableTarget(blockStart) || (!ignoreSkipHint && state.skipped(blockStart))) {
                freePfn = blockStart - pbn;
                continue;
            }
            long before = freeIsolatedPages;
            long stoppedAt = scanFreeBlock(scanFrom, blockEnd);
            freeStride = freeIsolatedPages > before ? 1 : Math.min(CLUSTER_MAX, freeStride << 1);
            if (stoppedAt >= blockEnd) {
                state.setSkip(blockStart);
                if (blockStart < state.cachedFreePfn) {
                    state.cachedFreePfn = blockStart;
                }
                freePfn = blockStart - pbn;
            } else {
                freePfn = stoppedAt;
            }
            if (freeIsolatedPages >= srcPages) {
                return;
            }
        }
        freePfn = blockStart;
    }

    private boolean suitableTarget(long blockStart) {
        int first = ctx.pageState(Math.max(blockStart, state.start));
        if (CompactionContext.kind(first) == FREE && CompactionContext.order(first) >= (order < 0 ? pbo : order)) {
            return false;
        }
        return ignoreBlockSuitable || ctx.pageblockType(blockStart).isMovableLike();
    }

    /**
     * Isolates free blocks in [from, end); returns where it stopped (end when the block was finished), after the
     * {@code mm_compaction_isolate_freepages} line (6.1 mm/compaction.c: isolate_freepages_block()).
     */
    private long scanFreeBlock(long from, long end) {
        long scannedBefore = freeScanned;
        long isolatedBefore = freeIsolatedPages;
        long stopped = scanFree(from, end);
        trace.compactionIsolateFreepages(from, stopped, freeScanned - scannedBefore, freeIsolatedPages - isolatedBefore,
                kcompactd, cpu);
        return stopped;
    }

    private long scanFree(long from, long end) {
        long pfn = from;
        while (pfn < end) {
            int st = ctx.pageState(pfn);
            freeScanned++;
            if (CompactionContext.kind(st) == FREE) {
                int o = ctx.isolateFreeBlock(pfn);
                if (o >= 0) {
                    freePieces.addLast(new long[] {pfn, o});
                    freeIsolatedPages += 1L << o;
                    isolated += 1L << o;
                    pfn += (1L << o) - 1 + freeStride;
                    if (freeIsolatedPages >= srcPages) {
                        return Math.min(pfn, end);
                    }
                    continue;
                }
            }
            pfn += freeStride;
        }
        return end;
    }

    private void flushIfLeftRegion() {
        if (order > 0 && lastMigratedPfn >= 0 && lastMigratedPfn < (migratePfn >> order << order)) {
            ctx.drainPerCpuLists();
            lastMigratedPfn = -1;
        }
    }

    private void releaseFree() {
        long highest = -1;
        for (Iterator<long[]> it = freePieces.iterator(); it.hasNext(); ) {
            long[] piece = it.next();
            ctx.releaseFreeBlock(piece[0], (int) piece[1]);
            highest = Math.max(highest, piece[0]);
        }
        freePieces.clear();
        freeIsolatedPages = 0;
        if (highest >= 0) {
            long block = highest >> pbo << pbo;
            if (block > state.cachedFreePfn) {
                state.cachedFreePfn = block;
            }
        }
    }
}
