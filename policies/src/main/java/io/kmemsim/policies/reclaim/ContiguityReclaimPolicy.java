package io.kmemsim.policies.reclaim;

import io.kmemsim.api.policy.ReclaimContext;

/**
 * Linux reclaim with a different victim order: instead of the {@code nrToScan} pages at the LRU tail,
 * isolation looks at a window of up to {@link #WINDOW} folios at the tail and takes those whose pageblock
 * has the most free pages first (ties: nearer the tail), so freed pages more often complete a free
 * pageblock. Everything else — kswapd, direct reclaim, aging, retry, OOM — is the {@code linux} policy.
 * Folios left in the window are not scanned and keep their places.
 */
final class ContiguityReclaimPolicy extends LinuxReclaimPolicy {

    /** Folios examined per isolation (four batches). */
    static final int WINDOW = 4 * ReclaimContext.SWAP_CLUSTER_MAX;

    ContiguityReclaimPolicy(LinuxReclaimOptions options) {
        super(options, new Scanner(new ScanControl()));
    }

    /** The Linux scanner with the contiguity-first isolation. */
    private static final class Scanner extends LruScanner {

        private final long[] window = new long[WINDOW];
        private final int[] score = new int[WINDOW];

        Scanner(ScanControl sc) {
            super(sc);
        }

        /** The pageblock's free pages, reused from an earlier window entry of the same pageblock (page cache is often contiguous). */
        private int scoreOf(ReclaimContext ctx, long pfn, int n) {
            long block = pfn >> ctx.pageblockOrder();
            for (int i = n - 1; i >= 0 && i >= n - 8; i--) {
                if (window[i] >> ctx.pageblockOrder() == block) {
                    return score[i];
                }
            }
            return ctx.pageblockFreePages(pfn);
        }

        @Override
        int isolate(ReclaimContext ctx, int lru, long nrToScan, long[] scanned) {
            int n = 0;
            int reclaimIdx = sc.reclaimIdx;
            for (long pfn = ctx.lruTail(lru); pfn >= 0 && n < WINDOW; pfn = ctx.lruPrev(pfn)) {
                if (ReclaimContext.zone(ctx.lruState(pfn)) <= reclaimIdx) {
                    window[n] = pfn;
                    score[n] = scoreOf(ctx, pfn, n);
                    n++;
                }
            }
            long[] batch = batch();
            int taken = 0;
            long scan = 0;
            while (scan < nrToScan && taken < batch.length) {
                int best = -1;
                for (int i = 0; i < n; i++) {
                    if (window[i] >= 0 && (best < 0 || score[i] > score[best])) {
                        best = i;
                    }
                }
                if (best < 0) {
                    break;
                }
                batch[taken++] = window[best];
                scan += 1L << ReclaimContext.order(ctx.lruState(window[best]));
                window[best] = -1;
            }
            scanned[0] = scan;
            return taken;
        }
    }
}
