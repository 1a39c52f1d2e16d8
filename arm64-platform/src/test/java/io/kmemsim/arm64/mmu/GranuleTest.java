package io.kmemsim.arm64.mmu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Geometry from arch/arm64/include/asm/pgtable-hwdef.h: PMD_SHIFT (6.1); arch/arm64/Kconfig: ARM64_VA_BITS (6.1); arch/arm64/include/asm/sparsemem.h: SECTION_SIZE_BITS (6.1). */
class GranuleTest {

    @Test
    void levels_followTheKconfigPairs() {
        assertThat(Granule.of(12, 48).levels()).isEqualTo(4);
        assertThat(Granule.of(12, 39).levels()).isEqualTo(3);
        assertThat(Granule.of(12, 52).levels()).as("52-bit folds to 48 without LPA2").isEqualTo(4);
        assertThat(Granule.of(14, 47).levels()).isEqualTo(3);
        assertThat(Granule.of(14, 36).levels()).isEqualTo(2);
        assertThat(Granule.of(16, 42).levels()).isEqualTo(2);
        assertThat(Granule.of(16, 48).levels()).isEqualTo(3);
    }

    @Test
    void shifts_areTheReferenceTable() {
        Granule g = Granule.of(12, 48);
        assertThat(new int[] {g.shift(0), g.shift(1), g.shift(2), g.shift(3)}).containsExactly(39, 30, 21, 12);
        Granule g16 = Granule.of(14, 47);
        assertThat(new int[] {g16.shift(1), g16.shift(2), g16.shift(3)}).containsExactly(36, 25, 14);
        assertThat(Granule.of(16, 48).shift(2)).isEqualTo(29);
        assertThat(new int[] {g.contPtes(), g.contPmds(), g.maxDvmOps()}).containsExactly(16, 16, 512);
        assertThat(new int[] {g16.contPtes(), g16.contPmds(), g16.maxDvmOps()}).containsExactly(128, 32, 2048);
    }

    @Test
    void of_refusesPairsKconfigDoesNotOffer() {
        assertThatThrownBy(() -> Granule.of(12, 47)).hasMessageContaining("vaBits must be one Kconfig offers for 4K pages")
                .hasMessageEndingWith(": 47");
    }
}
