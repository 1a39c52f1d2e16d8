package io.kmemsim.api.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.slab.KmallocClasses.Arch;
import io.kmemsim.api.slab.KmallocClasses.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden kmalloc tables worked from mm/slab_common.c: kmalloc_info[], kmalloc_slab(), setup_kmalloc_cache_index_table(), kmalloc_large() (6.1). */
class KmallocClassesTest {

    private static KmallocClasses classes(String kernel, Arch arch) {
        return KmallocClasses.of(KernelVersion.parse(kernel), PageSize.SIZE_4K, 10, arch, 8, true, true);
    }

    private static List<String> names(KmallocClasses k) {
        return k.caches().stream().map(KmallocClasses.Cache::name).toList();
    }

    @Test
    void x86_61_createsThirteenCachesPerTypeInTheReferenceOrder() {
        List<String> n = names(classes("6.1", Arch.X86_64));
        assertThat(n).hasSize(52);
        assertThat(n.subList(0, 13)).containsExactly("kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64",
                "kmalloc-96", "kmalloc-128", "kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k",
                "kmalloc-4k", "kmalloc-8k");
        assertThat(n.get(13)).isEqualTo("kmalloc-cg-8");
        assertThat(n.get(26)).isEqualTo("kmalloc-rcl-8");
        assertThat(n.get(39)).isEqualTo("dma-kmalloc-8");
    }

    @Test
    void arm64Before65_startsAt128AndHasNo96Or192() {
        KmallocClasses k = classes("6.1", Arch.ARM64);
        assertThat(k.minSize()).isEqualTo(128);
        assertThat(k.shiftLow()).isEqualTo(7);
        assertThat(names(k).subList(0, 7)).containsExactly("kmalloc-128", "kmalloc-256", "kmalloc-512",
                "kmalloc-1k", "kmalloc-2k", "kmalloc-4k", "kmalloc-8k");
        assertThat(k.cacheName(1, Gfp.GFP_KERNEL)).isEqualTo("kmalloc-128");
        assertThat(k.cacheName(96, Gfp.GFP_KERNEL)).isEqualTo("kmalloc-128");
        assertThat(k.cacheName(128, Gfp.GFP_KERNEL)).isEqualTo("kmalloc-128");
        assertThat(k.cacheName(129, Gfp.GFP_KERNEL)).isEqualTo("kmalloc-256");
        assertThat(k.cacheName(192, Gfp.GFP_KERNEL)).isEqualTo("kmalloc-256");
        assertThat(classes("5.10", Arch.ARM64).minSize()).isEqualTo(128);
    }

    @Test
    void arm64From65_startsAt8() {
        for (String v : List.of("6.6", "6.12", "6.18")) {
            KmallocClasses k = classes(v, Arch.ARM64);
            assertThat(k.minSize()).as(v).isEqualTo(8);
            assertThat(k.cacheName(8, 0)).isEqualTo("kmalloc-8");
            assertThat(k.cacheName(65, 0)).isEqualTo("kmalloc-96");
            assertThat(k.cacheName(97, 0)).isEqualTo("kmalloc-128");
            assertThat(k.cacheName(129, 0)).isEqualTo("kmalloc-192");
            assertThat(k.cacheName(193, 0)).isEqualTo("kmalloc-256");
        }
    }

    @Test
    void runtimeMinalign64_servesSmallClassesFromRoundedCaches() {
        KmallocClasses k = KmallocClasses.of(KernelVersion.parse("6.12"), PageSize.SIZE_4K, 10, Arch.ARM64, 64, false, false);
        assertThat(names(k).subList(0, 4)).containsExactly("kmalloc-64", "kmalloc-128", "kmalloc-192", "kmalloc-256");
        assertThat(k.cacheName(8, 0)).isEqualTo("kmalloc-64");
        assertThat(k.cacheName(96, 0)).isEqualTo("kmalloc-128");
        assertThat(k.cacheName(192, 0)).isEqualTo("kmalloc-192");
        KmallocClasses k128 = KmallocClasses.of(KernelVersion.parse("6.12"), PageSize.SIZE_4K, 10, Arch.ARM64, 128, false, false);
        assertThat(k128.cacheName(192, 0)).isEqualTo("kmalloc-256");
        assertThatThrownBy(() -> KmallocClasses.of(KernelVersion.parse("6.1"), PageSize.SIZE_4K, 10, Arch.ARM64, 64, false, false))
                .hasMessageContaining("arm64 6.5+");
    }

    @Test
    void sizeIndex_followsDefaultTable() {
        KmallocClasses k = classes("6.1", Arch.X86_64);
        assertThat(k.index(0)).isZero();
        assertThat(k.index(1)).isEqualTo(3);
        assertThat(k.index(9)).isEqualTo(4);
        assertThat(k.index(17)).isEqualTo(5);
        assertThat(k.index(33)).isEqualTo(6);
        assertThat(k.index(65)).isEqualTo(1);
        assertThat(k.index(97)).isEqualTo(7);
        assertThat(k.index(129)).isEqualTo(2);
        assertThat(k.index(193)).isEqualTo(8);
        assertThat(k.index(8192)).isEqualTo(13);
        assertThat(k.index(8193)).isEqualTo(-1);
        assertThat(k.maxCacheSize()).isEqualTo(8192);
        assertThat(k.maxSize()).isEqualTo(4L << 20);
    }

