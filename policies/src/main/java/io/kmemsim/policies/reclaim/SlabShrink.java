package io.kmemsim.policies.reclaim;

import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.api.reclaim.Shrinker;
import java.util.Arrays;
import java.util.List;

/**
 * {@code shrink_slab} and {@code do_shrink_slab} (mm/vmscan.c, 6.1) over the shrinkers registered on the
 * allocator; the deferred scan work ({@code shrinker->nr_deferred}) is kept here, by registration index.
 *
 * <p>Notes: per shrinker, {@code freeable = count_objects}; nothing when 0 or {@code SHRINK_EMPTY};
 * {@code delta = (freeable >> priority) * 4 / seeks} ({@code freeable / 2} when seeks is 0);
 * {@code total_scan = min((nr_deferred >> priority) + delta, 2 * freeable)}; then batches of
 * {@code min(batch_size, total_scan)} ({@code batch_size} = the shrinker's batch or {@code SHRINK_BATCH}
 * 128) while {@code total_scan >= batch_size || total_scan >= freeable}, each counted in
 * {@code slabs_scanned}, until {@code SHRINK_STOP}; the work not done,
 * {@code min(max(nr + delta - scanned, 0), 2 * freeable)}, is deferred to the next call. The memcg
 * path ({@code shrink_slab_memcg}) is not taken: kmemsim has only the root memcg.
 */
final class SlabShrink {

    private long[] deferred = new long[4];

    /** {@code shrink_slab(gfp, nid, root memcg, priority)}: the objects freed. */
    long shrinkSlab(ReclaimContext ctx, int gfp, int priority) {
        List<Shrinker> shrinkers = ctx.shrinkers();
        if (shrinkers.isEmpty()) {
            return 0;
        }
        if (deferred.length < shrinkers.size()) {
            deferred = Arrays.copyOf(deferred, Math.max(shrinkers.size(), 2 * deferred.length));
        }
        long freed = 0;
        for (int i = 0; i < shrinkers.size(); i++) {
            long r = doShrinkSlab(ctx, shrinkers.get(i), i, gfp, priority);
            freed += r == Shrinker.SHRINK_EMPTY ? 0 : r;
        }
        return freed;
    }

    /** {@code do_shrink_slab} for shrinker {@code i}. */
    long doShrinkSlab(ReclaimContext ctx, Shrinker shrinker, int i, int gfp, int priority) {
        long batchSize = shrinker.batch() > 0 ? shrinker.batch() : Shrinker.SHRINK_BATCH;
        long freeable = shrinker.countObjects();
        if (freeable == 0 || freeable == Shrinker.SHRINK_EMPTY) {
            return freeable;
        }
        if (freeable < 0) {
            throw new IllegalStateException("shrinker " + shrinker.name() + " counted " + freeable + " objects");
        }
        long nr = deferred[i];
        deferred[i] = 0;
        long delta = shrinker.seeks() != 0 ? ((freeable >> priority) * 4) / shrinker.seeks() : freeable / 2;
        long totalScan = Math.min((nr >> priority) + delta, 2 * freeable);
        long scanned = 0;
        long freed = 0;
        while (totalScan >= batchSize || totalScan >= freeable) {
            long nrToScan = Math.min(batchSize, totalScan);
            long ret = ctx.scanObjects(shrinker, nrToScan, gfp);
            if (ret == Shrinker.SHRINK_STOP) {
                break;
            }
            freed += ret;
            ctx.count("slabs_scanned", nrToScan);
            totalScan -= nrToScan;
            scanned += nrToScan;
        }
        deferred[i] += Math.min(Math.max(nr + delta - scanned, 0), 2 * freeable);
        return freed;
    }

    /** The deferred work of shrinker {@code i} (for tests). */
    long deferred(int i) {
        return i < deferred.length ? deferred[i] : 0;
    }
}
