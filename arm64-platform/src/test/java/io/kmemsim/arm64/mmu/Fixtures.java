package io.kmemsim.arm64.mmu;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Platforms, a page allocator and hooks for the arm64 hook tests. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * An 8 GB RK3588 memory map as mainline firmware lays it out (docs/kernel-facts.md#rk3588-memory-maps
     * Preset A): banks {@code 0x0020_0000–0xEFFF_FFFF}, {@code 0x1_0000_0000–0x1_FFFF_FFFF},
     * {@code 0x2_F000_0000–0x2_FFFF_FFFF}; CPUs 0–3 Cortex-A55, 4–7 Cortex-A76.
     */
    static Platform rk3588() {
        return board("rk3588-8g").coreTypes(cpu -> cpu < 4 ? "cortex-a55" : "cortex-a76").build();
    }

    /** The same memory map with "generic" cores (no errata, no VIPT I-cache). */
    static Platform generic() {
        return board("generic-8g").build();
    }

    private static TestPlatforms.Builder board(String name) {
        return TestPlatforms.builder(name, KernelConfig.ARM64_DISTRO, 8)
                .bank(new MemoryBank(0, 0x20_0000L, 0xF000_0000L - 0x20_0000L))
                .bank(new MemoryBank(0, 0x1_0000_0000L, 0x1_0000_0000L))
                .bank(new MemoryBank(0, 0x2_F000_0000L, 0x1000_0000L))
                .limit(ZoneType.DMA, 0x1_0000_0000L >> 12)
                .limit(ZoneType.DMA32, 0x1_0000_0000L >> 12)
                .limit(ZoneType.NORMAL, 0x3_0000_0000L >> 12);
    }

    /**
     * A page allocator that hands out pages from PFN 0x80000 upward, checks frees, and — as the
     * ArchHooks contract asks of every allocator — tells the hooks about each block.
     */
    static final class BumpAllocator implements PageAllocator {
        long next = 0x80000;
        ArchHooks hooks = ArchHooks.NONE;
        final Set<Long> live = new HashSet<>();
        int allocations;
        int frees;
        boolean exhausted;

        @Override
        public long allocate(int order, int gfp, int cpu) {
            if (exhausted) {
                return NO_PAGE;
            }
            long pfn = next;
            next += 1L << order;
            live.add(pfn);
            allocations++;
            hooks.onPagesAllocated(pfn, order, gfp, cpu);
            return pfn;
        }

        @Override
        public void free(long pfn, int order, int cpu) {
            if (!live.remove(pfn)) {
                throw new IllegalStateException("free of a page not allocated: " + pfn);
            }
            frees++;
            hooks.onPagesFreed(pfn, order, cpu);
        }

        @Override
        public int maxOrder() {
            return 10;
        }

        @Override
        public int pageblockOrder() {
            return 9;
        }

        @Override
        public List<? extends Zone> zones() {
            return List.of();
        }

        @Override
        public void drainPerCpuLists() {
        }

        @Override
        public void checkInvariants() {
        }
    }

    /** Hooks for {@code kernel} on {@code platform} with {@code options}, taking tables from {@code allocator}. */
    static Arm64ArchHooks hooks(Platform platform, String kernel, Arm64ArchHooksOptions options, BumpAllocator allocator) {
        ProviderContext context = TestProviderContext.builder().platform(platform).kernel(kernel)
                .pageAllocator(c -> allocator).build();
        Arm64ArchHooks hooks = Arm64ArchHooksProvider.build(options, context);
        allocator.hooks = hooks;
        return hooks;
    }

    static Arm64ArchHooks hooks(Platform platform, String kernel, BumpAllocator allocator) {
        return hooks(platform, kernel, new Arm64ArchHooksOptions(), allocator);
    }

    /** The hooks' counters by name. */
    static Map<String, Long> counters(Arm64ArchHooks hooks) {
        Map<String, Long> all = new java.util.LinkedHashMap<>();
        hooks.forEachCounter(all::put);
        return all;
    }

    /** Options with one field changed, by the record's canonical constructor. */
    static Arm64ArchHooksOptions options(int vaBits, String lazyMmu, String repeatTlbi, boolean kpti, boolean dmaCoherent) {
        return new Arm64ArchHooksOptions(vaBits, lazyMmu, repeatTlbi, false, kpti, dmaCoherent, "auto", true, "auto", Map.of());
    }
}
