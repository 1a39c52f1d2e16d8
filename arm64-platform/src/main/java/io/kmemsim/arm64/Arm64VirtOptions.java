package io.kmemsim.arm64;

import io.kmemsim.api.plugin.Doc;

/**
 * Options of the {@code arm64-virt} platform.
 *
 * @param size    RAM size (e.g. {@code 2G}); RAM starts at {@code 0x4000_0000}
 * @param cpus    number of CPUs
 * @param granule the translation granule = page size: {@code 4K}, {@code 16K} or {@code 64K}
 * @param cma     the CMA size (e.g. {@code 16M}; {@code 0} for none), or empty for Debian's arm64 default
 *                of 64 MiB ({@code CMA_SIZE_MBYTES=64}, kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma)
 */
public record Arm64VirtOptions(
        @Doc("RAM size like 2G; RAM starts at 0x40000000")
        String size,
        @Doc("number of CPUs")
        int cpus,
        @Doc("translation granule = page size: 4K, 16K or 64K")
        String granule,
        @Doc("CMA size like 16M (0 = none); empty = Debian's 64 MiB")
        String cma) {

    /** Defaults: 2 GiB (the size the reference's QEMU check booted), 1 CPU (QEMU's default), 4K pages, 64 MiB CMA. */
    public Arm64VirtOptions() {
        this("2G", 1, "4K", "");
    }

    public Arm64VirtOptions {
        java.util.Objects.requireNonNull(size, "size");
        java.util.Objects.requireNonNull(granule, "granule");
        java.util.Objects.requireNonNull(cma, "cma");
    }
}
