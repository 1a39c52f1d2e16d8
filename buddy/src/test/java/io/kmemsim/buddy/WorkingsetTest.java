package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.mm.ReclaimListener;
import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.reclaim.Shrinker;
import io.kmemsim.api.workload.Event;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shadow entries and refault distance (mm/workingset.c 6.1), writeback in progress and the shrinker
 * registration, by hand on the 64 MiB two-zone machine. {@code nonresident_age} ages by evictions
 * ({@code workingset_eviction}) and activations ({@code folio_mark_accessed} → {@code workingset_activation},
 * {@code move_folios_to_lru} of an active folio, an activating refault).
 */
class WorkingsetTest {

    private static final int GFP = Gfp.GFP_HIGHUSER_MOVABLE;

    private static BuddyPageAllocator create() {
        return (BuddyPageAllocator) new BuddyProvider().create(new BuddyOptions(),
                TestProviderContext.builder().platform(Machines.twoZones()).kernel("6.1").reclaimPolicy(new ReclaimPolicy() {
                }).build());
    }

    private static Map<String, Long> counters(BuddyPageAllocator a) {
        Map<String, Long> m = new HashMap<>();
        a.forEachCounter(m::put);
        return m;
    }

    private static long file(BuddyPageAllocator a, long flags) {
        long p = a.allocate(0, GFP, 0);
        a.lruAdd(p, 0, Event.PAGE_FILE | flags);
        return p;
    }

    private static long refault(long shadow) {
        return Event.PAGE_REFAULT | shadow << Event.SHADOW_SHIFT;
    }

    @Test
    void refaultDistance_activatesOnlyPagesThatWouldHaveStayedResident() {
        BuddyPageAllocator a = create();
        long[] shadow = new long[1];
        a.setReclaimListener(new ReclaimListener() {
            @Override
            public void reclaimed(long pfn, int order, boolean oomKill) {
                throw new AssertionError("a page cache eviction must hand over its shadow");
            }

            @Override
            public void evicted(long pfn, int order, long s) {
                shadow[0] = s;
            }
        });
        long pa = file(a, 0);
        long pb = file(a, 0);
        long pc = file(a, 0);
        long pd = file(a, 0);
        a.pageAccessed(pd, false); // added referenced; this use activates: age 0 -> 1, active file = 1
        assertThat(a.lru.nonresidentAge).isEqualTo(1);
        ReclaimContext ctx = a.reclaimContext;
        assertThat(ctx.reclaim(pa)).isEqualTo(1);
        long shadowA = shadow[0];
        assertThat(shadowA).as("eviction counter 1, not workingset").isEqualTo(1 << 1);
        assertThat(ctx.reclaim(pb)).isEqualTo(1);
        long shadowB = shadow[0];
        assertThat(shadowB).isEqualTo(2 << 1);
        assertThat(a.lru.nonresidentAge).isEqualTo(3);

        // A: refault distance 3 - 1 = 2 > active file 1: inactive, counted as a refault only
        long ra = file(a, refault(shadowA));
        assertThat(a.lru.list(a.indexOf(ra))).isEqualTo(ReclaimContext.INACTIVE_FILE);
        // B: distance 3 - 2 = 1 <= 1: active, the counter ages to 4
        long rb = file(a, refault(shadowB));
        assertThat(a.lru.list(a.indexOf(rb))).isEqualTo(ReclaimContext.ACTIVE_FILE);
        assertThat(a.lru.nonresidentAge).isEqualTo(4);

        // C was deactivated once (PG_workingset): evicted at 4 -> shadow 4 << 1 | 1; age 5
        ctx.setFlags(pc, ReclaimContext.WORKINGSET, 0);
        ctx.reclaim(pc);
        assertThat(shadow[0]).isEqualTo(4 << 1 | 1);
        // distance 5 - 4 = 1 <= active file 2 (D, B): active, PG_workingset restored
        long rc = file(a, refault(shadow[0]));
        assertThat(a.lru.list(a.indexOf(rc))).isEqualTo(ReclaimContext.ACTIVE_FILE);
        assertThat(ctx.lruState(rc) & ReclaimContext.WORKINGSET).isNotZero();
        // a write of an evicted page is no refault (__GFP_WRITE: filemap_add_folio ignores the shadow)
        file(a, Event.PAGE_DIRTY | refault(shadowA));
        a.checkInvariants();
        assertThat(counters(a)).containsEntry("workingset_refault_file", 3L).containsEntry("workingset_activate_file", 2L)
                .containsEntry("workingset_restore_file", 1L).containsEntry("workingset_refault_anon", 0L);
    }

