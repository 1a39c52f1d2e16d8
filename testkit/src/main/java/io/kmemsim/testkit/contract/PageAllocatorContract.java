package io.kmemsim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageAllocatorMisuseException;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link PageAllocator} contract. Extend it and create your allocator from the context the kit
 * passes (its platform is {@link #platform()}, by default {@link TestPlatforms#oneZone()}):
 *
 * <pre>{@code
 * class BuddyPageAllocatorContractTest extends PageAllocatorContract {
 *     @Override
 *     protected PageAllocator createAllocator(ProviderContext context) {
 *         return new BuddyProvider().create(new BuddyOptions(), context);
 *     }
 * }
 * }</pre>
 *
 * <p>The kit calls {@link PageAllocator#checkInvariants()} after every operation it performs. Requests
 * use gfp flags that the platform's zones can serve; watermarks may make an allocator refuse the last
 * free pages, so the kit never expects a particular allocation to succeed once memory is low.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class PageAllocatorContract {

    /** Creates a fresh allocator for the context's platform and kernel. */
    protected abstract PageAllocator createAllocator(ProviderContext context);

    /** The platform of the main tests; override for a different small platform. */
    protected Platform platform() {
        return TestPlatforms.oneZone();
    }

    /** The larger platform of the multi-zone group; override to change it. */
    protected Platform multiZonePlatform() {
        return TestPlatforms.threeZones();
    }

    /** The kernel the allocator is created for. */
    protected KernelVersion kernel() {
        return KernelVersion.parse("6.1");
    }

    /** The context for {@code platform}; override to add a fallback or compaction policy. */
    protected TestProviderContext.Builder context(Platform platform) {
        return TestProviderContext.builder().platform(platform).kernel(kernel());
    }

    /** The number of operations of each seeded random sequence. */
    protected int randomOperations() {
        return 1500;
    }

    private Checked fresh() {
        return fresh(platform());
    }

    private Checked fresh(Platform p) {
        PageAllocator allocator = createAllocator(context(p).build());
        allocator.checkInvariants();
        return new Checked(allocator, p);
    }

    @Nested
    @DisplayName("allocate")
    class Allocate {

        @Test
        @DisplayName("returns blocks aligned to their order and inside a zone")
        void allocate_alignedAndInsideZone() {
            Checked a = fresh();
            for (int order = 0; order <= a.allocator.maxOrder(); order++) {
                long pfn = a.alloc(order, Gfp.GFP_KERNEL, 0);
                assertThat(pfn).as("order-%d allocation on a fresh allocator", order).isNotEqualTo(PageAllocator.NO_PAGE);
            }
        }

        @Test
        @DisplayName("never hands out overlapping blocks")
        void allocate_neverOverlaps() {
            Checked a = fresh();
            int[] orders = {0, 3, 1, 5, 0, 2, 9, 0, 4};
            for (int round = 0; round < 8; round++) {
                for (int order : orders) {
                    a.alloc(Math.min(order, a.allocator.maxOrder()), round % 2 == 0 ? Gfp.GFP_KERNEL : Gfp.GFP_HIGHUSER_MOVABLE, round % a.cpus);
                }
            }
            assertThat(a.live).isNotEmpty();
        }

        @Test
        @DisplayName("returns NO_PAGE when memory is exhausted, without throwing")
        void allocate_returnsNoPageWhenExhausted() {
            Checked a = fresh();
            long managed = a.managedPages();
            long allocations = 0;
            while (a.alloc(0, Gfp.GFP_KERNEL, 0) != PageAllocator.NO_PAGE) {
                allocations++;
                assertThat(allocations).as("allocations of one page").isLessThanOrEqualTo(managed);
            }
            assertThat(a.alloc(a.allocator.maxOrder(), Gfp.GFP_KERNEL, 1 % a.cpus)).isEqualTo(PageAllocator.NO_PAGE);
        }

        @Test
        @DisplayName("rejects an order above maxOrder and a CPU out of range with IllegalArgumentException")
        void allocate_rejectsBadOrderAndCpu() {
            Checked a = fresh();
            assertThatThrownBy(() -> a.allocator.allocate(a.allocator.maxOrder() + 1, Gfp.GFP_KERNEL, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.allocator.allocate(-1, Gfp.GFP_KERNEL, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> a.allocator.allocate(0, Gfp.GFP_KERNEL, a.cpus)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("is deterministic: the same calls give the same PFNs")
        void allocate_isDeterministic() {
            assertThat(randomRun(fresh(), 7, 400)).isEqualTo(randomRun(fresh(), 7, 400));
        }
    }

    @Nested
    @DisplayName("free")
    class Free {

        @Test
        @DisplayName("makes a block allocatable again")
        void free_thenReallocate() {
            Checked a = fresh();
            for (int order : new int[] {0, 2, a.allocator.maxOrder()}) {
                long pfn = a.alloc(order, Gfp.GFP_KERNEL, 0);
                a.free(pfn, order, 0);
                assertThat(a.alloc(order, Gfp.GFP_KERNEL, 0)).as("order %d after free", order).isNotEqualTo(PageAllocator.NO_PAGE);
            }
        }

        @Test
        @DisplayName("of everything after exhaustion restores the initial free page count")
        void free_everythingRestoresFreePages() {
            Checked a = fresh();
            a.allocator.drainPerCpuLists();
            long initial = a.freePages();
            while (a.alloc(0, Gfp.GFP_HIGHUSER_MOVABLE, 0) != PageAllocator.NO_PAGE) {
                assertThat(a.live.size()).isLessThanOrEqualTo((int) a.managedPages());
            }
            a.freeAll();
            a.allocator.drainPerCpuLists();
            a.allocator.checkInvariants();
            assertThat(a.freePages()).isEqualTo(initial);
            assertThat(a.alloc(a.allocator.maxOrder(), Gfp.GFP_KERNEL, 0)).isNotEqualTo(PageAllocator.NO_PAGE);
        }

        @ParameterizedTest(name = "order {0}")
        @ValueSource(ints = {0, 3, 10})
        @DisplayName("twice throws PageAllocatorMisuseException")
        void free_twiceThrows(int requestedOrder) {
            Checked a = fresh();
            int order = Math.min(requestedOrder, a.allocator.maxOrder());
            long pfn = a.alloc(order, Gfp.GFP_KERNEL, 0);
            a.free(pfn, order, 0);
            assertThatThrownBy(() -> a.allocator.free(pfn, order, 0)).isInstanceOf(PageAllocatorMisuseException.class);
        }

        @Test
        @DisplayName("with the wrong order throws PageAllocatorMisuseException")
        void free_wrongOrderThrows() {
            Checked a = fresh();
            long pfn = a.alloc(2, Gfp.GFP_KERNEL, 0);
            assertThatThrownBy(() -> a.allocator.free(pfn, 1, 0)).isInstanceOf(PageAllocatorMisuseException.class);
            assertThatThrownBy(() -> a.allocator.free(pfn, 3, 0)).isInstanceOf(PageAllocatorMisuseException.class);
        }

        @Test
        @DisplayName("of a block never allocated or outside the node throws PageAllocatorMisuseException")
        void free_unallocatedThrows() {
            Checked a = fresh();
            long pfn = a.alloc(1, Gfp.GFP_KERNEL, 0);
            assertThatThrownBy(() -> a.allocator.free(pfn ^ 2, 1, 0)).isInstanceOf(PageAllocatorMisuseException.class);
            long beyond = a.lastZoneEnd() + (1L << 20);
            assertThatThrownBy(() -> a.allocator.free(beyond, 0, 0)).isInstanceOf(PageAllocatorMisuseException.class);
        }
    }

    @Nested
    @DisplayName("zones")
    class Zones {

        @Test
        @DisplayName("are the configured zones in the kernel's order")
        void zones_areConfiguredZones() {
            Checked a = fresh();
            List<ZoneType> types = new ArrayList<>();
            a.allocator.zones().forEach(z -> types.add(z.type()));
            assertThat(types).isEqualTo(a.config.zones());
        }

        @Test
        @DisplayName("count free pages consistently with the live allocations after drainPerCpuLists")
        void zones_freeCountsMatchAllocations() {
            Checked a = fresh();
            a.allocator.drainPerCpuLists();
            long initial = a.freePages();
            randomRun(a, 3, 300);
            a.allocator.drainPerCpuLists();
            a.allocator.checkInvariants();
            assertThat(a.freePages()).isEqualTo(initial - a.livePages());
            for (Zone z : a.allocator.zones()) {
                long byOrder = 0;
                for (int o = 0; o <= a.allocator.maxOrder(); o++) {
                    long byType = 0;
                    for (MigrateType mt : MigrateType.values()) {
                        byType += mt == MigrateType.CMA && !a.config.cma() ? 0 : z.freeBlocks(o, mt);
                    }
                    assertThat(byType).as("%s order %d: sum over migrate types", z.name(), o).isEqualTo(z.freeBlocks(o));
                    byOrder += z.freeBlocks(o) << o;
                }
                assertThat(byOrder).as("%s: free blocks times their size", z.name()).isEqualTo(z.freePages());
                assertThat(z.freePages()).isLessThanOrEqualTo(z.managedPages());
                assertThat(z.managedPages()).isLessThanOrEqualTo(z.presentPages());
                assertThat(z.presentPages()).isLessThanOrEqualTo(z.spannedPages());
            }
        }
    }

    @Nested
    @DisplayName("a seeded random sequence of allocations and frees")
    class RandomSequence {

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3})
        @DisplayName("agrees with a reference model of occupied pages")
        void randomSequence_agreesWithReferenceModel(long seed) {
            Checked a = fresh();
            randomRun(a, seed, randomOperations());
            a.freeAll();
            a.allocator.checkInvariants();
        }
    }

    @Nested
    @DisplayName("on a platform with DMA, DMA32 and Normal zones and reserved memory")
    class MultiZone {

        @Test
        @DisplayName("places every allocation in a zone its gfp flags allow")
        void multiZone_respectsGfpZones() {
            Checked a = fresh(multiZonePlatform());
            int[] gfps = {Gfp.GFP_KERNEL, Gfp.GFP_KERNEL | Gfp.DMA32, Gfp.GFP_KERNEL | Gfp.DMA, Gfp.GFP_HIGHUSER_MOVABLE};
            for (int i = 0; i < 200; i++) {
                a.alloc(i % 4, gfps[i % gfps.length], i % a.cpus);
            }
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {11, 12})
        @DisplayName("agrees with a reference model of occupied pages")
        void multiZone_randomSequence(long seed) {
            Checked a = fresh(multiZonePlatform());
            randomRun(a, seed, randomOperations());
        }

        @Test
        @DisplayName("never hands out reserved or absent pages")
        void multiZone_neverReservedPages() {
            Checked a = fresh(multiZonePlatform());
            while (a.alloc(0, Gfp.GFP_KERNEL | Gfp.DMA, 0) != PageAllocator.NO_PAGE) {
                assertThat(a.live.size()).isLessThanOrEqualTo((int) a.managedPages());
            }
        }
    }

    /** Runs {@code ops} seeded random operations on {@code a}; returns the PFNs handed out, in order. */
    private List<Long> randomRun(Checked a, long seed, int ops) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] gfps = {Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.RECLAIMABLE};
        List<Long> pfns = new ArrayList<>();
        List<Long> handles = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            int cpu = random.nextInt(a.cpus);
            if (!handles.isEmpty() && random.nextInt(100) < 45) {
                long pfn = handles.remove(random.nextInt(handles.size()));
                a.free(pfn, a.live.get(pfn), cpu);
            } else {
                int order = random.nextInt(100) < 70 ? random.nextInt(3) : random.nextInt(a.allocator.maxOrder() + 1);
                long pfn = a.alloc(order, gfps[random.nextInt(gfps.length)], cpu);
                pfns.add(pfn);
                if (pfn != PageAllocator.NO_PAGE) {
                    handles.add(pfn);
                }
            }
        }
        return pfns;
    }

    /** An allocator under test with the reference model of occupied pages; checks after every operation. */
    private static final class Checked {
        final PageAllocator allocator;
        final KernelConfig config;
        final int cpus;
        final Map<Long, Integer> live = new HashMap<>();
        final BitSet occupied = new BitSet();
        final long base;

        Checked(PageAllocator allocator, Platform platform) {
            this.allocator = allocator;
            this.config = platform.kernelConfig();
            this.cpus = platform.cpus();
            this.base = allocator.zones().stream().filter(z -> z.spannedPages() > 0)
                    .mapToLong(Zone::startPfn).min().orElse(0);
        }

        long alloc(int order, int gfp, int cpu) {
            long pfn = allocator.allocate(order, gfp, cpu);
            allocator.checkInvariants();
            if (pfn == PageAllocator.NO_PAGE) {
                return pfn;
            }
            long size = 1L << order;
            assertThat(pfn & (size - 1)).as("pfn 0x%x of an order-%d block is aligned", pfn, order).isZero();
            Zone zone = zoneOf(pfn);
            assertThat(pfn + size).as("order-%d block at 0x%x ends inside zone %s", order, pfn, zone.name())
                    .isLessThanOrEqualTo(zone.startPfn() + zone.spannedPages());
            assertThat(zone.type().ordinal()).as("zone %s allowed for gfp 0x%x", zone.name(), gfp)
                    .isLessThanOrEqualTo(Gfp.zone(gfp, config).ordinal());
            int from = (int) (pfn - base);
            int firstUsed = occupied.nextSetBit(from);
            assertThat(firstUsed < 0 || firstUsed >= from + size)
                    .as("order-%d block at 0x%x overlaps a live block", order, pfn).isTrue();
            occupied.set(from, (int) (from + size));
            live.put(pfn, order);
            return pfn;
        }

        void free(long pfn, int order, int cpu) {
            allocator.free(pfn, order, cpu);
            allocator.checkInvariants();
            live.remove(pfn);
            occupied.clear((int) (pfn - base), (int) (pfn - base + (1L << order)));
        }

        void freeAll() {
            for (Map.Entry<Long, Integer> e : new ArrayList<>(live.entrySet())) {
                free(e.getKey(), e.getValue(), 0);
            }
        }

        Zone zoneOf(long pfn) {
            for (Zone z : allocator.zones()) {
                if (pfn >= z.startPfn() && pfn < z.startPfn() + z.spannedPages()) {
                    return z;
                }
            }
            throw new AssertionError("pfn 0x" + Long.toHexString(pfn) + " is in no zone");
        }

        long freePages() {
            return allocator.zones().stream().mapToLong(Zone::freePages).sum();
        }

        long managedPages() {
            return allocator.zones().stream().mapToLong(Zone::managedPages).sum();
        }

        long livePages() {
            return live.values().stream().mapToLong(o -> 1L << o).sum();
        }

        long lastZoneEnd() {
            return allocator.zones().stream().mapToLong(z -> z.startPfn() + z.spannedPages()).max().orElse(0);
        }
    }
}
