package io.kmemsim.policies.compaction;

import static io.kmemsim.api.policy.CompactionContext.ALLOCATED;
import static io.kmemsim.api.policy.CompactionContext.FREE;

import io.kmemsim.api.policy.CompactionContext;
import io.kmemsim.api.trace.TraceListener;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The free scanner of one {@code compact_zone()} run and the targets it isolated (mm/compaction.c: isolate_freepages(),
 * suitable_migration_target(), isolate_freepages_block(), split_map_pages(), compaction_alloc(), compaction_free(),
 * release_freepages() (6.1)): {@code cc->free_pfn}, {@code cc->freepages}, {@code cc->nr_freepages} and the free
 * scanner's share of the counters. {@code fast_isolate_freepages} is not modelled (it returns at once for order −1).
 */
final class FreeScanner {

    /** {@code COMPACT_CLUSTER_MAX}: the largest stride. */
    private static final int CLUSTER_MAX = 32;

    private final CompactionContext ctx;
    private final ZoneCompactState state;
    private final int pbo;
    private final boolean async;
    private final boolean ignoreSkipHint;
    private final boolean ignoreBlockSuitable;
    private final boolean legacyFolios;
    private TraceListener trace = TraceListener.NONE;
    private boolean kcompactd;
    private int cpu;

    /** {@code cc->free_pfn}: where the free scanner goes on. */
    long freePfn;
    /** {@code cc->total_free_scanned}. */
    long scanned;
    /** Pages isolated as targets ({@code compact_isolated}'s share). */
    long isolated;
    /**
     * Up to 6.9, {@code cc->freepages}: the isolated targets split to order 0 (split_map_pages()), the top of the stack
     * being the list's head — compaction_alloc() takes it, compaction_free() puts a page back on it.
     */
    private long[] targets = new long[64];
    private int nTargets;
    /** From 6.10, the isolated targets as blocks {@code {pfn, order}} (not split on isolation). */
    private final ArrayDeque<long[]> pieces = new ArrayDeque<>();
    /** {@code cc->nr_freepages}. */
    private long nrFree;

    FreeScanner(CompactionContext ctx, ZoneCompactState state, boolean async, boolean ignoreSkipHint,
                boolean ignoreBlockSuitable, boolean legacyFolios) {
        this.ctx = ctx;
        this.state = state;
        this.pbo = ctx.pageblockOrder();
        this.async = async;
        this.ignoreSkipHint = ignoreSkipHint;
        this.ignoreBlockSuitable = ignoreBlockSuitable;
        this.legacyFolios = legacyFolios;
    }

    void traced(TraceListener listener, boolean byKcompactd, int traceCpu) {
        this.trace = listener;
        this.kcompactd = byKcompactd;
        this.cpu = traceCpu;
    }

    /**
     * {@code compaction_alloc}: a target of {@code 2^o} pages, running the free scanner when none is isolated (it
     * isolates up to {@code nrMigratePages}, {@code cc->nr_migratepages}, above the migrate scanner's pageblock);
     * −1 when it finds none.
     */
    long alloc(int o, long migratePfn, long nrMigratePages) {
        if (legacyFolios) {
            if (nTargets == 0) {
                isolate(migratePfn, nrMigratePages);
                if (nTargets == 0) {
                    return -1;
                }
            }
            nrFree--;
            return targets[--nTargets];
        }
        long dst = takePiece(o);
        if (dst < 0) {
            isolate(migratePfn, nrMigratePages);
            dst = takePiece(o);
        }
        return dst;
    }

    /** {@code compaction_free}: a target not used by a failed migration goes back to the head of the list. */
    void free(long pfn, int o) {
        if (legacyFolios) {
            push(pfn);
            nrFree++;
        } else {
            pieces.addFirst(new long[] {pfn, o});
            nrFree += 1L << o;
        }
    }

    private void push(long pfn) {
        if (nTargets == targets.length) {
            targets = Arrays.copyOf(targets, targets.length * 2);
        }
        targets[nTargets++] = pfn;
    }

    /** From 6.10: the smallest isolated block that fits, its upper halves kept as smaller blocks. */
    private long takePiece(int o) {
        long[] best = null;
        for (long[] piece : pieces) {
            if (piece[1] >= o && (best == null || piece[1] < best[1])) {
                best = piece;
            }
        }
        if (best == null) {
            return -1;
        }
        pieces.remove(best);
        long pfn = best[0];
        for (int k = (int) best[1] - 1; k >= o; k--) {
            pieces.addFirst(new long[] {pfn + (1L << k), k});
        }
        nrFree -= 1L << o;
        return pfn;
    }

