package io.kmemsim.slab;


import io.kmemsim.api.arch.VirtualLayout;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.testkit.support.RecordingPageAllocator;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SLAB behaviour worked by hand from mm/slab.c: enable_cpucache(), ____cache_alloc(), ___cache_free(), cache_reap() (6.1); mm/slab_common.c: cache_show() (6.1) (x86-64 kmalloc classes,
 * 4K pages): array-cache refill in batches, flushing to the shared array or the slabs, reaping,
 * colouring, off-slab arrays, slabinfo rows.
 */
class SlabObjectCacheTest {

    private static final int K = Gfp.GFP_KERNEL;
    private static final long SEC = 1_000_000_000L;

    private RecordingPageAllocator pages;

    private SlabObjectCache slab(String kernel, int cpus, SlabOptions options) {
        pages = new RecordingPageAllocator(1 << 14, 0x80000);
        return (SlabObjectCache) new SlabProvider().create(options, TestProviderContext.forObjectCache(kernel, cpus, pages));
    }

    private SlabObjectCache x86(int cpus) {
        return slab("6.1", cpus, new SlabOptions().withArch("x86_64"));
    }

    /** The mm/slab_common.c: cache_show(), print_slabinfo_header() (6.1) row format. */
    static String row(CacheInfo r) {
        return String.format("%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d", r.name(),
                r.activeObjs(), r.numObjs(), r.objSize(), r.objPerSlab(), r.pagesPerSlab(), r.limit(), r.batchCount(),
                r.sharedFactor(), r.activeSlabs(), r.numSlabs(), r.sharedAvail());
    }

