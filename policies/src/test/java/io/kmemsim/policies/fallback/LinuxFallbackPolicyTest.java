package io.kmemsim.policies.fallback;

import static io.kmemsim.api.kernel.MigrateType.HIGHATOMIC;
import static io.kmemsim.api.kernel.MigrateType.MOVABLE;
import static io.kmemsim.api.kernel.MigrateType.RECLAIMABLE;
import static io.kmemsim.api.kernel.MigrateType.UNMOVABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.KernelVersion.FallbackEra;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Golden decisions worked by hand from reference/page-allocator.md §4.3–§4.7, on hand-drawn zones with
 * pageblock order 9 (512 pages) and largest order 10.
 */
class LinuxFallbackPolicyTest {

    private static final int PBO = 9;
    private static final int MAXO = 10;

    private static ScriptedFallbackContext ctx(int order, io.kmemsim.api.kernel.MigrateType mt) {
        return new ScriptedFallbackContext(order, mt, PBO, MAXO);
    }

    @Nested
    @DisplayName("5.10 - 6.8: steal and move")
    class StealAndMove {
        private final LinuxFallbackPolicy policy = new LinuxFallbackPolicy(FallbackEra.STEAL_AND_MOVE, false);

        @Test
        @DisplayName("an unmovable order-0 request takes the largest movable block, moves its pageblock's free pages and claims it")
        void unmovable_claimsOnThreshold() {
            // pageblock 0: free blocks of order 8 (256 pages) at 0 and order 7 (128) at 256; 0 movable
            // allocated pages. Largest-first: order 8 found first. Block type MOVABLE, request UNMOVABLE:
            // alike = 512 - 384 - 0 = 128; free + alike = 512 >= 256 -> claim.
            ScriptedFallbackContext c = ctx(0, UNMOVABLE)
                    .free(0, 8, MOVABLE, MOVABLE).free(256, 7, MOVABLE, MOVABLE).movablePages(0, 0);
            long pfn = policy.fallback(c);
            assertThat(c.log).containsExactly(
                    "boost",
                    "move-free-of-block 0 to UNMOVABLE (384 pages)",
                    "set-type 0 UNMOVABLE",
                    "extfrag pfn 0 fallback_order 8 from MOVABLE change_ownership 1",
                    "smallest UNMOVABLE -> 256 order 7");
            assertThat(pfn).isEqualTo(256);
        }

        @Test
        @DisplayName("free pages move even when the block is not claimed (the list pollution fixed in 6.10)")
        void movable_movesWithoutClaim() {
            // MOVABLE request, order 4 free unmovable block (order 4 >= 9/2): can steal. Pageblock
            // UNMOVABLE with 100 movable pages: alike = 100, free = 16: 116 < 256 -> no claim, but moved.
            ScriptedFallbackContext c = ctx(0, MOVABLE).free(1024, 4, UNMOVABLE, UNMOVABLE).movablePages(1024, 100);
            policy.fallback(c);
            assertThat(c.log).containsExactly(
                    "boost",
                    "move-free-of-block 1024 to MOVABLE (16 pages)",
                    "extfrag pfn 1024 fallback_order 4 from UNMOVABLE change_ownership 0",
                    "smallest MOVABLE -> 1024 order 4");
        }

        @Test
        @DisplayName("a movable request whose largest candidate is too small to claim searches smallest first")
        void movable_searchesSmallestFirst() {
            // order-3 blocks are below PBO/2 = 4, so MOVABLE may not steal them: the search restarts from
            // order 0 up and finds the order-1 reclaimable block first; only that block moves.
            ScriptedFallbackContext c = ctx(0, MOVABLE)
                    .free(2048, 3, UNMOVABLE, UNMOVABLE).free(4096, 1, RECLAIMABLE, RECLAIMABLE);
            policy.fallback(c);
            assertThat(c.log).containsExactly(
                    "boost",
                    "move 4096 order 1 to MOVABLE",
                    "extfrag pfn 4096 fallback_order 1 from RECLAIMABLE change_ownership 0",
                    "smallest MOVABLE -> 4096 order 1");
        }

        @Test
        @DisplayName("a whole free pageblock is re-typed without boosting")
        void wholeBlock_retypedWithoutBoost() {
            ScriptedFallbackContext c = ctx(0, RECLAIMABLE).free(8192, 10, MOVABLE, MOVABLE);
            policy.fallback(c);
            assertThat(c.log).containsExactly(
                    "set-type 8192 RECLAIMABLE",
                    "set-type 8704 RECLAIMABLE",
                    "move 8192 order 10 to RECLAIMABLE",
                    "extfrag pfn 8192 fallback_order 10 from MOVABLE change_ownership 1",
                    "smallest RECLAIMABLE -> 8192 order 10");
        }

        @Test
        @DisplayName("ALLOC_NOFRAGMENT limits fallback to whole pageblocks")
        void noFragment_onlyWholeBlocks() {
            ScriptedFallbackContext c = ctx(0, UNMOVABLE).free(0, 8, MOVABLE, MOVABLE);
            c.noFragment = true;
            assertThat(policy.fallback(c)).isEqualTo(-1);
            assertThat(c.log).isEmpty();
        }

