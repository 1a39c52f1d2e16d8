package io.kmemsim.arm64.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.KernelVersion;
import org.junit.jupiter.api.Test;

/**
 * Golden descriptors worked by hand from arch/arm64/include/asm/pgtable-hwdef.h: PTE_AF (6.1) (bit layout), arch/arm64/include/asm/pgtable-prot.h: PTE_DIRTY (6.1) (software
 * bits per era), arch/arm64/include/asm/memory.h: MT_NORMAL (6.1) (MAIR indices per era), arch/arm64/include/asm/pgtable-prot.h: PAGE_KERNEL (6.1) (protections) and arch/arm64/mm/mmu.c: pgattr_change_is_safe() (6.1) (safe changes).
 */
class DescriptorsTest {

    private static final int SHIFT = 12;
    private static final DescriptorEra E4 = DescriptorEra.of(KernelVersion.parse("4.19"));
    private static final DescriptorEra E510 = DescriptorEra.of(KernelVersion.parse("5.10"));
    private static final DescriptorEra E61 = DescriptorEra.of(KernelVersion.parse("6.1"));
    private static final DescriptorEra E612 = DescriptorEra.of(KernelVersion.parse("6.12"));
    private static final DescriptorEra E616 = DescriptorEra.of(KernelVersion.parse("6.16"));

    @Test
    void era_followsTheReferenceBoundaries() {
        assertThat(new DescriptorEra[] {E4, E510, E61, E612, E616}).containsExactly(
                DescriptorEra.V4, DescriptorEra.V5_10, DescriptorEra.V5_16, DescriptorEra.V6_10, DescriptorEra.V6_16);
    }

    @Test
    void userWritableDirtyPage_encodesEveryBit() {
        // page 0b11 | USER 0x40 | SH 0x300 | AF 0x400 | nG 0x800 | OA 0x1_2345_6000
        // | WRITE bit 51 | PXN 53 | UXN 54 | DIRTY 55; RDONLY cleared by pte_mkdirty (arch/arm64/include/asm/pgtable-prot.h: PTE_DIRTY (6.1))
        long d = Descriptors.page(0x1_2345_6000L, Descriptors.mkdirty(Descriptors.pageUserShared(E61)), SHIFT);
        assertThat(d).isEqualTo(0x00E8_0001_2345_6F43L);
        assertThat(Descriptors.page(0x1_2345_6000L, Descriptors.mkdirty(Descriptors.pageUserShared(E612)), SHIFT))
                .as("the same bits in 6.12").isEqualTo(d);
    }

    @Test
    void userWritableCleanPage_keepsRdonlyUntilFirstWrite() {
        // PAGE_SHARED = … | RDONLY 0x80 | WRITE: writable-clean row of arch/arm64/include/asm/pgtable-prot.h: PTE_DIRTY (6.1)
        long d = Descriptors.page(0x1000, Descriptors.pageUserShared(E61), SHIFT);
        assertThat(d).isEqualTo(0x0068_0000_0000_1FC3L);
        Descriptors.Decoded x = Descriptors.decode(d, 3, SHIFT, E61);
        assertThat(x.write()).isTrue();
        assertThat(x.readOnly()).isTrue();
        assertThat(x.hardwareDirty()).isFalse();
    }

    @Test
    void pageKernel_isGlobalWithoutKptiAndNotGlobalWithIt() {
        // PROT_NORMAL: 0b11 | SH 0x300 | AF 0x400 | WRITE | PXN | UXN | AttrIndx 0 (arch/arm64/include/asm/pgtable-prot.h: PAGE_KERNEL (6.1))
        assertThat(Descriptors.page(0x4000_0000L, Descriptors.pageKernel(E61, false), SHIFT)).isEqualTo(0x0068_0000_4000_0703L);
        assertThat(Descriptors.page(0x4000_0000L, Descriptors.pageKernel(E61, true), SHIFT)).isEqualTo(0x0068_0000_4000_0F03L);
    }

    @Test
    void deviceMemory_usesEachErasMairIndex() {
        // Device-nGnRE: index 1 (4.x) → 0x04, index 5 (5.10–5.15) → 0x14, index 4 (5.16+) → 0x10 (arch/arm64/include/asm/memory.h: MT_NORMAL (6.1))
        assertThat(Descriptors.page(0xFE60_0000L, Descriptors.device(Descriptors.pageKernel(E4, false), E4), SHIFT))
                .isEqualTo(0x0068_0000_FE60_0707L);
        assertThat(Descriptors.page(0xFE60_0000L, Descriptors.device(Descriptors.pageKernel(E510, false), E510), SHIFT))
                .isEqualTo(0x0068_0000_FE60_0717L);
        assertThat(Descriptors.page(0xFE60_0000L, Descriptors.device(Descriptors.pageKernel(E61, false), E61), SHIFT))
                .isEqualTo(0x0068_0000_FE60_0713L);
    }

    @Test
    void normalMemory_isIndex4In4xAndIndex0After() {
        assertThat(Descriptors.attrIndx(Descriptors.pageKernel(E4, false))).isEqualTo(4);
        assertThat(Descriptors.attrIndx(Descriptors.pageKernel(E616, false))).isZero();
        assertThat(Descriptors.attrIndx(Descriptors.writecombine(Descriptors.pageKernel(E4, false), E4))).isEqualTo(3);
        assertThat(Descriptors.attrIndx(Descriptors.writecombine(Descriptors.pageKernel(E61, false), E61))).isEqualTo(2);
    }

