package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageSizeTest {

    /**
     * {@code SECTION_SIZE_BITS} per architecture, granule and version: arm64's
     * {@code arch/arm64/include/asm/sparsemem.h} says 30 up to 5.11 and 27 (4K, 16K) / 29 (64K) from 5.12;
     * x86_64's {@code arch/x86/include/asm/sparsemem.h} says 27 throughout.
     */
    @ParameterizedTest(name = "{0} {1} arm64={2}: {3}")
    @CsvSource({
        "4K, 5.10, true, 30", "16K, 5.10, true, 30", "64K, 5.10, true, 30", "4K, 5.11, true, 30",
        "4K, 5.12, true, 27", "16K, 5.12, true, 27", "64K, 5.12, true, 29",
        "4K, 6.1, true, 27", "16K, 6.1.0, true, 27", "64K, 6.1, true, 29", "4K, 6.12, true, 27", "64K, 6.18, true, 29",
        "4K, 5.10, false, 27", "4K, 6.1, false, 27", "4K, 6.12, false, 27"
    })
    void sectionSizeBits_byArchitectureGranuleAndVersion(String size, String kernel, boolean arm64, int bits) {
        assertThat(PageSize.parse(size).sectionSizeBits(KernelVersion.parse(kernel), arm64)).isEqualTo(bits);
    }

    @SuppressWarnings("deprecation")
    @ParameterizedTest(name = "{0}")
    @CsvSource({"4K", "16K", "64K"})
    void deprecatedSectionSizeBits_isTheArm64RuleFrom512(String size) {
        PageSize ps = PageSize.parse(size);
        assertThat(ps.sectionSizeBits()).isEqualTo(ps.sectionSizeBits(KernelVersion.parse("6.1"), true));
    }
}
