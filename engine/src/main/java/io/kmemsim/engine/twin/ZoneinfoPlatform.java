package io.kmemsim.engine.twin;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.engine.procfs.Zoneinfo;
import java.util.List;
import java.util.OptionalLong;

/**
 * The platform of a bundle's machine: its banks, its zone limits as the kernel's own zoneinfo shows them
 * (a zone's limit is its {@code start_pfn + spanned}; an empty zone's limit is the one below), and the CMA
 * area from dmesg. Boot-time reservations are not modelled here: the twin's start state sets every page.
 * (The boot twin's platform, {@code twin.boot.TwinPlatform}, is built from the boot lines instead, with the
 * modelled memblock reservations: a different source for a different question.)
 */
final class ZoneinfoPlatform implements Platform {

    private final Machine machine;

    ZoneinfoPlatform(Machine machine) {
        this.machine = machine;
    }

    @Override
    public String name() {
        return "twin-" + machine.arch();
    }

    @Override
    public int cpus() {
        return machine.cpus();
    }

    @Override
    public KernelConfig kernelConfig() {
        return machine.config();
    }

    @Override
    public List<MemoryBank> banks() {
        return machine.banks();
    }

    @Override
    public List<ReservedRange> reserved() {
        return machine.cmaBytes() > 0 ? List.of(new ReservedRange("cma", machine.cmaBase(), machine.cmaBytes(), false))
                : List.of();
    }

    @Override
    public OptionalLong zoneLimitPfn(ZoneType zone) {
        if (zone != ZoneType.DMA && zone != ZoneType.DMA32 && zone != ZoneType.NORMAL) {
            return OptionalLong.empty();
        }
        long limit = 0;
        for (ZoneType t : machine.config().zones()) {
            for (Zoneinfo.ZoneEntry e : machine.zones().zones()) {
                if (e.zone() == t && e.node() == 0 && e.spanned() > 0 && e.startPfn() >= 0) {
                    limit = e.startPfn() + e.spanned();
                }
                // ZONE_MOVABLE (movablecore=) is carved from the top of the highest zone: that zone's limit
                // is the end of memory, as the boot line "Zone ranges" prints it
                if (t == ZoneType.NORMAL && e.zone() == ZoneType.MOVABLE && e.node() == 0 && e.spanned() > 0
                        && e.startPfn() >= 0) {
                    limit = Math.max(limit, e.startPfn() + e.spanned());
                }
            }
            if (t == zone) {
                return machine.config().zones().contains(zone) ? OptionalLong.of(limit) : OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public long cmaBytes() {
        return machine.cmaBytes();
    }
}
