package io.kmemsim.arm64;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.plugin.ProviderContext;
import java.util.Collections;
import java.util.List;

/**
 * {@code arm64-generic}: an arm64 machine built from the banks, reservations and DMA limit the scenario
 * lists, with a Debian arm64 kernel's defaults (arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1) zone rules by era, kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma
 * CMA). Kernels 5.10 and later.
 */
public final class Arm64GenericProvider implements PlatformProvider<Arm64GenericOptions> {

    private static final long DEBIAN_CMA_BYTES = 64L << 20;

    @Override
    public String id() {
        return "arm64-generic";
    }

    @Override
    public String description() {
        return "Generic arm64 machine from a list of RAM banks, reservations and a DMA limit; Debian arm64 kernel defaults";
    }

    @Override
    public Class<Arm64GenericOptions> optionsType() {
        return Arm64GenericOptions.class;
    }

    @Override
    public Platform create(Arm64GenericOptions options, ProviderContext context) {
        String name = id();
        KernelVersion kernel = context.kernel();
        requireKernel(name, kernel);
        PageSize granule = Granules.parse(name, options.granule());
        PlatformBuilder b = new PlatformBuilder(name, kernel, granule);
        for (String bank : options.banks()) {
            long[] r = Sizes.parseRange(name + " option banks", bank);
            b.bank(r[0], r[1]);
        }
        for (String text : options.reserved()) {
            b.reserve(parseReserved(name, text));
        }
        if (!options.dmaLimit().isBlank()) {
            if (!kernel.has(Feature.ARM64_ZONE_DMA_FROM_DT)) {
                throw new IllegalArgumentException(name + " option dma-limit needs kernel 5.11 or later (5.10 has a fixed"
                        + " 30-bit ZONE_DMA): " + kernel);
            }
            b.dmaLimit(Sizes.parseAddress(name + " option dma-limit", options.dmaLimit()));
        }
        b.cma(debianCma(name, options.cma(), granule));
        return b.coreTypes(genericCores(name, options.cpus())).build();
    }

    static void requireKernel(String name, KernelVersion kernel) {
        if (!kernel.has(Feature.ARM64_MODELLED)) {
            throw new IllegalArgumentException(name + " supports kernels 5.10 and later: " + kernel);
        }
    }

    static PlatformBuilder.Cma debianCma(String name, String cma, PageSize granule) {
        long bytes = cma.isBlank() ? DEBIAN_CMA_BYTES : Sizes.parseBytes(name + " option cma", cma);
        if (bytes % granule.bytes() != 0) {
            throw new IllegalArgumentException(name + " option cma must be a multiple of the " + granule.label()
                    + " page size: " + cma);
        }
        return bytes == 0 ? new PlatformBuilder.NoCma() : new PlatformBuilder.DefaultArea(bytes);
    }

    static List<String> genericCores(String name, int cpus) {
        if (cpus < 1 || cpus > 4096) {
            throw new IllegalArgumentException(name + " option cpus must be in [1, 4096]: " + cpus);
        }
        return Collections.nCopies(cpus, "generic");
    }

    /** {@code [NAME=]RANGE[:nomap]}. */
    private static ReservedRange parseReserved(String name, String text) {
        String t = text.trim();
        boolean nomap = t.endsWith(":nomap");
        if (nomap) {
            t = t.substring(0, t.length() - ":nomap".length());
        }
        int eq = t.indexOf('=');
        String label = eq > 0 ? t.substring(0, eq).trim() : "reserved";
        if (label.equals(CmaArea.DEFAULT_NAME) || label.equals(CmaArea.DT_POOL_NAME)) {
            throw new IllegalArgumentException(name + " option reserved: the name " + label
                    + " is kept for CMA; set option cma instead: " + text);
        }
        long[] r = Sizes.parseRange(name + " option reserved", eq > 0 ? t.substring(eq + 1) : t);
        return new ReservedRange(label, r[0], r[1] - r[0], nomap);
    }
}
