package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionResult;
import org.junit.jupiter.api.Test;

/** Hand-worked cases of 6.1 mm/page_alloc.c should_reclaim_retry and should_compact_retry. */
class RetryRulesTest {

    @Test
    void noProgressLoops_resetOnlyByProgressForNonCostlyOrders() {
        assertThat(RetryRules.noProgressLoops(true, 3, 5)).isZero();
        assertThat(RetryRules.noProgressLoops(true, 4, 5)).as("order 4 is costly: progress does not reset").isEqualTo(6);
        assertThat(RetryRules.noProgressLoops(false, 0, 16)).isEqualTo(17);
        assertThat(RetryRules.tooManyLoops(16)).isFalse();
        assertThat(RetryRules.tooManyLoops(17)).isTrue();
    }

    @Test
    void withoutCompaction_onlyOrdersOneToThreeRetry() {
        assertThat(RetryRules.noCompactionRetryOrder(0)).isFalse();
        assertThat(RetryRules.noCompactionRetryOrder(1)).isTrue();
        assertThat(RetryRules.noCompactionRetryOrder(3)).isTrue();
        assertThat(RetryRules.noCompactionRetryOrder(4)).isFalse();
    }

    @Test
    void compactRetry_orderZeroNeverRetries() {
        assertThat(RetryRules.compactRetry(0, CompactionResult.SUCCESS, CompactPriority.SYNC_LIGHT, 0, true).retry()).isFalse();
    }

    @Test
    void compactRetry_progressCountsAndRetriesUpToTheLimit() {
        RetryRules.CompactRetry r = RetryRules.compactRetry(2, CompactionResult.SUCCESS, CompactPriority.SYNC_LIGHT, 0, false);
        assertThat(r).isEqualTo(new RetryRules.CompactRetry(true, CompactPriority.SYNC_LIGHT, 1));
        r = RetryRules.compactRetry(2, CompactionResult.SUCCESS, CompactPriority.SYNC_LIGHT, 16, false);
        assertThat(r).as("17 > MAX_COMPACT_RETRIES: raise the priority instead")
                .isEqualTo(new RetryRules.CompactRetry(true, CompactPriority.SYNC_FULL, 17));
        r = RetryRules.compactRetry(9, CompactionResult.SUCCESS, CompactPriority.SYNC_LIGHT, 4, false);
        assertThat(r).as("costly: the limit is 16 / 4 and SYNC_LIGHT is already the costly minimum")
                .isEqualTo(new RetryRules.CompactRetry(false, CompactPriority.SYNC_LIGHT, 5));
        r = RetryRules.compactRetry(9, CompactionResult.PARTIAL_SKIPPED, CompactPriority.SYNC_LIGHT, 3, false);
        assertThat(r).as("no progress, 3 <= 4").isEqualTo(new RetryRules.CompactRetry(false, CompactPriority.SYNC_LIGHT, 3));
    }

    @Test
    void compactRetry_failedOrWithdrawnRaisesThePriorityDownToTheMinimum() {
        assertThat(RetryRules.compactRetry(9, CompactionResult.COMPLETE, CompactPriority.ASYNC, 0, false))
                .isEqualTo(new RetryRules.CompactRetry(true, CompactPriority.SYNC_LIGHT, 0));
        assertThat(RetryRules.compactRetry(2, CompactionResult.COMPLETE, CompactPriority.SYNC_LIGHT, 0, false))
                .isEqualTo(new RetryRules.CompactRetry(true, CompactPriority.SYNC_FULL, 0));
        assertThat(RetryRules.compactRetry(2, CompactionResult.DEFERRED, CompactPriority.SYNC_FULL, 0, false).retry()).isFalse();
    }

    @Test
    void compactRetry_skippedAsksWhetherReclaimCouldMakeCompactionSuitable() {
        assertThat(RetryRules.compactRetry(3, CompactionResult.SKIPPED, CompactPriority.SYNC_LIGHT, 0, true).retry()).isTrue();
        assertThat(RetryRules.compactRetry(3, CompactionResult.SKIPPED, CompactPriority.SYNC_LIGHT, 0, false).retry()).isFalse();
    }
}
