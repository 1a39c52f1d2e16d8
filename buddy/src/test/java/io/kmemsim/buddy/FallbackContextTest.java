package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.FallbackContext;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.trace.TraceListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * Each {@link FallbackContext} primitive, driven by an in-test policy on {@link Machines#twoZones()}
 * with a policy (pageblocks boot MOVABLE; an UNMOVABLE request must fall back). Normal's free lists at
 * boot: twelve order-10 MOVABLE blocks from PFN 4096.
 */
class FallbackContextTest {

    private final List<String> extfrag = new ArrayList<>();
    private final TraceListener trace = new TraceListener() {
        @Override
        public void pageAllocExtfrag(long pfn, int allocOrder, int fallbackOrder, int pageblockOrder, MigrateType allocType,
                                     MigrateType fallbackType, boolean fragmenting, boolean changeOwnership, int cpu) {
            extfrag.add(pfn + " " + allocOrder + " " + fallbackOrder + " " + allocType + " " + fallbackType + " "
                    + fragmenting + " " + changeOwnership);
        }
    };

    private BuddyPageAllocator withPolicy(ToLongFunction<FallbackContext> policy) {
        FallbackPolicy p = policy::applyAsLong;
        return Machines.create(Machines.twoZones(), "6.1", p, trace, new BuddyOptions());
    }

    @Test
    void request_describesTheAllocation() {
        List<String> seen = new ArrayList<>();
        BuddyPageAllocator a = withPolicy(ctx -> {
            seen.add(ctx.zone().name() + " " + ctx.order() + " " + ctx.requested() + " " + ctx.noFragment() + " "
                    + ctx.kswapdAllowed() + " " + ctx.pageblockOrder() + " " + ctx.maxOrder() + " " + ctx.mobilityGroupingDisabled());
            return PageAllocator.NO_PAGE;
        });
        a.allocate(4, Gfp.GFP_KERNEL, 0);
        assertThat(seen.get(0)).isEqualTo("Normal 4 UNMOVABLE true true 9 10 false");
    }

    /** A claim of an order-10 block re-types both pageblocks and splits with remainders on UNMOVABLE lists. */
    @Test
    void claimWholeBlock_retypesPageblocksAndSplits() {
        BuddyPageAllocator a = withPolicy(ctx -> {
            long b = ctx.headBlock(10, MigrateType.MOVABLE);
            long page = ctx.claimWholeBlock(b, 10);
            ctx.recordFallback(page, 10, MigrateType.MOVABLE);
            return page;
        });
        long pfn = a.allocate(4, Gfp.GFP_KERNEL, 0);
        a.checkInvariants();
        BuddyZone normal = a.zones().get(1);
        assertThat(pfn).isEqualTo(4096);
        assertThat(normal.pageblockType(4096)).isEqualTo(MigrateType.UNMOVABLE);
        assertThat(normal.pageblockType(4608)).isEqualTo(MigrateType.UNMOVABLE);
        assertThat(normal.freeBlocks(9, MigrateType.UNMOVABLE)).isEqualTo(1);
        assertThat(normal.freeBlocks(4, MigrateType.UNMOVABLE)).isEqualTo(1);
        assertThat(extfrag).containsExactly("4096 4 10 UNMOVABLE MOVABLE false true");
        assertThat(a.extfragEvents).isEqualTo(1);
    }

    /** takeBlock keeps the pageblock type and puts the remainders on the given type's lists. */
    @Test
    void takeBlock_splitsWithRemaindersOnGivenType() {
        BuddyPageAllocator a = withPolicy(ctx -> {
            if (ctx.noFragment()) {
                return PageAllocator.NO_PAGE;
            }
            long b = ctx.headBlock(10, MigrateType.MOVABLE);
            long page = ctx.takeBlock(b, 10, MigrateType.MOVABLE);
            ctx.recordFallback(page, 10, MigrateType.MOVABLE);
            return page;
        });
        assertThat(a.allocate(4, Gfp.GFP_KERNEL, 0)).isEqualTo(4096);
        BuddyZone normal = a.zones().get(1);
        assertThat(normal.pageblockType(4096)).isEqualTo(MigrateType.MOVABLE);
        assertThat(normal.freeBlocks(4, MigrateType.MOVABLE)).isEqualTo(1);
        assertThat(normal.freeBlocks(4, MigrateType.UNMOVABLE)).isZero();
        assertThat(extfrag).containsExactly("4096 4 10 UNMOVABLE MOVABLE false false");
        a.checkInvariants();
    }

    /** moveFreePagesOfPageblock + setPageblockType + allocateSmallest: the 5.10 – 6.8 claim shape (mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.1)). */
    @Test
    void moveFreePages_setType_allocateSmallest() {
        int[] moved = new int[1];
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1", ctx -> {
            long b = ctx.headBlock(9, MigrateType.MOVABLE);
            if (b == PageAllocator.NO_PAGE) {
                return PageAllocator.NO_PAGE;
            }
            assertThat(ctx.pageblockInZone(b)).isTrue();
            assertThat(ctx.freePagesInPageblock(b)).isEqualTo(512);
            assertThat(ctx.movablePagesInPageblock(b)).isZero();
            moved[0] = ctx.moveFreePagesOfPageblock(b, ctx.requested());
            ctx.setPageblockType(b, ctx.requested());
            ctx.recordFallback(b, 9, MigrateType.MOVABLE);
            return ctx.allocateSmallest(ctx.requested());
        }, trace, new BuddyOptions());
        a.allocate(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
        long pfn = a.allocate(5, Gfp.GFP_KERNEL, 0);
        assertThat(moved[0]).isEqualTo(512);
        assertThat(pfn).isEqualTo(4608);
        assertThat(a.zones().get(1).pageblockType(4608)).isEqualTo(MigrateType.UNMOVABLE);
        assertThat(extfrag).containsExactly("4608 5 9 UNMOVABLE MOVABLE false true");
        a.checkInvariants();
    }

    /** moveBlock moves one block to the tail of another type's list; boostWatermark adds PBN up to max(PBN, high * 1.5). */
    @Test
    void moveBlock_andBoostWatermark() {
        BuddyPageAllocator a = withPolicy(ctx -> {
            long b = ctx.headBlock(10, MigrateType.MOVABLE);
            ctx.moveBlock(b, 10, ctx.requested());
            ctx.boostWatermark();
            ctx.recordFallback(b, 10, MigrateType.MOVABLE);
            return ctx.allocateSmallest(ctx.requested());
        });
        long pfn = a.allocate(2, Gfp.GFP_KERNEL, 0);
        BuddyZone normal = a.zones().get(1);
        assertThat(pfn).isEqualTo(4096);
        assertThat(normal.pageblockType(4096)).isEqualTo(MigrateType.MOVABLE);
        assertThat(normal.freeBlocks(9, MigrateType.UNMOVABLE)).isEqualTo(1);
        assertThat(normal.watermarkBoost()).isEqualTo(512);
        assertThat(extfrag).containsExactly("4096 2 10 UNMOVABLE MOVABLE false false");
        a.checkInvariants();
    }

    @Test
    void primitives_rejectPfnsThatAreNotFreeHeads() {
        List<Throwable> errors = new ArrayList<>();
        BuddyPageAllocator a = withPolicy(ctx -> {
            try {
                ctx.takeBlock(4097, 10, MigrateType.MOVABLE);
            } catch (IllegalArgumentException e) {
                errors.add(e);
            }
            return PageAllocator.NO_PAGE;
        });
        a.allocate(0, Gfp.GFP_KERNEL, 0);
        assertThat(errors).isNotEmpty();
        assertThat(errors.get(0)).hasMessageContaining("pfn 0x1001 is not the head of a free block");
    }

    @Test
    void policyReturningAForeignPfn_isAContractViolation() {
        BuddyPageAllocator a = withPolicy(ctx -> 4096);
        assertThatThrownBy(() -> a.allocate(0, Gfp.GFP_KERNEL, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no take or allocate primitive handed out");
    }
}