    @Test
    void reclaimActivation_agesTheCounter_likeMoveFoliosToLru() {
        BuddyPageAllocator a = create();
        long p = file(a, 0);
        a.reclaimContext.lruMoveToHead(p, ReclaimContext.ACTIVE_FILE);
        a.reclaimContext.lruMoveToHead(p, ReclaimContext.INACTIVE_FILE);
        assertThat(a.lru.nonresidentAge).isEqualTo(1);
    }

    @Test
    void writebackInProgress_blocksReclaim_andCompletionRotatesAFolioMarkedForReclaim() {
        BuddyPageAllocator a = create();
        long p = file(a, Event.PAGE_DIRTY);
        long q = file(a, 0);
        ReclaimContext ctx = a.reclaimContext;
        ctx.lruMoveToHead(p, ReclaimContext.ACTIVE_FILE);
        ctx.setFlags(p, ReclaimContext.RECLAIM, 0); // reclaim met it dirty and activated it
        a.writeback();
        assertThat(ctx.lruState(p) & (ReclaimContext.WRITEBACK | ReclaimContext.DIRTY)).isEqualTo(ReclaimContext.WRITEBACK);
        assertThat(ctx.reclaim(p)).as("under writeback").isZero();
        assertThat(counters(a)).containsEntry("nr_writeback", 1L).containsEntry("nr_dirty", 0L);
        a.checkInvariants();
        a.tick(1_000_000);
        // folio_end_writeback -> folio_rotate_reclaimable -> lru_move_tail_fn: active cleared, inactive tail
        assertThat(ctx.lruState(p) & (ReclaimContext.LRU_MASK | ReclaimContext.RECLAIM | ReclaimContext.WRITEBACK))
                .isEqualTo(ReclaimContext.INACTIVE_FILE);
        assertThat(ctx.lruTail(ReclaimContext.INACTIVE_FILE)).isEqualTo(p);
        assertThat(ctx.lruPrev(p)).isEqualTo(q);
        assertThat(counters(a)).containsEntry("nr_writeback", 0L).containsEntry("nr_written", 1L).containsEntry("pgrotated", 1L);
        assertThat(ctx.reclaim(p)).isEqualTo(1);
        a.checkInvariants();
    }

    @Test
    void pageout_startsWriteback_andCountsNrVmscanWrite() {
        BuddyPageAllocator a = create();
        long p = file(a, Event.PAGE_DIRTY);
        ReclaimContext ctx = a.reclaimContext;
        assertThat(ctx.pageout(p)).isEqualTo(1);
        assertThat(ctx.pageout(p)).as("clean now").isZero();
        assertThat(ctx.lruState(p) & (ReclaimContext.WRITEBACK | ReclaimContext.RECLAIM | ReclaimContext.DIRTY))
                .isEqualTo(ReclaimContext.WRITEBACK | ReclaimContext.RECLAIM);
        ctx.count("nr_vmscan_immediate_reclaim", 2);
        assertThat(counters(a)).containsEntry("nr_vmscan_write", 1L).containsEntry("nr_vmscan_immediate_reclaim", 2L);
        a.checkInvariants();
    }

    @Test
    void shrinkers_areRegisteredOnTheContext_andTheirSlabPagesCountAsReclaimedSlab() {
        BuddyPageAllocator a = create();
        long slabPage = a.allocate(0, Gfp.GFP_KERNEL, 0);
        Shrinker s = new Shrinker() {
            @Override
            public String name() {
                return "t";
            }

            @Override
            public long countObjects() {
                return 1;
            }

            @Override
            public long scanObjects(long nrToScan, int gfp) {
                a.free(slabPage, 0, 0); // the object cache gives its empty slab back
                return 1;
            }
        };
        a.registerShrinker(s);
        ReclaimContext ctx = a.reclaimContext;
        assertThat(ctx.shrinkers()).containsExactly(s);
        assertThat(ctx.scanObjects(s, 128, Gfp.GFP_KERNEL)).isEqualTo(1);
        assertThat(ctx.takeReclaimedSlab()).isEqualTo(1);
        assertThat(ctx.takeReclaimedSlab()).isZero();
    }
}
