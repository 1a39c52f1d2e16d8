package io.kmemsim.policies.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.reclaim.Shrinker;
import io.kmemsim.testkit.support.FakeReclaimContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code do_shrink_slab} (mm/vmscan.c, 6.1) worked by hand: {@code delta = (freeable >> priority) * 4 / seeks},
 * {@code total_scan = min((nr_deferred >> priority) + delta, 2 * freeable)}, batches of
 * {@code min(batch_size, total_scan)} while {@code total_scan >= batch_size || total_scan >= freeable},
 * {@code next_deferred = min(max(nr + delta - scanned, 0), 2 * freeable)}.
 */
class SlabShrinkGoldenTest {

    private static final KernelVersion K61 = KernelVersion.parse("6.1");

    /** A shrinker of {@code count} objects that records its scan calls and frees nothing (unless {@code frees}). */
    private static final class Recording implements Shrinker {
        long count;
        final int seeks;
        final boolean frees;
        boolean stop;
        final List<Long> scans = new ArrayList<>();
        FakeReclaimContext ctx;

        Recording(long count, int seeks, boolean frees) {
            this.count = count;
            this.seeks = seeks;
            this.frees = frees;
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public long countObjects() {
            return count == 0 ? SHRINK_EMPTY : count;
        }

        @Override
        public long scanObjects(long nrToScan, int gfp) {
            if (stop) {
                return SHRINK_STOP;
            }
            scans.add(nrToScan);
            if (!frees) {
                return 0;
            }
            long n = Math.min(nrToScan, count);
            count -= n;
            ctx.slabPagesFreed(n / 32); // 32 objects per slab page
            return n;
        }

        @Override
        public int seeks() {
            return seeks;
        }
    }

    private static FakeReclaimContext ctx() {
        return new FakeReclaimContext(K61, 8192, 100, 100, 125, 150);
    }

    @Test
    void priority0_scansOneBatchOf128_andDefersTheRest() {
        FakeReclaimContext ctx = ctx();
        Recording s = new Recording(100, Shrinker.DEFAULT_SEEKS, false);
        SlabShrink slab = new SlabShrink();
        ctx.shrinker(s);
        // delta = (100 >> 0) * 4 / 2 = 200; total_scan = min(0 + 200, 200) = 200; 200 >= 128: scan 128;
        // 72 < 128 and 72 < 100: stop. next_deferred = min(max(0 + 200 - 128, 0), 200) = 72
        slab.shrinkSlab(ctx, Gfp.GFP_KERNEL, 0);
        assertThat(s.scans).containsExactly(128L);
        assertThat(ctx.counter("slabs_scanned")).isEqualTo(128);
        assertThat(slab.deferred(0)).isEqualTo(72);
        // again: total_scan = min((72 >> 0) + 200, 200) = 200, one batch; next_deferred = min(72 + 200 - 128, 200) = 144
        slab.shrinkSlab(ctx, Gfp.GFP_KERNEL, 0);
        assertThat(s.scans).containsExactly(128L, 128L);
        assertThat(slab.deferred(0)).isEqualTo(144);
    }

    @Test
    void defPriority_scansNothing_butTheWorkAccumulates() {
        FakeReclaimContext ctx = ctx();
        Recording s = new Recording(10_000, Shrinker.DEFAULT_SEEKS, false);
        SlabShrink slab = new SlabShrink();
        ctx.shrinker(s);
        // delta = (10000 >> 12) * 4 / 2 = 2 * 4 / 2 = 4; total 4 < 128 and < 10000: nothing; deferred 4
        slab.shrinkSlab(ctx, Gfp.GFP_KERNEL, 12);
        assertThat(s.scans).isEmpty();
        assertThat(slab.deferred(0)).isEqualTo(4);
        // total = (4 >> 12) + 4 = 4; deferred 4 + 4 - 0 = 8
        slab.shrinkSlab(ctx, Gfp.GFP_KERNEL, 12);
        assertThat(slab.deferred(0)).isEqualTo(8);
        assertThat(ctx.counter("slabs_scanned")).isZero();
    }

