package io.kmemsim.arm64;

import io.kmemsim.api.plugin.Doc;

/**
 * Options of the {@code rock5b-plus-*} platforms.
 *
 * @param firmware which boot firmware laid out the banks (docs/kernel-facts.md#rk3588-memory-maps):
 *                 {@code mainline} (Preset A), {@code vendor} (Preset B, OP-TEE split),
 *                 {@code legacy} (Preset C: vendor split, no hole-alias bank) or {@code legacy-mainline}
 *                 (Preset C without the split)
 * @param granule  the translation granule = page size: {@code 4K}, {@code 16K} or {@code 64K}
 * @param cma      the CMA size (e.g. {@code 16M}; {@code 0} for none), or empty for the kernel family's
 *                 default (kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma): Rockchip BSP 5.10/6.1 = the vendor device tree's 256 MiB pool at
 *                 {@code 0x1000_0000}; mainline 6.12+ = 32 MiB ({@code CMA_SIZE_MBYTES=32}) top-down
 *                 below the DMA limit
 */
public record Rock5bPlusOptions(
        @Doc("boot firmware: mainline (Preset A), vendor (OP-TEE split), legacy (split, no hole-alias bank), legacy-mainline (no split, no alias)")
        String firmware,
        @Doc("translation granule = page size: 4K, 16K or 64K")
        String granule,
        @Doc("CMA size like 16M (0 = none); empty = kernel default: BSP 5.10/6.1 256 MiB DT pool at 0x10000000, mainline 32 MiB")
        String cma) {

    /** Defaults: mainline firmware, 4K pages, the kernel family's CMA. */
    public Rock5bPlusOptions() {
        this("mainline", "4K", "");
    }

    public Rock5bPlusOptions {
        java.util.Objects.requireNonNull(firmware, "firmware");
        java.util.Objects.requireNonNull(granule, "granule");
        java.util.Objects.requireNonNull(cma, "cma");
    }
}
