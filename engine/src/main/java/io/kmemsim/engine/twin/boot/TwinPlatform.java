package io.kmemsim.engine.twin.boot;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.ZoneType;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The machine of a bundle as a {@link Platform}: banks from {@code Early memory node ranges}, zone limits
 * from {@code Zone ranges}, the modelled boot reservations, and the late-released ranges.
 */
record TwinPlatform(String name, int cpus, KernelConfig kernelConfig, List<MemoryBank> banks,
                    List<ReservedRange> reserved, List<ReservedRange> releasedAfterInit,
                    Map<ZoneType, Long> zoneLimits, long cmaBytes) implements Platform {

    TwinPlatform {
        banks = List.copyOf(banks);
        reserved = List.copyOf(reserved);
        releasedAfterInit = List.copyOf(releasedAfterInit);
        zoneLimits = Map.copyOf(zoneLimits);
    }

    @Override
    public OptionalLong zoneLimitPfn(ZoneType zone) {
        Long limit = zoneLimits.get(zone);
        return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
    }
}
