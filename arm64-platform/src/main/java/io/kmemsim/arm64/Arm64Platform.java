package io.kmemsim.arm64;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.ZoneType;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An immutable arm64 {@link Platform}: what every provider of this module creates.
 *
 * @param name      the preset id
 * @param config    the kernel configuration (Debian/vendor arm64 defaults with the chosen granule)
 * @param banks     RAM banks, sorted and disjoint
 * @param reserved  boot-time reservations inside RAM, sorted and disjoint
 * @param zoneEnds  exclusive end PFNs of DMA, DMA32 and Normal (arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1))
 * @param cmaBytes  total CMA bytes
 * @param coreTypes the core type of each CPU
 * @param deferredStructPageInit the kernel defers struct-page init (Debian: yes; Rockchip BSP: no)
 * @param kernelBootReservationsModelled runs add the kernel's boot reservations ({@link Platform#kernelBootReservationsModelled})
 */
record Arm64Platform(String name, KernelConfig config, List<MemoryBank> banks, List<ReservedRange> reserved,
                     long[] zoneEnds, long cmaBytes, List<String> coreTypes, boolean deferredStructPageInit,
                     boolean kernelBootReservationsModelled)
        implements Platform {

    Arm64Platform {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        banks = List.copyOf(banks);
        reserved = List.copyOf(reserved);
        zoneEnds = zoneEnds.clone();
        coreTypes = List.copyOf(coreTypes);
        if (zoneEnds.length != 3) {
            throw new IllegalArgumentException("zoneEnds must hold DMA, DMA32 and Normal: " + zoneEnds.length);
        }
    }

    @Override
    public int cpus() {
        return coreTypes.size();
    }

    @Override
    public KernelConfig kernelConfig() {
        return config;
    }

    @Override
    public OptionalLong zoneLimitPfn(ZoneType zone) {
        return switch (zone) {
            case DMA -> config.zoneDma() ? OptionalLong.of(zoneEnds[0]) : OptionalLong.empty();
            case DMA32 -> config.zoneDma32() ? OptionalLong.of(zoneEnds[1]) : OptionalLong.empty();
            case NORMAL -> OptionalLong.of(zoneEnds[2]);
            case MOVABLE, DEVICE -> OptionalLong.empty();
        };
    }

    @Override
    public String coreType(int cpu) {
        if (cpu < 0 || cpu >= coreTypes.size()) {
            throw new IllegalArgumentException("cpu must be in [0, " + (coreTypes.size() - 1) + "]: " + cpu);
        }
        return coreTypes.get(cpu);
    }

    @Override
    public long[] zoneEnds() {
        return zoneEnds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Arm64Platform p && p.name.equals(name) && p.config.equals(config) && p.banks.equals(banks)
                && p.reserved.equals(reserved) && java.util.Arrays.equals(p.zoneEnds, zoneEnds)
                && p.cmaBytes == cmaBytes && p.coreTypes.equals(coreTypes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, config, banks, reserved, java.util.Arrays.hashCode(zoneEnds), cmaBytes, coreTypes);
    }

    @Override
    public String toString() {
        return name + " " + banks.size() + " banks, " + config.pageSize().label() + " pages";
    }
}
