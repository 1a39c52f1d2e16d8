package io.kmemsim.slab;


import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.testkit.support.RecordingPageAllocator;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random alloc / free / kmalloc / kfree / tick sequences against a trivially correct model (the live
 * objects and their sizes), with {@link ObjectCache#checkInvariants()} after every step; at the end
 * everything is freed, the caches shrunk and destroyed, and every page must be back.
 */
class SlabPropertyTest {

    private static final int CPUS = 3;
    private static final int[] GFPS = {Gfp.GFP_KERNEL, Gfp.GFP_KERNEL_ACCOUNT, Gfp.GFP_KERNEL | Gfp.RECLAIMABLE,
        Gfp.GFP_KERNEL | Gfp.DMA};

    @Provide
    Arbitrary<String> kernels() {
        return Arbitraries.of("5.10", "6.1");
    }

    @Provide
    Arbitrary<String> arches() {
        return Arbitraries.of("arm64", "x86_64");
    }

    @Property(tries = 150)
    void randomSequences_matchTheModelAndKeepInvariants(@ForAll("kernels") String kernel, @ForAll("arches") String arch,
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 1 << 30) Integer> ops) {
        RecordingPageAllocator pages = new RecordingPageAllocator(1 << 15, 0x40000);
        SlabObjectCache s = (SlabObjectCache) new SlabProvider().create(new SlabOptions().withArch(arch),
                TestProviderContext.forObjectCache(kernel, CPUS, pages));
        int[] sizes = {24, 512, 1500};
        int[] ids = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            ids[i] = s.createCache(new CacheSpec("prop" + i, sizes[i], 0, 0, i == 1));
        }
        TreeMap<Long, long[]> live = new TreeMap<>();
        List<Long> order = new ArrayList<>();
        long[] clock = {0};
        for (int op : ops) {
            step(s, op, ids, sizes, live, order, clock);
            s.checkInvariants();
            pages.checkInvariants();
        }
        for (long a : new ArrayList<>(order)) {
            long[] o = live.remove(a);
            if (o[0] < 0) {
                s.kfree(a, 0);
            } else {
                s.free((int) o[0], a, 1);
            }
            s.checkInvariants();
        }
        for (int id : ids) {
            s.destroyCache(id);
            s.checkInvariants();
        }
        for (SlabCache c : s.caches) {
            if (c.live) {
                assertThat(c.allocated).as("%s objects in use", c.name).isZero();
                s.shrink(c);
            }
        }
        s.checkInvariants();
        assertThat(pages.allocatedPages()).isZero();
        assertThat(s.book.largePages()).isZero();
    }

    private static void step(SlabObjectCache s, int op, int[] ids, int[] sizes, TreeMap<Long, long[]> live,
                             List<Long> order, long[] clock) {
        int cpu = op % CPUS;
        int kind = (op >>> 2) % 6;
        int arg = op >>> 5;
        if (kind == 5) {
            clock[0] += (arg % 3000) * 1_000_000L;
            s.tick(clock[0]);
            return;
        }
        if (kind >= 3 && !order.isEmpty()) {
            long a = order.remove(arg % order.size());
            long[] o = live.remove(a);
            if (o[0] < 0) {
                s.kfree(a, cpu);
            } else {
                s.free((int) o[0], a, cpu);
            }
            return;
        }
        long address;
        long size;
        long cache;
        if (kind == 0) {
            int k = arg % ids.length;
            address = s.alloc(ids[k], Gfp.GFP_KERNEL, cpu);
            size = sizes[k];
            cache = ids[k];
        } else {
            size = 1 + (arg % (kind == 1 ? 1024 : 20000));
            address = s.kmalloc(size, GFPS[(arg >>> 15) & 3], cpu);
            cache = -1;
            assertThat(s.ksize(address)).isGreaterThanOrEqualTo(size);
        }
        assertThat(address).isNotEqualTo(ObjectCache.NO_OBJECT);
        assertThat(address % 8).isZero();
        Map.Entry<Long, long[]> below = live.floorEntry(address);
        assertThat(below == null || below.getKey() + below.getValue()[1] <= address).as("overlap below").isTrue();
        Long above = live.ceilingKey(address);
        assertThat(above == null || address + size <= above).as("overlap above").isTrue();
        live.put(address, new long[] {cache, size});
        order.add(address);
    }
}
