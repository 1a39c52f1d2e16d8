package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.trace.TraceListener;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The order-0 pcp fast path ({@code PerCpuLists.allocFast} and the early return of the pcp free) must be
 * the full path exactly. A narrator turns the fast path off, so an allocator with a silent narrator runs
 * the full path on the same requests; both must hand out the same pages and emit the same trace events,
 * and end with the same counters and simulated cycles. The workload refills and drains the pcp lists
 * and mixes orders, migrate types and CPUs; on the 20 MiB machine it also fills memory until requests
 * fail (so the fast path's watermark shortcut fails and the slow path runs); every supported kernel,
 * with and without a fallback policy. A third allocator without trace listener or arch hooks (whose pcp
 * paths skip the no-op hook calls) must hand out the same pages and end in the same state.
 */
class FastPathTest {

    static List<Object[]> cases() {
        List<Object[]> cases = new ArrayList<>();
        for (String kernel : BuddyProvider.SUPPORTED) {
            for (boolean small : new boolean[] {false, true}) {
                cases.add(new Object[] {kernel, false, small});
                cases.add(new Object[] {kernel, true, small});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}, fallback policy {1}, 20 MiB machine {2}")
    @MethodSource("cases")
    void fastPath_isTheFullPath(String kernel, boolean withPolicy, boolean small) {
        List<String> fastEvents = new ArrayList<>();
        List<String> fullEvents = new ArrayList<>();
        BuddyPageAllocator fast = Machines.create(small ? Machines.small() : Machines.twoZones(), kernel,
                withPolicy ? new LargestFirstTestPolicy() : null, recorder(fastEvents), new BuddyOptions());
        BuddyPageAllocator full = Machines.create(small ? Machines.small() : Machines.twoZones(), kernel,
                withPolicy ? new LargestFirstTestPolicy() : null, recorder(fullEvents), new BuddyOptions());
        full.setNarrator((function, text) -> { });
        // no trace listener and no arch hooks: the pcp paths skip the no-op hook calls and must do the rest the same
        BuddyPageAllocator quiet = Machines.create(small ? Machines.small() : Machines.twoZones(), kernel,
                withPolicy ? new LargestFirstTestPolicy() : null, TraceListener.NONE, new BuddyOptions());
        int[] gfps = {Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.RECLAIMABLE, Gfp.KSWAPD_RECLAIM,
            Gfp.GFP_DMA32};
        SplittableRandom rnd = new SplittableRandom(kernel.hashCode() * 31L + (withPolicy ? 1 : 0));
        List<long[]> live = new ArrayList<>();
        int fastHits = 0;
        int failed = 0;
        for (int i = 0; i < 6000; i++) {
            // phases: fill (mostly allocations) then drain (mostly frees), twice
            boolean filling = (i / 1500) % 2 == 0;
            if (live.isEmpty() || rnd.nextInt(10) < (filling ? 9 : 2)) {
                int order = rnd.nextInt(8) < 6 ? 0 : rnd.nextInt(small ? 6 : 5);
                int gfp = gfps[rnd.nextInt(gfps.length)];
                int cpu = rnd.nextInt(2);
                long before = fast.lists.cycles;
                long p = fast.allocate(order, gfp, cpu);
                fastHits += order == 0 && p != PageAllocator.NO_PAGE && fast.lists.cycles - before == FreeLists.LIST_OP_CYCLES ? 1 : 0;
                assertThat(full.allocate(order, gfp, cpu)).as("allocation %d", i).isEqualTo(p);
                assertThat(quiet.allocate(order, gfp, cpu)).as("allocation %d without hooks", i).isEqualTo(p);
                if (p != PageAllocator.NO_PAGE) {
                    live.add(new long[] {p, order});
                } else {
                    failed++;
                }
            } else {
                long[] b = live.remove(rnd.nextInt(live.size()));
                int cpu = rnd.nextInt(2);
                fast.free(b[0], (int) b[1], cpu);
                full.free(b[0], (int) b[1], cpu);
                quiet.free(b[0], (int) b[1], cpu);
            }
            for (int z = 0; z < fast.zones.length; z++) {
                assertThat(fast.zones[z].belowHigh).as("ZONE_BELOW_HIGH after step %d", i).isEqualTo(full.zones[z].belowHigh);
                assertThat(fast.zones[z].pcpHigh(0)).as("pcp high after step %d", i).isEqualTo(full.zones[z].pcpHigh(0));
            }
        }
        fast.checkInvariants();
        full.checkInvariants();
        quiet.checkInvariants();
        if (small) {
            assertThat(failed).as("allocations refused under memory pressure").isGreaterThan(0);
        } else {
            assertThat(fastHits).as("order-0 pcp hits").isGreaterThan(100);
        }
        assertThat(fastEvents).isEqualTo(fullEvents);
        assertThat(counters(fast)).isEqualTo(counters(full));
        assertThat(counters(quiet)).isEqualTo(counters(full));
        assertThat(fast.cycles()).isEqualTo(full.cycles());
        assertThat(quiet.cycles()).isEqualTo(full.cycles());
        for (int z = 0; z < fast.zones.length; z++) {
            assertThat(fast.zones[z].belowHigh).as("ZONE_BELOW_HIGH").isEqualTo(full.zones[z].belowHigh);
            assertThat(fast.zones[z].boostedFlag).isEqualTo(full.zones[z].boostedFlag);
            for (int cpu = 0; cpu < fast.cpus; cpu++) {
                assertThat(fast.zones[z].pcpHigh(cpu)).isEqualTo(full.zones[z].pcpHigh(cpu));
                assertThat(fast.zones[z].pcpCount(cpu)).isEqualTo(full.zones[z].pcpCount(cpu));
                assertThat(fast.zones[z].pcpFreeFactor[cpu]).isEqualTo(full.zones[z].pcpFreeFactor[cpu]);
                assertThat(quiet.zones[z].pcpCount(cpu)).isEqualTo(full.zones[z].pcpCount(cpu));
                assertThat(quiet.zones[z].pcpFreeFactor[cpu]).isEqualTo(full.zones[z].pcpFreeFactor[cpu]);
            }
        }
    }

    /**
     * The frees the fast paths take only after the checks of the whole path: a free naming the wrong order
     * (order 0 for an order-2 block, 2 for an order-0 page, a negative order, one above the largest) is
     * refused with the whole path's message and changes nothing.
     */
    @Test
    void fastFree_refusesWhatTheCheckedFreeRefuses() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        long p0 = a.allocate(0, Gfp.GFP_KERNEL, 0);
        long p2 = a.allocate(2, Gfp.GFP_KERNEL, 0);
        a.free(a.allocate(0, Gfp.GFP_KERNEL, 0), 0, 0); // the zone of the last free is the zone of p0 and p2
        List<String> before = counters(a);
        long cycles = a.cycles();
        assertThatThrownBy(() -> a.free(p2, 0, 0)).hasMessageContaining("block was allocated with order 2");
        assertThatThrownBy(() -> a.free(p2, 1, 0)).hasMessageContaining("block was allocated with order 2");
        assertThatThrownBy(() -> a.free(p0, 2, 0)).hasMessageContaining("block was allocated with order 0");
        assertThatThrownBy(() -> a.free(p0, -1, 0)).hasMessageContaining("order must be in [0, ");
        assertThatThrownBy(() -> a.free(p2, a.maxOrder + 1, 0)).hasMessageContaining("order must be in [0, ");
        assertThat(counters(a)).isEqualTo(before);
        assertThat(a.cycles()).isEqualTo(cycles);
        a.free(p2, 2, 1);
        a.free(p0, 0, 1);
        a.checkInvariants();
    }

    private static List<String> counters(PageAllocator a) {
        List<String> out = new ArrayList<>();
        a.forEachCounter((name, value) -> out.add(name + "=" + value));
        return out;
    }

    private static TraceListener recorder(List<String> events) {
        return new TraceListener() {
            @Override
            public void pageAlloc(long pfn, int order, MigrateType mt, int gfp, int cpu) {
                events.add("alloc " + pfn + " " + order + " " + mt + " " + gfp + " " + cpu);
            }

            @Override
            public void pageFree(long pfn, int order, int cpu) {
                events.add("free " + pfn + " " + order + " " + cpu);
            }

            @Override
            public void pageAllocZoneLocked(long pfn, int order, MigrateType mt, boolean percpuRefill, int cpu) {
                events.add("locked " + pfn + " " + order + " " + mt + " " + percpuRefill + " " + cpu);
            }

            @Override
            public void pagePcpuDrain(long pfn, int order, MigrateType mt, int cpu) {
                events.add("drain " + pfn + " " + order + " " + mt + " " + cpu);
            }
        };
    }
}