        @Test
        @DisplayName("a block in a HIGHATOMIC pageblock is moved alone")
        void highatomic_movedAlone() {
            ScriptedFallbackContext c = ctx(0, UNMOVABLE).free(512, 2, MOVABLE, HIGHATOMIC);
            policy.fallback(c);
            assertThat(c.log).first().isEqualTo("move 512 order 2 to UNMOVABLE");
        }
    }

    @Nested
    @DisplayName("6.10 - 6.14: strict free lists")
    class Strict {
        private final LinuxFallbackPolicy policy = new LinuxFallbackPolicy(FallbackEra.STRICT_FREELISTS, false);

        @Test
        @DisplayName("below the threshold only the needed block is taken, its remainders stay on the fallback lists")
        void belowThreshold_takesBlockOnly() {
            ScriptedFallbackContext c = ctx(0, MOVABLE).free(1024, 4, UNMOVABLE, UNMOVABLE).movablePages(1024, 100);
            long pfn = policy.fallback(c);
            assertThat(c.log).containsExactly(
                    "boost",
                    "take 1024 order 4 remainders UNMOVABLE",
                    "extfrag pfn 1024 fallback_order 4 from UNMOVABLE change_ownership 0");
            assertThat(pfn).isEqualTo(1024);
        }

        @Test
        @DisplayName("at the threshold the pageblock is claimed and the smallest requested block returned")
        void atThreshold_claims() {
            ScriptedFallbackContext c = ctx(0, UNMOVABLE)
                    .free(0, 8, MOVABLE, MOVABLE).free(256, 7, MOVABLE, MOVABLE).movablePages(0, 0);
            policy.fallback(c);
            assertThat(c.log).containsExactly(
                    "boost",
                    "move-free-of-block 0 to UNMOVABLE (384 pages)",
                    "set-type 0 UNMOVABLE",
                    "smallest UNMOVABLE -> 256 order 7",
                    "extfrag pfn 256 fallback_order 8 from MOVABLE change_ownership 1");
        }
    }

    @Nested
    @DisplayName("6.15+: claim, then steal")
    class ClaimThenSteal {
        private final LinuxFallbackPolicy policy = new LinuxFallbackPolicy(FallbackEra.CLAIM_THEN_STEAL, false);

        @Test
        @DisplayName("a failed claim steals the smallest block instead of the largest")
        void failedClaim_stealsSmallest() {
            // MOVABLE order 0: claim stage starts at order 10 down; order 3 is below PBO/2 so the claim
            // stage stops there; the order-5 block fails the threshold (16 alike + 32 free < 256).
            // Steal stage: smallest first finds the order-2 block.
            ScriptedFallbackContext c = ctx(0, MOVABLE)
                    .free(2048, 5, UNMOVABLE, UNMOVABLE).movablePages(2048, 16)
                    .free(4096, 2, RECLAIMABLE, RECLAIMABLE);
            long pfn = policy.fallback(c);
            assertThat(c.log).containsExactly(
                    "boost",
                    "take 4096 order 2 remainders RECLAIMABLE",
                    "extfrag pfn 4096 fallback_order 2 from RECLAIMABLE change_ownership 0");
            assertThat(pfn).isEqualTo(4096);
        }

        @Test
        @DisplayName("no stealing under ALLOC_NOFRAGMENT")
        void noFragment_noSteal() {
            ScriptedFallbackContext c = ctx(0, UNMOVABLE).free(4096, 2, RECLAIMABLE, RECLAIMABLE);
            c.noFragment = true;
            assertThat(policy.fallback(c)).isEqualTo(-1);
        }
    }

    @Test
    @DisplayName("5.10 applies ALLOC_NOFRAGMENT's pageblock minimum to large requests too and re-types a block it cannot use; 6.1 does not")
    void noFragment_510VersusLater() {
        // Order-10 request, only an order-9 movable block free. 5.10: min_order = PBO = 9 < 10, so the
        // search finds the order-9 block, re-types it and moves it, then the retry at order 10 fails.
        // 6.1+: min_order stays 10 for a request of order >= PBO: nothing is found, nothing changes.
        ScriptedFallbackContext c510 = ctx(10, UNMOVABLE).free(0, 9, MOVABLE, MOVABLE);
        c510.noFragment = true;
        assertThat(new LinuxFallbackPolicy(FallbackEra.STEAL_AND_MOVE, true).fallback(c510)).isEqualTo(-1);
        assertThat(c510.log).startsWith("set-type 0 UNMOVABLE", "move 0 order 9 to UNMOVABLE");

        ScriptedFallbackContext c61 = ctx(10, UNMOVABLE).free(0, 9, MOVABLE, MOVABLE);
        c61.noFragment = true;
        assertThat(new LinuxFallbackPolicy(FallbackEra.STEAL_AND_MOVE, false).fallback(c61)).isEqualTo(-1);
        assertThat(c61.log).isEmpty();
    }
}
