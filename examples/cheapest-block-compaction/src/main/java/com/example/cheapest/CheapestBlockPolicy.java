package com.example.cheapest;

import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.CompactionResult;

/**
 * Targeted compaction. The kernel's compaction ({@code mm/compaction.c: compact_zone()}, 6.1) runs a
 * migration scanner up from the zone start and a free scanner down from its end until they meet, so the
 * block it frees is wherever the scanners happen to empty one. This policy instead picks, in each zone,
 * the aligned block of the requested order that is cheapest to empty — no unmovable page in it, and the
 * fewest movable pages — and migrates exactly those pages out, into free blocks found from the top of
 * the zone downwards. It asks whether targeted choice buys the same order-N success with fewer pages
 * migrated ({@code pgmigrate_success}) than the kernel's sweep.
 *
 * <ul>
 *   <li>Direct compaction only for orders {@code >= minOrder}; {@code NOT_ATTEMPTED} below, and
 *       {@code SKIPPED} when no block can be emptied within {@code budget} pages.</li>
 *   <li>No background work: {@code onTick} does nothing (compare it with {@code linux} and
 *       {@code compaction.options.proactiveness=0} for a fair fight).</li>
 *   <li>{@code compactNode} empties blocks of {@code pageblock_order}, cheapest first, with no budget.</li>
 *   <li>Every free block it isolates is migrated into or released before the call returns.</li>
 * </ul>
 * The policy keeps no state between calls; scans are in PFN order, so runs are deterministic.
 */
final class CheapestBlockPolicy implements CompactionPolicy {

    private final int minOrder;
    private final int budget;

    CheapestBlockPolicy(int minOrder, int budget) {
        this.minOrder = minOrder;
        this.budget = budget;
    }

    @Override
    public CompactionResult compactDirect(int order, int gfp, CompactPriority priority, CompactionContext ctx) {
        if (order < minOrder || order > ctx.maxOrder()) {
            return CompactionResult.NOT_ATTEMPTED;
        }
        if (hasFreeBlock(ctx, order)) {
            return CompactionResult.SUCCESS;
        }
        ctx.drainPerCpuLists();
        long scanned = 0;
        boolean tried = false;
        for (Zone zone : ctx.zones()) {
            long[] best = cheapest(ctx, zone, order, budget);
            scanned += zone.spannedPages();
            if (best == null) {
                continue;
            }
            tried = true;
            evacuate(ctx, zone, best[0], order);
            if (hasFreeBlock(ctx, order)) {
                ctx.count("compact_migrate_scanned", scanned);
                return CompactionResult.SUCCESS;
            }
        }
        ctx.count("compact_migrate_scanned", scanned);
        return tried ? CompactionResult.COMPLETE : CompactionResult.SKIPPED;
    }

    @Override
    public void onTick(long nowNanos, CompactionContext context) {
        // direct compaction only
    }

    @Override
    public void compactNode(CompactionContext ctx) {
        ctx.drainPerCpuLists();
        int order = ctx.pageblockOrder();
        for (Zone zone : ctx.zones()) {
            long size = 1L << order;
            long start = alignUp(zone.startPfn(), size);
            long end = zone.startPfn() + zone.spannedPages();
            for (long block = start; block + size <= end; block += size) {
                if (movableCost(ctx, block, size) > 0) {
                    evacuate(ctx, zone, block, order);
                }
            }
        }
    }

    /** {pfn, cost} of the block of {@code order} in {@code zone} with the fewest movable pages (at most {@code limit}), or null. */
    private static long[] cheapest(CompactionContext ctx, Zone zone, int order, long limit) {
        long size = 1L << order;
        long start = alignUp(zone.startPfn(), size);
        long end = zone.startPfn() + zone.spannedPages();
        long[] best = null;
        for (long block = start; block + size <= end; block += size) {
            long cost = movableCost(ctx, block, size);
            if (cost > 0 && cost <= limit && (best == null || cost < best[1])) {
                best = new long[] {block, cost};
            }
        }
        return best;
    }

    /**
     * Movable pages to migrate to empty {@code [block, block + size)}, or −1 when it holds a page that
     * cannot move (unmovable, on a per-CPU list, a hole) or a live block reaching outside it.
     */
    private static long movableCost(CompactionContext ctx, long block, long size) {
        long cost = 0;
        long pfn = block;
        while (pfn < block + size) {
            int state = ctx.pageState(pfn);
            int kind = CompactionContext.kind(state);
            if (kind == CompactionContext.FREE) {
                pfn += 1L << CompactionContext.order(state);
            } else if (kind == CompactionContext.ALLOCATED && CompactionContext.movable(state)
                    && pfn + (1L << CompactionContext.order(state)) <= block + size) {
                cost += 1L << CompactionContext.order(state);
                pfn += 1L << CompactionContext.order(state);
            } else if (kind == CompactionContext.FREE_TAIL) {
                pfn++;
            } else {
                return -1;
            }
        }
        return cost;
    }

    /** Migrates every movable block of {@code [block, block + 2^order)} into free memory outside it. */
    private static void evacuate(CompactionContext ctx, Zone zone, long block, int order) {
        long size = 1L << order;
        long cursor = zone.startPfn() + zone.spannedPages() - 1;
        long pfn = block;
        while (pfn < block + size) {
            int state = ctx.pageState(pfn);
            int kind = CompactionContext.kind(state);
            int o = CompactionContext.order(state);
            if (kind != CompactionContext.ALLOCATED) {
                pfn += kind == CompactionContext.FREE ? 1L << o : 1;
                continue;
            }
            cursor = migrateOut(ctx, zone, pfn, o, block, size, cursor);
            if (cursor < 0) {
                return;
            }
            pfn += 1L << o;
        }
    }

    /**
     * Isolates the first free block of at least {@code o} at or below {@code cursor} outside the target,
     * migrates {@code src} into its first {@code 2^o} pages and releases the rest.
     *
     * @return where the next search starts, or −1 when no destination is left
     */
    private static long migrateOut(CompactionContext ctx, Zone zone, long src, int o, long block, long size, long cursor) {
        for (long pfn = cursor; pfn >= zone.startPfn(); pfn--) {
            if (pfn >= block && pfn < block + size) {
                pfn = block;
                continue;
            }
            int state = ctx.pageState(pfn);
            if (CompactionContext.kind(state) != CompactionContext.FREE || CompactionContext.order(state) < o) {
                continue;
            }
            int isolated = ctx.isolateFreeBlock(pfn);
            if (isolated < 0) {
                return -1;
            }
            if (!ctx.migrate(src, pfn)) {
                ctx.releaseFreeBlock(pfn, isolated);
                return pfn - 1;
            }
            for (int k = o; k < isolated; k++) {
                ctx.releaseFreeBlock(pfn + (1L << k), k);
            }
            ctx.count("compact_isolated", 1L << o);
            return pfn - 1;
        }
        return -1;
    }

    private static boolean hasFreeBlock(CompactionContext ctx, int order) {
        for (Zone zone : ctx.zones()) {
            for (int o = order; o <= ctx.maxOrder(); o++) {
                if (zone.freeBlocks(o) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long alignUp(long pfn, long size) {
        return (pfn + size - 1) / size * size;
    }
}