    @Test
    void type_followsGfpPriority() {
        KmallocClasses k = classes("6.1", Arch.X86_64);
        assertThat(k.type(Gfp.GFP_KERNEL)).isEqualTo(Type.NORMAL);
        assertThat(k.type(Gfp.GFP_KERNEL_ACCOUNT)).isEqualTo(Type.CGROUP);
        assertThat(k.type(Gfp.GFP_KERNEL | Gfp.RECLAIMABLE | Gfp.ACCOUNT)).isEqualTo(Type.RECLAIM);
        assertThat(k.type(Gfp.GFP_KERNEL | Gfp.DMA | Gfp.RECLAIMABLE)).isEqualTo(Type.DMA);
        assertThat(k.cacheName(100, Gfp.GFP_KERNEL_ACCOUNT)).isEqualTo("kmalloc-cg-128");
        assertThat(k.cacheName(100, Gfp.GFP_DMA)).isEqualTo("dma-kmalloc-128");
    }

    @Test
    void typeOrder_changesWithVersion() {
        assertThat(classes("6.1", Arch.X86_64).types()).containsExactly(Type.NORMAL, Type.CGROUP, Type.RECLAIM, Type.DMA);
        assertThat(classes("6.12", Arch.X86_64).types()).containsExactly(Type.NORMAL, Type.RECLAIM, Type.DMA, Type.CGROUP);
        KmallocClasses k510 = classes("5.10", Arch.X86_64);
        assertThat(k510.types()).containsExactly(Type.NORMAL, Type.RECLAIM, Type.DMA);
        List<String> n = names(k510);
        assertThat(n.get(26)).isEqualTo("dma-kmalloc-96");
        assertThat(n.get(27)).isEqualTo("dma-kmalloc-192");
        assertThat(n.get(28)).isEqualTo("dma-kmalloc-8");
        assertThat(k510.type(Gfp.GFP_KERNEL_ACCOUNT)).isEqualTo(Type.NORMAL);
    }

    @Test
    void names_andOrders() {
        assertThat(KmallocClasses.suffix(10)).isEqualTo("1k");
        assertThat(KmallocClasses.suffix(21)).isEqualTo("2M");
        assertThat(KmallocClasses.getOrder(1, 12)).isZero();
        assertThat(KmallocClasses.getOrder(4096, 12)).isZero();
        assertThat(KmallocClasses.getOrder(4097, 12)).isEqualTo(1);
        assertThat(KmallocClasses.getOrder(8193, 12)).isEqualTo(2);
        assertThat(KmallocClasses.getOrder(4L << 20, 12)).isEqualTo(10);
        KmallocClasses k = classes("6.1", Arch.X86_64);
        assertThat(k.sizeRoundup(65, 12)).isEqualTo(96);
        assertThat(k.sizeRoundup(9000, 12)).isEqualTo(16384);
    }

    @Test
    void kmallocAlign_naturalIn61_largestPowerOfTwoDivisorIn612() {
        KernelVersion v61 = KernelVersion.parse("6.1");
        KernelVersion v612 = KernelVersion.parse("6.12");
        assertThat(CacheAlignment.kmallocAlign(v61, 96, 8)).isEqualTo(8);
        assertThat(CacheAlignment.kmallocAlign(v61, 256, 8)).isEqualTo(256);
        assertThat(CacheAlignment.kmallocAlign(v612, 96, 8)).isEqualTo(32);
        assertThat(CacheAlignment.kmallocAlign(v612, 192, 8)).isEqualTo(64);
    }

    @Test
    void calculateAlignment_halvesCacheLineForSmallObjects() {
        assertThat(CacheAlignment.calculate(SlabFlags.HWCACHE_ALIGN, 0, 8, 64)).isEqualTo(8);
        assertThat(CacheAlignment.calculate(SlabFlags.HWCACHE_ALIGN, 0, 16, 64)).isEqualTo(16);
        assertThat(CacheAlignment.calculate(SlabFlags.HWCACHE_ALIGN, 0, 24, 64)).isEqualTo(32);
        assertThat(CacheAlignment.calculate(SlabFlags.HWCACHE_ALIGN, 0, 33, 64)).isEqualTo(64);
        assertThat(CacheAlignment.calculate(0, 0, 100, 64)).isEqualTo(8);
        assertThat(CacheAlignment.calculate(0, 4, 100, 64)).isEqualTo(8);
        assertThat(CacheAlignment.calculate(0, 128, 100, 64)).isEqualTo(128);
    }

    @Test
    void neverMerge_gainsNoMergeIn65() {
        assertThat(SlabFlags.neverMerge(KernelVersion.parse("6.1")) & SlabFlags.NO_MERGE).isZero();
        assertThat(SlabFlags.neverMerge(KernelVersion.parse("6.6")) & SlabFlags.NO_MERGE).isEqualTo(SlabFlags.NO_MERGE);
        assertThat(SlabFlags.isDebug(SlabFlags.POISON)).isTrue();
        assertThat(SlabFlags.isDebug(SlabFlags.HWCACHE_ALIGN)).isFalse();
    }
}
