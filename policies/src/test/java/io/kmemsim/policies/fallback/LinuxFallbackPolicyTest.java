package io.kmemsim.policies.fallback;

import static io.kmemsim.api.kernel.MigrateType.HIGHATOMIC;
import static io.kmemsim.api.kernel.MigrateType.MOVABLE;
import static io.kmemsim.api.kernel.MigrateType.RECLAIMABLE;
import static io.kmemsim.api.kernel.MigrateType.UNMOVABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.KernelVersion.FallbackEra;
import io.kmemsim.testkit.support.FakeFallbackContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Golden decisions worked by hand from mm/page_alloc.c: __rmqueue_fallback(), can_steal_fallback(), steal_suitable_fallback() (6.1); mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.12); mm/page_alloc.c: __rmqueue_claim(), __rmqueue_steal() (6.15), on hand-drawn zones with
 * pageblock order 9 (512 pages) and largest order 10.
 */
class LinuxFallbackPolicyTest {

    private static final int PBO = 9;
    private static final int MAXO = 10;

    private static FakeFallbackContext ctx(int order, io.kmemsim.api.kernel.MigrateType mt) {
        return new FakeFallbackContext(KernelVersion.parse("6.1"), order, mt, PBO, MAXO, 16384);
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
            FakeFallbackContext c = ctx(0, UNMOVABLE)
                    .free(0, 8, MOVABLE, MOVABLE).free(256, 7, MOVABLE, MOVABLE).movablePages(0, 0);
            long pfn = policy.fallback(c);
            assertThat(c.log()).containsExactly(
                    "boost",
                    "move-pageblock 0x0 to UNMOVABLE (384 pages)",
                    "set-type 0x0 UNMOVABLE",
                    "extfrag 0x0 fallback_order 8 from MOVABLE",
                    "smallest UNMOVABLE -> 0x100 order 7");
            // change_ownership of the extfrag event: the pageblock's type after the fallback
            assertThat(c.pageblockType(0)).isEqualTo(UNMOVABLE);
            assertThat(pfn).isEqualTo(256);
        }

        @Test
        @DisplayName("free pages move even when the block is not claimed (the list pollution fixed in 6.10)")
        void movable_movesWithoutClaim() {
            // MOVABLE request, order 4 free unmovable block (order 4 >= 9/2): can steal. Pageblock
            // UNMOVABLE with 100 movable pages: alike = 100, free = 16: 116 < 256 -> no claim, but moved.
            FakeFallbackContext c = ctx(0, MOVABLE).free(1024, 4, UNMOVABLE, UNMOVABLE).movablePages(1024, 100);
            policy.fallback(c);
            assertThat(c.log()).containsExactly(
                    "boost",
                    "move-pageblock 0x400 to MOVABLE (16 pages)",
                    "extfrag 0x400 fallback_order 4 from UNMOVABLE",
                    "smallest MOVABLE -> 0x400 order 4");
            // change_ownership of the extfrag event: the pageblock's type after the fallback
            assertThat(c.pageblockType(1024)).isEqualTo(UNMOVABLE);
        }

        @Test
        @DisplayName("a movable request whose largest candidate is too small to claim searches smallest first")
        void movable_searchesSmallestFirst() {
            // order-3 blocks are below PBO/2 = 4, so MOVABLE may not steal them: the search restarts from
            // order 0 up and finds the order-1 reclaimable block first; only that block moves.
            FakeFallbackContext c = ctx(0, MOVABLE)
                    .free(2048, 3, UNMOVABLE, UNMOVABLE).free(4096, 1, RECLAIMABLE, RECLAIMABLE);
            policy.fallback(c);
            assertThat(c.log()).containsExactly(
                    "boost",
                    "move 0x1000 order 1 to MOVABLE",
                    "extfrag 0x1000 fallback_order 1 from RECLAIMABLE",
                    "smallest MOVABLE -> 0x1000 order 1");
            // change_ownership of the extfrag event: the pageblock's type after the fallback
            assertThat(c.pageblockType(4096)).isEqualTo(RECLAIMABLE);
        }

        @Test
        @DisplayName("a whole free pageblock is re-typed without boosting")
        void wholeBlock_retypedWithoutBoost() {
            FakeFallbackContext c = ctx(0, RECLAIMABLE).free(8192, 10, MOVABLE, MOVABLE);
            policy.fallback(c);
            assertThat(c.log()).containsExactly(
                    "set-type 0x2000 RECLAIMABLE",
                    "set-type 0x2200 RECLAIMABLE",
                    "move 0x2000 order 10 to RECLAIMABLE",
                    "extfrag 0x2000 fallback_order 10 from MOVABLE",
                    "smallest RECLAIMABLE -> 0x2000 order 10");
            // change_ownership of the extfrag event: the pageblock's type after the fallback
            assertThat(c.pageblockType(8192)).isEqualTo(RECLAIMABLE);
        }

