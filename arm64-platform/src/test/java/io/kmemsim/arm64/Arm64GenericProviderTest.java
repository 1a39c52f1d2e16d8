package io.kmemsim.arm64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.ZoneType;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The generic platform's option parsing and the arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1) zone rules by era with a DT DMA limit. */
class Arm64GenericProviderTest {

    private static Platform generic(List<String> banks, List<String> reserved, String dmaLimit, String kernel) {
        return new Arm64GenericProvider().create(new Arm64GenericOptions(banks, reserved, dmaLimit, 4, "4K", "0"),
                Presets.context(kernel));
    }

    @Test
    @DisplayName("banks accept first-last and base+size forms; reserved accept a name and :nomap")
    void options_parsed() {
        Platform p = generic(List.of("0x80000000-0xffffffff", "0x880000000+2G"), List.of("optee=0x90000000+16M:nomap"), "", "6.12");
        assertThat(p.banks()).containsExactly(new MemoryBank(0, 0x8000_0000L, 2L << 30),
                new MemoryBank(0, 0x8_8000_0000L, 2L << 30));
        assertThat(p.reserved()).containsExactly(new ReservedRange("optee", 0x9000_0000L, 16L << 20, true));
    }

    @Test
    @DisplayName("a 30-bit dma-ranges limit makes a 1 GiB ZONE_DMA and DMA32 up to 4 GiB (Raspberry Pi 4 row of arch/arm64/mm/init.c: zone_sizes_init() (6.1); docs/kernel-facts.md#rk3588-memory-maps)")
    void dmaLimit_30bit() {
        for (String kernel : List.of("6.1", "6.12", "6.18")) {
            Platform p = generic(List.of("0x0-0x1ffffffff"), List.of(), "0x3fffffff", kernel);
            assertThat(p.zoneLimitPfn(ZoneType.DMA)).as(kernel).hasValue(0x40000);
            assertThat(p.zoneLimitPfn(ZoneType.DMA32)).as(kernel).hasValue(0x100000);
            assertThat(p.zoneLimitPfn(ZoneType.NORMAL)).as(kernel).hasValue(0x200000);
        }
    }

    @Test
    @DisplayName("a DMA limit below the RAM start: 6.1 and 6.13+ use 4 GiB - 1, 6.12 keeps the limit (arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1))")
    void dmaLimit_belowRamStartByEra() {
        List<String> banks = List.of("0x80000000-0x17fffffff");
        assertThat(generic(banks, List.of(), "0x3fffffff", "6.1").zoneLimitPfn(ZoneType.DMA)).hasValue(0x100000);
        assertThat(generic(banks, List.of(), "0x3fffffff", "6.18").zoneLimitPfn(ZoneType.DMA)).hasValue(0x100000);
        assertThat(generic(banks, List.of(), "0x3fffffff", "6.12").zoneLimitPfn(ZoneType.DMA)).hasValue(0x40000);
    }

    @Test
    @DisplayName("RAM entirely above 4 GiB: ZONE_DMA takes everything and DMA32 is empty (arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1))")
    void ramAbove4g_dmaTakesAll() {
        for (String kernel : List.of("6.1", "6.12")) {
            Platform p = generic(List.of("0x800000000+4G"), List.of(), "", kernel);
            assertThat(p.zoneLimitPfn(ZoneType.DMA)).as(kernel).hasValue(0x900000);
            assertThat(p.zoneLimitPfn(ZoneType.DMA32).getAsLong()).as(kernel).isLessThanOrEqualTo(0x900000);
        }
    }

    @Test
    @DisplayName("errors name the option: overlapping banks, reserved outside RAM, dma-limit on 5.10, CMA names")
    void errors_nameTheOption() {
        assertThatThrownBy(() -> generic(List.of("0x0+2G", "0x40000000+1G"), List.of(), "", "6.1"))
                .hasMessageContaining("option banks").hasMessageContaining("overlaps");
        assertThatThrownBy(() -> generic(List.of("0x0+1G"), List.of("0x80000000+1M"), "", "6.1"))
                .hasMessageContaining("option reserved").hasMessageContaining("inside one RAM bank");
        assertThatThrownBy(() -> generic(List.of("0x0+1G"), List.of(), "0x3fffffff", "5.10"))
                .hasMessageContaining("option dma-limit needs kernel 5.11");
        assertThatThrownBy(() -> generic(List.of("0x0+1G"), List.of("cma=0x0+1M"), "", "6.1"))
                .hasMessageContaining("kept for CMA");
        assertThatThrownBy(() -> generic(List.of("0x0"), List.of(), "", "6.1"))
                .hasMessageContaining("option banks must be a range");
        assertThatThrownBy(() -> generic(List.of(), List.of(), "", "6.1"))
                .hasMessageContaining("at least one RAM bank");
    }

    @Test
    @DisplayName("the default CMA area steps below a reservation at the top of ZONE_DMA")
    void cma_stepsOverReservation() {
        Platform p = new Arm64GenericProvider().create(new Arm64GenericOptions(List.of("0x40000000+2G"),
                List.of("fw=0xbf000000+16M"), "", 1, "4K", ""), Presets.context("6.1"));
        assertThat(p.reserved()).containsExactly(new ReservedRange("cma", 0xBB00_0000L, 64L << 20, false),
                new ReservedRange("fw", 0xBF00_0000L, 16L << 20, false));
    }
}
