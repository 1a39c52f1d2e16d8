package io.kmemsim.arm64.mmu;

/**
 * Translation-table geometry of one granule and VA size (arch/arm64/include/asm/pgtable-hwdef.h: PMD_SHIFT (6.1); arch/arm64/Kconfig: ARM64_VA_BITS (6.1); arch/arm64/include/asm/sparsemem.h: SECTION_SIZE_BITS (6.1)):
 * {@code PAGE_SHIFT − 3} index bits per level, the shift of the region one entry maps at each
 * architectural level, the levels a VA size needs, and the contiguous-hint counts.
 *
 * <p>52-bit VA folds back to 48 bits at run time on cores without LPA2/LVA, which A76/A55 lack
 * (arch/arm64/Kconfig: ARM64_VA_BITS (6.1)), so {@code vaBits} 52 is walked as 48.
 *
 * @param pageShift {@code PAGE_SHIFT}: 12, 14 or 16
 * @param vaBits    the effective VA size walked
 */
record Granule(int pageShift, int vaBits) {

    Granule {
        if (pageShift != 12 && pageShift != 14 && pageShift != 16) {
            throw new IllegalArgumentException("page shift must be 12, 14 or 16: " + pageShift);
        }
    }

    /**
     * The granule for {@code pageShift} and a configured {@code VA_BITS} (arch/arm64/Kconfig: ARM64_VA_BITS (6.1) lists the pairs
     * Kconfig offers).
     *
     * @throws IllegalArgumentException naming the pair when Kconfig does not offer it
     */
    static Granule of(int pageShift, int configuredVaBits) {
        boolean offered = switch (pageShift) {
            case 12 -> configuredVaBits == 39 || configuredVaBits == 48 || configuredVaBits == 52;
            case 14 -> configuredVaBits == 36 || configuredVaBits == 47 || configuredVaBits == 48 || configuredVaBits == 52;
            default -> configuredVaBits == 42 || configuredVaBits == 48 || configuredVaBits == 52;
        };
        if (!offered) {
            throw new IllegalArgumentException("vaBits must be one Kconfig offers for " + (1 << (pageShift - 10))
                    + "K pages (arch/arm64/Kconfig: ARM64_VA_BITS (6.1)): " + configuredVaBits);
        }
        return new Granule(pageShift, Math.min(configuredVaBits, 48));
    }

    int bitsPerLevel() {
        return pageShift - 3;
    }

    /** Descriptors per table: {@code PAGE_SIZE / 8}. */
    int entries() {
        return 1 << bitsPerLevel();
    }

    long pageSize() {
        return 1L << pageShift;
    }

    /** {@code (VA_BITS − 4) / (PAGE_SHIFT − 3)}. */
    int levels() {
        return (vaBits - 4) / bitsPerLevel();
    }

    /** The architectural level of the top table (0 with 4 levels, 1 with 3). */
    int startLevel() {
        return 4 - levels();
    }

    /** {@code (PAGE_SHIFT − 3) × (4 − level) + 3}: the shift of the region one entry at {@code level} maps. */
    int shift(int level) {
        return bitsPerLevel() * (4 - level) + 3;
    }

    /** The index of {@code va} in a table at {@code level}. */
    int index(long va, int level) {
        return (int) ((va >>> shift(level)) & (entries() - 1));
    }

    /** True when Linux uses block entries at {@code level}: level 2 always, level 1 only with 4K (arch/arm64/include/asm/pgtable-hwdef.h: PMD_SHIFT (6.1)). */
    boolean blockAllowed(int level) {
        return level == 2 || (level == 1 && pageShift == 12);
    }

    /** {@code CONT_PTES}: 16 (4K), 128 (16K), 32 (64K). */
    int contPtes() {
        return switch (pageShift) {
            case 12 -> 16;
            case 14 -> 128;
            default -> 32;
        };
    }

    /** {@code CONT_PMDS}: 16 (4K), 32 (16K, 64K). */
    int contPmds() {
        return pageShift == 12 ? 16 : 32;
    }

    /** {@code MAX_DVM_OPS} = {@code PTRS_PER_PTE} (arch/arm64/include/asm/tlbflush.h: flush_tlb_page(), __flush_tlb_range() (6.1)). */
    int maxDvmOps() {
        return entries();
    }

    /** The lowest address of the kernel (TTBR1) half: {@code −2^VA_BITS}. */
    long kernelBase() {
        return -(1L << vaBits);
    }

    /** True when {@code va} is in the kernel (TTBR1) half. */
    boolean isKernelVa(long va) {
        return va >= kernelBase() && va < 0;
    }

    /** True when {@code va} is a user (TTBR0) address. */
    boolean isUserVa(long va) {
        return va >= 0 && va < (1L << vaBits);
    }
}
