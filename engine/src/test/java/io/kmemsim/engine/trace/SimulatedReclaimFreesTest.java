package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code reclaim-frees: simulated} on a hand-written 6.1 trace: page cache allocations (by gfp) go on the LRU,
 * the reclaim frees of them (kswapd's pid, a direct reclaim window) are dropped, other frees are replayed.
 */
class SimulatedReclaimFreesTest {

    private static final String TRACE = String.join("\n",
            "# tracer: nop",
            // 0x100 page cache (read), 0x101 page cache (write), 0x102 anonymous (zeroed), 0x103 kernel
            "cat-100 [000] ..... 1.000000: mm_page_alloc: page=fffffc0000004000 pfn=0x100 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE",
            "cat-100 [000] ..... 1.000001: mm_page_alloc: page=fffffc0000004040 pfn=0x101 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_WRITE",
            "cat-100 [000] ..... 1.000002: mm_page_alloc: page=fffffc0000004080 pfn=0x102 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO",
            "cat-100 [000] ..... 1.000003: mm_page_alloc: page=fffffc00000040c0 pfn=0x103 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
            "kswapd0-45 [001] ..... 1.000010: mm_vmscan_kswapd_wake: nid=0 order=0",
            // kswapd frees page cache 0x100 (dropped) and the anonymous 0x102 (replayed: not page cache)
            "kswapd0-45 [001] ..... 1.000011: mm_page_free: page=fffffc0000004000 pfn=0x100 order=0",
            "kswapd0-45 [001] ..... 1.000012: mm_page_free: page=fffffc0000004080 pfn=0x102 order=0",
            // the trace reuses 0x100 while the simulation still holds the old page cache page
            "cat-100 [000] ..... 1.000020: mm_page_alloc: page=fffffc0000004000 pfn=0x100 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
            // direct reclaim by dd frees 0x101 (dropped); after the window dd's free of 0x103 is replayed
            "dd-200 [002] ..... 1.000030: mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE",
            "dd-200 [002] ..... 1.000031: mm_page_free: page=fffffc0000004040 pfn=0x101 order=0",
            "dd-200 [002] ..... 1.000032: mm_vmscan_direct_reclaim_end: nr_reclaimed=1",
            "dd-200 [002] ..... 1.000033: mm_page_free: page=fffffc00000040c0 pfn=0x103 order=0",
            // a truncate (not reclaim) frees the new 0x100
            "rm-300 [003] ..... 1.000040: mm_page_free: page=fffffc0000004000 pfn=0x100 order=0") + "\n";

    private static Workload workload(String reclaimFrees) {
        boolean all = reclaimFrees.equals("simulated");
        TraceReader reader = TraceFormat.text(new ReaderInputStream(new BufferedReader(new StringReader(TRACE))), "t.txt",
                KernelVersion.parse("6.1"), new TraceReadOptions(false, null, null, all));
        if (reclaimFrees.equals("trace")) {
            return new TraceWorkload(reader, TraceWorkload.Mode.POLICY, 8, 10, 0, false);
        }
        SimulatedReclaimFrees.Context c = SimulatedReclaimFrees.context(reader);
        return SimulatedReclaimFrees.workload(new TraceWorkload(c, TraceWorkload.Mode.POLICY, 8, 10, 0, false), c);
    }

    private static List<String> events(Workload w) {
        List<String> out = new ArrayList<>();
        Event e = new Event();
        while (w.next(e)) {
            out.add(e.type() + " h=" + Long.toHexString(e.handle()) + " flags=" + e.flags());
        }
        return out;
    }

    @Test
    void simulated_dropsTheReclaimFreesOfPageCache_andRenamesHandles() {
        Workload w = workload("simulated");
        assertThat(events(w)).containsExactly(
                "PAGE_ALLOC h=1 flags=" + Event.PAGE_FILE,
                "PAGE_ALLOC h=2 flags=" + (Event.PAGE_FILE | Event.PAGE_DIRTY),
                "PAGE_ALLOC h=3 flags=0",
                "PAGE_ALLOC h=4 flags=0",
                "PAGE_FREE h=3 flags=0",
                "PAGE_ALLOC h=5 flags=0",
                "PAGE_FREE h=4 flags=0",
                "PAGE_FREE h=5 flags=0");
        Map<String, Long> c = new LinkedHashMap<>();
        w.forEachCounter(c::put);
        assertThat(c).containsEntry("replay.page_cache_allocations", 2L)
                .containsEntry("replay.reclaim_frees_left_to_the_simulation", 2L)
                .containsEntry("replay.reclaim_frees_of_other_pages", 1L)
                .containsEntry("replay.frees_of_pages_the_simulation_reclaimed", 0L);
    }

    @Test
    void trace_replaysEveryFree() {
        List<String> ev = events(workload("trace"));
        assertThat(ev.stream().filter(s -> s.startsWith("PAGE_FREE")).count()).isEqualTo(5);
        assertThat(ev).allMatch(s -> s.endsWith("flags=0"));
    }

    @Test
    void aPageTheSimulationReclaimed_isNotFreedAgainByTheTrace() {
        Workload w = workload("simulated");
        Event e = new Event();
        w.next(e);
        assertThat(e.handle()).isEqualTo(1);
        w.next(e);
        w.next(e);
        w.next(e);
        // the simulated reclaim evicts page 0x101 (handle 2) before the trace's reclaim frees it
        w.evicted(2, 0);
        List<String> rest = events(w);
        assertThat(rest).doesNotContain("PAGE_FREE h=2 flags=0");
        Map<String, Long> c = new LinkedHashMap<>();
        w.forEachCounter(c::put);
        assertThat(c).containsEntry("replay.frees_of_pages_the_simulation_reclaimed", 1L)
                .containsEntry("replay.reclaim_frees_left_to_the_simulation", 1L);
    }

    @Test
    void pageCacheMask_isTheMappingMask_withoutZero() {
        assertThat(SimulatedReclaimFrees.isPageCache(Gfp.GFP_HIGHUSER_MOVABLE)).isTrue();
        assertThat(SimulatedReclaimFrees.isPageCache(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.NORETRY | Gfp.NOWARN)).isTrue();
        // 6.1's folio_alloc adds __GFP_COMP to every folio: the bench traces print GFP_HIGHUSER_MOVABLE|__GFP_COMP
        assertThat(SimulatedReclaimFrees.isPageCache(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.COMP)).isTrue();
        assertThat(SimulatedReclaimFrees.isPageCache(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.COMP | Gfp.ZERO)).isFalse();
        // the masks of a real 6.1 reclaiming bench run (dd and reads on a virtio disk): readahead without
        // __GFP_FS and a block device write
        assertThat(SimulatedReclaimFrees.isPageCache(Gfp.GFP_NOFS | Gfp.NOWARN | Gfp.NORETRY | Gfp.COMP | Gfp.HARDWALL)).isTrue();
        assertThat(SimulatedReclaimFrees.isPageCache(Gfp.GFP_USER | Gfp.COMP | Gfp.WRITE)).isTrue();
        assertThat(SimulatedReclaimFrees.isPageCache(Gfp.GFP_HIGHUSER | Gfp.ACCOUNT)).as("pipe buffer").isFalse();
        assertThat(SimulatedReclaimFrees.isPageCache(Gfp.GFP_KERNEL_ACCOUNT | Gfp.ZERO)).isFalse();
        assertThat(SimulatedReclaimFrees.isPageCache(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.ZERO)).isFalse();
        assertThat(SimulatedReclaimFrees.isPageCache(Gfp.GFP_KERNEL)).isFalse();
    }
}
