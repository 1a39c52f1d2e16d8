package io.kmemsim.arm64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.ZoneType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** QEMU virt against arch/arm64/mm/init.c: zone_sizes_init() (6.1); kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1). */
class Arm64VirtProviderTest {

    private static Platform virt(String size, String kernel) {
        return new Arm64VirtProvider().create(new Arm64VirtOptions(size, 2, "4K", ""), Presets.context(kernel));
    }

    @Test
    @DisplayName("2 GiB: one bank from 1 GiB; DMA covers it, DMA32 and Normal empty (arch/arm64/mm/init.c: zone_sizes_init() (6.1); docs/kernel-facts.md#rk3588-memory-maps QEMU row)")
    void virt2g_61() {
        Platform p = virt("2G", "6.1");
        assertThat(p.banks()).containsExactly(new MemoryBank(0, 0x4000_0000L, 2L << 30));
        assertThat(p.zoneLimitPfn(ZoneType.DMA)).hasValue(0xC0000);
        assertThat(p.zoneLimitPfn(ZoneType.DMA32)).hasValue(0xC0000);
        assertThat(p.zoneLimitPfn(ZoneType.NORMAL)).hasValue(0xC0000);
        assertThat(p.cpus()).isEqualTo(2);
    }

    @Test
    @DisplayName("8 GiB: DMA to 4 GiB, Normal above; Debian's 64 MiB CMA at the top of ZONE_DMA")
    void virt8g_612() {
        Platform p = virt("8G", "6.12");
        assertThat(p.zoneLimitPfn(ZoneType.DMA)).hasValue(0x100000);
        assertThat(p.zoneLimitPfn(ZoneType.NORMAL)).hasValue(0x240000);
        assertThat(p.reserved()).containsExactly(new ReservedRange("cma", 0xFC00_0000L, 64L << 20, false));
    }

    @Test
    @DisplayName("5.10 uses mainline's fixed 30-bit ZONE_DMA from the 1 GiB-aligned RAM start (arch/arm64/mm/init.c: zone_sizes_init(), max_zone_phys() (6.1))")
    void virt_510Fixed30Bit() {
        Platform p = virt("4G", "5.10");
        assertThat(p.zoneLimitPfn(ZoneType.DMA)).hasValue(0x80000);
        assertThat(p.zoneLimitPfn(ZoneType.DMA32)).hasValue(0x100000);
    }

    @Test
    @DisplayName("a size that is not a size names the option")
    void size_badRefused() {
        assertThatThrownBy(() -> virt("lots", "6.1")).hasMessageContaining("arm64-virt option size");
        assertThatThrownBy(() -> new Arm64VirtProvider().create(new Arm64VirtOptions("2G", 0, "4K", ""), Presets.context("6.1")))
                .hasMessage("arm64-virt option cpus must be in [1, 4096]: 0");
    }
}
