package io.kmemsim.slub;


import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.testkit.support.RecordingPageAllocator;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviour of the SLUB paths, worked by hand from include/linux/slab.h: __kmalloc_index() (6.1); mm/slub.c: kmem_cache_open(), alloc_slab_page() (6.1). */
class SlubObjectCacheTest {

    private static final long FIRST_PFN = 0x40000;
    private static final int K = Gfp.GFP_KERNEL;

    private RecordingPageAllocator pages;

    private SlubObjectCache slub(String kernel, int cpus, SlubOptions options) {
        pages = new RecordingPageAllocator(1 << 15, FIRST_PFN);
        SlubObjectCache s = (SlubObjectCache) new SlubProvider().create(options, TestProviderContext.forObjectCache(kernel, cpus, pages));
        s.checkInvariants();
        return s;
    }

    private SlubObjectCache slub(String kernel) {
        return slub(kernel, 4, new SlubOptions());
    }

    private static Map<String, Long> counters(ObjectCache c) {
        Map<String, Long> m = new LinkedHashMap<>();
        c.forEachCounter(m::put);
        return m;
    }

    private static long stat(SlubObjectCache s, int id, SlubStat st) {
        return s.cache(id).statTotal(st);
    }

    /** A 64-byte cache: stride 64, order 0, 64 objects, min_partial 5, free pointer at 32. */
    private static CacheSpec objects64(String name) {
        return new CacheSpec(name, 64, 0, 0, false);
    }

