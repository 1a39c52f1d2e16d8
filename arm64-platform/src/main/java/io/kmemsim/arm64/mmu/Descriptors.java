package io.kmemsim.arm64.mmu;

/**
 * Stage-1 VMSAv8-64 descriptors as Linux fills them: bit positions, the protections Linux builds,
 * encoding and decoding, and the "safe in place" rule. Pure static functions on {@code long}s
 * (arch/arm64/include/asm/pgtable-hwdef.h: PTE_VALID (6.1)).
 *
 * <p>Notes — block/page descriptor (arch/arm64/include/asm/pgtable-hwdef.h: PTE_AF (6.1)), table descriptor (arch/arm64/include/asm/pgtable-hwdef.h: PMD_TYPE_TABLE (6.1)):
 * <pre>
 *  63 62..59 58..55 54  53  52   51   50  47 ........ PAGE_SHIFT 11 10 9..8 7    6    4..2     1    0
 *  sw  PBHA   sw    UXN PXN CONT DBM/ GP   output address        nG AF  SH  AP2  AP1  AttrIndx type valid
 *                                  WRITE                                    RDONLY USER
 *  table: bits 1:0 = 0b11, bits 47:PAGE_SHIFT = next table; bits 59..63 = PXNTable/UXNTable/APTable/NSTable
 * </pre>
 * Type bit 1: at level 3 it is 1 for a page; at levels 0–2, 1 = table, 0 = block. Software bits
 * (arch/arm64/include/asm/pgtable-prot.h: PTE_DIRTY (6.1)): DIRTY 55, SPECIAL 56, DEVMAP 57 (until 6.15), PROT_NONE 58 (until 6.9) / UFFD_WP 58 (6.10+),
 * PMD_PRESENT_INVALID 59 (until 6.9), PRESENT_INVALID = nG (bit 11) with bit 0 clear (6.10+).
 * Table descriptors carry only the type and address here: the reference marks PXNTable/UXNTable use
 * as unverified (arch/arm64/include/asm/pgtable-hwdef.h: PMD_TYPE_TABLE (6.1)), so they are not set.
 */
final class Descriptors {

    static final long VALID = 1L;
    static final long TYPE_BIT = 1L << 1;
    /** {@code PTE_TYPE_PAGE} / {@code PMD_TYPE_TABLE}: 0b11. */
    static final long TYPE_PAGE = VALID | TYPE_BIT;
    /** {@code PMD_TYPE_SECT}: 0b01. */
    static final long TYPE_SECT = VALID;
    static final int ATTRINDX_SHIFT = 2;
    static final long ATTRINDX_MASK = 7L << ATTRINDX_SHIFT;
    static final long USER = 1L << 6;
    static final long RDONLY = 1L << 7;
    static final int SH_SHIFT = 8;
    /** SH = 0b11, inner shareable ({@code PTE_SHARED}). */
    static final long SHARED = 3L << SH_SHIFT;
    static final long AF = 1L << 10;
    static final long NG = 1L << 11;
    static final long GP = 1L << 50;
    /** DBM; Linux's {@code PTE_WRITE}. */
    static final long WRITE = 1L << 51;
    static final long CONT = 1L << 52;
    static final long PXN = 1L << 53;
    static final long UXN = 1L << 54;
    static final long DIRTY = 1L << 55;
    static final long SPECIAL = 1L << 56;
    /** {@code PTE_DEVMAP}, until 6.15. */
    static final long DEVMAP = 1L << 57;
    /** {@code PTE_PROT_NONE} until 6.9; the same bit is {@code PTE_UFFD_WP} from 6.10. */
    static final long PROT_NONE_OLD = 1L << 58;
    static final long UFFD_WP = 1L << 58;
    /** {@code PMD_PRESENT_INVALID}, until 6.9. */
    static final long PMD_PRESENT_INVALID_OLD = 1L << 59;
    /** {@code PTE_SWBITS_MASK}: bits 55–58 and 63. */
    static final long SWBITS_MASK = (0xFL << 55) | (1L << 63);
    /** Output address bits 47:12 (narrowed per granule by {@link #oaMask}). */
    private static final long OA_47 = (1L << 48) - 1;

    private Descriptors() {
    }

    /** Bits 47:PAGE_SHIFT. */
    static long oaMask(int pageShift) {
        return OA_47 & ~((1L << pageShift) - 1);
    }

    static boolean isValid(long d) {
        return (d & VALID) != 0;
    }

