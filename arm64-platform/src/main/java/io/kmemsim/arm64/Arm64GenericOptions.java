package io.kmemsim.arm64;

import io.kmemsim.api.plugin.Doc;
import io.kmemsim.api.plugin.Required;
import java.util.List;

/**
 * Options of the {@code arm64-generic} platform.
 *
 * @param banks    RAM banks, each {@code 0xBASE-0xLAST} (last byte inclusive, as the kernel prints) or
 *                 {@code 0xBASE+SIZE} (e.g. {@code 0x80000000+4G})
 * @param reserved boot-time reservations inside RAM, each {@code [NAME=]RANGE[:nomap]} with RANGE as for
 *                 banks (e.g. {@code optee=0x08400000+16M:nomap}); {@code nomap} ranges split the memblock
 *                 regions and stay present (mm/page_alloc.c: free_area_init() (6.1))
 * @param dmaLimit the highest CPU address every DMA-limited bus reaches (what the device tree's
 *                 {@code dma-ranges} give, e.g. {@code 0x3fffffff} for a 30-bit bus), or empty for none
 *                 (arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1)); kernels before 5.11 use a fixed 30-bit ZONE_DMA and refuse it
 * @param cpus     number of CPUs
 * @param granule  the translation granule = page size: {@code 4K}, {@code 16K} or {@code 64K}
 * @param cma      the CMA size (e.g. {@code 16M}; {@code 0} for none), or empty for Debian's arm64 default
 *                 of 64 MiB, placed top-down below the DMA limit (kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma)
 */
public record Arm64GenericOptions(
        @Required
        @Doc("RAM banks: list of 0xBASE-0xLAST (inclusive) or 0xBASE+SIZE")
        List<String> banks,
        @Doc("reservations inside RAM: list of [NAME=]RANGE[:nomap]")
        List<String> reserved,
        @Doc("highest CPU address DMA-limited buses reach (DT dma-ranges), e.g. 0x3fffffff; empty = none")
        String dmaLimit,
        @Doc("number of CPUs")
        int cpus,
        @Doc("translation granule = page size: 4K, 16K or 64K")
        String granule,
        @Doc("CMA size like 16M (0 = none); empty = Debian's 64 MiB")
        String cma) {

    /** Defaults for everything but the banks, which a scenario must give. */
    public Arm64GenericOptions() {
        this(List.of(), List.of(), "", 1, "4K", "");
    }

    public Arm64GenericOptions {
        banks = List.copyOf(banks);
        reserved = List.copyOf(reserved);
        java.util.Objects.requireNonNull(dmaLimit, "dmaLimit");
        java.util.Objects.requireNonNull(granule, "granule");
        java.util.Objects.requireNonNull(cma, "cma");
    }
}
