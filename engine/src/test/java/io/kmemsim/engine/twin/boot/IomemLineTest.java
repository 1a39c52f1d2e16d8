package io.kmemsim.engine.twin.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IomemLineTest {

    @Test
    void rangeLines_theirIndentAndName() {
        // lines as a 6.1 arm64 guest prints them (fixtures/bundles/*/iomem.txt)
        assertThat(IomemLine.parse("40000000-bfffffff : System RAM"))
                .isEqualTo(new IomemLine(0x40000000L, 0xbfffffffL, 0, "System RAM"));
        assertThat(IomemLine.parse("  40210000-4134ffff : Kernel code"))
                .isEqualTo(new IomemLine(0x40210000L, 0x4134ffffL, 2, "Kernel code"));
        assertThat(IomemLine.parse("    4010000000-401fffffff : PCI ECAM"))
                .isEqualTo(new IomemLine(0x4010000000L, 0x401fffffffL, 4, "PCI ECAM"));
    }

    @Test
    void otherLines_areNotRanges() {
        assertThat(IomemLine.parse("")).isNull();
        assertThat(IomemLine.parse("System RAM")).isNull();
        assertThat(IomemLine.parse("  zz-10 : bad")).isNull();
        assertThat(IomemLine.parse("  1000 : no end")).isNull();
    }
}
