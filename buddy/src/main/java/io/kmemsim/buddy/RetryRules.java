package io.kmemsim.buddy;

import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionResult;

/**
 * The slow path's retry arithmetic as pure functions (6.1 mm/page_alloc.c {@code should_reclaim_retry},
 * {@code should_compact_retry}; include/linux/compaction.h {@code compaction_made_progress},
 * {@code compaction_failed}, {@code compaction_needs_reclaim}, {@code compaction_withdrawn}), so golden
 * tests can check them against hand-worked cases.
 */
final class RetryRules {

    /** {@code MAX_RECLAIM_RETRIES} (mm/internal.h). */
    static final int MAX_RECLAIM_RETRIES = 16;
    /** {@code MAX_COMPACT_RETRIES} (mm/page_alloc.c). */
    static final int MAX_COMPACT_RETRIES = 16;

    private RetryRules() {
    }

    /**
     * {@code should_reclaim_retry}'s loop count: reset when reclaim made progress for a non-costly order,
     * else one more.
     */
    static int noProgressLoops(boolean didProgress, int order, int loops) {
        return didProgress && order <= PageOrders.COSTLY_ORDER ? 0 : loops + 1;
    }

    /** {@code should_reclaim_retry} gives up (before its watermark test) once the loops exceed the limit. */
    static boolean tooManyLoops(int loops) {
        return loops > MAX_RECLAIM_RETRIES;
    }

    /** {@code compact_gap(order)}: {@code 2UL << order}. */
    static long compactGap(int order) {
        return 2L << order;
    }

    /** The decision of {@code should_compact_retry} and the priority and retry count it leaves. */
    record CompactRetry(boolean retry, CompactPriority priority, int retries) {
    }

    /**
     * {@code should_compact_retry} (6.1, CONFIG_COMPACTION) for an order-{@code order} request whose last
     * direct compaction returned {@code result} at {@code priority}, after {@code retries} retries that
     * made progress. {@code zonelistSuitable} is {@code compaction_zonelist_suitable}'s answer, consulted
     * only when compaction was skipped for want of free pages.
     */
    static CompactRetry compactRetry(int order, CompactionResult result, CompactPriority priority, int retries,
                                     boolean zonelistSuitable) {
        if (order == 0) {
            return new CompactRetry(false, priority, retries);
        }
        if (result == CompactionResult.SUCCESS) {
            retries++;
        }
        if (result == CompactionResult.COMPLETE || withdrawn(result)) {
            return checkPriority(order, priority, retries);
        }
        if (result == CompactionResult.SKIPPED) {
            return new CompactRetry(zonelistSuitable, priority, retries);
        }
        int max = order > PageOrders.COSTLY_ORDER ? MAX_COMPACT_RETRIES / 4 : MAX_COMPACT_RETRIES;
        if (retries <= max) {
            return new CompactRetry(true, priority, retries);
        }
        return checkPriority(order, priority, retries);
    }

    /**
     * The CONFIG_COMPACTION=n {@code should_compact_retry} (6.1 mm/page_alloc.c) considers only orders
     * {@code 1..PAGE_ALLOC_COSTLY_ORDER}; for them it retries while some zone meets its min watermark at
     * order 0.
     */
    static boolean noCompactionRetryOrder(int order) {
        return order > 0 && order <= PageOrders.COSTLY_ORDER;
    }

    /** {@code compaction_withdrawn}: deferred, contended or partially skipped ({@code NOT_ATTEMPTED} counts as deferred). */
    static boolean withdrawn(CompactionResult r) {
        return r == CompactionResult.DEFERRED || r == CompactionResult.PARTIAL_SKIPPED || r == CompactionResult.NOT_ATTEMPTED;
    }

    /**
     * {@code check_priority}: raise the priority (one step toward SYNC_FULL; a lower {@code enum
     * compact_priority} value is harder) unless it is already at the minimum — {@code MIN_COMPACT_COSTLY_PRIORITY}
     * (SYNC_LIGHT) for costly orders, {@code MIN_COMPACT_PRIORITY} (SYNC_FULL) otherwise.
     */
    private static CompactRetry checkPriority(int order, CompactPriority priority, int retries) {
        CompactPriority min = order > PageOrders.COSTLY_ORDER ? CompactPriority.SYNC_LIGHT : CompactPriority.SYNC_FULL;
        if (priority.ordinal() > min.ordinal()) {
            return new CompactRetry(true, CompactPriority.values()[priority.ordinal() - 1], retries);
        }
        return new CompactRetry(false, priority, retries);
    }
}
