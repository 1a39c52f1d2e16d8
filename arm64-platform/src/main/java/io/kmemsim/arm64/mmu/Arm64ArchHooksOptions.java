package io.kmemsim.arm64.mmu;

import io.kmemsim.api.plugin.Doc;
import java.util.Map;
import java.util.Objects;

/**
 * Options of the {@code arm64} architecture hooks (docs/arch.md lists every default and its source).
 *
 * @param vaBits          {@code CONFIG_ARM64_VA_BITS}: 39 (3 levels with 4K), 48 or 52 (walked as 48 on
 *                        A76/A55, which lack LPA2/LVA) (arch/arm64/Kconfig: ARM64_VA_BITS (6.1))
 * @param lazyMmu         kernel PTE barriers batched in lazy-MMU sections: {@code auto} (6.16+), {@code on}, {@code off} (arch/arm64/include/asm/pgtable.h: set_pte() (6.1))
 * @param repeatTlbi      repeat-TLBI erratum workaround: {@code auto} (per version and cores, arch/arm64/include/asm/tlbflush.h: flush_tlb_page(), __flush_tlb_range() (6.1)), {@code off},
 *                        {@code repeat} (repeat every TLBI), {@code sync} (one extra TLBI + DSB per sync)
 * @param tlbiRange       FEAT_TLBIRANGE: range TLBIs instead of per-page loops (false on A76/A55)
 * @param kpti            kernel page-table isolation on: ASID-based TLBIs issued for both ASIDs, kernel entries nG (arch/arm64/include/asm/memory.h: PAGE_OFFSET, VMEMMAP_START (6.1))
 * @param dmaCoherent     DMA masters are cache-coherent (no streaming maintenance); false on RK3588 (arch/arm64/mm/dma-mapping.c: arch_sync_dma_for_device(), arch_dma_prep_coherent() (6.1))
 * @param icacheAliasing  aliasing I-cache path for executable pages: {@code auto} (any Cortex-A55, VIPT), {@code on}, {@code off} (arch/arm64/include/asm/cache.h: cache_line_size() (6.1); arch/arm64/mm/flush.c: __sync_icache_dcache() (6.1))
 * @param linearMapBlocks the linear map uses 1 GiB / 2 MiB blocks and contiguous hints; false maps it with pages
 * @param costTable       {@code auto} (each CPU's core type from the platform) or one of
 *                        {@code cortex-a76}, {@code cortex-a55}, {@code generic} for every CPU
 * @param costs           cycle overrides: {@code op} (every core type) or {@code core:op}, e.g.
 *                        {@code dsb_ishst: 40}, {@code cortex-a55:dvm_sync: 250}
 */
public record Arm64ArchHooksOptions(
        @Doc("CONFIG_ARM64_VA_BITS: 39 (3 levels with 4K pages), 48 or 52 (walked as 48 on A76/A55)") int vaBits,
        @Doc("kernel PTE barriers batched in lazy-MMU sections: auto (6.16+), on, off") String lazyMmu,
        @Doc("repeat-TLBI erratum workaround: auto (per kernel version and cores), off, repeat, sync") String repeatTlbi,
        @Doc("FEAT_TLBIRANGE range TLBIs (false on Cortex-A76/A55)") boolean tlbiRange,
        @Doc("kernel page-table isolation: ASID TLBIs issued twice, kernel entries non-global") boolean kpti,
        @Doc("DMA masters cache-coherent (no streaming maintenance); false on RK3588") boolean dmaCoherent,
        @Doc("aliasing I-cache path for executable pages: auto (any cortex-a55), on, off") String icacheAliasing,
        @Doc("linear map with 1 GiB / 2 MiB blocks and contiguous hints (false: pages only)") boolean linearMapBlocks,
        @Doc("cost table: auto (per CPU core type from the platform), cortex-a76, cortex-a55 or generic") String costTable,
        @Doc("cycle overrides per operation: op or core:op, e.g. dsb_ishst or cortex-a55:dvm_sync") Map<String, Long> costs) {

    public Arm64ArchHooksOptions {
        Objects.requireNonNull(lazyMmu, "lazyMmu");
        Objects.requireNonNull(repeatTlbi, "repeatTlbi");
        Objects.requireNonNull(icacheAliasing, "icacheAliasing");
        Objects.requireNonNull(costTable, "costTable");
        costs = costs == null ? Map.of() : Map.copyOf(costs);
    }

    /** Defaults: 48-bit VA, version-derived lazy MMU and erratum, no range TLBI, no KPTI, non-coherent DMA. */
    public Arm64ArchHooksOptions() {
        this(48, "auto", "auto", false, false, false, "auto", true, "auto", Map.of());
    }
}
