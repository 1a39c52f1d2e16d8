package io.kmemsim.policies.reclaim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.testkit.support.FakeReclaimContext;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked cases from 6.1 mm/vmscan.c. The node: 8192 managed pages, watermarks min/low/high
 * 100/125/150, 100 pages free, 4096 clean unreferenced order-0 folios on the inactive file list.
 */
class LinuxReclaimGoldenTest {

    private static final KernelVersion K61 = KernelVersion.parse("6.1");

    private static FakeReclaimContext node(long free) {
        return new FakeReclaimContext(K61, 8192, free, 100, 125, 150).folios(ReclaimContext.INACTIVE_FILE, 4096, 0, 0, 0);
    }

    private static LinuxReclaimPolicy policy() {
        return new LinuxReclaimPolicy(new LinuxReclaimOptions());
    }

    @Test
    void inactiveIsLow_usesIntSqrtOfTenTimesGigabytes() {
        // below 1 GiB the ratio is 1
        assertThat(LruScanner.inactiveIsLow(1000, 3000, 12)).isTrue();
        assertThat(LruScanner.inactiveIsLow(3000, 3000, 12)).isFalse();
        // 1050000 pages = 4 GiB: ratio int_sqrt(40) = 6
        assertThat(LruScanner.inactiveIsLow(150_000, 900_000, 12)).isFalse();
        assertThat(LruScanner.inactiveIsLow(149_999, 900_000, 12)).isTrue();
        assertThat(LruScanner.intSqrt(40)).isEqualTo(6);
        assertThat(LruScanner.intSqrt(99)).isEqualTo(9);
        assertThat(LruScanner.intSqrt(100)).isEqualTo(10);
    }

    @Test
    void wakeupKswapd_balancedNode_wakesKcompactdForRequestsThatCannotReclaim_andKswapdSleeps() {
        FakeReclaimContext c = node(200);
        LinuxReclaimPolicy p = policy();
        p.wakeKswapd(2, Gfp.gfpNowait(K61), 0, c);
        assertThat(p.kswapdAwake).isFalse();
        assertThat(c.kcompactdWakeups()).isEqualTo(1);
        p.wakeKswapd(2, Gfp.GFP_KERNEL, 0, c);
        assertThat(c.kcompactdWakeups()).as("a request that may direct-reclaim does not wake kcompactd").isEqualTo(1);
        assertThat(p.kswapdOrder).as("kswapd_order is raised even when kswapd stays asleep").isEqualTo(2);
        p.onTick(4_000_000, c);
        assertThat(c.counter("pageoutrun")).isZero();
    }

    @Test
    void wakeupKswapd_boostMakesABalancedNodeUnbalanced() {
        FakeReclaimContext c = node(200).boost(100);
        LinuxReclaimPolicy p = policy();
        p.wakeKswapd(0, Gfp.GFP_KERNEL, 0, c);
        assertThat(p.kswapdAwake).as("high watermark 150 + boost 100 > 200 free").isTrue();
    }

    @Test
    void wakeupKswapd_hopelessNodeIsLeftToDirectReclaim() {
        FakeReclaimContext c = node(100);
        LinuxReclaimPolicy p = policy();
        p.kswapdFailures = 16;
        p.wakeKswapd(0, Gfp.GFP_KERNEL, 0, c);
        assertThat(p.kswapdAwake).isFalse();
    }

    @Test
    void balancePgdat_raisesPriorityUntilTheHighWatermarkIsMet() {
        // priority 12..7 scan 4096>>12=1, 4095>>11=1, 4094>>10=3, 4091>>9=7, 4084>>8=15, 4069>>7=31:
        // 58 pages, free 158 > high 150 at priority 6, so kswapd stops there and wakes kcompactd for order 0
        FakeReclaimContext c = node(100);
        LinuxReclaimPolicy p = policy();
        p.wakeKswapd(0, Gfp.GFP_KERNEL, 0, c);
        assertThat(p.kswapdAwake).isTrue();
        p.onTick(4_000_000, c);
        assertThat(c.free()).isEqualTo(158);
        assertThat(c.counter("pgscan_kswapd")).isEqualTo(58);
        assertThat(c.counter("pgsteal_kswapd")).isEqualTo(58);
        assertThat(c.counter("pageoutrun")).isEqualTo(1);
        assertThat(c.log()).last().isEqualTo("kcompactd 0 0");
        assertThat(p.kswapdAwake).isFalse();
        assertThat(p.kswapdOrder).isZero();
    }

