package io.kmemsim.arm64.mmu;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;

/**
 * The kernel eras that differ in how Linux fills a stage-1 descriptor: the MAIR_EL1 index of each
 * memory type (arch/arm64/include/asm/memory.h: MT_NORMAL (6.1)) and the software bits (arch/arm64/include/asm/pgtable-prot.h: PTE_DIRTY (6.1)).
 *
 * <p>Boundaries, as the reference gives them ("≈" there): MAIR re-ordering at 5.16 (5.10–5.15 have
 * the middle layout; 5.0–5.9 were not described and are taken as the 5.10 layout); PTE_PROT_NONE
 * (bit 58) replaced by PTE_PRESENT_INVALID (bit 11 with bit 0 clear) and PTE_UFFD_WP moved to bit 58
 * at 6.10; PTE_DEVMAP (bit 57) removed "around 6.15/6.16", taken here as absent from 6.16.
 */
enum DescriptorEra {
    /** 4.x: MAIR Normal = 4, Normal-NC = 3, Device-nGnRnE = 0, Device-nGnRE = 1. */
    V4(4, -1, 3, 0, 1, true, false),
    /** 5.0–5.15: Normal = 0, Tagged = 1, Normal-NC = 2, Device-nGnRnE = 4, Device-nGnRE = 5. */
    V5_10(0, 1, 2, 4, 5, true, false),
    /** 5.16–6.9: Normal = 0, Tagged = 1, Normal-NC = 2, Device-nGnRnE = 3, Device-nGnRE = 4. */
    V5_16(0, 1, 2, 3, 4, true, false),
    /** 6.10–6.15: as 5.16, with PTE_PRESENT_INVALID (bit 11) and PTE_UFFD_WP at bit 58. */
    V6_10(0, 1, 2, 3, 4, true, true),
    /** 6.16 on: as 6.10 without PTE_DEVMAP. */
    V6_16(0, 1, 2, 3, 4, false, true);

    final int normal;
    final int normalTagged;
    final int normalNc;
    final int deviceNgnrne;
    final int deviceNgnre;
    final boolean hasDevmap;
    final boolean presentInvalid;

    DescriptorEra(int normal, int normalTagged, int normalNc, int deviceNgnrne, int deviceNgnre,
                  boolean hasDevmap, boolean presentInvalid) {
        this.normal = normal;
        this.normalTagged = normalTagged;
        this.normalNc = normalNc;
        this.deviceNgnrne = deviceNgnrne;
        this.deviceNgnre = deviceNgnre;
        this.hasDevmap = hasDevmap;
        this.presentInvalid = presentInvalid;
    }

    /** The era of {@code kernel}. */
    static DescriptorEra of(KernelVersion kernel) {
        if (kernel.has(Feature.ARM64_DESCRIPTORS_6_16)) {
            return V6_16;
        }
        if (kernel.has(Feature.ARM64_DESCRIPTORS_6_10)) {
            return V6_10;
        }
        if (kernel.has(Feature.ARM64_DESCRIPTORS_5_16)) {
            return V5_16;
        }
        return kernel.has(Feature.ARM64_DESCRIPTORS_5_0) ? V5_10 : V4;
    }

    /** The marker bit Linux sets on a "present but not valid" entry (PAGE_NONE, a THP being split). */
    long presentInvalidBit(boolean pmd) {
        if (presentInvalid) {
            return Descriptors.NG;
        }
        return pmd ? Descriptors.PMD_PRESENT_INVALID_OLD : Descriptors.PROT_NONE_OLD;
    }
}