    /** True when a valid entry at {@code level} (0–3) points to a next-level table. */
    static boolean isTable(long d, int level) {
        return level < 3 && (d & TYPE_PAGE) == TYPE_PAGE;
    }

    /** True when a valid entry at {@code level} is a leaf (a page at level 3, a block above). */
    static boolean isLeaf(long d, int level) {
        return isValid(d) && !isTable(d, level);
    }

    static long outputAddress(long d, int pageShift) {
        return d & oaMask(pageShift);
    }

    static int attrIndx(long d) {
        return (int) ((d & ATTRINDX_MASK) >>> ATTRINDX_SHIFT);
    }

    static long attrIndx(int index) {
        return ((long) index << ATTRINDX_SHIFT) & ATTRINDX_MASK;
    }

    /** A table descriptor ({@code PMD_TYPE_TABLE}) pointing to the table at physical {@code tablePa}. */
    static long table(long tablePa, int pageShift) {
        return (tablePa & oaMask(pageShift)) | TYPE_PAGE;
    }

    /** {@code PROT_NORMAL} / {@code PAGE_KERNEL} (arch/arm64/include/asm/pgtable-prot.h: PAGE_KERNEL (6.1)): page, AF, inner-shareable, nG iff KPTI, PXN, UXN, WRITE, Normal. */
    static long pageKernel(DescriptorEra era, boolean kpti) {
        return TYPE_PAGE | AF | SHARED | (kpti ? NG : 0) | PXN | UXN | WRITE | attrIndx(era.normal);
    }

    /** {@code PAGE_KERNEL_EXEC}: {@link #pageKernel} without PXN. */
    static long pageKernelExec(DescriptorEra era, boolean kpti) {
        return pageKernel(era, kpti) & ~PXN;
    }

    /** {@code PAGE_KERNEL_RO}: RDONLY, no WRITE. */
    static long pageKernelRo(DescriptorEra era, boolean kpti) {
        return (pageKernel(era, kpti) & ~WRITE) | RDONLY;
    }

    /** {@code PAGE_READONLY}: user, nG, RDONLY, PXN, UXN. */
    static long pageUserReadonly(DescriptorEra era) {
        return TYPE_PAGE | AF | SHARED | attrIndx(era.normal) | USER | NG | RDONLY | PXN | UXN;
    }

    /** {@code PAGE_SHARED}: user, nG, PXN, UXN, WRITE, and RDONLY until the first write (arch/arm64/include/asm/pgtable-prot.h: PTE_DIRTY (6.1)). */
    static long pageUserShared(DescriptorEra era) {
        return pageUserReadonly(era) | WRITE;
    }

    /** {@code PAGE_READONLY_EXEC}: user, nG, RDONLY, PXN; UXN clear. */
    static long pageUserReadonlyExec(DescriptorEra era) {
        return pageUserReadonly(era) & ~UXN;
    }

    /** {@code pte_mkdirty} of a writable entry: software DIRTY set and, because WRITE is set, RDONLY cleared (arch/arm64/include/asm/pgtable-prot.h: PTE_DIRTY (6.1)). */
    static long mkdirty(long prot) {
        long d = prot | DIRTY;
        return (d & WRITE) != 0 ? d & ~RDONLY : d;
    }

    /** {@code PAGE_NONE}: valid clear, the era's present-invalid marker, RDONLY, nG, PXN, UXN (arch/arm64/include/asm/pgtable-prot.h: PAGE_KERNEL (6.1)). */
    static long pageNone(DescriptorEra era) {
        return ((TYPE_PAGE | AF | SHARED | attrIndx(era.normal)) & ~VALID)
                | era.presentInvalidBit(false) | RDONLY | NG | PXN | UXN;
    }

    /** {@code pgprot_writecombine}: AttrIndx to Normal-NC, PXN and UXN. */
    static long writecombine(long prot, DescriptorEra era) {
        return (prot & ~ATTRINDX_MASK) | attrIndx(era.normalNc) | PXN | UXN;
    }

    /** {@code pgprot_device}: AttrIndx to Device-nGnRE, PXN and UXN. */
    static long device(long prot, DescriptorEra era) {
        return (prot & ~ATTRINDX_MASK) | attrIndx(era.deviceNgnre) | PXN | UXN;
    }

    /** A level-3 page descriptor: {@code prot} (with type 0b11) and output address {@code pa}. */
    static long page(long pa, long prot, int pageShift) {
        return (pa & oaMask(pageShift)) | prot | TYPE_PAGE;
    }