    private static CacheInfo find(ObjectCache s, String name) {
        return s.slabinfo().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, Long> counters(ObjectCache s) {
        Map<String, Long> m = new HashMap<>();
        s.forEachCounter(m::put);
        return m;
    }

    private static List<Long> kmallocs(SlabObjectCache s, int n, long size, int cpu) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.kmalloc(size, K, cpu));
            s.checkInvariants();
        }
        return out;
    }

    /**
     * First kmalloc(20): a miss; the untouched array refills at most 16 (BATCHREFILL_LIMIT) from a new
     * slab; the top entry (object 15) is returned; 108 objects stay free in the slab.
     */
    @Test
    void firstAlloc_growsASlabAndRefillsSixteen() {
        SlabObjectCache s = x86(4);
        long a = s.kmalloc(20, K, 0);
        s.checkInvariants();
        SlabCache c = s.kmallocCache("kmalloc-32");
        assertThat(a).isEqualTo(VirtualLayout.X86_64.pageOffset() + (0x80000L << 12) + 15 * 32);
        assertThat(c.cpuAvail[0]).isEqualTo(15);
        assertThat(row(find(s, "kmalloc-32")))
                .isEqualTo("kmalloc-32            16    124     32  124    1 : tunables  120   60    8 : slabdata      1      1      0");
        assertThat(counters(s)).containsEntry("slab.kmalloc-32.allocmiss", 1L).containsEntry("slab.kmalloc-32.grown", 1L)
                .containsEntry("slab.kmalloc-32.listallocs", 16L);
    }

    /** After 16 hits the touched array refills a whole batch of 60 from the partial slab: 76 active, 48 free. */
    @Test
    void touchedArray_refillsAWholeBatchFromThePartialSlab() {
        SlabObjectCache s = x86(4);
        kmallocs(s, 17, 32, 0);
        SlabCache c = s.kmallocCache("kmalloc-32");
        assertThat(c.cpuAvail[0]).isEqualTo(59);
        assertThat(c.freeObjects).isEqualTo(48);
        assertThat(counters(s)).containsEntry("slab.kmalloc-32.allochit", 15L).containsEntry("slab.kmalloc-32.allocmiss", 2L);
    }

    /**
     * 121 objects allocated on CPU 0 (16 + 60 + 48 from one slab, which is then full) and freed on CPU 1:
     * 120 frees fit the array, the 121st flushes the 60 oldest to the shared array (room 8 × 60).
     */
    @Test
    void freeMiss_flushesTheOldestBatchToTheSharedArray() {
        SlabObjectCache s = x86(4);
        List<Long> objs = kmallocs(s, 121, 32, 0);
        for (long a : objs) {
            s.kfree(a, 1);
            s.checkInvariants();
        }
        SlabCache c = s.kmallocCache("kmalloc-32");
        assertThat(c.cpuAvail[1]).isEqualTo(61);
        assertThat(c.sharedEntries[0]).isEqualTo(objs.get(0));
        assertThat(row(find(s, "kmalloc-32")))
                .isEqualTo("kmalloc-32           124    124     32  124    1 : tunables  120   60    8 : slabdata      1      1     60");
        assertThat(counters(s)).containsEntry("slab.kmalloc-32.freehit", 120L).containsEntry("slab.kmalloc-32.freemiss", 1L);
    }

    /** A refill on another CPU takes from the top of the shared array before touching the slabs. */
    @Test
    void refill_takesFromTheTopOfTheSharedArray() {
        SlabObjectCache s = x86(4);
        List<Long> objs = kmallocs(s, 121, 32, 0);
        for (long a : objs) {
            s.kfree(a, 1);
        }
        long a = s.kmalloc(32, K, 2);
        s.checkInvariants();
        SlabCache c = s.kmallocCache("kmalloc-32");
        assertThat(c.sharedAvail).isEqualTo(44);
        assertThat(a).isEqualTo(objs.get(59));
        assertThat(c.sharedTouched).isTrue();
    }

    /**
     * One CPU, no shared array, free_limit 2 × 60 + 124 = 244: freeing 121 objects flushes the 60 oldest
     * entries (3 cached + 57 freed) back to the slab, which becomes partial with 64 active.
     */
    @Test
    void freeMiss_withoutSharedArrayReturnsTheBatchToTheSlabs() {
        SlabObjectCache s = x86(1);
        List<Long> objs = kmallocs(s, 121, 32, 0);
        for (long a : objs) {
            s.kfree(a, 0);
            s.checkInvariants();
        }
        assertThat(row(find(s, "kmalloc-32")))
                .isEqualTo("kmalloc-32            64    124     32  124    1 : tunables  120   60    0 : slabdata      1      1      0");
        s.shrink(s.kmallocCache("kmalloc-32"));
        s.checkInvariants();
        assertThat(row(find(s, "kmalloc-32")))
                .isEqualTo("kmalloc-32             0      0     32  124    1 : tunables  120   60    0 : slabdata      0      0      0");
        assertThat(pages.allocatedPages()).isZero();
    }

    /**
     * Reaping the state above (64 cached on CPU 0, touched): 1 s clears touched; 3 s and 5 s give back
     * (120 + 4) / 5 = 24 each; 7, 9, 11, 13, 15 s give back half of what is left (8, 4, 2, 1, 1). Node work
     * at 5, 9, 13, 17 s (cache index 0: first at 4 s): 5 s clears free_touched; at 17 s the empty slab is
     * destroyed (ceil(244 / 620) = 1 slab).
     */
    @Test
    void tick_reapsArrayCachesThenFreeSlabs() {
        SlabObjectCache s = x86(1);
        for (long a : kmallocs(s, 121, 32, 0)) {
            s.kfree(a, 0);
        }
        SlabCache c = s.kmallocCache("kmalloc-32");
        int[] expected = {64, 40, 16, 8, 4, 2, 1, 0, 0};
        for (int k = 0; k < expected.length; k++) {
            s.tick((1 + 2L * k) * SEC);
            s.checkInvariants();
            assertThat(c.cpuAvail[0]).as("avail after the reap at %d s", 1 + 2 * k).isEqualTo(expected[k]);
            assertThat(c.totalSlabs).as("slabs after the reap at %d s", 1 + 2 * k).isEqualTo(k < 8 ? 1 : 0);
        }
        assertThat(counters(s)).containsEntry("slab.kmalloc-32.reaped", 1L);
        assertThat(pages.allocatedPages()).isZero();
    }

    /** A 700-byte cache has 7 colours of 64 bytes: slabs start at offsets 64, 128, …, 384, 0, 64. */
    @Test
    void grow_cyclesThroughTheColours() {
        SlabObjectCache s = x86(1);
        int id = s.createCache(new CacheSpec("plain700", 700, 0, 0, false));
        for (int i = 0; i < 8 * 11; i++) {
            s.alloc(id, K, 0);
        }
        s.checkInvariants();
        int[] offsets = new int[8];
        int n = 0;
        for (int slabId = 0; slabId < s.slabs.highWater(); slabId++) {
            if (s.slabs.cache[slabId] == s.cache(id).index) {
                offsets[n++] = s.slabs.colourOff[slabId];
            }
        }
        assertThat(n).isEqualTo(8);
        assertThat(offsets).containsExactly(64, 128, 192, 256, 320, 384, 0, 64);
        assertThat(row(find(s, "plain700")))
                .isEqualTo("plain700              88     88    704   11    2 : tunables   54   27    0 : slabdata      8      8      0");
    }

    /** An off-slab cache kmallocs its 8-byte free-index array from kmalloc-32 and gives it back with the slab. */
    @Test
    void offSlabCache_keepsItsArrayInKmalloc() {
        SlabObjectCache s = x86(1);
        int id = s.createCache(new CacheSpec("ctor512", 512, 0, 0, true));
        long a = s.alloc(id, K, 0);
        s.checkInvariants();
        assertThat(s.kmallocCache("kmalloc-32").allocated).isEqualTo(1);
        s.free(id, a, 0);
        s.destroyCache(id);
        s.checkInvariants();
        assertThat(s.kmallocCache("kmalloc-32").allocated).isZero();
    }

    @Test
    void kmalloc_smallRequestsUseKmalloc32AndKsizeIsObjectSize() {
        SlabObjectCache s = x86(2);
        long a = s.kmalloc(1, K, 0);
        long b = s.kmalloc(72, K, 0);
        assertThat(s.ksize(a)).isEqualTo(32);
        assertThat(s.ksize(b)).isEqualTo(96);
        assertThat(find(s, "kmalloc-96").objSize()).isEqualTo(128);
        assertThat(s.kmalloc(0, K, 0)).isEqualTo(16L);
    }

    /** 6.1: above 8 KiB straight from the page allocator; 5.10: kmalloc-16k … kmalloc-4M, nothing larger. */
    @Test
    void largeKmalloc_byVersion() {
        SlabObjectCache s61 = x86(2);
        long big = s61.kmalloc(10000, K, 0);
        assertThat(s61.ksize(big)).isEqualTo(16384);
        assertThat(pages.requests().get(pages.requests().size() - 1).gfp() & Gfp.COMP).isNotZero();
        s61.kfree(big, 0);
        s61.checkInvariants();
        assertThat(s61.slabinfo()).extracting(CacheInfo::name).doesNotContain("kmalloc-16k");

        SlabObjectCache s510 = slab("5.10", 2, new SlabOptions().withArch("x86_64"));
        List<String> names = s510.slabinfo().stream().map(CacheInfo::name).toList();
        assertThat(names).contains("kmalloc-16k", "kmalloc-4M", "kmalloc-rcl-4M").doesNotContain("kmalloc-16");
        assertThat(row(find(s510, "kmalloc-4M")))
                .isEqualTo("kmalloc-4M             0      0 4194304    1 1024 : tunables    1    1    0 : slabdata      0      0      0");
        long c = s510.kmalloc(10000, K, 0);
        assertThat(s510.ksize(c)).isEqualTo(16384);
        assertThat(s510.kmalloc(5L << 20, K, 0)).isEqualTo(ObjectCache.NO_OBJECT);
    }

    /** arm64 up to 6.4: kmalloc-128 is the smallest cache; rows end with it, newest cache first. */
    @Test
    void slabinfo_orderNewestFirstKmallocLast() {
        SlabObjectCache s = slab("6.1", 4, new SlabOptions());
        s.createCache(new CacheSpec("older", 300, 0, 0, true));
        s.createCache(new CacheSpec("newer", 400, 0, 0, true));
        List<String> names = s.slabinfo().stream().map(CacheInfo::name).toList();
        assertThat(names.subList(0, 3)).containsExactly("newer", "older", "dma-kmalloc-8k");
        assertThat(names.get(names.size() - 1)).isEqualTo("kmalloc-128");
        assertThat(names).hasSize(2 + 28);
        assertThat(row(find(s, "kmalloc-128")))
                .isEqualTo("kmalloc-128            0      0    128   32    1 : tunables  120   60    8 : slabdata      0      0      0");
    }

    /** Mergeable caches alias the oldest compatible one; SLAB drops its debug flags first. */
    @Test
    void createCache_mergesCompatibleCaches() {
        SlabObjectCache s = x86(2);
        int a = s.createCache(new CacheSpec("first", 200, 0, 0, false));
        int b = s.createCache(new CacheSpec("second", 196, 0, io.kmemsim.api.slab.SlabFlags.POISON, false));
        int c = s.createCache(new CacheSpec("third", 200, 0, io.kmemsim.api.slab.SlabFlags.RECLAIM_ACCOUNT, false));
        assertThat(s.cache(b)).isSameAs(s.cache(a));
        assertThat(s.cache(c)).isNotSameAs(s.cache(a));
        assertThat(s.slabinfo()).extracting(CacheInfo::name).contains("first", "third").doesNotContain("second");
    }

    @Test
    void misuse_isReportedWithTheAddress() {
        SlabObjectCache s = x86(1);
        long a = s.kmalloc(64, K, 0);
        s.kfree(a, 0);
        assertThatThrownBy(() -> s.kfree(a, 0)).hasMessageContaining("double free").hasMessageContaining(Long.toHexString(a));
        assertThatThrownBy(() -> s.kfree(a + 8, 0)).hasMessageContaining("not an object start");
        assertThatThrownBy(() -> s.alloc(99, K, 0)).hasMessageContaining("unknown cache id: 99");
        assertThatThrownBy(() -> s.kmalloc(8, K, 1)).hasMessageContaining("cpu must be in [0, 0]: 1");
    }

    @Test
    void provider_refusesKernelsWithoutSlab() {
        RecordingPageAllocator p = new RecordingPageAllocator(64, 0);
        assertThatThrownBy(() -> new SlabProvider().create(new SlabOptions(), TestProviderContext.forObjectCache("6.12", 1, p)))
                .hasMessageContaining("SLAB was removed in Linux 6.8").hasMessageContaining("slub");
        assertThatThrownBy(() -> new SlabProvider().create(new SlabOptions(), TestProviderContext.forObjectCache("6.6", 1, p)))
                .hasMessageContaining("supported kernel profiles: 5.10, 6.1");
        assertThatThrownBy(() -> new SlabProvider().create(new SlabOptions("arm64", true, true, 11, true, 64),
                TestProviderContext.forObjectCache("6.1", 1, p))).hasMessageContaining("slab-max-order must be in [0, 10]: 11");
    }

    /** Slab pages: one attempt at the cache order, node-exact on NUMA kernels (mm/slub.c: alloc_slab_page() (6.1); mm/slab.c: kmem_getpages() (6.1)), with __GFP_COMP. */
    @Test
    void grow_asksThePageAllocatorNodeExact() {
        SlabObjectCache s = x86(1);
        s.kmalloc(64, K, 0);
        RecordingPageAllocator.Request r = pages.requests().get(0);
        assertThat(r.order()).isZero();
        assertThat(r.gfp()).isEqualTo(Gfp.IO | Gfp.FS | Gfp.THISNODE | Gfp.NOWARN | Gfp.COMP);
        pages.exhausted(true);
        for (int i = 1; i < 64; i++) {
            assertThat(s.kmalloc(64, K, 0)).isNotEqualTo(ObjectCache.NO_OBJECT);
        }
        assertThat(s.kmalloc(64, K, 0)).isEqualTo(ObjectCache.NO_OBJECT);
        s.checkInvariants();
    }
}
