package io.kmemsim.arm64;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.plugin.ProviderContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The Radxa ROCK 5B+ (RK3588) presets, one provider per RAM size ({@code rock5b-plus-4g} …
 * {@code rock5b-plus-32g}), per docs/kernel-facts.md#arm64-and-rk3588.
 *
 * <ul>
 *   <li><b>CPUs</b> (docs/kernel-facts.md#arm64-and-rk3588): 8; CPUs 0–3 {@code cortex-a55}, CPUs 4–7 {@code cortex-a76}.</li>
 *   <li><b>Banks</b>: {@link Rock5bPlusMemoryMap} per {@link Rock5bPlusOptions#firmware()}.</li>
 *   <li><b>Zones</b> (arch/arm64/mm/init.c: zone_sizes_init() (6.1)): ZONE_DMA = RAM below 4 GiB, ZONE_DMA32 empty (its limit equals
 *       ZONE_DMA's because RK3588 has no restrictive {@code dma-ranges}), ZONE_NORMAL = RAM above 4 GiB
 *       (empty on boards without RAM there).</li>
 *   <li><b>Kernels</b> (docs/kernel-facts.md#arm64-and-rk3588): the Rockchip BSP series 5.10 and 6.1 (the 5.10 BSP uses the DT-driven
 *       zone rule, as its ROCK 5B log shows), and mainline 6.12 or later. Other series are refused.</li>
 *   <li><b>Reserved</b> (docs/kernel-facts.md#rk3588-memory-maps): inside RAM only the CMA area; the firmware regions of docs/kernel-facts.md#rk3588-memory-maps (TF-A and
 *       ATAGs in the first 2 MiB, SCMI shared memory, ramoops) lie below the first bank and never reach
 *       Linux's memory; OP-TEE is a bank split. Kernel image, DTB and initrd reservations are not modelled
 *       (their sizes vary by kernel and U-Boot environment, docs/kernel-facts.md#sources-and-versions). The mainline 5B+ DT's 160 MiB
 *       {@code hdmi_receiver_cma} pool is not modelled (kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma gives neither its placement nor its flags).</li>
 * </ul>
 */
public abstract class Rock5bPlusProvider implements PlatformProvider<Rock5bPlusOptions> {

    private static final long BSP_CMA_BASE = 0x1000_0000L;
    private static final long BSP_CMA_BYTES = 256L << 20;
    private static final long MAINLINE_CMA_BYTES = 32L << 20;

    private final int gib;

    Rock5bPlusProvider(int gib) {
        this.gib = gib;
    }

    @Override
    public final String id() {
        return "rock5b-plus-" + gib + "g";
    }

    @Override
    public final String description() {
        return "Radxa ROCK 5B+ (RK3588, 4x Cortex-A76 + 4x Cortex-A55) with " + gib
                + " GB LPDDR5; banks per firmware (mainline, vendor, legacy, legacy-mainline)"
                + (gib == 24 ? "; 24 GB layout inferred, no log" : "");
    }

    @Override
    public final Class<Rock5bPlusOptions> optionsType() {
        return Rock5bPlusOptions.class;
    }

    @Override
    public final Platform create(Rock5bPlusOptions options, ProviderContext context) {
        String name = id();
        KernelVersion kernel = context.kernel();
        boolean bsp = kernel.has(Feature.ROCKCHIP_BSP_5_10) || kernel.has(Feature.ROCKCHIP_BSP_6_1);
        if (!bsp && !kernel.has(Feature.ARM64_MAINLINE_RK3588)) {
            throw new IllegalArgumentException(name + " supports kernels 5.10 and 6.1 (Rockchip BSP) and 6.12 or later"
                    + " (mainline): " + kernel);
        }
        Firmware firmware = Firmware.parse(name, options.firmware());
        PageSize granule = Granules.parse(name, options.granule());
        // the presets list the firmware's carve-outs only: runs add the kernel's boot reservations, whose
        // Memory: line is checked against real ROCK 5B boot logs
        PlatformBuilder b = new PlatformBuilder(name, kernel, granule).kernelBootReservations(true);
        for (Rock5bPlusMemoryMap.PresetBank bank : Rock5bPlusMemoryMap.banks(gib, firmware)) {
            b.bank(bank.base(), bank.endExclusive());
        }
        if (bsp) {
            // Radxa's 6.1 BSP boot log prints available = present − reserved − CMA: no deferred struct-page init
            b.era(ZoneLimits.Era.DT_BITS).deferredStructPageInit(false);
        }
        long cmaBytes = options.cma().isBlank() ? (bsp ? BSP_CMA_BYTES : MAINLINE_CMA_BYTES)
                : Sizes.parseBytes(name + " option cma", options.cma());
        if (cmaBytes % granule.bytes() != 0) {
            throw new IllegalArgumentException(name + " option cma must be a multiple of the " + granule.label()
                    + " page size: " + options.cma());
        }
        b.cma(cmaBytes == 0 ? new PlatformBuilder.NoCma()
                : bsp ? new PlatformBuilder.FixedPool(BSP_CMA_BASE, cmaBytes) : new PlatformBuilder.DefaultArea(cmaBytes));
        List<String> cores = new ArrayList<>(8);
        for (int cpu = 0; cpu < 8; cpu++) {
            cores.add(cpu < 4 ? "cortex-a55" : "cortex-a76");
        }
        return b.coreTypes(cores).build();
    }
}
