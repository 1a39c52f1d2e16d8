package io.kmemsim.engine.twin;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.procfs.Zoneinfo;
import java.util.List;
import java.util.Map;

/**
 * The real machine a bundle was captured on, as the twin rebuilds it: architecture, kernel version,
 * CPUs, kernel configuration, memory banks, the CMA area, the zones with the kernel's own settings at
 * the start of the trace, and the vm sysctls.
 *
 * @param arch     {@code arm64} or {@code x86_64} (from uname)
 * @param kernel   the kernel version (Debian's upstream version when uname names it)
 * @param cpus     CPUs ({@code nproc})
 * @param config   the kernel configuration facts
 * @param banks    RAM banks ({@code Early memory node ranges} of dmesg, else the zones' spans)
 * @param cmaBase  physical address of the CMA area, or −1 when none is known
 * @param cmaBytes bytes of the CMA area (0 for none)
 * @param zones    {@code zoneinfo.before.txt}
 * @param sysctls  {@code sysctl_vm_all.txt} ({@code name = value}); empty when absent
 * @param notes    what was inferred or defaulted, for the report
 */
public record Machine(String arch, KernelVersion kernel, int cpus, KernelConfig config, List<MemoryBank> banks,
                      long cmaBase, long cmaBytes, Zoneinfo zones, Map<String, String> sysctls, List<String> notes) {

    public Machine {
        banks = List.copyOf(banks);
        sysctls = Map.copyOf(sysctls);
        notes = List.copyOf(notes);
    }

    /**
     * {@code movablecore=} in MiB as the kernel applied it: the present pages of the populated Movable zones
     * (zoneinfo), 0 when there are none. The kernel takes ZONE_MOVABLE from the top of memory, its start rounded
     * to a MAX_ORDER block (6.1 {@code mm/page_alloc.c: find_zone_movable_pfns_for_nodes()}).
     */
    public long movablecoreMb() {
        long pages = 0;
        for (Zoneinfo.ZoneEntry z : zones.zones()) {
            if (z.zone() == io.kmemsim.api.kernel.ZoneType.MOVABLE && z.present() > 0) {
                pages += z.present();
            }
        }
        return (pages << config.pageSize().shift()) >> 20;
    }
}
