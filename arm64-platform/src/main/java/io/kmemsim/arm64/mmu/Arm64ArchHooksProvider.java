package io.kmemsim.arm64.mmu;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.plugin.ArchHooksProvider;
import io.kmemsim.api.plugin.ProviderContext;

/**
 * {@code arm64}: page tables in simulated memory, barriers, TLB and cache maintenance on ARM64
 * (Cortex-A76/A55 as on the RK3588), per kernel version (arch/arm64/include/asm/pgtable-hwdef.h: ARM64_HW_PGTABLE_LEVELS() (6.1); docs/kernel-facts.md#arm64-operation-costs; docs/arch.md).
 *
 * <p>Page-table pages are taken from the run's page allocator at first use, not in {@link #create}:
 * the host creates the allocator after the hooks.
 */
public final class Arm64ArchHooksProvider implements ArchHooksProvider<Arm64ArchHooksOptions> {

    @Override
    public String id() {
        return "arm64";
    }

    @Override
    public String description() {
        return "ARM64 page tables, barriers, TLB and cache maintenance, counted and costed per core type (Cortex-A76/A55)";
    }

    @Override
    public Class<Arm64ArchHooksOptions> optionsType() {
        return Arm64ArchHooksOptions.class;
    }

    @Override
    public ArchHooks create(Arm64ArchHooksOptions options, ProviderContext context) {
        return build(options, context);
    }

    /** The hooks with their package-private type, for tests. */
    static Arm64ArchHooks build(Arm64ArchHooksOptions options, ProviderContext context) {
        Platform platform = context.platform();
        Granule granule = Granule.of(context.kernelConfig().pageSize().shift(), options.vaBits());
        Arm64Rules rules = Arm64Rules.of(context.kernel(), platform, options);
        CostTable costs = CostTable.create(platform, options.costTable(), options.costs());
        Ledger ledger = new Ledger(costs, rules);
        Tlb tlb = new Tlb(ledger, rules, granule);
        Caches caches = new Caches(ledger, rules, granule.pageShift());
        Mmu mmu = new Mmu(granule, rules, ledger, tlb, caches, context::pageAllocator, platform.banks());
        return new Arm64ArchHooks(granule, ledger, tlb, caches, mmu);
    }
}