    @Test
    void pageNone_usesProtNoneBit58Until69AndPresentInvalidFrom610() {
        // valid cleared; 0b10 | RDONLY 0x80 | SH | AF | nG | PXN | UXN; 6.1 adds PTE_PROT_NONE (bit 58)
        assertThat(Descriptors.pageNone(E61)).isEqualTo(0x0460_0000_0000_0F82L);
        // 6.10+: PTE_PRESENT_INVALID is nG (bit 11) on an invalid entry; bit 58 is PTE_UFFD_WP, clear
        assertThat(Descriptors.pageNone(E612)).isEqualTo(0x0060_0000_0000_0F82L);
        assertThat(Descriptors.decode(Descriptors.pageNone(E612), 3, SHIFT, E612).presentInvalid()).isTrue();
        assertThat(Descriptors.decode(Descriptors.pageNone(E61), 3, SHIFT, E61).presentInvalid()).isTrue();
    }

    @Test
    void thpPresentInvalidMarker_isBit59Until69AndBit11From610() {
        long block = Descriptors.block(0x20_0000L, Descriptors.pageUserReadonly(E61), SHIFT);
        assertThat(Descriptors.presentInvalid(block, E61, true)).isEqualTo((block & ~1L) | (1L << 59));
        assertThat(Descriptors.presentInvalid(block, E612, true)).isEqualTo(block & ~1L);
    }

    @Test
    void devmapBit_isDecodedOnlyWhileItExists() {
        long d = Descriptors.page(0x1000, Descriptors.pageKernel(E61, false) | Descriptors.DEVMAP, SHIFT);
        assertThat(Descriptors.decode(d, 3, SHIFT, E612).devmap()).isTrue();
        assertThat(Descriptors.decode(d, 3, SHIFT, E616).devmap()).isFalse();
    }

    @Test
    void blockAndTable_useTypeBitsPerLevel() {
        // PMD_TYPE_SECT 0b01 with PAGE_KERNEL's attributes at 2 MiB
        long block = Descriptors.block(0x20_0000L, Descriptors.pageKernel(E61, false), SHIFT);
        assertThat(block).isEqualTo(0x0068_0000_0020_0701L);
        assertThat(Descriptors.decode(block, 2, SHIFT, E61).kind()).isEqualTo(Descriptors.Kind.BLOCK);
        long table = Descriptors.table(0x12345L << 12, SHIFT);
        assertThat(table).isEqualTo(0x1234_5003L);
        assertThat(Descriptors.decode(table, 1, SHIFT, E61).kind()).isEqualTo(Descriptors.Kind.TABLE);
        assertThat(Descriptors.decode(table, 3, SHIFT, E61).kind()).as("0b11 at level 3 is a page").isEqualTo(Descriptors.Kind.PAGE);
        assertThat(Descriptors.decode(block, 3, SHIFT, E61).kind()).as("0b01 at level 3 is reserved/invalid")
                .isEqualTo(Descriptors.Kind.INVALID);
    }

    @Test
    void decode_readsBackTheEncodedFields() {
        Descriptors.Decoded x = Descriptors.decode(0x00E8_0001_2345_6F43L, 3, SHIFT, E61);
        assertThat(x).isEqualTo(new Descriptors.Decoded(Descriptors.Kind.PAGE, 0x1_2345_6000L, 0, true, false, 3, true,
                true, true, false, true, true, true, false, false, false, false));
    }

    @Test
    void safeInPlace_allowsPermissionAndSoftwareChangesOnly() {
        long ro = Descriptors.page(0x5000, Descriptors.pageUserReadonly(E61), SHIFT);
        long rw = Descriptors.page(0x5000, Descriptors.mkdirty(Descriptors.pageUserShared(E61)), SHIFT);
        assertThat(Descriptors.isSafeInPlace(ro, rw, E61)).as("RDONLY/WRITE/DIRTY only").isTrue();
        assertThat(Descriptors.isSafeInPlace(0, rw, E61)).as("invalid → valid").isTrue();
        assertThat(Descriptors.isSafeInPlace(rw, 0, E61)).as("valid → invalid").isTrue();
        assertThat(Descriptors.isSafeInPlace(ro, Descriptors.page(0x6000, Descriptors.pageUserReadonly(E61), SHIFT), E61))
                .as("output address").isFalse();
        long kernel = Descriptors.page(0x5000, Descriptors.pageKernel(E61, false), SHIFT);
        assertThat(Descriptors.isSafeInPlace(kernel, kernel | Descriptors.NG, E61)).as("global → nG").isTrue();
        assertThat(Descriptors.isSafeInPlace(kernel | Descriptors.NG, kernel, E61)).as("nG → global").isFalse();
        long tagged = (kernel & ~Descriptors.ATTRINDX_MASK) | Descriptors.attrIndx(E61.normalTagged);
        assertThat(Descriptors.isSafeInPlace(kernel, tagged, E61)).as("Normal ↔ Tagged").isTrue();
        assertThat(Descriptors.isSafeInPlace(kernel, Descriptors.writecombine(kernel, E61), E61)).as("memory type").isFalse();
        assertThat(Descriptors.isSafeInPlace(kernel, kernel | Descriptors.CONT, E61)).as("Contiguous").isFalse();
        long block = Descriptors.block(0x20_0000L, Descriptors.pageKernel(E61, false), SHIFT);
        assertThat(Descriptors.isSafeInPlace(block, Descriptors.table(0x9000, SHIFT), E61)).as("block → table").isFalse();
    }
}
