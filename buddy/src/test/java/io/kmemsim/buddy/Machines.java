package io.kmemsim.buddy;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.trace.TraceListener;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;

/** Small machines and allocator factories for the buddy tests. */
final class Machines {

    static final long MIB = 1L << 20;
    /** 4K pages, DMA32 + Normal (+ Movable), no CMA, hugetlb and THP on: max order 10, pageblock order 9. */
    static final KernelConfig TWO_ZONES = new KernelConfig(PageSize.SIZE_4K, false, true, false, false, true, true);
    static final KernelConfig TWO_ZONES_CMA = new KernelConfig(PageSize.SIZE_4K, false, true, false, true, true, true);

    private Machines() {
    }

    /**
     * The 2-zone 64 MiB machine with a hole: RAM [0, 32 MiB) and [40 MiB, 72 MiB); DMA32 below 16 MiB
     * (PFN 4096), Normal above; a 1 MiB "kernel" reservation at 1 MiB; 2 CPUs.
     * DMA32: spanned = present 4096, managed 3840. Normal: spanned 14336, present = managed 12288.
     */
    static Platform twoZones() {
        return TestPlatforms.builder("test-2zone-hole", TWO_ZONES, 2)
                .bank(new MemoryBank(0, 0, 32 * MIB))
                .bank(new MemoryBank(0, 40 * MIB, 32 * MIB))
                .reserve(new ReservedRange("kernel", MIB, MIB, false))
                .limit(ZoneType.DMA32, (16 * MIB) >> 12)
                .limit(ZoneType.NORMAL, (72 * MIB) >> 12)
                .build();
    }

    /** Like {@link #twoZones()} with CMA configured and a 2 MiB "cma" area at 20 MiB (one pageblock, PFN 5120). */
    static Platform twoZonesWithCma() {
        return TestPlatforms.builder("test-2zone-cma", TWO_ZONES_CMA, 2)
                .bank(new MemoryBank(0, 0, 32 * MIB))
                .bank(new MemoryBank(0, 40 * MIB, 32 * MIB))
                .reserve(new ReservedRange("kernel", MIB, MIB, false))
                .reserve(new ReservedRange("cma", 20 * MIB, 2 * MIB, false))
                .limit(ZoneType.DMA32, (16 * MIB) >> 12)
                .limit(ZoneType.NORMAL, (72 * MIB) >> 12)
                .build();
    }

    /** A small 2-zone machine for property tests: RAM [0, 8 MiB) and [12 MiB, 20 MiB); DMA32 below 4 MiB; 2 CPUs. */
    static Platform small() {
        return TestPlatforms.builder("test-small", TWO_ZONES, 2)
                .bank(new MemoryBank(0, 0, 8 * MIB))
                .bank(new MemoryBank(0, 12 * MIB, 8 * MIB))
                .reserve(new ReservedRange("kernel", 2 * MIB, 256 * 1024, false))
                .limit(ZoneType.DMA32, (4 * MIB) >> 12)
                .limit(ZoneType.NORMAL, (20 * MIB) >> 12)
                .build();
    }

    static BuddyPageAllocator create(Platform p, String kernel) {
        return create(p, kernel, null, TraceListener.NONE, new BuddyOptions());
    }

    static BuddyPageAllocator create(Platform p, String kernel, FallbackPolicy policy, TraceListener trace, BuddyOptions options) {
        TestProviderContext.Builder b = TestProviderContext.builder().platform(p).kernel(kernel).traceListener(trace);
        if (policy != null) {
            b.fallbackPolicy(policy);
        }
        return (BuddyPageAllocator) new BuddyProvider().create(options, b.build());
    }
}
