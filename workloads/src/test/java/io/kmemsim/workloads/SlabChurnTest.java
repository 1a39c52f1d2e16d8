package io.kmemsim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlabChurnTest {

    private static SlabChurnOptions options(Object... changes) {
        return Options.with(Options.with(new SlabChurnOptions(), "events", 200_000L), changes);
    }

    private static HostSimulator run(SlabChurnOptions o, TestContext ctx) {
        Workload w = new SlabChurnProvider().create(o, ctx);
        return new HostSimulator(0, Long.MAX_VALUE, 10, ctx.cpus()).run(w, o.tickEvery(), o.nsPerEvent());
    }

    @Test
    @DisplayName("creates its caches first, with the 6.1 SLAB_* values (include/linux/slab.h: SLAB_HWCACHE_ALIGN (6.1)) and the ctor bit")
    void caches_createdFirstWithFlags() {
        Workload w = new SlabChurnProvider().create(options(), TestContext.seeded(1));
        Event e = new Event();
        String[] names = {"dentry", "inode_cache", "filp", "task_struct"};
        // RECLAIM_ACCOUNT 0x20000 | PANIC 0x40000 | MEM_SPREAD 0x100000 | ACCOUNT 0x4000000 = 0x4160000;
        // HWCACHE_ALIGN 0x2000 | PANIC | ACCOUNT = 0x4042000; PANIC | ACCOUNT = 0x4040000.
        long[] flags = {0x4160000L, 0x4160000L | Event.FLAG_CTOR, 0x4042000L, 0x4040000L};
        long[] sizes = {192, 600, 232, 4416};
        for (int i = 0; i < 4; i++) {
            assertThat(w.next(e)).isTrue();
            assertThat(e.type()).isEqualTo(EventType.CACHE_CREATE);
            assertThat(e.name()).isEqualTo(names[i]);
            assertThat(e.flags()).as(names[i]).isEqualTo(flags[i]);
            assertThat(e.size()).isEqualTo(sizes[i]);
        }
        assertThat(w.next(e)).isTrue();
        assertThat(e.type()).isIn(EventType.KMALLOC, EventType.CACHE_ALLOC);
    }

    @Test
    @DisplayName("kmalloc sizes follow kmalloc-sizes, and kmalloc-share splits kmalloc from cache allocations")
    void sizesAndShares_followOptions() {
        HostSimulator h = run(options("kmallocSizes", "32:1,100:3,20000:1", "kmallocShare", 0.4), TestContext.seeded(2));
        long kmallocs = h.count(EventType.KMALLOC);
        long cacheAllocs = h.count(EventType.CACHE_ALLOC);
        assertThat(kmallocs / (double) (kmallocs + cacheAllocs)).isCloseTo(0.4, within(0.01));
        assertThat(h.kmallocSizes.keySet()).containsExactlyInAnyOrder(32L, 100L, 20000L);
        assertThat(h.kmallocSizes.get(100L) / (double) kmallocs).isCloseTo(0.6, within(0.01));
        // cache weights 40:10:45:5 of the 60 % that are cache allocations
        assertThat(h.cacheAllocs.get(0L) / (double) cacheAllocs).isCloseTo(0.40, within(0.01));
        assertThat(h.cacheAllocs.get(3L) / (double) cacheAllocs).isCloseTo(0.05, within(0.005));
        assertThat(h.gfpShare(0xa20)).isCloseTo(0.05, within(0.005));
        assertThat(h.gfpShare(0xcc0)).isCloseTo(0.95, within(0.005));
    }

    @Test
    @DisplayName("objects live about their kind's mean lifetime: live counts settle at rate x lifetime")
    void liveCounts_followLifetimes() {
        HostSimulator h = run(options("kmallocShare", 1.0, "kmallocMeanLifetime", 1000L), TestContext.seeded(3));
        assertThat(h.liveKmalloc.size()).isBetween(400, 600);
        assertThat(h.count(EventType.CACHE_ALLOC)).isZero();
    }

    @Test
    @DisplayName("bad options are refused naming the option and the value")
    void badOptions_refused() {
        SlabChurnProvider p = new SlabChurnProvider();
        TestContext ctx = TestContext.seeded(4);
        assertThatThrownBy(() -> p.create(options("kmallocSizes", "8:1,5000000:1"), ctx))
                .hasMessage("slab-churn option kmalloc-sizes: size must be in [1, 4194304] (KMALLOC_MAX_SIZE): 5000000 in \"8:1,5000000:1\"");
        assertThatThrownBy(() -> p.create(options("caches", List.of(new SlabChurnOptions.Cache("a", 64, 3, "", false, 1, 10))), ctx))
                .hasMessage("slab-churn option caches[0].align must be 0 or a power of two: 3");
        assertThatThrownBy(() -> p.create(options("caches", List.of(new SlabChurnOptions.Cache("a", 64, 0, "PANIC|SHINY", false, 1, 10))), ctx))
                .hasMessageStartingWith("slab-churn option caches[0].flags: unknown slab flag \"SHINY\"");
        assertThatThrownBy(() -> p.create(options("caches", List.of(
                new SlabChurnOptions.Cache("a", 64, 0, "", false, 1, 10), new SlabChurnOptions.Cache("a", 32, 0, "", false, 1, 10))), ctx))
                .hasMessage("slab-churn option caches[1].name must be non-empty, without spaces and unique: \"a\"");
        assertThatThrownBy(() -> p.create(options("caches", List.of(new SlabChurnOptions.Cache("a", 0, 0, "", false, 1, 10))), ctx))
                .hasMessage("slab-churn option caches[0].size must be in [1, 4194304]: 0");
        assertThatThrownBy(() -> p.create(options("caches", List.of()), ctx))
                .hasMessage("slab-churn option kmalloc-share must be 1 when no cache has a weight > 0: 0.6");
    }

    @Test
    @DisplayName("the superblock shrinker: counts live dentry and inode objects, frees the oldest in proportion, stops without __GFP_FS")
    void shrinker_freesTheLeastRecentlyAllocatedReclaimableObjects() {
        Workload w = new SlabChurnProvider().create(options("events", 5_000L), TestContext.seeded(3));
        java.util.List<long[]> freedByShrinker = new java.util.ArrayList<>();
        java.util.List<io.kmemsim.api.reclaim.Shrinker> shrinkers = w.shrinkers((cache, handle) -> {
            freedByShrinker.add(new long[] {cache, handle});
            return true;
        });
        assertThat(shrinkers).hasSize(1);
        io.kmemsim.api.reclaim.Shrinker s = shrinkers.get(0);
        assertThat(s.countObjects()).isEqualTo(io.kmemsim.api.reclaim.Shrinker.SHRINK_EMPTY);
        // caches 0 dentry and 1 inode_cache are RECLAIM_ACCOUNT; filp (2) and task_struct (3) are not
        java.util.Map<Long, java.util.List<Long>> liveInOrder = new java.util.HashMap<>();
        Event e = new Event();
        for (int i = 0; i < 3_000; i++) {
            w.next(e);
            if (e.type() == EventType.CACHE_ALLOC) {
                liveInOrder.computeIfAbsent(e.cacheHandle(), k -> new java.util.ArrayList<>()).add(e.handle());
            } else if (e.type() == EventType.CACHE_FREE) {
                liveInOrder.get(e.cacheHandle()).remove(e.handle());
            }
        }
        long dentries = liveInOrder.get(0L).size();
        long inodes = liveInOrder.get(1L).size();
        assertThat(s.countObjects()).isEqualTo(dentries + inodes);
        assertThat(s.scanObjects(128, io.kmemsim.api.kernel.Gfp.GFP_NOFS)).isEqualTo(io.kmemsim.api.reclaim.Shrinker.SHRINK_STOP);
        // super_cache_scan: total = dentries + inodes + 1; each gets mult_frac(128, n, total) + 1
        long total = dentries + inodes + 1;
        long wantD = SlabChurnGenerator.multFrac(128, dentries, total) + 1;
        long wantI = SlabChurnGenerator.multFrac(128, inodes, total) + 1;
        assertThat(s.scanObjects(128, io.kmemsim.api.kernel.Gfp.GFP_KERNEL)).isEqualTo(wantD + wantI);
        assertThat(freedByShrinker).hasSize((int) (wantD + wantI));
        for (int i = 0; i < wantD; i++) {
            assertThat(freedByShrinker.get(i)).containsExactly(0L, liveInOrder.get(0L).get(i));
        }
        for (int i = 0; i < wantI; i++) {
            assertThat(freedByShrinker.get((int) wantD + i)).containsExactly(1L, liveInOrder.get(1L).get(i));
        }
        assertThat(s.countObjects()).isEqualTo(dentries + inodes - wantD - wantI);
        java.util.Set<Long> shrunk = new java.util.HashSet<>();
        freedByShrinker.forEach(f -> shrunk.add(f[1]));
        while (w.next(e)) {
            if (e.type() == EventType.CACHE_FREE) {
                assertThat(shrunk).as("the workload never frees what the shrinker freed").doesNotContain(e.handle());
            }
        }
    }

    @Test
    void multFrac_roundsDownWithoutOverflow() {
        assertThat(SlabChurnGenerator.multFrac(128, 300, 401)).isEqualTo(95);
        assertThat(SlabChurnGenerator.multFrac(128, 100, 401)).isEqualTo(31);
        assertThat(SlabChurnGenerator.multFrac(Long.MAX_VALUE / 2, 3, 4)).isEqualTo((Long.MAX_VALUE / 2 / 4) * 3 + ((Long.MAX_VALUE / 2 % 4) * 3) / 4);
    }
}
