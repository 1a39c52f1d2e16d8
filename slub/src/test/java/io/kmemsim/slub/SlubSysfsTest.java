package io.kmemsim.slub;


import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.testkit.support.RecordingPageAllocator;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * /sys/kernel/slab/&lt;cache&gt;/ texts (mm/slub.c: slab_attrs[] (6.1)), worked by hand: a 64-byte cache on 4
 * CPUs, 65 allocations on cpu 0 (slab 1 full and dropped, slab 2 the cpu slab with 1 object handed out),
 * then one free on cpu 1 into the full slab (it goes on cpu 1's partial list, mm/slub.c: __slab_free(), put_cpu_partial() (6.1)).
 */
class SlubSysfsTest {

    private SlubObjectCache slub(String kernel, SlubOptions o) {
        return (SlubObjectCache) new SlubProvider().create(o, TestProviderContext.forObjectCache(kernel, 4, new RecordingPageAllocator(1 << 12, 0x40000)));
    }

    private static int scenario(SlubObjectCache s) {
        int id = s.createCache(new CacheSpec("t", 64, 0, 0, false));
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            objs.add(s.alloc(id, Gfp.GFP_KERNEL, 0));
        }
        s.free(id, objs.get(0), 1);
        return id;
    }

    @Test
    void geometryAndFlags_61() {
        SlubObjectCache s = slub("6.1", new SlubOptions());
        int id = scenario(s);
        assertThat(s.sysfsAttribute(id, "slab_size")).isEqualTo("64\n");
        assertThat(s.sysfsAttribute(id, "object_size")).isEqualTo("64\n");
        assertThat(s.sysfsAttribute(id, "objs_per_slab")).isEqualTo("64\n");
        assertThat(s.sysfsAttribute(id, "order")).isEqualTo("0\n");
        assertThat(s.sysfsAttribute(id, "align")).isEqualTo("8\n");
        assertThat(s.sysfsAttribute(id, "aliases")).isEqualTo("0\n");
        assertThat(s.sysfsAttribute(id, "ctor")).isEmpty();
        assertThat(s.sysfsAttribute(id, "red_zone")).isEqualTo("0\n");
        assertThat(s.sysfsAttribute(id, "min_partial")).isEqualTo("5\n");
        assertThat(s.sysfsAttribute(id, "cpu_partial")).isEqualTo("120\n");
        assertThat(s.sysfsAttribute(id, "remote_node_defrag_ratio")).isEqualTo("100\n");
    }

    @Test
    void counts_printTotalThenTheNode() {
        SlubObjectCache s = slub("6.1", new SlubOptions());
        int id = scenario(s);
        assertThat(s.sysfsAttribute(id, "slabs")).isEqualTo("2 N0=2\n");
        assertThat(s.sysfsAttribute(id, "total_objects")).isEqualTo("128 N0=128\n");
        assertThat(s.sysfsAttribute(id, "objects")).isEqualTo("128 N0=128\n");
        assertThat(s.sysfsAttribute(id, "partial")).isEqualTo("0\n");
        assertThat(s.sysfsAttribute(id, "objects_partial")).isEqualTo("0\n");
        assertThat(s.sysfsAttribute(id, "cpu_slabs")).isEqualTo("2 N0=2\n");
        assertThat(s.sysfsAttribute(id, "slabs_cpu_partial")).isEqualTo("32(1) C1=32(1)\n");
        assertThat(s.sysfsAttribute(id, "alloc_fastpath")).isEqualTo("63 C0=63\n");
        assertThat(s.sysfsAttribute(id, "alloc_slowpath")).isEqualTo("2 C0=2\n");
        assertThat(s.sysfsAttribute(id, "cpu_partial_free")).isEqualTo("1 C1=1\n");
        assertThat(s.sysfsAttribute(id, "free_fastpath")).isEqualTo("0\n");
    }

    @Test
    void slabsCpuPartial_510CountsFreeObjectsAtPush() {
        SlubObjectCache s = slub("5.10", new SlubOptions());
        int id = scenario(s);
        assertThat(s.sysfsAttribute(id, "slabs_cpu_partial")).isEqualTo("1(1) C1=1(1)\n");
        assertThat(s.sysfsAttribute(id, "cpu_partial")).isEqualTo("30\n");
    }

    @Test
    void nodePartialSlabs_countInPartialAndObjectsPartial() {
        SlubObjectCache s = slub("6.1", new SlubOptions().withSlubDebug("P,t"));
        int id = s.createCache(new CacheSpec("t", 64, 0, 0, false));
        long a = s.alloc(id, Gfp.GFP_KERNEL, 0);
        s.alloc(id, Gfp.GFP_KERNEL, 0);
        s.free(id, a, 0);
        assertThat(s.sysfsAttribute(id, "poison")).isEqualTo("1\n");
        assertThat(s.sysfsAttribute(id, "slab_size")).isEqualTo("72\n");
        assertThat(s.sysfsAttribute(id, "objs_per_slab")).isEqualTo("56\n");
        assertThat(s.sysfsAttribute(id, "cpu_partial")).isEqualTo("0\n");
        assertThat(s.sysfsAttribute(id, "partial")).isEqualTo("1 N0=1\n");
        assertThat(s.sysfsAttribute(id, "objects_partial")).isEqualTo("1 N0=1\n");
        assertThat(s.sysfsAttribute(id, "objects")).isEqualTo("1 N0=1\n");
        assertThat(s.sysfsAttribute(id, "cpu_slabs")).isEqualTo("0\n");
    }

    @Test
    void kmallocCaches_haveUsersizeAndNames() {
        SlubObjectCache s = slub("6.1", new SlubOptions());
        assertThat(s.sysfsAttributes()).contains("cache_dma", "usersize", "cpu_partial_drain").hasSize(56);
        int id = s.createCache(new CacheSpec("d", 100, 0, SlabFlags.CACHE_DMA | SlabFlags.HWCACHE_ALIGN, true));
        assertThat(s.sysfsAttribute(id, "cache_dma")).isEqualTo("1\n");
        assertThat(s.sysfsAttribute(id, "hwcache_align")).isEqualTo("1\n");
        assertThat(s.sysfsAttribute(id, "usersize")).isEqualTo("0\n");
        assertThat(s.sysfsAttribute(id, "ctor")).isEqualTo("d_ctor+0x0/0x0\n");
        assertThatThrownBy(() -> s.sysfsAttribute(id, "bogus")).hasMessageStartingWith("no sysfs attribute bogus in /sys/kernel/slab/d/");
    }
}
