/**
 * The ARM64 architecture hooks ({@code arm64}): stage-1 page tables held in simulated memory, the
 * barriers, TLB invalidations and cache maintenance the kernel issues around them, each counted and
 * charged from a per-core cost table (arch/arm64/include/asm/pgtable-hwdef.h: ARM64_HW_PGTABLE_LEVELS() (6.1); docs/kernel-facts.md#arm64-operation-costs).
 *
 * <p>The public surface is {@link io.kmemsim.arm64.mmu.Arm64ArchHooksProvider} and its options record;
 * everything else is package-private.
 */
package io.kmemsim.arm64.mmu;