    @Test
    void balancePgdat_afterBoostClearsTheBoostAndWakesKcompactdAtPageblockOrder() {
        FakeReclaimContext c = node(200).boost(100);
        LinuxReclaimPolicy p = policy();
        p.wakeKswapd(0, Gfp.GFP_KERNEL, 0, c);
        p.onTick(4_000_000, c);
        assertThat(c.boost()).isZero();
        assertThat(c.free()).as("reclaimed past high + boost while the boost was in place").isGreaterThan(250);
        assertThat(c.log()).contains("kcompactd 9 0");
    }

    @Test
    void directReclaim_stopsOnceSwapClusterMaxIsReclaimed() {
        // priority 12 (proportional) 1, then 1, 3, 7, 15 = 27 < 32, then priority 7 scans 31: 58 >= 32
        FakeReclaimContext c = node(100);
        long progress = policy().directReclaim(0, Gfp.GFP_KERNEL, 0, c);
        assertThat(progress).isEqualTo(58);
        assertThat(c.counter("pgscan_direct")).isEqualTo(58);
        assertThat(c.counter("pgsteal_direct")).isEqualTo(58);
        assertThat(c.counter("pgscan_kswapd")).isZero();
    }

    @Test
    void shrinkInactiveList_followsFolioCheckReferences() {
        // tail to head: dirty, accessed mapping + referenced, accessed mapping, referenced, clean
        FakeReclaimContext c = new FakeReclaimContext(K61, 8192, 100, 100, 125, 150)
                .folios(ReclaimContext.INACTIVE_FILE, 1, 0, ReclaimContext.DIRTY, 0)
                .folios(ReclaimContext.INACTIVE_FILE, 1, 0, ReclaimContext.YOUNG | ReclaimContext.REFERENCED, 0)
                .folios(ReclaimContext.INACTIVE_FILE, 1, 0, ReclaimContext.YOUNG, 0)
                .folios(ReclaimContext.INACTIVE_FILE, 1, 0, ReclaimContext.REFERENCED, 0)
                .folios(ReclaimContext.INACTIVE_FILE, 1, 0, 0, 0);
        LinuxReclaimPolicy p = policy();
        long reclaimed = p.scanner().shrinkInactiveList(c, ReclaimContext.INACTIVE_FILE, 5);
        assertThat(reclaimed).as("the referenced-only (RECLAIM_CLEAN) and the clean folio").isEqualTo(2);
        assertThat(c.lruPages(ReclaimContext.ACTIVE_FILE)).as("dirty (PG_reclaim) and twice-referenced activated").isEqualTo(2);
        assertThat(c.lruState(100) & ReclaimContext.RECLAIM).as("the dirty folio has PG_reclaim").isNotZero();
        assertThat(c.lruState(102) & (ReclaimContext.LRU_MASK | ReclaimContext.REFERENCED | ReclaimContext.YOUNG))
                .as("the once-accessed mapped folio is kept inactive with PG_referenced, its accessed bit cleared")
                .isEqualTo(ReclaimContext.INACTIVE_FILE | ReclaimContext.REFERENCED);
        assertThat(c.counter("pgactivate")).isEqualTo(2);
        assertThat(c.flusherWakeups()).as("not every folio taken was dirty").isZero();
    }

    @Test
    void shrinkInactiveList_allDirtyWakesTheFlusher() {
        FakeReclaimContext c = new FakeReclaimContext(K61, 8192, 100, 100, 125, 150)
                .folios(ReclaimContext.INACTIVE_FILE, 8, 0, ReclaimContext.DIRTY, 0);
        assertThat(policy().scanner().shrinkInactiveList(c, ReclaimContext.INACTIVE_FILE, 8)).isZero();
        assertThat(c.flusherWakeups()).isEqualTo(1);
    }

    @Test
    void outOfMemory_killsTheLargestOwner_tiesToTheLater_andNofsPretendsProgress() {
        FakeReclaimContext c = new FakeReclaimContext(K61, 8192, 100, 100, 125, 150)
                .folios(ReclaimContext.INACTIVE_ANON, 300, 0, 0, 1)
                .folios(ReclaimContext.INACTIVE_ANON, 500, 0, 0, 2)
                .folios(ReclaimContext.ACTIVE_ANON, 500, 0, 0, 3);
        LinuxReclaimPolicy p = policy();
        assertThat(p.outOfMemory(0, Gfp.GFP_NOFS, c)).isTrue();
        assertThat(c.free()).isEqualTo(100);
        assertThat(p.outOfMemory(0, Gfp.GFP_KERNEL, c)).isTrue();
        assertThat(c.ownerPages(3)).isZero();
        assertThat(c.ownerPages(2)).isEqualTo(500);
        assertThat(c.free()).isEqualTo(600);
        assertThat(c.counter("oom_kill")).isEqualTo(1);
    }
}
