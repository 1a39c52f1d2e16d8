package io.kmemsim.arm64;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.kernel.PageSize;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Assembles an {@link Arm64Platform} from banks, fixed reservations and a CMA choice: checks the banks
 * (sorted, disjoint, page aligned), computes the zone limits of arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1) and places the CMA area (kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma).
 * Every error names the platform and the option concerned.
 */
final class PlatformBuilder {

    /** How CMA is reserved: none, the default area of a size, or a fixed device-tree pool. */
    sealed interface Cma permits NoCma, DefaultArea, FixedPool {
    }

    record NoCma() implements Cma {
    }

    record DefaultArea(long bytes) implements Cma {
    }

    record FixedPool(long base, long bytes) implements Cma {
    }

    private final String name;
    private final KernelVersion kernel;
    private final KernelConfig config;
    private final List<MemoryBank> banks = new ArrayList<>();
    private final List<ReservedRange> reserved = new ArrayList<>();
    private boolean deferredStructPageInit = true;
    private boolean kernelBootReservations;
    private ZoneLimits.Era era;
    private long dmaLimit = -1;
    private Cma cma = new NoCma();
    private List<String> coreTypes = List.of("generic");

    PlatformBuilder(String name, KernelVersion kernel, PageSize granule) {
        this.name = name;
        this.kernel = kernel;
        this.config = KernelConfig.ARM64_DISTRO.withPageSize(granule);
        this.era = ZoneLimits.Era.of(kernel);
    }

    PlatformBuilder bank(long base, long endExclusive) {
        banks.add(new MemoryBank(0, base, endExclusive - base));
        return this;
    }

    PlatformBuilder reserve(ReservedRange range) {
        reserved.add(range);
        return this;
    }

    PlatformBuilder era(ZoneLimits.Era value) {
        this.era = value;
        return this;
    }

    PlatformBuilder dmaLimit(long lastByte) {
        this.dmaLimit = lastByte;
        return this;
    }

    PlatformBuilder cma(Cma value) {
        this.cma = value;
        return this;
    }

    PlatformBuilder coreTypes(List<String> types) {
        this.coreTypes = List.copyOf(types);
        return this;
    }

    /** The pageblock size in bytes of this kernel and granule ({@link PageOrders#pageblockOrder}). */
    long pageblockBytes() {
        return config.pageSize().bytes() << PageOrders.pageblockOrder(kernel, config);
    }

    /** Whether the kernel defers struct-page init (true, Debian's setting, unless told otherwise). */
    /** A board preset: runs boot with the kernel's memblock reservations added ({@link Arm64Platform}). */
    PlatformBuilder kernelBootReservations(boolean modelled) {
        this.kernelBootReservations = modelled;
        return this;
    }

    PlatformBuilder deferredStructPageInit(boolean deferred) {
        this.deferredStructPageInit = deferred;
        return this;
    }

    Arm64Platform build() {
        checkBanks();
        long start = banks.get(0).base();
        long end = banks.get(banks.size() - 1).base() + banks.get(banks.size() - 1).size();
        long[] zoneEnds = ZoneLimits.endPfns(era, start, end, dmaLimit, config.pageSize().shift());
        List<ReservedRange> all = new ArrayList<>(reserved);
        long cmaBytes = 0;
        if (cma instanceof DefaultArea d && d.bytes() > 0) {
            long dmaTop = zoneEnds[0] << config.pageSize().shift();
            ReservedRange area = CmaArea.placeDefault(name, banks, reserved, d.bytes(), dmaTop, pageblockBytes());
            all.add(area);
            cmaBytes = area.size();
        } else if (cma instanceof FixedPool f && f.bytes() > 0) {
            all.add(CmaArea.fixedPool(name, banks, f.base(), f.bytes(), pageblockBytes()));
            cmaBytes = f.bytes();
        }
        all.sort(Comparator.comparingLong(ReservedRange::base));
        checkReserved(all);
        return new Arm64Platform(name, config, banks, all, zoneEnds, cmaBytes, coreTypes, deferredStructPageInit,
                kernelBootReservations);
    }

    private void checkBanks() {
        if (banks.isEmpty()) {
            throw new IllegalArgumentException(name + " option banks: at least one RAM bank is needed");
        }
        banks.sort(Comparator.comparingLong(MemoryBank::base));
        long page = config.pageSize().bytes();
        long previousEnd = -1;
        for (MemoryBank b : banks) {
            if (b.base() % page != 0 || b.size() % page != 0) {
                throw new IllegalArgumentException(name + " option banks: bank " + range(b.base(), b.size())
                        + " is not aligned to the " + config.pageSize().label() + " page size");
            }
            if (b.base() <= previousEnd) {
                throw new IllegalArgumentException(name + " option banks: bank " + range(b.base(), b.size())
                        + " overlaps the bank before it");
            }
            previousEnd = b.end();
        }
    }

    private void checkReserved(List<ReservedRange> all) {
        long previousEnd = -1;
        for (ReservedRange r : all) {
            if (r.base() <= previousEnd) {
                throw new IllegalArgumentException(name + " option reserved: " + r.name() + " "
                        + range(r.base(), r.size()) + " overlaps another reserved range");
            }
            previousEnd = r.end();
            boolean inside = banks.stream().anyMatch(b -> r.base() >= b.base() && r.end() <= b.end());
            if (!inside) {
                throw new IllegalArgumentException(name + " option reserved: " + r.name() + " "
                        + range(r.base(), r.size()) + " does not lie inside one RAM bank");
            }
        }
    }

    private static String range(long base, long size) {
        return "[mem " + Sizes.hex(base) + "-" + Sizes.hex(base + size - 1) + "]";
    }
}
