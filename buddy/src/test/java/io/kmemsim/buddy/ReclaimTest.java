package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.workload.Event;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LRU state and the slow path with reclaim on the 64 MiB two-zone machine, invariants checked throughout. */
class ReclaimTest {

    /** Frees clean inactive file folios from the tail on direct reclaim; kills the largest owner on OOM. */
    static final class TailReclaimer implements ReclaimPolicy {
        int kswapdWakes;
        int ooms;

        @Override
        public void wakeKswapd(int order, int gfp, int highestZoneIndex, ReclaimContext ctx) {
            kswapdWakes++;
        }

        @Override
        public long directReclaim(int order, int gfp, int highestZoneIndex, ReclaimContext ctx) {
            long freed = 0;
            long pfn = ctx.lruTail(ReclaimContext.INACTIVE_FILE);
            while (pfn >= 0 && freed < ReclaimContext.SWAP_CLUSTER_MAX) {
                long prev = ctx.lruPrev(pfn);
                freed += ctx.reclaim(pfn);
                pfn = prev;
            }
            return freed;
        }

        @Override
        public long zoneReclaimablePages(int zoneIndex, ReclaimContext ctx) {
            return ctx.zoneLruPages(zoneIndex, ReclaimContext.INACTIVE_FILE);
        }

        @Override
        public boolean outOfMemory(int order, int gfp, ReclaimContext ctx) {
            ooms++;
            int victim = 0;
            for (int o = 1; o < ctx.ownerLimit(); o++) {
                if (ctx.ownerPages(o) > ctx.ownerPages(victim)) {
                    victim = o;
                }
            }
            return victim > 0 && ctx.killOwner(victim) > 0;
        }
    }

    private static BuddyPageAllocator create(ReclaimPolicy policy) {
        return (BuddyPageAllocator) new BuddyProvider().create(new BuddyOptions(),
                TestProviderContext.builder().platform(Machines.twoZones()).kernel("6.1").reclaimPolicy(policy).build());
    }

    private static final int GFP = Gfp.GFP_HIGHUSER_MOVABLE;

    @Test
    void lru_accessActivatesOnTheSecondUse_freeTakesTheFolioOff_writebackCleans() {
        BuddyPageAllocator a = create(ReclaimPolicy.NONE);
        long p = a.allocate(0, GFP, 0);
        a.lruAdd(p, 0, Event.PAGE_FILE | Event.PAGE_DIRTY);
        a.checkInvariants();
        int idx = a.indexOf(p);
        assertThat(a.lru.list(idx)).isEqualTo(ReclaimContext.INACTIVE_FILE);
        a.pageAccessed(p, false);
        assertThat(a.lru.list(idx)).as("added referenced (the read that brought it in); the next use activates").isEqualTo(ReclaimContext.ACTIVE_FILE);
        assertThat(counters(a)).containsEntry("nr_active_file", 1L).containsEntry("nr_dirty", 1L).containsEntry("pgactivate", 1L);
        a.writeback();
        assertThat(counters(a)).as("sync starts writeback; the I/O completes at the next tick")
                .containsEntry("nr_dirty", 0L).containsEntry("nr_writeback", 1L).containsEntry("nr_written", 0L);
        a.checkInvariants();
        a.tick(1_000_000);
        assertThat(counters(a)).containsEntry("nr_writeback", 0L).containsEntry("nr_written", 1L);
        a.free(p, 0, 0);
        a.checkInvariants();
        assertThat(counters(a)).containsEntry("nr_active_file", 0L).containsEntry("nr_file_pages", 0L);
        long r = a.allocate(0, GFP, 0);
        a.lruAdd(r, 0, Event.PAGE_FILE | Event.PAGE_REFAULT);
        assertThat(counters(a)).containsEntry("workingset_refault_file", 1L);
    }

    @Test
    void lru_refusesAFolioTwiceAndFlagsThatNameNoKind() {
        BuddyPageAllocator a = create(ReclaimPolicy.NONE);
        long p = a.allocate(0, GFP, 0);
        assertThatThrownBy(() -> a.lruAdd(p, 0, 0)).hasMessageContaining("exactly one of PAGE_FILE and PAGE_ANON");
        a.lruAdd(p, 0, Event.PAGE_FILE);
        assertThatThrownBy(() -> a.lruAdd(p, 0, Event.PAGE_FILE)).hasMessageContaining("already on an LRU list");
    }