        @Test
        @DisplayName("ALLOC_NOFRAGMENT limits fallback to whole pageblocks")
        void noFragment_onlyWholeBlocks() {
            FakeFallbackContext c = ctx(0, UNMOVABLE).free(0, 8, MOVABLE, MOVABLE);
            c.noFragment(true);
            assertThat(policy.fallback(c)).isEqualTo(-1);
            assertThat(c.log()).isEmpty();
        }

        @Test
        @DisplayName("a block in a HIGHATOMIC pageblock is moved alone")
        void highatomic_movedAlone() {
            FakeFallbackContext c = ctx(0, UNMOVABLE).free(512, 2, MOVABLE, HIGHATOMIC);
            policy.fallback(c);
            assertThat(c.log()).first().isEqualTo("move 0x200 order 2 to UNMOVABLE");
        }
    }

    @Nested
    @DisplayName("6.10 - 6.14: strict free lists")
    class Strict {
        private final LinuxFallbackPolicy policy = new LinuxFallbackPolicy(FallbackEra.STRICT_FREELISTS, false);

        @Test
        @DisplayName("below the threshold only the needed block is taken, its remainders stay on the fallback lists")
        void belowThreshold_takesBlockOnly() {
            FakeFallbackContext c = ctx(0, MOVABLE).free(1024, 4, UNMOVABLE, UNMOVABLE).movablePages(1024, 100);
            long pfn = policy.fallback(c);
            assertThat(c.log()).containsExactly(
                    "boost",
                    "take 0x400 order 4 from UNMOVABLE remainders UNMOVABLE",
                    "extfrag 0x400 fallback_order 4 from UNMOVABLE");
            // change_ownership of the extfrag event: the pageblock's type after the fallback
            assertThat(c.pageblockType(1024)).isEqualTo(UNMOVABLE);
            assertThat(pfn).isEqualTo(1024);
        }

        @Test
        @DisplayName("at the threshold the pageblock is claimed and the smallest requested block returned")
        void atThreshold_claims() {
            FakeFallbackContext c = ctx(0, UNMOVABLE)
                    .free(0, 8, MOVABLE, MOVABLE).free(256, 7, MOVABLE, MOVABLE).movablePages(0, 0);
            policy.fallback(c);
            assertThat(c.log()).containsExactly(
                    "boost",
                    "move-pageblock 0x0 to UNMOVABLE (384 pages)",
                    "set-type 0x0 UNMOVABLE",
                    "smallest UNMOVABLE -> 0x100 order 7",
                    "extfrag 0x100 fallback_order 8 from MOVABLE");
            // change_ownership of the extfrag event: the pageblock's type after the fallback
            assertThat(c.pageblockType(256)).isEqualTo(UNMOVABLE);
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
            FakeFallbackContext c = ctx(0, MOVABLE)
                    .free(2048, 5, UNMOVABLE, UNMOVABLE).movablePages(2048, 16)
                    .free(4096, 2, RECLAIMABLE, RECLAIMABLE);
            long pfn = policy.fallback(c);
            assertThat(c.log()).containsExactly(
                    "boost",
                    "take 0x1000 order 2 from RECLAIMABLE remainders RECLAIMABLE",
                    "extfrag 0x1000 fallback_order 2 from RECLAIMABLE");
            // change_ownership of the extfrag event: the pageblock's type after the fallback
            assertThat(c.pageblockType(4096)).isEqualTo(RECLAIMABLE);
            assertThat(pfn).isEqualTo(4096);
        }

        @Test
        @DisplayName("no stealing under ALLOC_NOFRAGMENT")
        void noFragment_noSteal() {
            FakeFallbackContext c = ctx(0, UNMOVABLE).free(4096, 2, RECLAIMABLE, RECLAIMABLE);
            c.noFragment(true);
            assertThat(policy.fallback(c)).isEqualTo(-1);
        }
    }

    @Test
    @DisplayName("5.10 applies ALLOC_NOFRAGMENT's pageblock minimum to large requests too and re-types a block it cannot use; 6.1 does not")
    void noFragment_510VersusLater() {
        // Order-10 request, only an order-9 movable block free. 5.10: min_order = PBO = 9 < 10, so the
        // search finds the order-9 block, re-types it and moves it, then the retry at order 10 fails.
        // 6.1+: min_order stays 10 for a request of order >= PBO: nothing is found, nothing changes.
        FakeFallbackContext c510 = ctx(10, UNMOVABLE).free(0, 9, MOVABLE, MOVABLE);
        c510.noFragment(true);
        assertThat(new LinuxFallbackPolicy(FallbackEra.STEAL_AND_MOVE, true).fallback(c510)).isEqualTo(-1);
        assertThat(c510.log()).startsWith("set-type 0x0 UNMOVABLE", "move 0x0 order 9 to UNMOVABLE");

        FakeFallbackContext c61 = ctx(10, UNMOVABLE).free(0, 9, MOVABLE, MOVABLE);
        c61.noFragment(true);
        assertThat(new LinuxFallbackPolicy(FallbackEra.STEAL_AND_MOVE, false).fallback(c61)).isEqualTo(-1);
        assertThat(c61.log()).isEmpty();
    }
}