    /** A block descriptor (levels 1–2): {@code prot} with the type turned into {@code PMD_TYPE_SECT}. */
    static long block(long pa, long prot, int pageShift) {
        return (pa & oaMask(pageShift)) | (prot & ~TYPE_BIT) | TYPE_SECT;
    }

    /**
     * {@code pmdp_invalidate}/{@code pmd_mkinvalid}: valid cleared and the era's present-invalid
     * marker set, everything else kept (arch/arm64/mm/hugetlbpage.c: get_clear_contig_flush() (6.1); arch/arm64/mm/mmu.c: pgattr_change_is_safe() (6.1) for a user block).
     */
    static long presentInvalid(long d, DescriptorEra era, boolean pmd) {
        return (d & ~VALID) | era.presentInvalidBit(pmd);
    }

    /**
     * {@code pgattr_change_is_safe} (arch/arm64/mm/mmu.c: pgattr_change_is_safe() (6.1)): whether {@code old} may be replaced by {@code next}
     * without break-before-make. Creating or removing a mapping is always safe; a live change may
     * differ only in PXN, RDONLY, WRITE, nG and the software bits, or switch Normal ↔ Normal-Tagged;
     * never nG → global; and (before the 2026 relaxation, which no modelled version has) never on an
     * entry with the Contiguous bit in either value.
     */
    static boolean isSafeInPlace(long old, long next, DescriptorEra era) {
        if (!isValid(old) || !isValid(next)) {
            return true;
        }
        if ((old & ~next & NG) != 0) {
            return false;
        }
        if (((old | next) & CONT) != 0) {
            return false;
        }
        long mask = PXN | RDONLY | WRITE | NG | SWBITS_MASK;
        int a = attrIndx(old);
        int b = attrIndx(next);
        if (era.normalTagged >= 0 && a != b && isNormalOrTagged(a, era) && isNormalOrTagged(b, era)) {
            mask |= ATTRINDX_MASK;
        }
        return ((old ^ next) & ~mask) == 0;
    }

    private static boolean isNormalOrTagged(int index, DescriptorEra era) {
        return index == era.normal || index == era.normalTagged;
    }

    /** Decodes {@code d} found at {@code level} (for tests, reports and error messages; not on hot paths). */
    static Decoded decode(long d, int level, int pageShift, DescriptorEra era) {
        Kind kind;
        if (!isValid(d)) {
            kind = d == 0 ? Kind.INVALID : Kind.INVALID_MARKED;
        } else if (level == 3) {
            kind = (d & TYPE_BIT) != 0 ? Kind.PAGE : Kind.INVALID;
        } else {
            kind = (d & TYPE_BIT) != 0 ? Kind.TABLE : Kind.BLOCK;
        }
        boolean presentInvalid = !isValid(d) && (d & era.presentInvalidBit(level < 3)) != 0;
        return new Decoded(kind, outputAddress(d, pageShift), attrIndx(d), (d & USER) != 0, (d & RDONLY) != 0,
                (int) ((d >>> SH_SHIFT) & 3), (d & AF) != 0, (d & NG) != 0, (d & WRITE) != 0, (d & CONT) != 0,
                (d & PXN) != 0, (d & UXN) != 0, (d & DIRTY) != 0, (d & SPECIAL) != 0,
                era.hasDevmap && (d & DEVMAP) != 0, era.presentInvalid && isValid(d) && (d & UFFD_WP) != 0,
                presentInvalid);
    }

    /** What a descriptor is at its level. */
    enum Kind {
        /** All zero. */
        INVALID,
        /** Bit 0 clear but not zero (a present-invalid / PROT_NONE entry, or a swap entry). */
        INVALID_MARKED,
        TABLE,
        BLOCK,
        PAGE
    }

    /**
     * A decoded descriptor; {@code devmap} and {@code uffdWp} are false in eras without those bits.
     *
     * @param sh the SH field: 0 non-shareable, 2 outer, 3 inner
     */
    record Decoded(Kind kind, long outputAddress, int attrIndx, boolean user, boolean readOnly, int sh,
                   boolean accessFlag, boolean notGlobal, boolean write, boolean contiguous, boolean pxn,
                   boolean uxn, boolean dirty, boolean special, boolean devmap, boolean uffdWp,
                   boolean presentInvalid) {

        /** Hardware-dirty per arch/arm64/include/asm/pgtable-prot.h: PTE_DIRTY (6.1): WRITE (DBM) set and RDONLY clear. */
        boolean hardwareDirty() {
            return write && !readOnly;
        }
    }
}
