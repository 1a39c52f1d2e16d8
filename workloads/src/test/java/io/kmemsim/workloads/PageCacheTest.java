package io.kmemsim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The page-cache workload: what it emits for cached and uncached pages, refaults after reclaim, sync, process exit and OOM kills. */
class PageCacheTest {

    private static Workload create(PageCacheOptions o) {
        return new PageCacheProvider().create(o, TestContext.seeded(7));
    }

    /** 1 file of 1 MiB (256 pages), no hot file, no anon: a stream of reads. */
    private static PageCacheOptions streamOnly(long events, double writes, long syncEvery) {
        return new PageCacheOptions(events, 1_000_000, 1000, 1, 1, writes, 0, 0, syncEvery, 0, 0, 1, 0);
    }

    @Test
    void firstPass_allocatesPageCache_secondPass_accessesIt_reclaimedPagesRefault() {
        Workload w = create(streamOnly(600, 0, 0));
        Event e = new Event();
        Set<Long> live = new HashSet<>();
        int allocs = 0;
        int accesses = 0;
        for (int i = 0; i < 256; i++) {
            w.next(e);
            assertThat(e.type()).isEqualTo(EventType.PAGE_ALLOC);
            assertThat(e.flags() & Event.PAGE_FILE).isNotZero();
            live.add(e.handle());
            allocs++;
        }
        w.reclaimed(5, false);
        live.remove(5L);
        for (int i = 0; i < 256; i++) {
            w.next(e);
            if (e.type() == EventType.PAGE_ACCESS) {
                assertThat(live).contains(e.handle());
                accesses++;
            } else {
                assertThat(e.type()).isEqualTo(EventType.PAGE_ALLOC);
                assertThat(e.handle()).as("the reclaimed page is read again").isEqualTo(5);
                assertThat(e.flags()).isEqualTo(Event.PAGE_FILE | Event.PAGE_REFAULT);
            }
        }
        assertThat(allocs).isEqualTo(256);
        assertThat(accesses).isEqualTo(255);
        Map<String, Long> c = counters(w);
        assertThat(c).containsEntry("workload.pagecache_refaults", 1L).containsEntry("workload.pagecache_reclaimed", 1L);
    }

    @Test
    void anEvictedPage_readAgain_carriesItsShadow_aWriteDoesNot() {
        Workload w = create(streamOnly(600, 0, 0));
        Event e = new Event();
        for (int i = 0; i < 256; i++) {
            w.next(e);
        }
        w.evicted(5, 77);
        boolean seen = false;
        for (int i = 0; i < 256; i++) {
            w.next(e);
            if (e.type() == EventType.PAGE_ALLOC) {
                assertThat(e.handle()).isEqualTo(5);
                assertThat(e.flags()).isEqualTo(Event.PAGE_FILE | Event.PAGE_REFAULT | 77L << Event.SHADOW_SHIFT);
                seen = true;
            }
        }
        assertThat(seen).isTrue();
        Workload writer = create(streamOnly(600, 1.0, 0));
        for (int i = 0; i < 256; i++) {
            writer.next(e);
        }
        writer.evicted(5, 77);
        for (int i = 0; i < 256; i++) {
            writer.next(e);
            if (e.type() == EventType.PAGE_ALLOC) {
                assertThat(e.flags()).as("__GFP_WRITE: no refault").isEqualTo(Event.PAGE_FILE | Event.PAGE_DIRTY);
            }
        }
        assertThat(counters(writer)).containsEntry("workload.pagecache_refaults", 0L);
    }

    @Test
    void writesAreDirtyAllocationsOrWriteAccesses_andSyncWritesBack() {
        Workload w = create(streamOnly(1000, 1.0, 100));
        Event e = new Event();
        int writebacks = 0;
        while (w.next(e)) {
            switch (e.type()) {
                case PAGE_ALLOC -> assertThat(e.flags()).isEqualTo(Event.PAGE_FILE | Event.PAGE_DIRTY);
                case PAGE_ACCESS -> assertThat(e.flags()).isEqualTo(Event.ACCESS_WRITE);
                case WRITEBACK -> writebacks++;
                default -> { }
            }
        }
        assertThat(writebacks).isEqualTo(10);
    }

    @Test
    void processes_buildUp_exit_andAnOomKillEndsTheProcess() {
        // 1 process of 1 MiB (256 pages), every event anon work, lifetime 50 events
        Workload w = create(new PageCacheOptions(2000, 1_000_000, 1000, 1, 1, 0, 0, 0, 0, 1, 1, 50, 1.0));
        Event e = new Event();
        Map<Long, Integer> live = new HashMap<>();
        int maxLive = 0;
        boolean killed = false;
        while (w.next(e)) {
            switch (e.type()) {
                case PAGE_ALLOC -> {
                    assertThat(e.flags()).isEqualTo(Event.PAGE_ANON | (1L << Event.OWNER_SHIFT));
                    live.put(e.handle(), 1);
                }
                case PAGE_FREE -> assertThat(live.remove(e.handle())).isNotNull();
                case PAGE_ACCESS -> assertThat(live).containsKey(e.handle());
                default -> { }
            }
            maxLive = Math.max(maxLive, live.size());
            if (!killed && live.size() == 100) {
                for (long h : live.keySet()) {
                    w.reclaimed(h, true);
                }
                live.clear();
                killed = true;
            }
        }
        assertThat(killed).isTrue();
        assertThat(maxLive).isEqualTo(256);
        assertThat(counters(w).get("workload.process_exits")).isGreaterThanOrEqualTo(2);
        assertThat(counters(w)).containsEntry("workload.oom_killed_pages", 100L);
    }

    @Test
    void options_outOfRangeAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> create(new PageCacheOptions(10, 1000, 1000, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("files");
        assertThatThrownBy(() -> create(new PageCacheOptions(10, 1000, 1000, 1, 1, 1.5, 0, 0, 0, 0, 0, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("write-fraction");
    }

    private static Map<String, Long> counters(Workload w) {
        Map<String, Long> m = new HashMap<>();
        w.forEachCounter(m::put);
        return m;
    }
}