    /**
     * {@code isolate_freepages}: walks pageblocks down from the free scanner to the pageblock after the migrate
     * scanner's, isolating from suitable ones until as many pages are isolated as are waiting to migrate. The
     * stride starts at 1 (32 for async) on every call and doubles after a block that gave nothing.
     * {@code fast_isolate_freepages} is not modelled (it returns at once for order −1).
     */
    private void isolate(long migratePfn, long nrMigratePages) {
        long pbn = 1L << pbo;
        long isolateStart = freePfn;
        long blockStart = freePfn >> pbo << pbo;
        long blockEnd = Math.min(blockStart + pbn, state.end);
        long low = (migratePfn >> pbo << pbo) + pbn;
        int stride = async ? CLUSTER_MAX : 1;
        for (; blockStart >= low; blockEnd = blockStart, blockStart -= pbn, isolateStart = blockStart) {
            if (!suitableTarget(blockStart) || (!ignoreSkipHint && state.skipped(blockStart))) {
                continue;
            }
            long before = nrFree;
            isolateStart = isolateBlock(Math.max(isolateStart, state.start), blockEnd, stride, nrMigratePages);
            long nrIsolated = nrFree - before;
            if (isolateStart == blockEnd) {
                state.setSkip(blockStart); // update_pageblock_skip()
                if (blockStart < state.cachedFreePfn) {
                    state.cachedFreePfn = blockStart;
                }
            }
            if (nrFree >= nrMigratePages) {
                if (isolateStart >= blockEnd) {
                    isolateStart = blockStart - pbn;
                }
                break;
            } else if (isolateStart < blockEnd) {
                break; // isolation failed early (the watermark)
            }
            stride = nrIsolated > 0 ? 1 : Math.min(CLUSTER_MAX, stride << 1);
        }
        freePfn = isolateStart;
    }

    /**
     * {@code suitable_migration_target}: not a block starting with a free buddy block of at least pageblock order,
     * and (unless {@code ignore_block_suitable}) a MOVABLE or CMA pageblock.
     */
    private boolean suitableTarget(long blockStart) {
        int first = ctx.pageState(Math.max(blockStart, state.start));
        if (CompactionContext.kind(first) == CompactionContext.HOLE) {
            return false; // pageblock_pfn_to_page() found no page
        }
        if (CompactionContext.kind(first) == FREE && CompactionContext.order(first) >= pbo) {
            return false;
        }
        return ignoreBlockSuitable || ctx.pageblockType(blockStart).isMovableLike();
    }

    /**
     * {@code isolate_freepages_block(cc, &from, end, freelist, stride, false)}: one {@code nr_scanned} per step plus
     * the tail pages of each isolated block; a free buddy block is isolated whole ({@code __isolate_free_page}, which
     * may refuse on the watermark and end the scan) and, up to 6.9, split to order 0 ({@code split_map_pages}); an
     * allocated block of order &gt; 0 (taken as compound) is passed in one step. Stops once enough pages are
     * isolated. Returns where it stopped, after the {@code mm_compaction_isolate_freepages} line.
     */
    private long isolateBlock(long from, long end, int stride, long nrMigratePages) {
        long nrScanned = 0;
        long totalIsolated = 0;
        long pfn = from;
        for (; pfn < end; pfn += stride) {
            nrScanned++;
            int st = ctx.pageState(pfn);
            int kind = CompactionContext.kind(st);
            if (kind == ALLOCATED && CompactionContext.order(st) > 0) {
                pfn += (1L << CompactionContext.order(st)) - 1;
                continue;
            }
            if (kind != FREE) {
                continue;
            }
            int o = ctx.isolateFreeBlock(pfn);
            if (o < 0) {
                break;
            }
            long n = 1L << o;
            if (legacyFolios) {
                for (long p = pfn; p < pfn + n; p++) {
                    push(p);
                }
            } else {
                pieces.addLast(new long[] {pfn, o});
            }
            nrScanned += n - 1;
            totalIsolated += n;
            nrFree += n;
            if (nrMigratePages <= nrFree) {
                pfn += n;
                break;
            }
            pfn += n - 1;
        }
        if (pfn > end) {
            pfn = end;
        }
        trace.compactionIsolateFreepages(from, pfn, nrScanned, totalIsolated, kcompactd, cpu);
        scanned += nrScanned;
        isolated += totalIsolated;
        return pfn;
    }

    /**
     * {@code release_freepages}: every isolated page not used goes back through the ordinary free path
     * ({@code __free_page}: to the compacting CPU's per-CPU list for pcp orders), head of the list first; the free
     * scanner's cached position moves back (only) to the pageblock of the highest of them.
     */
    void release() {
        long highest = -1;
        if (legacyFolios) {
            while (nTargets > 0) {
                long pfn = targets[--nTargets];
                ctx.freeIsolated(pfn, 0);
                highest = Math.max(highest, pfn);
            }
        } else {
            for (long[] piece : pieces) {
                ctx.freeIsolated(piece[0], (int) piece[1]);
                highest = Math.max(highest, piece[0]);
            }
            pieces.clear();
        }
        nrFree = 0;
        if (highest >= 0) {
            long block = highest >> pbo << pbo;
            if (block > state.cachedFreePfn) {
                state.cachedFreePfn = block;
            }
        }
    }
}
