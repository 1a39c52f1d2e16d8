package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The replay rules of include/trace/events/kmem.h: TRACE_EVENT(mm_page_alloc) (6.1) and mm/slab_common.c: __do_kmalloc_node() (6.1); mm/slub.c: kmem_cache_free() (6.1), on a hand-written trace. */
class TraceWorkloadTest {

    private static final String TRACE = String.join("\n",
            "# tracer: nop",
            "a-1 [000] ..... 0.050000: mm_page_free: page=fffffc0000000000 pfn=0x500 order=0",
            "a-1 [001] ..... 0.060000: mm_page_alloc: page=fffffc0000040000 pfn=0x1000 order=2 migratetype=0 gfp_flags=GFP_KERNEL",
            "a-1 [001] ..... 0.060001: mm_page_alloc_zone_locked: page=fffffc0000040000 pfn=0x1000 order=2 migratetype=0 percpu_refill=1",
            "a-1 [009] ..... 0.150000: mm_page_free: page=fffffc0000040000 pfn=0x1000 order=2",
            "a-1 [000] ..... 0.150001: mm_page_free_batched: page=fffffc0000040000 pfn=0x1000 order=0",
            "a-1 [000] ..... 0.150002: mm_page_alloc: page=0000000000000000 pfn=0x0 order=9 migratetype=1 gfp_flags=GFP_TRANSHUGE",
            "a-1 [000] ..... 0.160000: kmalloc: call_site=x+0x1/0x2 ptr=ffff000012345600 bytes_req=40 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false",
            "a-1 [000] ..... 0.160001: kfree: call_site=x+0x1/0x2 ptr=0000000000000000",
            "a-1 [000] ..... 0.160002: kmem_cache_alloc: call_site=x+0x1/0x2 ptr=ffff000012345700 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false",
            "a-1 [000] ..... 0.160003: kmem_cache_free: call_site=x+0x1/0x2 ptr=ffff000012345700 name=dentry",
            "a-1 [000] ..... 0.160004: kfree: call_site=x+0x1/0x2 ptr=ffff000012345600",
            "a-1 [000] ..... 0.160005: mm_page_alloc: page=fffffc0000080000 pfn=0x2000 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE",
            "a-1 [000] ..... 0.160006: mm_page_alloc: page=fffffc0000080000 pfn=0x2000 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE") + "\n";

    private static List<String> replay(TraceWorkload.Mode mode, Map<String, Long> counters) {
        TraceReader reader = TraceFormat.text(new BufferedReader(new StringReader(TRACE)), "t.txt",
                KernelVersion.parse("6.1"), false);
        List<String> out = new ArrayList<>();
        try (TraceWorkload w = new TraceWorkload(reader, mode, 8, 10, 100_000_000L, true)) {
            Event e = new Event();
            while (w.next(e)) {
                out.add(e.type() + " h=" + Long.toHexString(e.handle()) + " o=" + e.order() + " cpu=" + e.cpu()
                        + " pfn=" + e.pfn() + " t=" + e.timeNanos());
            }
            w.forEachCounter(counters::put);
        }
        return out;
    }

    @Test
    @DisplayName("policy mode: identities from the trace, pre-existing frees and failures skipped, batched frees not doubled")
    void policyMode() {
        Map<String, Long> counters = new LinkedHashMap<>();
        List<String> events = replay(TraceWorkload.Mode.POLICY, counters);
        assertThat(events).containsExactly(
                "PAGE_ALLOC h=1000 o=2 cpu=1 pfn=-1 t=60000000",
                "TICK h=ffffffffffffffff o=0 cpu=0 pfn=-1 t=100000000",
                "PAGE_FREE h=1000 o=2 cpu=1 pfn=-1 t=150000000",
                "KMALLOC h=ffff000012345600 o=0 cpu=0 pfn=-1 t=160000000",
                "CACHE_CREATE h=ffffffffffffffff o=0 cpu=0 pfn=-1 t=160002000",
                "CACHE_ALLOC h=ffff000012345700 o=0 cpu=0 pfn=-1 t=160002000",
                "CACHE_FREE h=ffff000012345700 o=0 cpu=0 pfn=-1 t=160003000",
                "KFREE h=ffff000012345600 o=0 cpu=0 pfn=-1 t=160004000",
                "PAGE_ALLOC h=2000 o=0 cpu=0 pfn=-1 t=160005000",
                "PAGE_FREE h=2000 o=0 cpu=0 pfn=-1 t=160006000",
                "PAGE_ALLOC h=2000 o=0 cpu=0 pfn=-1 t=160006000");
        assertThat(counters).containsEntry("replay.pre_existing_frees", 1L)
                .containsEntry("replay.failed_in_trace", 1L)
                .containsEntry("replay.missing_frees", 1L)
                .containsEntry("replay.not_replayed_internal_events", 2L);
    }

    @Test
    @DisplayName("exact mode names the trace PFN so the allocator places the block there")
    void exactMode_namesPfn() {
        List<String> events = replay(TraceWorkload.Mode.EXACT, new LinkedHashMap<>());
        assertThat(events.get(0)).isEqualTo("PAGE_ALLOC h=1000 o=2 cpu=1 pfn=4096 t=60000000");
    }

