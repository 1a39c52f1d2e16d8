package io.kmemsim.slub;


import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.testkit.support.RecordingPageAllocator;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /proc/slabinfo} rows (mm/slab_common.c: cache_show() (6.1); mm/slub.c: account_slab() (6.1)): values worked by hand, printed with the
 * kernel's row format so the golden lines are byte for byte what the file would hold.
 */
class SlabinfoRowsTest {

    private static final int K = Gfp.GFP_KERNEL;

    /** The mm/slab_common.c: cache_show(), print_slabinfo_header() (6.1) row format. */
    private static String row(CacheInfo r) {
        return String.format("%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d", r.name(),
                r.activeObjs(), r.numObjs(), r.objSize(), r.objPerSlab(), r.pagesPerSlab(), r.limit(), r.batchCount(),
                r.sharedFactor(), r.activeSlabs(), r.numSlabs(), r.sharedAvail());
    }

    private static SlubObjectCache slub(String kernel, SlubOptions options) {
        RecordingPageAllocator pages = new RecordingPageAllocator(1 << 14, 0x80000);
        return (SlubObjectCache) new SlubProvider().create(options, TestProviderContext.forObjectCache(kernel, 4, pages));
    }

    private static CacheInfo find(SlubObjectCache s, String name) {
        return s.slabinfo().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    /** 100 kmalloc(64) on one CPU: one full slab dropped from the cpu, one cpu slab with 36 in use; cpu-slab free objects count as active. */
    @Test
    void kmalloc64_row() {
        SlubObjectCache s = slub("6.1", new SlubOptions().withArch("x86_64"));
        for (int i = 0; i < 100; i++) {
            s.kmalloc(64, K, 0);
        }
        assertThat(row(find(s, "kmalloc-64")))
                .isEqualTo("kmalloc-64           128    128     64   64    1 : tunables    0    0    0 : slabdata      2      2      0");
    }

    /** Without cpu partial lists, ten frees from a full slab put it on the node list: 10 free objects are not active. */
    @Test
    void kmalloc1k_rowExcludesNodePartialFreeObjects() {
        SlubObjectCache s = slub("6.1", new SlubOptions("x86_64", false, false, false, true, true, 0, 3, 0, 8, 64));
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            objs.add(s.kmalloc(1000, K, 0));
        }
        for (int i = 16; i < 26; i++) {
            s.kfree(objs.get(i), 0);
        }
        assertThat(row(find(s, "kmalloc-1k")))
                .isEqualTo("kmalloc-1k            38     48   1024   16    4 : tunables    0    0    0 : slabdata      3      3      0");
    }

    @Test
    void order_newestCacheFirstKmallocCachesLastInReverseCreationOrder() {
        SlubObjectCache s = slub("6.1", new SlubOptions().withArch("x86_64"));
        s.createCache(new CacheSpec("older", 300, 0, 0, true));
        s.createCache(new CacheSpec("newer", 400, 0, 0, true));
        List<String> names = s.slabinfo().stream().map(CacheInfo::name).toList();
        assertThat(names.subList(0, 3)).containsExactly("newer", "older", "dma-kmalloc-8k");
        assertThat(names.subList(names.size() - 9, names.size())).containsExactly("kmalloc-512", "kmalloc-256",
                "kmalloc-192", "kmalloc-128", "kmalloc-96", "kmalloc-64", "kmalloc-32", "kmalloc-16", "kmalloc-8");
        assertThat(names).hasSize(2 + 52);
        SlubObjectCache arm = slub("6.1", new SlubOptions());
        List<String> armNames = arm.slabinfo().stream().map(CacheInfo::name).toList();
        assertThat(armNames).hasSize(28);
        assertThat(armNames.get(0)).isEqualTo("dma-kmalloc-8k");
        assertThat(armNames.get(armNames.size() - 1)).isEqualTo("kmalloc-128");
        assertThat(armNames.indexOf("kmalloc-rcl-128")).isLessThan(armNames.indexOf("kmalloc-cg-8k"));
    }

    @Test
    void emptyKmallocCache_printsZeros() {
        SlubObjectCache s = slub("6.12", new SlubOptions());
        assertThat(row(find(s, "kmalloc-8k")))
                .isEqualTo("kmalloc-8k             0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0");
    }
}
