package io.kmemsim.arm64.mmu;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;

/**
 * The version- and machine-dependent rules the hooks follow, decided once per run from the kernel
 * version, the platform's core types and the options (arch/arm64/include/asm/pgtable-hwdef.h: PTE_VALID (6.1); arch/arm64/mm/cache.S: dcache_clean_inval_poc (6.1)).
 *
 * @param era              descriptor software bits and MAIR indices (arch/arm64/include/asm/pgtable-prot.h: PTE_DIRTY (6.1); arch/arm64/include/asm/memory.h: MT_NORMAL (6.1))
 * @param lazyMmu          kernel PTE / table barriers are queued inside lazy-MMU sections and
 *                         {@code set_ptes} emits one pair: 6.16+ (arch/arm64/include/asm/pgtable.h: set_pte(), set_pmd() (6.1))
 * @param dmaMapCleansAll  {@code arch_sync_dma_for_device} cleans for every direction: ≈5.19+
 *                         (c50f11c6196f); before, FROM_DEVICE invalidated (arch/arm64/mm/dma-mapping.c: arch_sync_dma_for_device(), arch_dma_prep_coherent() (6.1))
 * @param contPteUser      {@code CONFIG_ARM64_CONTPTE}: user folios of ≥ 16 aligned pages get the
 *                         Contiguous bit: ≈6.9+ (arch/arm64/mm/contpte.c: contpte_convert() (6.9))
 * @param tlbiErratum      the repeat-TLBI workaround in force (arch/arm64/include/asm/tlbflush.h: flush_tlb_page(), __flush_tlb_range() (6.1))
 * @param kpti             kernel unmapped at EL0: ASID TLBIs issued twice, kernel entries nG (arch/arm64/include/asm/memory.h: PAGE_OFFSET, VMEMMAP_START (6.1))
 * @param tlbiRange        FEAT_TLBIRANGE (false on A76/A55, arch/arm64/include/asm/tlbflush.h: flush_tlb_page(), __flush_tlb_range() (6.1))
 * @param dmaCoherent      DMA masters coherent (false on RK3588 [INF], arch/arm64/mm/dma-mapping.c: arch_sync_dma_for_device(), arch_dma_prep_coherent() (6.1))
 * @param icacheAliasing   some CPU has a VIPT I-cache, so the whole system uses the aliasing path (arch/arm64/include/asm/cache.h: cache_line_size() (6.1); arch/arm64/kernel/cpufeature.c: ftr_ctr[] (6.1))
 * @param idc              {@code CTR_EL0.IDC} effective: D-cache clean to PoU not needed (arch/arm64/include/asm/cache.h: cache_line_size() (6.1); arch/arm64/kernel/cpufeature.c: ftr_ctr[] (6.1))
 * @param dic              {@code CTR_EL0.DIC}: I-cache invalidation not needed (arch/arm64/include/asm/cache.h: cache_line_size() (6.1); arch/arm64/kernel/cpufeature.c: ftr_ctr[] (6.1))
 * @param linearMapBlocks  the linear map uses 1 GiB / 2 MiB blocks and contiguous hints
 */
record Arm64Rules(DescriptorEra era, boolean lazyMmu, boolean dmaMapCleansAll, boolean contPteUser,
                  TlbiErratum tlbiErratum, boolean kpti, boolean tlbiRange, boolean dmaCoherent,
                  boolean icacheAliasing, boolean idc, boolean dic, boolean linearMapBlocks) {

    /** The repeat-TLBI workaround forms (arch/arm64/include/asm/tlbflush.h: flush_tlb_page(), __flush_tlb_range() (6.1)). */
    enum TlbiErratum {
        /** No workaround. */
        NONE,
        /** Older point releases: every TLBI is followed by {@code dsb ish} and the same TLBI again [MEM shape]. */
        REPEAT,
        /** 6.1.176+, 6.12.94+ and later stables: one extra {@code tlbi vale1is, xzr; dsb ish} per TLB sync. */
        SYNC
    }

    /** The rules for {@code kernel} on {@code platform} with {@code options}. */
    static Arm64Rules of(KernelVersion kernel, Platform platform, Arm64ArchHooksOptions options) {
        boolean a76 = false;
        boolean a55 = false;
        for (int cpu = 0; cpu < platform.cpus(); cpu++) {
            String type = platform.coreType(cpu);
            a76 |= "cortex-a76".equals(type);
            a55 |= "cortex-a55".equals(type);
        }
        boolean lazy = switch (options.lazyMmu()) {
            case "auto" -> kernel.has(Feature.ARM64_DESCRIPTORS_6_16);
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("lazyMmu must be auto, on or off: " + options.lazyMmu());
        };
        TlbiErratum erratum = switch (options.repeatTlbi()) {
            case "auto" -> autoErratum(kernel, a76, a55);
            case "off" -> TlbiErratum.NONE;
            case "repeat" -> TlbiErratum.REPEAT;
            case "sync" -> TlbiErratum.SYNC;
            default -> throw new IllegalArgumentException("repeatTlbi must be auto, off, repeat or sync: " + options.repeatTlbi());
        };
        boolean aliasing = switch (options.icacheAliasing()) {
            case "auto" -> a55;
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("icacheAliasing must be auto, on or off: " + options.icacheAliasing());
        };
        return new Arm64Rules(DescriptorEra.of(kernel), lazy, kernel.has(Feature.ARM64_DMA_MAP_CLEANS_ALL), kernel.has(Feature.ARM64_CONTPTE),
                erratum, options.kpti(), options.tlbiRange(), options.dmaCoherent(), aliasing, true, false,
                options.linearMapBlocks());
    }

    /**
     * The workaround a kernel applies on these cores (arch/arm64/include/asm/tlbflush.h: flush_tlb_page() (6.1); docs/kernel-facts.md#sources-and-versions): A76 erratum 4118414 (sync
     * form) in 6.1.176+, 6.12.94+ and 6.18.48+ (the 6.18.48 RK3588 log detects it); A55 erratum
     * 2441007 (Kconfig default y in 6.1, n in 6.12) in 6.1: the repeat form before 6.1.176, the sync
     * form from it. The 6.6.y point release carrying the backport is not in the reference, so 6.6 and
     * every other series get no workaround unless the option asks for one.
     */
    static TlbiErratum autoErratum(KernelVersion kernel, boolean a76, boolean a55) {
        boolean syncBackport = kernel.has(Feature.ARM64_A76_TLBI_SYNC);
        if (a76 && syncBackport) {
            return TlbiErratum.SYNC;
        }
        if (a55 && kernel.has(Feature.ROCKCHIP_BSP_6_1)) {
            return syncBackport ? TlbiErratum.SYNC : TlbiErratum.REPEAT;
        }
        return TlbiErratum.NONE;
    }
}