    @Test
    @DisplayName("the host never sees an allocation of a live handle nor a free with another order, reclaim and failures included")
    void liveBlocks_hostSeesConsistentEvents() {
        SplittableRandom r = new SplittableRandom(9);
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            long pfn = 0x1000 + 4L * r.nextInt(300); // few PFNs: many frees of live, stale and unknown blocks
            String when = String.format("a-1 [00%d] ..... 1.%06d: ", r.nextInt(4), i);
            if (r.nextInt(5) < 3) {
                t.append(when).append(String.format("mm_page_alloc: page=fffffc0000040000 pfn=0x%x order=%d migratetype=0"
                        + " gfp_flags=GFP_KERNEL", pfn, r.nextInt(3))).append('\n');
            } else {
                t.append(when).append(String.format("mm_page_free: page=fffffc0000040000 pfn=0x%x order=0", pfn)).append('\n');
            }
        }
        Map<String, Long> own = new LinkedHashMap<>();
        List<String> a = hostRun(t.toString(), own);
        assertThat(a).hasSizeGreaterThan(3000);
        assertThat(a).anyMatch(x -> x.startsWith("reclaimed")).anyMatch(x -> x.startsWith("unknown free"))
                .anyMatch(x -> x.startsWith("failed"));
        assertThat(own.get("replay.missing_frees")).isPositive();
        assertThat(own.get("replay.pre_existing_frees")).isPositive();
    }

    /**
     * Replays {@code text} through a host that does what the event loop does with page events (a handle map;
     * every 7th allocation fails, every 5th live block is reclaimed after the next event); returns what the host
     * saw, its own outcome included.
     */
    private static List<String> hostRun(String text, Map<String, Long> counters) {
        TraceReader reader = TraceFormat.text(new BufferedReader(new StringReader(text)), "t.txt",
                KernelVersion.parse("6.1"), false);
        Map<Long, Integer> live = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        try (TraceWorkload w = new TraceWorkload(reader, TraceWorkload.Mode.POLICY, 4, 10, 0, false)) {
            Event e = new Event();
            int allocs = 0;
            long reclaimNext = -1;
            while (w.next(e)) {
                if (e.type() == EventType.PAGE_ALLOC) {
                    if (++allocs % 7 == 0) {
                        out.add("failed " + e.handle());
                        w.allocationFailed(e.handle());
                    } else {
                        assertThat(live.put(e.handle(), e.order())).isNull();
                        out.add("alloc " + e.handle() + " " + e.order());
                        if (allocs % 5 == 0) {
                            reclaimNext = e.handle();
                            continue;
                        }
                    }
                } else if (e.type() == EventType.PAGE_FREE) {
                    Integer o = live.remove(e.handle());
                    out.add((o == null ? "unknown free " : "free ") + e.handle() + " " + e.order());
                    if (o != null) {
                        assertThat(e.order()).isEqualTo(o);
                    }
                }
                if (reclaimNext >= 0 && live.containsKey(reclaimNext)) {
                    int o = live.remove(reclaimNext);
                    out.add("reclaimed " + reclaimNext);
                    w.reclaimed(reclaimNext, false);
                }
                reclaimNext = -1;
            }
            w.forEachCounter(counters::put);
        }
        return out;
    }

    @Test
    @DisplayName("a block the host reclaimed is still live in the trace: its PFN allocated again is first freed (a missing free), with its order")
    void reclaimedBlock_allocatedAgain_isFreedFirst() {
        String text = "a-1 [000] ..... 1.000001: mm_page_alloc: page=fffffc0000040000 pfn=0x2000 order=2 migratetype=0 gfp_flags=GFP_KERNEL\n"
                + "a-1 [000] ..... 1.000002: mm_page_alloc: page=fffffc0000040000 pfn=0x2000 order=1 migratetype=0 gfp_flags=GFP_KERNEL\n"
                + "a-1 [000] ..... 1.000003: mm_page_free: page=fffffc0000040000 pfn=0x2000 order=1\n"
                + "a-1 [000] ..... 1.000004: mm_page_free: page=fffffc0000040000 pfn=0x2000 order=1\n";
        TraceReader reader = TraceFormat.text(new BufferedReader(new StringReader(text)), "t.txt", KernelVersion.parse("6.1"), false);
        List<String> seen = new ArrayList<>();
        Map<String, Long> counters = new LinkedHashMap<>();
        try (TraceWorkload w = new TraceWorkload(reader, TraceWorkload.Mode.POLICY, 4, 10, 0, false)) {
            Event e = new Event();
            while (w.next(e)) {
                seen.add(e.type() + " " + Long.toHexString(e.handle()) + " o=" + e.order());
                if (seen.size() == 1) {
                    w.reclaimed(e.handle(), false); // the host reclaimed the first block
                }
            }
            w.forEachCounter(counters::put);
        }
        assertThat(seen).containsExactly("PAGE_ALLOC 2000 o=2", "PAGE_FREE 2000 o=2", "PAGE_ALLOC 2000 o=1", "PAGE_FREE 2000 o=1");
        assertThat(counters).containsEntry("replay.missing_frees", 1L).containsEntry("replay.pre_existing_frees", 1L);
    }
}