    @Test
    void fastPath_allocThenFreeReusesTheObjectLifo() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(new CacheSpec("t", 64, 0, 0, false));
        long a = s.alloc(id, K, 0);
        long b = s.alloc(id, K, 0);
        s.free(id, b, 0);
        assertThat(s.alloc(id, K, 0)).isEqualTo(b);
        assertThat(stat(s, id, SlubStat.ALLOC_SLOWPATH)).isEqualTo(1);
        assertThat(stat(s, id, SlubStat.ALLOC_SLAB)).isEqualTo(1);
        assertThat(stat(s, id, SlubStat.ALLOC_FASTPATH)).isEqualTo(2);
        assertThat(stat(s, id, SlubStat.FREE_FASTPATH)).isEqualTo(1);
        assertThat(b - a).isEqualTo(64);
        s.checkInvariants();
    }

    @Test
    void addresses_areLinearMapOfTheSlabPagePlusOffset() {
        SlubObjectCache arm = slub("6.1");
        long a = arm.alloc(arm.createCache(objects64("t")), K, 0);
        long pfn = pages.requests().get(pages.requests().size() - 1).pfn();
        assertThat(a).isEqualTo(0xffff000000000000L + (pfn << 12));
        SlubObjectCache x86 = slub("6.1", 4, new SlubOptions().withArch("x86_64"));
        long b = x86.alloc(x86.createCache(objects64("t")), K, 0);
        pfn = pages.requests().get(pages.requests().size() - 1).pfn();
        assertThat(b).isEqualTo(0xffff888000000000L + (pfn << 12));
    }

    @Test
    void fullCpuSlab_isDroppedWithDeactivateBypass() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(objects64("t"));
        for (int i = 0; i < 65; i++) {
            s.alloc(id, K, 0);
        }
        assertThat(stat(s, id, SlubStat.DEACTIVATE_BYPASS)).isEqualTo(1);
        assertThat(stat(s, id, SlubStat.ALLOC_SLAB)).isEqualTo(2);
        assertThat(stat(s, id, SlubStat.ALLOC_SLOWPATH)).isEqualTo(2);
        assertThat(stat(s, id, SlubStat.ALLOC_FASTPATH)).isEqualTo(63);
        s.checkInvariants();
    }

    /**
     * The free fast path finds the cpu slab by address range, not through the PFN map: it must still take
     * only this CPU's current cpu slab — not a dropped one, not another CPU's — and leave misuse to the
     * general path.
     */
    @Test
    void freeFastPath_onlyForThisCpusCurrentCpuSlab() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(objects64("t"));
        long first = s.alloc(id, K, 0);
        for (int i = 1; i < 64; i++) {
            s.alloc(id, K, 0);
        }
        long second = s.alloc(id, K, 0);
        assertThat(stat(s, id, SlubStat.DEACTIVATE_BYPASS)).isEqualTo(1);
        s.free(id, first, 0);
        assertThat(stat(s, id, SlubStat.FREE_FASTPATH)).isZero();
        assertThat(stat(s, id, SlubStat.FREE_SLOWPATH)).isEqualTo(1);
        long third = s.alloc(id, K, 1);
        s.free(id, third, 0);
        assertThat(stat(s, id, SlubStat.FREE_FASTPATH)).isZero();
        assertThat(stat(s, id, SlubStat.FREE_FROZEN)).isEqualTo(1);
        assertThatThrownBy(() -> s.free(id, second + 1, 0)).hasMessageContaining("not an object start");
        s.free(id, second, 0);
        assertThat(stat(s, id, SlubStat.FREE_FASTPATH)).isEqualTo(1);
        assertThatThrownBy(() -> s.free(id, second, 0)).hasMessageContaining("double free");
        assertThat(s.alloc(id, K, 0)).isEqualTo(second);
        s.checkInvariants();
    }

    @Test
    void remoteFree_goesToTheFrozenSlabAndIsRefilled() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(objects64("t"));
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            objs.add(s.alloc(id, K, 0));
        }
        s.free(id, objs.get(5), 1);
        assertThat(stat(s, id, SlubStat.FREE_SLOWPATH)).isEqualTo(1);
        assertThat(stat(s, id, SlubStat.FREE_FROZEN)).isEqualTo(1);
        assertThat(s.alloc(id, K, 0)).isEqualTo(objs.get(5));
        assertThat(stat(s, id, SlubStat.ALLOC_REFILL)).isEqualTo(1);
        s.checkInvariants();
    }

    /** 6.1: a free into a full slab puts it on this CPU's partial list; taking it back counts the refill too. */
    @Test
    void freeIntoFullSlab_usesCpuPartialList61() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(objects64("t"));
        List<Long> first = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            first.add(s.alloc(id, K, 0));
        }
        s.alloc(id, K, 0);
        s.free(id, first.get(3), 0);
        assertThat(stat(s, id, SlubStat.CPU_PARTIAL_FREE)).isEqualTo(1);
        for (int i = 0; i < 63; i++) {
            s.alloc(id, K, 0);
        }
        assertThat(s.alloc(id, K, 0)).isEqualTo(first.get(3));
        assertThat(stat(s, id, SlubStat.CPU_PARTIAL_ALLOC)).isEqualTo(1);
        assertThat(stat(s, id, SlubStat.ALLOC_REFILL)).isEqualTo(1);
        s.checkInvariants();
    }

    /** 6.8+: a slab taken from the cpu partial list does not count ALLOC_REFILL, and is not frozen there. */
    @Test
    void cpuPartialAlloc_countsNoRefillFrom68() {
        SlubObjectCache s = slub("6.12");
        int id = s.createCache(objects64("t"));
        List<Long> first = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            first.add(s.alloc(id, K, 0));
        }
        s.alloc(id, K, 0);
        s.free(id, first.get(3), 0);
        s.free(id, first.get(4), 1);
        assertThat(stat(s, id, SlubStat.FREE_FROZEN)).isZero();
        for (int i = 0; i < 63; i++) {
            s.alloc(id, K, 0);
        }
        s.alloc(id, K, 0);
        assertThat(stat(s, id, SlubStat.CPU_PARTIAL_ALLOC)).isEqualTo(1);
        assertThat(stat(s, id, SlubStat.ALLOC_REFILL)).isZero();
        s.checkInvariants();
    }

    /**
     * cpu_partial 120 objects, 64 per slab: cpu_partial_slabs = ceil(240 / 64) = 4. The fifth full slab
     * that receives a free finds 4 slabs on the list and drains them to the node (CPU_PARTIAL_DRAIN);
     * they hold 63 in use, so they go to the node partial list (FREE_ADD_PARTIAL).
     */
    @Test
    void cpuPartialList_drainsAtCpuPartialSlabs() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(objects64("t"));
        assertThat(s.cache(id).cpuPartialSlabs).isEqualTo(4);
        List<Long> firsts = new ArrayList<>();
        for (int slab = 0; slab < 6; slab++) {
            for (int i = 0; i < 64; i++) {
                long a = s.alloc(id, K, 0);
                if (i == 0) {
                    firsts.add(a);
                }
            }
        }
        for (int slab = 0; slab < 5; slab++) {
            s.free(id, firsts.get(slab), 0);
        }
        assertThat(stat(s, id, SlubStat.CPU_PARTIAL_FREE)).isEqualTo(5);
        assertThat(stat(s, id, SlubStat.CPU_PARTIAL_DRAIN)).isEqualTo(1);
        assertThat(stat(s, id, SlubStat.FREE_ADD_PARTIAL)).isEqualTo(4);
        assertThat(s.cache(id).nrPartial).isEqualTo(4);
        s.checkInvariants();
    }

    /**
     * With node-partial slabs, a cpu that has nothing takes the first (ALLOC_FROM_PARTIAL) and moves more
     * to its cpu partial list until more than cpu_partial_slabs / 2 = 2 were moved (CPU_PARTIAL_NODE 3).
     */
    @Test
    void getPartial_movesExtraSlabsToTheCpuPartialList() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(objects64("t"));
        List<Long> firsts = new ArrayList<>();
        for (int slab = 0; slab < 6; slab++) {
            for (int i = 0; i < 64; i++) {
                long a = s.alloc(id, K, 0);
                if (i == 0) {
                    firsts.add(a);
                }
            }
        }
        for (int slab = 0; slab < 5; slab++) {
            s.free(id, firsts.get(slab), 0);
        }
        s.alloc(id, K, 2);
        assertThat(stat(s, id, SlubStat.ALLOC_FROM_PARTIAL)).isEqualTo(1);
        assertThat(stat(s, id, SlubStat.CPU_PARTIAL_NODE)).isEqualTo(3);
        assertThat(s.cache(id).nrPartial).isZero();
        s.checkInvariants();
    }

    /** 5.10 limits the cpu partial list by free objects: cpu_partial 30 for 64-byte objects. */
    @Test
    void cpuPartialList_510DrainsOnFreeObjects() {
        SlubObjectCache s = slub("5.10");
        int id = s.createCache(objects64("t"));
        assertThat(s.cache(id).cpuPartial).isEqualTo(30);
        List<List<Long>> slabs = new ArrayList<>();
        for (int slab = 0; slab < 3; slab++) {
            List<Long> objs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                objs.add(s.alloc(id, K, 0));
            }
            slabs.add(objs);
        }
        // slab 0 gets 31 frees: the first puts it on the cpu partial list with 1 free object (pobjects 1);
        // later frees land in a frozen slab. Slab 1's first free sees pobjects 1 <= 30: no drain.
        for (int i = 0; i < 31; i++) {
            s.free(id, slabs.get(0).get(i), 0);
        }
        s.free(id, slabs.get(1).get(0), 0);
        assertThat(stat(s, id, SlubStat.CPU_PARTIAL_DRAIN)).isZero();
        assertThat(stat(s, id, SlubStat.FREE_FROZEN)).isEqualTo(30);
        s.checkInvariants();
    }

    /**
     * An empty slab is freed only when the node holds at least min_partial (5) partial slabs, itself
     * included: slabs 0-3 stay (1-4 on the list), slabs 4, 5 and 6 find 5 and are freed.
     */
    @Test
    void emptySlab_isFreedOnlyPastMinPartial() {
        SlubObjectCache s = slub("6.1", 4, new SlubOptions(
                "arm64", false, false, false, true, true, 0, 3, 0, 8, 64));
        int id = s.createCache(objects64("t"));
        List<List<Long>> slabs = new ArrayList<>();
        for (int slab = 0; slab < 8; slab++) {
            List<Long> objs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                objs.add(s.alloc(id, K, 0));
            }
            slabs.add(objs);
        }
        for (int slab = 0; slab < 7; slab++) {
            for (long a : slabs.get(slab)) {
                s.free(id, a, 0);
            }
            s.checkInvariants();
        }
        assertThat(s.cache(id).nrPartial).isEqualTo(4);
        assertThat(stat(s, id, SlubStat.FREE_SLAB)).isEqualTo(3);
        assertThat(stat(s, id, SlubStat.FREE_REMOVE_PARTIAL)).isEqualTo(3);
        assertThat(stat(s, id, SlubStat.FREE_ADD_PARTIAL)).isEqualTo(7);
    }

    @Test
    void newSlab_firstTriesPreferredOrderWithoutReclaimThenFallsBack() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(objects64("big"));
        int idBig = s.createCache(new CacheSpec("big1k", 1024, 0, 0, false));
        assertThat(s.cache(idBig).ooOrder).isEqualTo(2);
        pages.failNoretryAbove(0);
        pages.requests().clear();
        long a = s.alloc(idBig, K, 0);
        assertThat(a).isNotEqualTo(ObjectCache.NO_OBJECT);
        assertThat(pages.requests()).hasSize(2);
        RecordingPageAllocator.Request first = pages.requests().get(0);
        assertThat(first.order()).isEqualTo(2);
        assertThat(first.gfp()).isEqualTo(Gfp.IO | Gfp.FS | Gfp.NOWARN | Gfp.NORETRY | Gfp.COMP | Gfp.NOMEMALLOC);
        assertThat(first.pfn()).isEqualTo(-1);
        RecordingPageAllocator.Request second = pages.requests().get(1);
        assertThat(second.order()).isZero();
        assertThat(second.gfp()).isEqualTo(K | Gfp.COMP);
        assertThat(stat(s, idBig, SlubStat.ORDER_FALLBACK)).isEqualTo(1);
        assertThat(s.slabinfo().stream().filter(r -> r.name().equals("big1k")).findFirst().orElseThrow().numObjs())
                .isEqualTo(4);
        s.checkInvariants();
        assertThat(id).isNotEqualTo(idBig);
    }

    @Test
    void newSlab_orderZeroCacheHasNoCompIn61ButAlwaysFrom66() {
        SlubObjectCache s61 = slub("6.1");
        s61.alloc(s61.createCache(objects64("t")), Gfp.GFP_KERNEL | Gfp.ZERO | Gfp.ACCOUNT, 0);
        assertThat(pages.requests().get(pages.requests().size() - 1).gfp())
                .isEqualTo(Gfp.GFP_KERNEL | Gfp.NOWARN | Gfp.NORETRY);
        SlubObjectCache s66 = slub("6.6");
        s66.alloc(s66.createCache(objects64("t")), K, 0);
        assertThat(pages.requests().get(pages.requests().size() - 1).gfp())
                .isEqualTo(Gfp.GFP_KERNEL | Gfp.NOWARN | Gfp.NORETRY | Gfp.COMP);
    }

    @Test
    void reclaimAccountCache_getsReclaimablePages() {
        SlubObjectCache s = slub("6.12");
        int id = s.createCache(new CacheSpec("dentry_like", 192, 0, SlabFlags.RECLAIM_ACCOUNT, false));
        s.alloc(id, K, 0);
        int gfp = pages.requests().get(pages.requests().size() - 1).gfp();
        assertThat(Gfp.migrateType(gfp)).isEqualTo(MigrateType.RECLAIMABLE);
        assertThat(counters(s).get("slub.nr_slab_reclaimable_B")).isEqualTo(4096L);
    }

    @Test
    void merging_reusesACompatibleCacheAsAlias() {
        SlubObjectCache s = slub("6.1");
        int a = s.createCache(new CacheSpec("first_cache", 60, 0, 0, false));
        int b = s.createCache(new CacheSpec("second_cache", 64, 0, 0, false));
        int c = s.createCache(new CacheSpec("accounted", 64, 0, SlabFlags.ACCOUNT, false));
        int d = s.createCache(new CacheSpec("smaller", 48, 0, 0, false));
        int e = s.createCache(new CacheSpec("with_ctor", 64, 0, 0, true));
        assertThat(s.cache(b)).isSameAs(s.cache(a));
        assertThat(s.aliases(a)).isEqualTo(1);
        assertThat(s.cache(c)).isNotSameAs(s.cache(a));
        assertThat(s.cache(d)).isNotSameAs(s.cache(a));
        assertThat(s.cache(e)).isNotSameAs(s.cache(a));
        List<String> names = s.slabinfo().stream().map(CacheInfo::name).toList();
        assertThat(names).contains("first_cache").doesNotContain("second_cache");
        long obj = s.alloc(b, K, 0);
        s.free(a, obj, 0);
        s.destroyCache(a);
        assertThat(s.slabinfo().stream().map(CacheInfo::name)).contains("first_cache");
        s.destroyCache(b);
        assertThat(s.slabinfo().stream().map(CacheInfo::name)).doesNotContain("first_cache");
        s.checkInvariants();
    }

    @Test
    void merging_neverIntoKmallocCachesAndOffWithNomerge() {
        SlubObjectCache s = slub("6.1", 4, new SlubOptions().withArch("x86_64"));
        int a = s.createCache(new CacheSpec("sixty_four", 64, 0, 0, false));
        assertThat(s.cache(a).name).isEqualTo("sixty_four");
        SlubObjectCache n = slub("6.1", 4, new SlubOptions("arm64", false, false, true, false, true, 0, 3, 0, 8, 64));
        int x = n.createCache(new CacheSpec("x", 64, 0, 0, false));
        int y = n.createCache(new CacheSpec("y", 64, 0, 0, false));
        assertThat(n.cache(x)).isNotSameAs(n.cache(y));
        int z = s.createCache(new CacheSpec("nomerge", 64, 0, SlabFlags.NO_MERGE, false));
        assertThat(s.cache(z).name).isEqualTo("sixty_four");
        SlubObjectCache s66 = slub("6.6");
        s66.createCache(new CacheSpec("p", 64, 0, 0, false));
        assertThat(s66.cache(s66.createCache(new CacheSpec("q", 64, 0, SlabFlags.NO_MERGE, false))).name).isEqualTo("q");
    }

    @Test
    void kmalloc_usesTheVersionsSmallestClassOnArm64() {
        SlubObjectCache s61 = slub("6.1");
        long a = s61.kmalloc(8, K, 0);
        assertThat(s61.ksize(a)).isEqualTo(128);
        assertThat(s61.kmallocCache("kmalloc-8")).isNull();
        SlubObjectCache s612 = slub("6.12");
        long b = s612.kmalloc(8, K, 0);
        assertThat(s612.ksize(b)).isEqualTo(8);
        long c = s612.kmalloc(65, K, 0);
        assertThat(s612.ksize(c)).isEqualTo(96);
        assertThat(s612.kmallocCache("kmalloc-96").allocated).isEqualTo(1);
        long d = s612.kmalloc(100, Gfp.GFP_KERNEL_ACCOUNT, 0);
        assertThat(s612.kmallocCache("kmalloc-cg-128").allocated).isEqualTo(1);
        s612.kfree(b, 0);
        s612.kfree(c, 0);
        s612.kfree(d, 0);
        s612.checkInvariants();
    }

    @Test
    void kmalloc_zeroReturnsZeroSizePtrAndKfreeOfItIsNoop() {
        SlubObjectCache s = slub("6.1");
        assertThat(s.kmalloc(0, K, 0)).isEqualTo(16);
        s.kfree(16, 0);
        s.kfree(0, 0);
        assertThat(s.ksize(16)).isZero();
    }

    @Test
    void largeKmalloc_comesStraightFromThePageAllocator() {
        SlubObjectCache s = slub("6.1");
        pages.requests().clear();
        long a = s.kmalloc(8193, K | Gfp.DMA32, 0);
        RecordingPageAllocator.Request r = pages.requests().get(0);
        assertThat(r.order()).isEqualTo(2);
        assertThat(r.gfp()).isEqualTo(K | Gfp.COMP);
        assertThat(a).isEqualTo(0xffff000000000000L + (r.pfn() << 12));
        assertThat(s.ksize(a)).isEqualTo(16384);
        assertThat(counters(s).get("slub.nr_slab_unreclaimable_B")).isEqualTo(16384L);
        s.checkInvariants();
        s.kfree(a, 0);
        assertThat(pages.allocatedPages()).isZero();
        assertThat(s.kmalloc(5L << 20, K, 0)).isEqualTo(ObjectCache.NO_OBJECT);
        s.checkInvariants();
    }

    @Test
    void ksize_followsSlabKsizeRules() {
        SlubObjectCache s = slub("6.1");
        long k = s.kmalloc(200, K, 0);
        assertThat(s.ksize(k)).isEqualTo(256);
        int rcu = s.createCache(new CacheSpec("rcu", 100, 0, SlabFlags.TYPESAFE_BY_RCU, false));
        assertThat(s.ksize(s.alloc(rcu, K, 0))).isEqualTo(104);
        int poisoned = s.createCache(new CacheSpec("poisoned", 100, 0, SlabFlags.POISON, false));
        assertThat(s.ksize(s.alloc(poisoned, K, 0))).isEqualTo(100);
        int plain = s.createCache(new CacheSpec("plain", 100, 0, 0, true));
        assertThat(s.ksize(s.alloc(plain, K, 0))).isEqualTo(112);
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12", "6.18"})
    void krealloc_keepsTheObjectWhileItFits(String kernel) {
        SlubObjectCache s = slub(kernel);
        long a = s.kmalloc(100, K, 0);
        assertThat(s.krealloc(a, 128, K, 0)).isEqualTo(a);
        long b = s.krealloc(a, 129, K, 0);
        assertThat(b).isNotEqualTo(a);
        assertThat(s.ksize(b)).isGreaterThanOrEqualTo(129);
        assertThatThrownBy(() -> s.kfree(a, 0)).hasMessageContaining("double free");
        assertThat(s.krealloc(b, 0, K, 0)).isEqualTo(16);
        assertThat(s.krealloc(0, 50, K, 0)).isNotZero();
        s.checkInvariants();
    }

    @Test
    void randomizedFreelist_isASeededPermutationFromARandomStart() {
        SlubObjectCache s = slub("6.1", 4, new SlubOptions().withRandomizeFreelist(true));
        int id = s.createCache(objects64("t"));
        Set<Long> seen = new HashSet<>();
        List<Long> order = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            long a = s.alloc(id, K, 0);
            order.add(a);
            seen.add(a);
        }
        assertThat(seen).hasSize(64);
        long base = order.stream().mapToLong(Long::longValue).min().orElseThrow();
        List<Long> ascending = new ArrayList<>(order);
        ascending.sort(null);
        assertThat(order).isNotEqualTo(ascending);
        assertThat(ascending.get(63) - base).isEqualTo(63 * 64);
        SlubObjectCache again = slub("6.1", 4, new SlubOptions().withRandomizeFreelist(true));
        int id2 = again.createCache(objects64("t"));
        List<Long> order2 = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            order2.add(again.alloc(id2, K, 0));
        }
        assertThat(order2).isEqualTo(order);
        s.checkInvariants();
    }

    @Test
    void hardenedFreelist_storesPointerXorKeyXorSwappedSlot() {
        SlubOptions hardened = new SlubOptions("arm64", false, true, true, true, true, 0, 3, 0, 8, 64);
        SlubObjectCache s = slub("6.1", 4, hardened);
        int id = s.createCache(objects64("t"));
        long a = s.alloc(id, K, 0);
        long b = s.alloc(id, K, 0);
        s.free(id, b, 0);
        s.free(id, a, 0);
        long key = s.cache(id).random;
        assertThat(key).isNotZero();
        assertThat(s.freePointerWord(a)).isEqualTo(b ^ key ^ Long.reverseBytes(a + 32));
        SlubObjectCache plain = slub("6.1");
        int p = plain.createCache(objects64("t"));
        long x = plain.alloc(p, K, 0);
        plain.free(p, x, 0);
        assertThat(plain.freePointerWord(x)).isEqualTo(x + 64);
    }

    @Test
    void misuse_isReportedWithTheRule() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(objects64("t"));
        int other = s.createCache(new CacheSpec("u", 128, 0, 0, false));
        long a = s.alloc(id, K, 0);
        assertThatThrownBy(() -> s.free(other, a, 0)).hasMessageContaining("belongs to cache t");
        assertThatThrownBy(() -> s.free(id, a + 8, 0)).hasMessageContaining("not an object start");
        assertThatThrownBy(() -> s.kfree(0xffff000000000000L, 0)).hasMessageContaining("not allocated");
        assertThatThrownBy(() -> s.alloc(id, K, 4)).hasMessage("cpu must be in [0, 3]: 4");
        s.free(id, a, 0);
        assertThatThrownBy(() -> s.free(id, a, 0)).hasMessageContaining("double free");
        s.destroyCache(id);
        assertThatThrownBy(() -> s.alloc(id, K, 0)).hasMessage("unknown cache id: " + id);
        s.checkInvariants();
    }

    @Test
    void destroy_returnsEveryPageOfTheCache() {
        SlubObjectCache s = slub("6.12");
        long before = pages.allocatedPages();
        int id = s.createCache(objects64("t"));
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            objs.add(s.alloc(id, K, i % 4));
        }
        for (int i = 0; i < objs.size(); i++) {
            s.free(id, objs.get(i), (i * 7) % 4);
        }
        s.destroyCache(id);
        assertThat(pages.allocatedPages()).isEqualTo(before);
        s.checkInvariants();
    }

    @Test
    void shrink_freesEmptySlabsAndPutsTheFullestFirst() {
        SlubObjectCache s = slub("6.1", 4, new SlubOptions("arm64", false, false, false, true, true, 0, 3, 0, 8, 64));
        int id = s.createCache(objects64("t"));
        List<List<Long>> slabs = new ArrayList<>();
        for (int slab = 0; slab < 4; slab++) {
            List<Long> objs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                objs.add(s.alloc(id, K, 0));
            }
            slabs.add(objs);
        }
        slabs.get(0).forEach(a -> s.free(id, a, 0));
        s.free(id, slabs.get(1).get(0), 0);
        s.free(id, slabs.get(1).get(1), 0);
        s.free(id, slabs.get(2).get(0), 0);
        s.shrink(id, 0);
        SlubCache c = s.cache(id);
        assertThat(c.nrPartial).isEqualTo(2);
        assertThat(stat(s, id, SlubStat.DEACTIVATE_FULL)).isEqualTo(1);
        assertThat(s.slabs.objects[c.partialHead] - s.slabs.inuse[c.partialHead]).isEqualTo(1);
        s.checkInvariants();
    }

    @Test
    void debugCache_takesTheLockedPath() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(new CacheSpec("dbg", 64, 0, SlabFlags.POISON, false));
        assertThat(s.cache(id).cpuPartial).isZero();
        long a = s.alloc(id, K, 0);
        long b = s.alloc(id, K, 0);
        s.free(id, a, 0);
        assertThat(stat(s, id, SlubStat.ALLOC_SLOWPATH)).isEqualTo(2);
        assertThat(stat(s, id, SlubStat.ALLOC_FASTPATH)).isZero();
        assertThat(stat(s, id, SlubStat.FREE_SLOWPATH)).isEqualTo(1);
        assertThat(b - a).isEqualTo(72);
        s.checkInvariants();
    }

    @Test
    void unsupportedKernel_isRefused() {
        assertThatThrownBy(() -> slub("6.4"))
                .hasMessage("slub does not support kernel 6.4; supported kernel profiles: 5.10, 6.1, 6.6, 6.12, 6.18");
        assertThatThrownBy(() -> slub("6.1", 4, new SlubOptions("arm64", false, false, true, true, true, 0, 11, 0, 8, 64)))
                .hasMessage("slub option max-order must be in [0, 10]: 11");
    }

    @Test
    void counters_haveKernelNamesTotalsFirst() {
        SlubObjectCache s = slub("6.1");
        s.kmalloc(100, K, 0);
        Map<String, Long> m = counters(s);
        List<String> keys = new ArrayList<>(m.keySet());
        assertThat(keys.subList(0, 3)).containsExactly("slub.alloc_fastpath", "slub.alloc_slowpath", "slub.free_fastpath");
        assertThat(keys.get(25)).isEqualTo("slub.cpu_partial_drain");
        assertThat(m.get("slub.alloc_slab")).isEqualTo(1);
        assertThat(m.get("slub.kmalloc-128.alloc_slowpath")).isEqualTo(1);
    }
}
