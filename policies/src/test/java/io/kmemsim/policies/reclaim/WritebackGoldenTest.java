package io.kmemsim.policies.reclaim;

import static io.kmemsim.api.policy.ReclaimContext.DIRTY;
import static io.kmemsim.api.policy.ReclaimContext.INACTIVE_FILE;
import static io.kmemsim.api.policy.ReclaimContext.ACTIVE_FILE;
import static io.kmemsim.api.policy.ReclaimContext.RECLAIM;
import static io.kmemsim.api.policy.ReclaimContext.WRITEBACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.testkit.support.FakeReclaimContext;
import org.junit.jupiter.api.Test;

/**
 * Dirty and writeback folios in 6.1 {@code shrink_folio_list} (mm/vmscan.c), by hand. Four inactive file
 * folios, tail first: A dirty, B dirty with PG_reclaim (met dirty before), C under writeback with PG_reclaim,
 * D clean.
 */
class WritebackGoldenTest {

    private static final KernelVersion K61 = KernelVersion.parse("6.1");
    private static final long A = 100;
    private static final long B = 101;
    private static final long C = 102;
    private static final long D = 103;

    private static FakeReclaimContext fourFolios() {
        return new FakeReclaimContext(K61, 8192, 100, 100, 125, 150)
                .folios(INACTIVE_FILE, 1, 0, DIRTY, 0)
                .folios(INACTIVE_FILE, 1, 0, DIRTY | RECLAIM, 0)
                .folios(INACTIVE_FILE, 1, 0, WRITEBACK | RECLAIM, 0)
                .folios(INACTIVE_FILE, 1, 0, 0, 0);
    }

    private static LruScanner scanner(boolean kswapd, boolean pgdatDirty, boolean pgdatWriteback) {
        ScanControl sc = new ScanControl();
        sc.kswapd = kswapd;
        sc.gfp = Gfp.GFP_KERNEL;
        sc.priority = 12;
        sc.reclaimIdx = 0;
        sc.pgdatDirty = pgdatDirty;
        sc.pgdatWriteback = pgdatWriteback;
        return new LruScanner(sc);
    }

    @Test
    void directReclaim_neverWrites_dirtyFoliosAreMarkedForImmediateReclaimAndActivated() {
        FakeReclaimContext ctx = fourFolios();
        LruScanner s = scanner(false, true, true);
        long reclaimed = s.shrinkInactiveList(ctx, INACTIVE_FILE, 4);
        // A, B: dirty file folios outside kswapd -> NR_VMSCAN_IMMEDIATE, PG_reclaim, activate_locked.
        // C: under writeback, not kswapd -> case 2: PG_reclaim, nr_writeback, activate. D: clean, freed.
        assertThat(reclaimed).isEqualTo(1);
        assertThat(ctx.counter("nr_vmscan_immediate_reclaim")).isEqualTo(2);
        assertThat(ctx.counter("nr_vmscan_write")).isZero();
        assertThat(ctx.counter("pgactivate")).isEqualTo(3);
        assertThat(ctx.lruState(A) & (ReclaimContext.LRU_MASK | RECLAIM)).isEqualTo(ACTIVE_FILE | RECLAIM);
        assertThat(ReclaimContext.lru(ctx.lruState(C))).isEqualTo(ACTIVE_FILE);
        assertThat(ctx.lruState(D)).isEqualTo(ReclaimContext.NOT_ON_LRU);
        // sc->nr: dirty = A + B + C, unqueued dirty = A + B, congested = C, writeback = C
        assertThat(s.sc.nrDirty).isEqualTo(3);
        assertThat(s.sc.nrUnqueuedDirty).isEqualTo(2);
        assertThat(s.sc.nrCongested).isEqualTo(1);
        assertThat(s.sc.nrWriteback).isEqualTo(1);
        assertThat(s.sc.nrImmediate).isZero();
        assertThat(s.sc.nrTaken).isEqualTo(4);
        assertThat(s.sc.nrFileTaken).isEqualTo(4);
        assertThat(ctx.flusherWakeups()).as("2 unqueued dirty of 4 taken: the flusher is not woken").isZero();
    }

    @Test
    void kswapd_onAPgdatDirtyNode_writesAFolioMetDirtyBefore_andKeepsItUnderWriteback() {
        FakeReclaimContext ctx = fourFolios();
        LruScanner s = scanner(true, true, true);
        long reclaimed = s.shrinkInactiveList(ctx, INACTIVE_FILE, 4);
        // A: dirty but not PG_reclaim -> immediate, activate. B: PG_reclaim + PGDAT_DIRTY -> pageout, keep.
        // C: writeback + PG_reclaim + PGDAT_WRITEBACK -> case 1: nr_immediate, activate. D: freed.
        assertThat(reclaimed).isEqualTo(1);
        assertThat(ctx.counter("nr_vmscan_immediate_reclaim")).isEqualTo(1);
        assertThat(ctx.counter("nr_vmscan_write")).isEqualTo(1);
        assertThat(ctx.lruState(B) & (ReclaimContext.LRU_MASK | DIRTY | WRITEBACK | RECLAIM))
                .isEqualTo(INACTIVE_FILE | WRITEBACK | RECLAIM);
        assertThat(ctx.lruTail(INACTIVE_FILE)).as("kept: back at the head, so the only one left").isEqualTo(B);
        assertThat(ReclaimContext.lru(ctx.lruState(C))).isEqualTo(ACTIVE_FILE);
        assertThat(s.sc.nrImmediate).isEqualTo(1);
        assertThat(s.sc.nrWriteback).isZero();
        assertThat(ctx.counter("pgsteal_kswapd")).isEqualTo(1);
    }

    @Test
    void kswapd_withoutPgdatDirty_doesNotWrite() {
        FakeReclaimContext ctx = fourFolios();
        LruScanner s = scanner(true, false, false);
        s.shrinkInactiveList(ctx, INACTIVE_FILE, 4);
        // B is marked for immediate reclaim like A; C without PGDAT_WRITEBACK is case 2 (nr_writeback)
        assertThat(ctx.counter("nr_vmscan_write")).isZero();
        assertThat(ctx.counter("nr_vmscan_immediate_reclaim")).isEqualTo(2);
        assertThat(s.sc.nrWriteback).isEqualTo(1);
        assertThat(s.sc.nrImmediate).isZero();
    }

    @Test
    void shrinkNode_marksTheNodePgdatDirty_whenKswapdTakesOnlyUnqueuedDirtyFileFolios() {
        FakeReclaimContext ctx = new FakeReclaimContext(K61, 8192, 100, 100, 125, 150)
                .folios(INACTIVE_FILE, 4096, 0, DIRTY, 0);
        LruScanner s = scanner(true, false, false);
        s.sc.nrToReclaim = 150;
        // priority 12: 4096 >> 12 = 1 folio taken, dirty and unqueued: nr.unqueued_dirty == nr.file_taken
        s.shrinkNode(ctx);
        assertThat(s.sc.pgdatDirty).isTrue();
        assertThat(s.sc.pgdatWriteback).isFalse();
        assertThat(ctx.flusherWakeups()).isEqualTo(1);
    }

    @Test
    void shrinkNode_leavesTheNodeUnmarked_forDirectReclaim() {
        FakeReclaimContext ctx = new FakeReclaimContext(K61, 8192, 100, 100, 125, 150)
                .folios(INACTIVE_FILE, 4096, 0, DIRTY, 0);
        LruScanner s = scanner(false, false, false);
        s.sc.nrToReclaim = 32;
        s.shrinkNode(ctx);
        assertThat(s.sc.pgdatDirty).isFalse();
    }
}