    @Test
    void aSmallCache_isScannedWhole_whenTheScanExceedsIt() {
        FakeReclaimContext ctx = ctx();
        Recording s = new Recording(60, Shrinker.DEFAULT_SEEKS, false);
        SlabShrink slab = new SlabShrink();
        ctx.shrinker(s);
        // delta = 60 * 4 / 2 = 120 = total (cap 120); 120 < 128 but 120 >= 60: scan min(128, 120) = 120; then 0
        slab.shrinkSlab(ctx, Gfp.GFP_KERNEL, 0);
        assertThat(s.scans).containsExactly(120L);
        assertThat(slab.deferred(0)).isZero();
    }

    @Test
    void seeks0_scansHalf_atAnyPriority() {
        FakeReclaimContext ctx = ctx();
        Recording s = new Recording(1000, 0, false);
        SlabShrink slab = new SlabShrink();
        ctx.shrinker(s);
        // delta = 1000 / 2 = 500; batches 128, 128, 128 (500 -> 372 -> 244 -> 116 < 128 and < 1000); deferred 500 - 384 = 116
        slab.shrinkSlab(ctx, Gfp.GFP_KERNEL, 12);
        assertThat(s.scans).containsExactly(128L, 128L, 128L);
        assertThat(ctx.counter("slabs_scanned")).isEqualTo(384);
        assertThat(slab.deferred(0)).isEqualTo(116);
    }

    @Test
    void shrinkStop_endsTheScan_andDefersAllTheWork() {
        FakeReclaimContext ctx = ctx();
        Recording s = new Recording(100, Shrinker.DEFAULT_SEEKS, false);
        s.stop = true;
        SlabShrink slab = new SlabShrink();
        ctx.shrinker(s);
        slab.shrinkSlab(ctx, Gfp.GFP_NOFS, 0);
        assertThat(ctx.counter("slabs_scanned")).isZero();
        assertThat(slab.deferred(0)).isEqualTo(200);
    }

    @Test
    void anEmptyShrinker_isSkipped_andKeepsNoDeferredWork() {
        FakeReclaimContext ctx = ctx();
        Recording s = new Recording(0, Shrinker.DEFAULT_SEEKS, false);
        SlabShrink slab = new SlabShrink();
        ctx.shrinker(s);
        assertThat(slab.shrinkSlab(ctx, Gfp.GFP_KERNEL, 0)).isZero();
        assertThat(slab.deferred(0)).isZero();
    }

    @Test
    void directReclaim_countsTheSlabPagesShrinkersFreed_asReclaimed() {
        // no LRU pages at all: only the shrinker can make progress. Priority 12..4 scan nothing (delta 0..124 with
        // the deferred work below 128 and 4096 objects); the first batches come once total_scan reaches 128.
        FakeReclaimContext ctx = ctx();
        Recording s = new Recording(4096, Shrinker.DEFAULT_SEEKS, true);
        s.ctx = ctx;
        ctx.shrinker(s);
        LinuxReclaimPolicy policy = new LinuxReclaimPolicy(new LinuxReclaimOptions());
        long progress = policy.directReclaim(0, Gfp.GFP_KERNEL, 0, ctx);
        long scanned = s.scans.stream().mapToLong(Long::longValue).sum();
        assertThat(scanned).isPositive().isEqualTo(ctx.counter("slabs_scanned"));
        assertThat(progress).as("reclaim_state->reclaimed_slab is added to nr_reclaimed").isEqualTo(scanned / 32)
                .isGreaterThanOrEqualTo(32);
        assertThat(ctx.free()).isEqualTo(100 + progress);
        assertThat(ctx.counter("pgsteal_direct")).as("slab pages are not LRU steals").isZero();
    }
}
