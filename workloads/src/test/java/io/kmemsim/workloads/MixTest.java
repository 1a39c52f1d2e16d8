package io.kmemsim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MixTest {

    private static MixOptions options(Object... changes) {
        return Options.with(Options.with(new MixOptions(), "events", 200_000L), changes);
    }

    @Test
    @DisplayName("parts get events in proportion to their weights")
    void parts_interleavedByWeight() {
        MixOptions o = options("weights", "churn:1,slab-churn:3");
        HostSimulator h = new HostSimulator(0, Long.MAX_VALUE, 10, 4).run(new MixProvider().create(o, TestContext.seeded(1)), 1000, 1000);
        long page = h.count(EventType.PAGE_ALLOC) + h.count(EventType.PAGE_FREE);
        long slab = h.count(EventType.KMALLOC) + h.count(EventType.KFREE) + h.count(EventType.CACHE_ALLOC)
                + h.count(EventType.CACHE_FREE) + h.count(EventType.CACHE_CREATE);
        assertThat(page / (double) (page + slab)).isCloseTo(0.25, within(0.01));
    }

    @Test
    @DisplayName("the default mix runs 3 million events of every kind: pages, THPs, kmalloc, cache objects, ticks, arch events")
    void defaultMix_producesEveryKind() {
        Workload w = new MixProvider().create(new MixOptions(), TestContext.seeded(2).withMemory(8L << 30));
        Event e = new Event();
        Map<EventType, Long> types = new EnumMap<>(EventType.class);
        long thps = 0;
        long n = 0;
        while (w.next(e)) {
            n++;
            types.merge(e.type(), 1L, Long::sum);
            if (e.type() == EventType.PAGE_ALLOC && e.order() == 9 && e.gfp() == 0x1c20ca) {
                thps++;
            }
        }
        assertThat(n).isEqualTo(3_000_000).isEqualTo(w.expectedEvents());
        assertThat(types.get(EventType.TICK)).isEqualTo(3000);
        assertThat(types.keySet()).contains(EventType.PAGE_ALLOC, EventType.PAGE_FREE, EventType.KMALLOC,
                EventType.KFREE, EventType.CACHE_CREATE, EventType.CACHE_ALLOC, EventType.CACHE_FREE,
                EventType.PAGE_FAULT, EventType.MUNMAP, EventType.EXEC_MAP, EventType.DMA_MAP, EventType.DMA_UNMAP);
        assertThat(thps).isGreaterThan(300);
    }

    @Test
    @DisplayName("a part with weight 0 is not created, so a kernel without THP can run a mix without thp")
    void zeroWeight_leavesPartOut() {
        KernelConfig noThp = new KernelConfig(PageSize.SIZE_4K, true, true, false, true, true, false);
        TestContext ctx = TestContext.seeded(3).withConfig(noThp);
        assertThatThrownBy(() -> new MixProvider().create(options(), ctx))
                .hasMessageContaining("needs CONFIG_TRANSPARENT_HUGEPAGE").hasMessageContaining("give thp weight 0");
        Workload w = new MixProvider().create(options("weights", "churn:1,fragmenter:1,thp:0,slab-churn:1"), ctx);
        HostSimulator h = new HostSimulator(0, Long.MAX_VALUE, 10, 4).run(w, 1000, 1000);
        assertThat(h.gfpCounts).doesNotContainKey(0x1c20ca);
        assertThat(h.count(EventType.PAGE_ALLOC)).isPositive();
    }

    @Test
    @DisplayName("errors in a part's options name the part")
    void partErrors_nameThePart() {
        MixOptions o = options("churn", Options.with(new MixOptions().churn(), "meanLifetime", -3L, "lifetime", "geometric"));
        assertThatThrownBy(() -> new MixProvider().create(o, TestContext.seeded(4)))
                .hasMessage("mix option churn.mean-lifetime must be > 0: -3");
        assertThatThrownBy(() -> new MixProvider().create(options("weights", "churn:1,swap:1"), TestContext.seeded(4)))
                .hasMessage("mix option weights: part must be one of churn, fragmenter, thp, slab-churn, page-cache: swap in \"churn:1,swap:1\"");
    }

    @Test
    void pageCachePart_hasItsOwnHandles_andReceivesEvictions() {
        MixOptions o = options("weights", "churn:50,page-cache:50");
        Workload w = new MixProvider().create(o, TestContext.seeded(4).withMemory(8L << 30));
        Event e = new Event();
        long fileHandle = -1;
        long churnHandle = -1;
        for (int i = 0; i < 20_000 && (fileHandle < 0 || churnHandle < 0); i++) {
            w.next(e);
            if (e.type() == EventType.PAGE_ALLOC && (e.flags() & Event.PAGE_FILE) != 0 && fileHandle < 0) {
                fileHandle = e.handle();
            } else if (e.type() == EventType.PAGE_ALLOC && e.flags() == 0 && churnHandle < 0) {
                churnHandle = e.handle();
            }
        }
        assertThat(fileHandle).isNotNegative();
        assertThat(churnHandle).isNotNegative();
        assertThat(fileHandle >>> 56).as("the page-cache part has a tag of its own").isNotEqualTo(churnHandle >>> 56);
        w.evicted(fileHandle, 3);
        long churn = churnHandle;
        assertThatThrownBy(() -> w.reclaimed(churn, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a page cache or anonymous page");
        java.util.Map<String, Long> c = new java.util.HashMap<>();
        w.forEachCounter(c::put);
        assertThat(c).containsEntry("workload.pagecache_reclaimed", 1L);
    }
}
