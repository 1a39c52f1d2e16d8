package io.kmemsim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link ObjectCache} contract. Extend it and create your allocator from the context the kit
 * passes; its page allocator is a {@link io.kmemsim.testkit.support.ReferencePageAllocator} over
 * {@link #platform()} unless {@link #context(Platform)} says otherwise.
 *
 * <pre>{@code
 * class SlubObjectCacheContractTest extends ObjectCacheContract {
 *     @Override
 *     protected ObjectCache createObjectCache(ProviderContext context) {
 *         return new SlubProvider().create(new SlubOptions(), context);
 *     }
 * }
 * }</pre>
 *
 * <p>Caches the kit creates have a constructor, so they are never merged with another cache and each
 * has its own {@code /proc/slabinfo} row. Objects must be aligned to at least 8 bytes (the kernel's
 * {@code ARCH_SLAB_MINALIGN} default rounded to pointer size) and to the requested alignment.
 * {@link ObjectCache#checkInvariants()} runs after every operation.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class ObjectCacheContract {

    private static final int GFP = Gfp.GFP_KERNEL;

    /** Creates a fresh object-cache allocator. */
    protected abstract ObjectCache createObjectCache(ProviderContext context);

    /** The platform under the page allocator. */
    protected Platform platform() {
        return TestPlatforms.oneZone();
    }

    /** The kernel the allocator is created for. */
    protected KernelVersion kernel() {
        return KernelVersion.parse("6.1");
    }

    /** The context for {@code platform}; override to use another page allocator. */
    protected TestProviderContext.Builder context(Platform platform) {
        return TestProviderContext.builder().platform(platform).kernel(kernel());
    }

    private Checked fresh() {
        Platform p = platform();
        ObjectCache cache = createObjectCache(context(p).build());
        cache.checkInvariants();
        return new Checked(cache, p.cpus());
    }

    private static CacheSpec spec(String name, int size, int align) {
        return new CacheSpec(name, size, align, 0, true);
    }

    @Nested
    @DisplayName("kmem caches")
    class Caches {

        @Test
        @DisplayName("createCache returns distinct small non-negative ids for unmergeable caches")
        void createCache_distinctIds() {
            Checked c = fresh();
            int a = c.create(spec("kit_a", 64, 0));
            int b = c.create(spec("kit_b", 64, 0));
            assertThat(a).isNotNegative().isNotEqualTo(b);
            assertThat(b).isNotNegative();
        }

        @ParameterizedTest(name = "size {0}")
        @ValueSource(ints = {1, 8, 24, 100, 192, 700, 3000})
        @DisplayName("alloc returns distinct, non-overlapping, aligned objects")
        void alloc_distinctAligned(int size) {
            Checked c = fresh();
            int id = c.create(spec("kit_" + size, size, 0));
            for (int i = 0; i < 300; i++) {
                c.alloc(id, size, 0, i % c.cpus);
            }
        }

        @ParameterizedTest(name = "align {0}")
        @ValueSource(ints = {8, 64, 256})
        @DisplayName("honours the requested alignment")
        void alloc_honoursAlignment(int align) {
            Checked c = fresh();
            int id = c.create(spec("kit_al" + align, 40, align));
            for (int i = 0; i < 100; i++) {
                c.alloc(id, 40, align, 0);
            }
        }

        @Test
        @DisplayName("free makes the object's slot reusable and twice throws IllegalArgumentException")
        void free_twiceThrows() {
            Checked c = fresh();
            int id = c.create(spec("kit_df", 128, 0));
            long address = c.alloc(id, 128, 0, 0);
            c.free(id, address, 0);
            assertThatThrownBy(() -> c.cache.free(id, address, 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("alloc from an unknown cache id throws IllegalArgumentException")
        void alloc_unknownCacheThrows() {
            Checked c = fresh();
            assertThatThrownBy(() -> c.cache.alloc(4711, GFP, 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("destroyCache of an empty cache removes its slabinfo row")
        void destroyCache_removesRow() {
            Checked c = fresh();
            int id = c.create(spec("kit_gone", 256, 0));
            long address = c.alloc(id, 256, 0, 0);
            c.free(id, address, 0);
            c.cache.destroyCache(id);
            c.cache.checkInvariants();
            assertThat(c.cache.slabinfo()).extracting(CacheInfo::name).doesNotContain("kit_gone");
        }
    }

    @Nested
    @DisplayName("kmalloc")
    class Kmalloc {

        @ParameterizedTest(name = "size {0}")
        @ValueSource(longs = {1, 8, 13, 64, 100, 192, 1000, 4096, 5000, 20000})
        @DisplayName("returns objects whose ksize is at least the request")
        void kmalloc_ksizeAtLeastRequest(long size) {
            Checked c = fresh();
            long address = c.kmalloc(size, 0);
            assertThat(c.cache.ksize(address)).isGreaterThanOrEqualTo(size);
            c.kfree(address, 0);
        }

        @Test
        @DisplayName("kfree(NO_OBJECT) does nothing")
        void kfree_noObjectIsNoop() {
            Checked c = fresh();
            c.kmalloc(64, 0);
            List<CacheInfo> before = c.cache.slabinfo();
            assertThatCode(() -> c.cache.kfree(ObjectCache.NO_OBJECT, 0)).doesNotThrowAnyException();
            c.cache.checkInvariants();
            assertThat(c.cache.slabinfo()).isEqualTo(before);
        }

        @Test
        @DisplayName("kfree twice throws IllegalArgumentException")
        void kfree_twiceThrows() {
            Checked c = fresh();
            long address = c.kmalloc(96, 0);
            c.kfree(address, 0);
            assertThatThrownBy(() -> c.cache.kfree(address, 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("returns NO_OBJECT when memory is exhausted, without throwing")
        void kmalloc_returnsNoObjectWhenExhausted() {
            Checked c = fresh();
            long bound = platform().banks().stream().mapToLong(b -> b.size()).sum() / 2048 + 16;
            long count = 0;
            while (c.kmalloc(2048, 0) != ObjectCache.NO_OBJECT) {
                count++;
                assertThat(count).as("2 KiB allocations from the platform's RAM").isLessThanOrEqualTo(bound);
            }
        }
    }

    @Nested
    @DisplayName("slabinfo")
    class Slabinfo {

        @Test
        @DisplayName("rows are internally consistent and count the live objects")
        void slabinfo_consistent() {
            Checked c = fresh();
            int id = c.create(spec("kit_info", 200, 0));
            for (int i = 0; i < 50; i++) {
                c.alloc(id, 200, 0, i % c.cpus);
            }
            for (CacheInfo row : c.cache.slabinfo()) {
                assertThat(row.activeObjs()).as("%s active <= total", row.name()).isLessThanOrEqualTo(row.numObjs());
                assertThat(row.activeSlabs()).as("%s active slabs <= slabs", row.name()).isLessThanOrEqualTo(row.numSlabs());
                assertThat(row.numObjs()).as("%s objects <= slabs * objects per slab", row.name())
                        .isLessThanOrEqualTo(row.numSlabs() * row.objPerSlab());
                assertThat(row.objPerSlab()).as("%s objects per slab", row.name()).isPositive();
                assertThat(row.pagesPerSlab()).as("%s pages per slab", row.name()).isPositive();
                assertThat(row.objSize()).as("%s object size", row.name()).isPositive();
            }
            Optional<CacheInfo> row = c.cache.slabinfo().stream().filter(r -> r.name().equals("kit_info")).findFirst();
            assertThat(row).as("slabinfo row of kit_info").isPresent();
            assertThat(row.get().activeObjs()).isGreaterThanOrEqualTo(50);
            assertThat(row.get().objSize()).isGreaterThanOrEqualTo(200);
        }
    }

    @Nested
    @DisplayName("a seeded random sequence")
    class RandomSequence {

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2})
        @DisplayName("never hands out overlapping objects and keeps the invariants")
        void randomSequence_noOverlap(long seed) {
            randomRun(fresh(), seed);
        }

        @Test
        @DisplayName("is deterministic: the same calls give the same addresses")
        void randomSequence_deterministic() {
            assertThat(randomRun(fresh(), 5)).isEqualTo(randomRun(fresh(), 5));
        }
    }

    private static List<Long> randomRun(Checked c, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] sizes = {16, 72, 300};
        int[] ids = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            ids[i] = c.create(spec("kit_r" + sizes[i], sizes[i], 0));
        }
        List<Long> addresses = new ArrayList<>();
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            int cpu = random.nextInt(c.cpus);
            if (!live.isEmpty() && random.nextInt(100) < 45) {
                long[] o = live.remove(random.nextInt(live.size()));
                if (o[0] < 0) {
                    c.kfree(o[1], cpu);
                } else {
                    c.free((int) o[0], o[1], cpu);
                }
            } else if (random.nextBoolean()) {
                long a = c.kmalloc(1 + random.nextInt(2048), cpu);
                addresses.add(a);
                live.add(new long[] {-1, a});
            } else {
                int k = random.nextInt(sizes.length);
                long a = c.alloc(ids[k], sizes[k], 0, cpu);
                addresses.add(a);
                live.add(new long[] {ids[k], a});
            }
        }
        return addresses;
    }

    /** An allocator under test with a map of live object ranges; checks after every operation. */
    private static final class Checked {
        final ObjectCache cache;
        final int cpus;
        final TreeMap<Long, Long> live = new TreeMap<>();

        Checked(ObjectCache cache, int cpus) {
            this.cache = cache;
            this.cpus = cpus;
        }

        int create(CacheSpec spec) {
            int id = cache.createCache(spec);
            cache.checkInvariants();
            return id;
        }

        long alloc(int id, int size, int align, int cpu) {
            long address = cache.alloc(id, GFP, cpu);
            cache.checkInvariants();
            assertThat(address).as("kmem_cache_alloc of %d bytes with ample memory", size).isNotEqualTo(ObjectCache.NO_OBJECT);
            assertThat(address % Math.max(8, align)).as("address 0x%x aligned to %d", address, Math.max(8, align)).isZero();
            track(address, size);
            return address;
        }

        long kmalloc(long size, int cpu) {
            long address = cache.kmalloc(size, GFP, cpu);
            cache.checkInvariants();
            if (address != ObjectCache.NO_OBJECT) {
                assertThat(address % 8).as("kmalloc address 0x%x aligned to 8", address).isZero();
                track(address, size);
            }
            return address;
        }

        private void track(long address, long size) {
            Map.Entry<Long, Long> below = live.floorEntry(address);
            assertThat(below == null || below.getKey() + below.getValue() <= address)
                    .as("object at 0x%x overlaps a live object", address).isTrue();
            Long above = live.ceilingKey(address);
            assertThat(above == null || address + size <= above)
                    .as("object at 0x%x of %d bytes overlaps a live object", address, size).isTrue();
            live.put(address, size);
        }

        void free(int id, long address, int cpu) {
            cache.free(id, address, cpu);
            cache.checkInvariants();
            live.remove(address);
        }

        void kfree(long address, int cpu) {
            cache.kfree(address, cpu);
            cache.checkInvariants();
            live.remove(address);
        }
    }
}
