package io.kmemsim.arm64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.kernel.ZoneType;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ROCK 5B+ presets against arch/arm64/mm/init.c: zone_sizes_init() (6.1); docs/kernel-facts.md#arm64-and-rk3588; kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1) and the docs/kernel-facts.md#rk3588-memory-maps tables. */
class Rock5bPlusProviderTest {

    private static final long MIB = 1L << 20;

    /** Banks as the kernel prints them, first-last, for comparison with docs/kernel-facts.md#rk3588-memory-maps. */
    private static String banks(Platform p) {
        return p.banks().stream().map(b -> String.format("%x-%x", b.base(), b.end())).collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "{0} GB {1}")
    @CsvSource(delimiter = '|', value = {
        "4|mainline|200000-efffffff 1f0000000-1ffffffff",
        "8|mainline|200000-efffffff 100000000-1ffffffff 2f0000000-2ffffffff",
        "16|mainline|200000-efffffff 100000000-3fbffffff 3fc500000-3ffefffff 4f0000000-4ffffffff",
        "24|mainline|200000-efffffff 100000000-5ffffffff 6f0000000-6ffffffff",
        "32|mainline|200000-efffffff 100000000-3fbffffff 3fc500000-3ffefffff 400000000-7ffffffff",
        "16|vendor|200000-83fffff 9400000-efffffff 100000000-3fbffffff 3fc500000-3ffefffff 4f0000000-4ffffffff",
        "8|legacy|200000-83fffff 9400000-efffffff 100000000-1ffffffff",
        "8|legacy-mainline|200000-efffffff 100000000-1ffffffff",
        "4|legacy-mainline|200000-efffffff",
        "32|legacy|200000-83fffff 9400000-efffffff 100000000-3fbffffff 3fc500000-3ffefffff 400000000-7ffffffff",
    })
    @DisplayName("banks follow the docs/kernel-facts.md#rk3588-memory-maps preset tables")
    void banks_matchReferenceTables(int gib, String firmware, String expected) {
        assertThat(banks(Presets.rock(gib, firmware, "4K", "", "6.12"))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} GB")
    @CsvSource({"4, 4192256", "8, 8386560", "16, 16769024", "32, 33284096"})
    @DisplayName("mainline-firmware totals match docs/kernel-facts.md#rk3588-memory-maps 'Linux total' (KiB)")
    void total_matchesLinuxTotal(int gib, long kib) {
        long bytes = Presets.rock(gib, "mainline", "4K", "", "6.12").banks().stream().mapToLong(MemoryBank::size).sum();
        assertThat(bytes / 1024).isEqualTo(kib);
    }

    @Test
    @DisplayName("zones: DMA below 4 GiB, DMA32 empty (same limit), Normal to the end of RAM (arch/arm64/mm/init.c: zone_sizes_init() (6.1); docs/kernel-facts.md#rk3588-memory-maps)")
    void zones_rk3588() {
        Platform p = Presets.rock(16, "vendor", "4K", "", "6.18");
        assertThat(p.zoneLimitPfn(ZoneType.DMA)).hasValue(0x100000);
        assertThat(p.zoneLimitPfn(ZoneType.DMA32)).hasValue(0x100000);
        assertThat(p.zoneLimitPfn(ZoneType.NORMAL)).hasValue(0x500000);
        assertThat(p.zoneLimitPfn(ZoneType.MOVABLE)).isEmpty();
    }

    @Test
    @DisplayName("old firmware 4 GB: DMA ends with RAM at 0xF0000000 and Normal is empty (Orange Pi 5 4 GB log, arch/arm64/mm/init.c: zone_sizes_init() (6.1); docs/kernel-facts.md#rk3588-memory-maps)")
    void zones_legacy4gNormalEmpty() {
        Platform p = Presets.rock(4, "legacy-mainline", "4K", "", "6.1");
        assertThat(p.zoneLimitPfn(ZoneType.DMA)).hasValue(0xF0000);
        assertThat(p.zoneLimitPfn(ZoneType.NORMAL)).hasValue(0xF0000);
    }

    @Test
    @DisplayName("granule sets the page size of the Debian arm64 config and the PFN units")
    void granule_setsPageSize() {
        Platform p = Presets.rock(8, "mainline", "16K", "", "6.12");
        assertThat(p.kernelConfig()).isEqualTo(KernelConfig.ARM64_DISTRO.withPageSize(PageSize.SIZE_16K));
        assertThat(p.zoneLimitPfn(ZoneType.DMA)).hasValue((1L << 32) >> 14);
    }

    @Test
    @DisplayName("CPUs 0-3 are Cortex-A55 and 4-7 Cortex-A76 (docs/kernel-facts.md#arm64-and-rk3588)")
    void cpus_bigLittle() {
        Platform p = Presets.rock(8, "mainline", "4K", "", "6.1");
        assertThat(p.cpus()).isEqualTo(8);
        assertThat(List.of(p.coreType(0), p.coreType(3), p.coreType(4), p.coreType(7)))
                .containsExactly("cortex-a55", "cortex-a55", "cortex-a76", "cortex-a76");
    }

    @Test
    @DisplayName("mainline kernels reserve 32 MiB CMA at the top of ZONE_DMA (8 GB ROCK 5A log: 0xee000000)")
    void cma_mainlineDefault() {
        Platform p = Presets.rock(8, "mainline", "4K", "", "6.12");
        assertThat(p.reserved()).containsExactly(new ReservedRange("cma", 0xEE00_0000L, 32 * MIB, false));
        assertThat(p.cmaBytes()).isEqualTo(32 * MIB);
    }

    @Test
    @DisplayName("BSP kernels 5.10/6.1 keep the vendor DT pool: 256 MiB at 0x10000000 (kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma)")
    void cma_bspPool() {
        Platform p = Presets.rock(8, "vendor", "4K", "", "6.1");
        assertThat(p.reserved()).containsExactly(new ReservedRange("linux,cma", 0x1000_0000L, 256 * MIB, false));
    }

    @Test
    @DisplayName("cma option overrides the size; 0 disables CMA")
    void cma_override() {
        assertThat(Presets.rock(8, "mainline", "4K", "16M", "6.12").reserved())
                .containsExactly(new ReservedRange("cma", 0xEF00_0000L, 16 * MIB, false));
        Platform none = Presets.rock(8, "mainline", "4K", "0", "6.12");
        assertThat(none.reserved()).isEmpty();
        assertThat(none.cmaBytes()).isZero();
    }

    @Test
    @DisplayName("64K pages round the default area up to one 512 MiB pageblock below the DMA limit")
    void cma_64kRoundedToPageblock() {
        assertThat(Presets.rock(8, "mainline", "64K", "", "6.12").reserved())
                .containsExactly(new ReservedRange("cma", 0xC000_0000L, 512 * MIB, false));
    }

    @Test
    @DisplayName("the vendor pool at 0x10000000 cannot be 512 MiB aligned: 64K on a BSP kernel names option cma")
    void cma_bspPool64kRefused() {
        assertThatThrownBy(() -> Presets.rock(8, "vendor", "64K", "", "6.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("option cma");
    }

    @Test
    @DisplayName("unknown firmware names the option and lists the valid values")
    void firmware_unknownRefused() {
        assertThatThrownBy(() -> Presets.rock(8, "uefi", "4K", "", "6.1"))
                .hasMessage("rock5b-plus-8g option firmware must be one of mainline, vendor, legacy, legacy-mainline: uefi");
    }

    @Test
    @DisplayName("unknown granule names the option and lists the valid values")
    void granule_unknownRefused() {
        assertThatThrownBy(() -> Presets.rock(8, "mainline", "8K", "", "6.1"))
                .hasMessageStartingWith("rock5b-plus-8g option granule must be one of 4K, 16K, 64K: 8K");
    }

    @Test
    @DisplayName("a bad cma size names the option")
    void cma_badSizeRefused() {
        assertThatThrownBy(() -> Presets.rock(8, "mainline", "4K", "lots", "6.12")).hasMessageContaining("option cma");
        assertThatThrownBy(() -> Presets.rock(8, "mainline", "4K", "6K", "6.12"))
                .hasMessageContaining("option cma must be a multiple of the 4K page size");
    }

    @Test
    @DisplayName("kernels outside the BSP series and mainline 6.12+ are refused")
    void kernel_unsupportedRefused() {
        assertThatThrownBy(() -> Presets.rock(8, "mainline", "4K", "", "6.6"))
                .hasMessageContaining("supports kernels 5.10 and 6.1").hasMessageEndingWith(": 6.6");
    }

    @Test
    @DisplayName("24 GB banks above 4 GiB are inferred; the 8 GB banks were all seen")
    void evidence_24gInferred() {
        assertThat(Rock5bPlusMemoryMap.banks(24, Firmware.MAINLINE)).filteredOn(b -> b.base() >= 1L << 32)
                .allMatch(b -> b.evidence() == Evidence.INFERRED);
        assertThat(Rock5bPlusMemoryMap.banks(8, Firmware.MAINLINE)).allMatch(b -> b.evidence() == Evidence.SEEN);
    }

    @Test
    @DisplayName("ids and descriptions name the RAM size")
    void ids_perSize() {
        for (int gib : Rock5bPlusMemoryMap.SIZES_GIB) {
            assertThat(Presets.rock(gib).id()).isEqualTo("rock5b-plus-" + gib + "g");
            assertThat(Presets.rock(gib).description()).contains(gib + " GB");
        }
    }
}
