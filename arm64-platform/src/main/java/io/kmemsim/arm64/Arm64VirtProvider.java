package io.kmemsim.arm64;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.plugin.ProviderContext;

/**
 * {@code arm64-virt}: QEMU's {@code virt} machine — one RAM bank from {@code 0x4000_0000}, no
 * {@code dma-ranges}, a Debian arm64 kernel (arch/arm64/mm/init.c: zone_sizes_init() (6.1); docs/kernel-facts.md#rk3588-memory-maps: DMA = RAM below 4 GiB,
 * DMA32 empty, Normal = RAM above 4 GiB or empty; checked on a real Debian 6.1.192 boot). Kernels 5.10 and
 * later; 5.10 uses the fixed 30-bit ZONE_DMA of mainline 5.5–5.10 (arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1)).
 */
public final class Arm64VirtProvider implements PlatformProvider<Arm64VirtOptions> {

    /** Where QEMU {@code virt} puts RAM. */
    static final long RAM_BASE = 0x4000_0000L;

    @Override
    public String id() {
        return "arm64-virt";
    }

    @Override
    public String description() {
        return "QEMU arm64 virt machine: one RAM bank from 0x40000000, Debian arm64 kernel defaults";
    }

    @Override
    public Class<Arm64VirtOptions> optionsType() {
        return Arm64VirtOptions.class;
    }

    @Override
    public Platform create(Arm64VirtOptions options, ProviderContext context) {
        String name = id();
        Arm64GenericProvider.requireKernel(name, context.kernel());
        PageSize granule = Granules.parse(name, options.granule());
        long size = Sizes.parseBytes(name + " option size", options.size());
        if (size <= 0 || size % granule.bytes() != 0) {
            throw new IllegalArgumentException(name + " option size must be a positive multiple of the "
                    + granule.label() + " page size: " + options.size());
        }
        PlatformBuilder b = new PlatformBuilder(name, context.kernel(), granule).bank(RAM_BASE, RAM_BASE + size);
        b.cma(Arm64GenericProvider.debianCma(name, options.cma(), granule));
        return b.coreTypes(Arm64GenericProvider.genericCores(name, options.cpus())).build();
    }
}
