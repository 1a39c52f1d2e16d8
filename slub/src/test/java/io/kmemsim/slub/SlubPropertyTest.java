package io.kmemsim.slub;


import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.slab.SlabFlags;
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
 * Random alloc / free / kmalloc / kfree sequences against a trivially correct model (the set of live
 * objects and their sizes), with {@link ObjectCache#checkInvariants()} after every step.
 */
class SlubPropertyTest {

    private static final int CPUS = 4;
    private static final int[] GFPS = {Gfp.GFP_KERNEL, Gfp.GFP_KERNEL_ACCOUNT, Gfp.GFP_KERNEL | Gfp.RECLAIMABLE,
        Gfp.GFP_KERNEL | Gfp.DMA};

    @Provide
    Arbitrary<String> kernels() {
        return Arbitraries.of("5.10", "6.1", "6.6", "6.12", "6.18");
    }

    @Property(tries = 200)
    void randomSequences_matchTheModelAndKeepInvariants(@ForAll("kernels") String kernel, @ForAll boolean randomize,
            @ForAll boolean cpuPartial, @ForAll boolean debugCache,
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 1 << 30) Integer> ops) {
        RecordingPageAllocator pages = new RecordingPageAllocator(1 << 15, 0x40000);
        SlubOptions options = new SlubOptions("arm64", randomize, false, cpuPartial, true, true, 0, 3, 0, 8, 64);
        SlubObjectCache s = (SlubObjectCache) new SlubProvider().create(options, TestProviderContext.forObjectCache(kernel, CPUS, pages));
        int[] sizes = {24, 200, 1500};
        int[] ids = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            long flags = debugCache && i == 1 ? SlabFlags.POISON : 0;
            ids[i] = s.createCache(new CacheSpec("prop" + i, sizes[i], 0, flags, i == 2));
        }
        TreeMap<Long, long[]> live = new TreeMap<>();
        List<Long> order = new ArrayList<>();
        for (int op : ops) {
            step(s, op, ids, sizes, live, order);
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
            assertThat(s.cache(id).allocated).isZero();
            s.destroyCache(id);
        }
        s.checkInvariants();
        long kmallocObjects = s.caches.stream().mapToLong(c -> c.allocated).sum();
        assertThat(kmallocObjects).isZero();
        assertThat(s.book.largePages()).isZero();
    }

    /** With full slub_debug and no scribbling, every alloc/free check and every validation stays silent. */
    @Property(tries = 60)
    void fullDebug_cleanSequencesReportNothing(@ForAll("kernels") String kernel, @ForAll boolean hardened,
            @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 0, max = 1 << 30) Integer> ops) {
        RecordingPageAllocator pages = new RecordingPageAllocator(1 << 15, 0x40000);
        SlubOptions options = new SlubOptions("arm64", false, hardened, true, true, true, 0, 3, 0, 8, 64, "FZPUT");
        SlubObjectCache s = (SlubObjectCache) new SlubProvider().create(options, TestProviderContext.forObjectCache(kernel, CPUS, pages));
        int[] sizes = {24, 200, 1500};
        int[] ids = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            ids[i] = s.createCache(new CacheSpec("dbg" + i, sizes[i], 0, 0, i == 2));
        }
        TreeMap<Long, long[]> live = new TreeMap<>();
        List<Long> order = new ArrayList<>();
        for (int op : ops) {
            step(s, op, ids, sizes, live, order);
            s.checkInvariants();
        }
        for (int id : ids) {
            s.validate(id);
        }
        assertThat(s.reports()).allMatch(r -> r.startsWith("TRACE "));
        assertThat(s.errors()).isZero();
        s.checkInvariants();
    }

    private static void step(SlubObjectCache s, int op, int[] ids, int[] sizes, TreeMap<Long, long[]> live, List<Long> order) {
        int cpu = op & 3;
        int kind = (op >>> 2) % 5;
        int arg = op >>> 5;
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
