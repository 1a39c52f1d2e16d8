package com.example.cheapest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.testkit.support.FakeCompactionContext;
import org.junit.jupiter.api.Test;

/** What the policy is for: it empties the block that costs least, and honours its budget and minimum order. */
class CheapestBlockPolicyTest {

    /** 64 pages, pageblock order 4: block 0 holds 4 movable pages, block 16 holds 1, blocks 32 and 48 an unmovable page each. */
    private static FakeCompactionContext drawn() {
        return new FakeCompactionContext(KernelVersion.parse("6.1"), 4, 5, 64)
                .allocated(0, 1, true).allocated(4, 1, true)
                .allocated(20, 0, true)
                .allocated(40, 0, false).allocated(48, 0, false);
    }

    @Test
    void emptiesTheCheapestBlock() {
        FakeCompactionContext c = drawn();
        CompactionResult r = new CheapestBlockPolicy(4, 512).compactDirect(4, Gfp.GFP_KERNEL, CompactPriority.ASYNC, c);
        assertThat(r).isEqualTo(CompactionResult.SUCCESS);
        assertThat(c.largestFreeOrder()).isGreaterThanOrEqualTo(4);
        assertThat(c.counters()).containsEntry("pgmigrate_success", 1L);
        assertThat(c.isolatedPages()).isZero();
    }

    @Test
    void skipsWhenEveryBlockCostsMoreThanTheBudget() {
        FakeCompactionContext c = new FakeCompactionContext(KernelVersion.parse("6.1"), 4, 5, 64)
                .allocated(0, 2, true).allocated(16, 2, true).allocated(32, 2, true).allocated(48, 2, true);
        CompactionResult r = new CheapestBlockPolicy(4, 2).compactDirect(4, Gfp.GFP_KERNEL, CompactPriority.ASYNC, c);
        assertThat(r).isEqualTo(CompactionResult.SKIPPED);
        assertThat(c.counters()).doesNotContainKey("pgmigrate_success");
    }

    @Test
    void doesNotCompactBelowItsMinimumOrder() {
        FakeCompactionContext c = drawn();
        assertThat(new CheapestBlockPolicy(4, 512).compactDirect(3, Gfp.GFP_KERNEL, CompactPriority.ASYNC, c))
                .isEqualTo(CompactionResult.NOT_ATTEMPTED);
        assertThat(c.log()).isEmpty();
    }
}