    @Test
    void withoutReclaim_aMachineFullOfPageCacheFails_withReclaimItKeepsAllocating() {
        BuddyPageAllocator none = create(ReclaimPolicy.NONE);
        TailReclaimer policy = new TailReclaimer();
        BuddyPageAllocator linux = create(policy);
        List<Long> reclaimed = new ArrayList<>();
        linux.setReclaimListener((pfn, order, oom) -> reclaimed.add(pfn));
        int noneFailures = 0;
        int linuxFailures = 0;
        for (int i = 0; i < 40_000; i++) {
            long p = none.allocate(0, GFP, i & 1);
            if (p == PageAllocator.NO_PAGE) {
                noneFailures++;
            } else {
                none.lruAdd(p, 0, Event.PAGE_FILE);
            }
            long q = linux.allocate(0, GFP, i & 1);
            if (q == PageAllocator.NO_PAGE) {
                linuxFailures++;
            } else {
                linux.lruAdd(q, 0, Event.PAGE_FILE);
            }
            if (i % 4096 == 0) {
                linux.checkInvariants();
            }
        }
        linux.checkInvariants();
        assertThat(noneFailures).as("16128 managed pages cannot hold 40000 page cache pages").isGreaterThan(20_000);
        assertThat(linuxFailures).isZero();
        assertThat(reclaimed).hasSize(40_000 - (int) (long) counters(linux).get("nr_file_pages"));
        assertThat(policy.kswapdWakes).isPositive();
        Map<String, Long> c = counters(linux);
        assertThat(c.entrySet().stream().filter(e -> e.getKey().startsWith("allocstall_")).mapToLong(Map.Entry::getValue).sum())
                .as("allocstall_* (GFP_HIGHUSER_MOVABLE counts in its gfp_zone)").isPositive();
        assertThat(c.get("nr_file_pages")).isEqualTo(c.get("nr_inactive_file")).isLessThanOrEqualTo(16_128L);
    }

    @Test
    void oom_killsTheLargestOwnerAndTheAllocationSucceeds() {
        TailReclaimer policy = new TailReclaimer();
        BuddyPageAllocator a = create(policy);
        List<Boolean> kills = new ArrayList<>();
        a.setReclaimListener((pfn, order, oom) -> kills.add(oom));
        int failures = 0;
        for (int i = 0; i < 20_000; i++) {
            long p = a.allocate(0, Gfp.GFP_KERNEL | Gfp.MOVABLE, 0);
            if (p == PageAllocator.NO_PAGE) {
                failures++;
            } else {
                a.lruAdd(p, 0, Event.PAGE_ANON | ((long) (1 + i % 3) << Event.OWNER_SHIFT));
            }
        }
        a.checkInvariants();
        assertThat(failures).isZero();
        assertThat(policy.ooms).isPositive();
        assertThat(kills).isNotEmpty().containsOnly(true);
    }

    @Test
    void compactionMigratesAnLruFolioInPlaceOnItsList() {
        BuddyPageAllocator a = create(ReclaimPolicy.NONE);
        long p = a.allocate(0, GFP, 0);
        long q = a.allocate(0, GFP, 0);
        a.lruAdd(p, 0, Event.PAGE_FILE);
        a.lruAdd(q, 0, Event.PAGE_FILE);
        int src = a.indexOf(p);
        int dst = -1;
        for (int i = a.zones[1].startIdx; i < a.zones[1].endIdx; i++) {
            if (a.state(i) == BuddyPageAllocator.ST_FREE && a.order[i] == 0) {
                dst = i;
                break;
            }
        }
        if (dst < 0) {
            long r = a.allocate(1, Gfp.GFP_KERNEL, 0);
            a.free(r, 1, 0);
            a.drainPerCpuLists();
            dst = a.indexOf(r);
        }
        long dstPfn = a.pfnOf(dst);
        assertThat(a.compactionContext.isolateFreeBlock(dstPfn)).isGreaterThanOrEqualTo(0);
        int o = a.order[dst];
        if (o > 0) {
            a.compactionContext.releaseFreeBlock(dstPfn, o);
            return;
        }
        assertThat(a.compactionContext.migrate(p, dstPfn)).isTrue();
        a.checkInvariants();
        assertThat(a.lru.list(dst)).isEqualTo(ReclaimContext.INACTIVE_FILE);
        assertThat(a.lru.onLru(src)).isFalse();
        assertThat(a.reclaimContext.lruTail(ReclaimContext.INACTIVE_FILE)).isEqualTo(dstPfn);
    }

    @Test
    void vmstat_showsLruLinesOnlyWithAReclaimPolicyOrLruUse() {
        assertThat(counters(create(ReclaimPolicy.NONE))).doesNotContainKey("nr_inactive_file").doesNotContainKey("pgscan_kswapd");
        assertThat(counters(create(new TailReclaimer()))).containsKeys("nr_inactive_file", "pgscan_kswapd", "pgsteal_direct", "oom_kill");
    }

    private static Map<String, Long> counters(BuddyPageAllocator a) {
        Map<String, Long> m = new HashMap<>();
        a.forEachCounter(m::put);
        return m;
    }
}
