package io.kmemsim.testkit.support;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.kernel.ZoneType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.apiguardian.api.API;

/**
 * Small in-memory {@link Platform}s for tests: memory maps built from banks, small enough that an
 * allocator's invariants can be checked after every operation.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TestPlatforms {

    private static final long MIB = 1L << 20;

    /** 4K pages, no DMA or DMA32 zone, no CMA; hugetlb and THP on (pageblock order 9). */
    public static final KernelConfig NORMAL_ONLY_CONFIG =
            new KernelConfig(PageSize.SIZE_4K, false, false, false, false, true, true);

    /** 4K pages with DMA, DMA32 and Normal; no CMA, no ZONE_DEVICE; hugetlb and THP on. */
    public static final KernelConfig THREE_ZONE_CONFIG =
            new KernelConfig(PageSize.SIZE_4K, true, true, false, false, true, true);

    private TestPlatforms() {
    }

    /**
     * One bank of 16 MiB at 1 GiB (PFNs 0x40000–0x40fff: 4096 pages, four order-10 blocks), all of
     * it in ZONE_NORMAL, 2 CPUs, nothing reserved.
     */
    public static Platform oneZone() {
        long base = 1024 * MIB;
        long end = base + 16 * MIB;
        return new Builder("test-1zone", NORMAL_ONLY_CONFIG, 2)
                .bank(new MemoryBank(0, base, 16 * MIB))
                .limit(ZoneType.NORMAL, end >> 12)
                .build();
    }

    /**
     * Two banks with a hole between them — [0, 16 MiB) and [32 MiB, 48 MiB) — split into DMA
     * (below 4 MiB), DMA32 (below 24 MiB) and Normal (the rest), 4 CPUs, with a 1 MiB
     * {@code kernel} reservation at 2 MiB and a 512 KiB {@code no-map} range at 40 MiB. 12288 PFNs
     * spanned, 8192 present.
     */
    public static Platform threeZones() {
        return new Builder("test-3zone", THREE_ZONE_CONFIG, 4)
                .bank(new MemoryBank(0, 0, 16 * MIB))
                .bank(new MemoryBank(0, 32 * MIB, 16 * MIB))
                .reserve(new ReservedRange("kernel", 2 * MIB, MIB, false))
                .reserve(new ReservedRange("firmware", 40 * MIB, 512 * 1024, true))
                .limit(ZoneType.DMA, (4 * MIB) >> 12)
                .limit(ZoneType.DMA32, (24 * MIB) >> 12)
                .limit(ZoneType.NORMAL, (48 * MIB) >> 12)
                .build();
    }

    /** Starts a platform of your own. */
    public static Builder builder(String name, KernelConfig config, int cpus) {
        return new Builder(name, config, cpus);
    }

    /** Builds an immutable {@link Platform}; banks and reservations must be added in ascending order. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public static final class Builder {
        private final String name;
        private final KernelConfig config;
        private final int cpus;
        private final java.util.ArrayList<MemoryBank> banks = new java.util.ArrayList<>();
        private final java.util.ArrayList<ReservedRange> reserved = new java.util.ArrayList<>();
        private final Map<ZoneType, Long> limits = new EnumMap<>(ZoneType.class);
        private long cmaBytes;
        private java.util.function.IntFunction<String> coreTypes = cpu -> "generic";

        private Builder(String name, KernelConfig config, int cpus) {
            this.name = Objects.requireNonNull(name, "name");
            this.config = Objects.requireNonNull(config, "config");
            if (cpus <= 0) {
                throw new IllegalArgumentException("cpus must be > 0: " + cpus);
            }
            this.cpus = cpus;
        }

        public Builder bank(MemoryBank bank) {
            banks.add(bank);
            return this;
        }

        public Builder reserve(ReservedRange range) {
            reserved.add(range);
            return this;
        }

        /** Sets {@code max_zone_pfns[zone]}, the exclusive upper PFN of {@code zone}. */
        public Builder limit(ZoneType zone, long pfn) {
            limits.put(zone, pfn);
            return this;
        }

        public Builder cmaBytes(long bytes) {
            this.cmaBytes = bytes;
            return this;
        }

        /** The core type of each CPU (e.g. {@code cpu -> cpu < 4 ? "cortex-a55" : "cortex-a76"}); "generic" by default. */
        @API(status = API.Status.EXPERIMENTAL, since = "0.2")
        public Builder coreTypes(java.util.function.IntFunction<String> types) {
            this.coreTypes = Objects.requireNonNull(types, "types");
            return this;
        }

        public Platform build() {
            return new FixedPlatform(name, cpus, config, List.copyOf(banks), List.copyOf(reserved),
                    new EnumMap<>(limits), cmaBytes, coreTypes);
        }
    }

    private record FixedPlatform(String name, int cpus, KernelConfig kernelConfig, List<MemoryBank> banks,
                                 List<ReservedRange> reserved, Map<ZoneType, Long> limits, long cmaBytes,
                                 java.util.function.IntFunction<String> coreTypes)
            implements Platform {

        @Override
        public String coreType(int cpu) {
            return coreTypes.apply(cpu);
        }

        @Override
        public OptionalLong zoneLimitPfn(ZoneType zone) {
            Long limit = limits.get(zone);
            return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
        }
    }
}
