package io.kmemsim.arm64.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.workload.Event;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cache maintenance counts from arch/arm64/mm/cache.S: caches_clean_inval_pou (6.1); arch/arm64/mm/flush.c: __sync_icache_dcache() (6.1); arch/arm64/mm/dma-mapping.c: arch_sync_dma_for_device() (6.1); arch/arm64/lib/clear_page.S: clear_page (6.1) with 64-byte lines. */
class CacheMaintenanceTest {

    private static Arm64ArchHooks hooks(String kernel) {
        return Fixtures.hooks(Fixtures.rk3588(), kernel, new Fixtures.BumpAllocator());
    }

    @Test
    void zeroedOrder2Allocation_takes256DcZva() {
        Arm64ArchHooks h = hooks("6.1");
        h.onPagesAllocated(0x1000, 2, Gfp.GFP_KERNEL | Gfp.ZERO, 0);
        // 4 pages × 4096 / 64 = 256 (arch/arm64/lib/clear_page.S: clear_page (6.1))
        assertThat(Fixtures.counters(h).get("arm64.dc_zva")).isEqualTo(256);
        h.onPagesAllocated(0x2000, 2, Gfp.GFP_KERNEL, 0);
        assertThat(Fixtures.counters(h).get("arm64.dc_zva")).as("no __GFP_ZERO, no clearing").isEqualTo(256);
        assertThat(Fixtures.counters(h).get("arm64.cycles")).as("A55 DC ZVA default 4 cycles").isEqualTo(256 * 4);
    }

    @Test
    void dmaMapToDevice_cleansEveryLine() {
        Arm64ArchHooks h = hooks("6.1");
        h.onEvent(new Event().dmaMap(0x1000, 4096, Event.DMA_TO_DEVICE, 4));
        Map<String, Long> c = Fixtures.counters(h);
        assertThat(c.get("arm64.dc_cvac")).isEqualTo(64);
        assertThat(c.get("arm64.dsb_sy")).isEqualTo(1);
        h.onEvent(new Event().dmaUnmap(0x1000, 4096, Event.DMA_TO_DEVICE, 4));
        assertThat(Fixtures.counters(h).get("arm64.dc_ivac") + Fixtures.counters(h).get("arm64.dc_civac")).isZero();
    }

    @Test
    void dmaMapFromDevice_cleansFrom5_19AndInvalidatedBefore() {
        Arm64ArchHooks h61 = hooks("6.1");
        h61.onEvent(new Event().dmaMap(0x1000, 4096, Event.DMA_FROM_DEVICE, 4));
        assertThat(Fixtures.counters(h61).get("arm64.dc_cvac")).isEqualTo(64);
        Arm64ArchHooks h510 = hooks("5.10");
        h510.onEvent(new Event().dmaMap(0x1000, 4096, Event.DMA_FROM_DEVICE, 4));
        assertThat(Fixtures.counters(h510).get("arm64.dc_ivac")).isEqualTo(64);
        assertThat(Fixtures.counters(h510).get("arm64.dc_cvac")).isZero();
    }

    @Test
    void dmaUnmapFromDevice_invalidatesWholeLinesAndCleansPartialEdges() {
        Arm64ArchHooks h = hooks("6.1");
        // [0x1010, 0x1010 + 200): first line 0x1000 partial, last line 0x10c0 partial, 0x1040 and 0x1080 whole
        h.onEvent(new Event().dmaUnmap(0x1010, 200, Event.DMA_FROM_DEVICE, 0));
        Map<String, Long> c = Fixtures.counters(h);
        assertThat(c.get("arm64.dc_civac")).isEqualTo(2);
        assertThat(c.get("arm64.dc_ivac")).isEqualTo(2);
        h.onEvent(new Event().dmaUnmap(0x2000, 8192, Event.DMA_BIDIRECTIONAL, 0));
        assertThat(Fixtures.counters(h).get("arm64.dc_ivac")).isEqualTo(2 + 128);
    }

    @Test
    void dmaMapOfAPartialRange_cleansEveryLineTouched() {
        Arm64ArchHooks h = hooks("6.1");
        h.onEvent(new Event().dmaMap(0x1010, 100, Event.DMA_BIDIRECTIONAL, 0));
        assertThat(Fixtures.counters(h).get("arm64.dc_cvac")).as("lines 0x1000 and 0x1040").isEqualTo(2);
    }

    @Test
    void coherentDevices_needNoMaintenance() {
        Arm64ArchHooks h = Fixtures.hooks(Fixtures.rk3588(), "6.1", Fixtures.options(48, "auto", "auto", false, true),
                new Fixtures.BumpAllocator());
        h.onEvent(new Event().dmaMap(0x1000, 4096, Event.DMA_TO_DEVICE, 0));
        h.onEvent(new Event().dmaUnmap(0x1000, 4096, Event.DMA_FROM_DEVICE, 0));
        assertThat(Fixtures.counters(h).get("arm64.cycles")).isZero();
    }

    @Test
    void execMapping_onAliasingIcache_invalidatesAllOncePerCleanPage() {
        Arm64ArchHooks h = hooks("6.1");
        h.onEvent(new Event().execMap(1, 0x40_0000L, 0x500, 2 * 4096, 0));
        Map<String, Long> c = Fixtures.counters(h);
        // per page: dcache_clean_pou = dsb ishst (IDC), icache_inval_all_pou = ic ialluis; dsb ish (arch/arm64/mm/flush.c: __sync_icache_dcache(), flush_dcache_page() (6.1))
        assertThat(c.get("arm64.ic_ialluis")).isEqualTo(2);
        assertThat(c.get("arm64.dc_cvau")).isZero();
        assertThat(c.get("arm64.icache_syncs")).isEqualTo(2);
        h.onEvent(new Event().execMap(2, 0x40_0000L, 0x500, 2 * 4096, 0));
        assertThat(Fixtures.counters(h).get("arm64.ic_ialluis")).as("PG_dcache_clean already set").isEqualTo(2);
        h.onPagesFreed(0x500, 0, 0);
        h.onEvent(new Event().execMap(3, 0x40_0000L, 0x500, 4096, 0));
        assertThat(Fixtures.counters(h).get("arm64.ic_ialluis")).as("a freed page loses the flag").isEqualTo(3);
    }

    @Test
    void execMapping_onPiptIcache_invalidatesByLine() {
        Arm64ArchHooks h = Fixtures.hooks(Fixtures.generic(), "6.1", new Fixtures.BumpAllocator());
        h.onEvent(new Event().pageFault(1, 0x40_0000L, 0x500, 0, Event.FAULT_EXEC, 0));
        Map<String, Long> c = Fixtures.counters(h);
        assertThat(c.get("arm64.ic_ivau")).isEqualTo(64);
        assertThat(c.get("arm64.ic_ialluis")).isZero();
        long d = h.mmu().tables().walk(h.mmu().root(1), 0x40_0000L);
        assertThat(d & Descriptors.UXN).as("user-executable").isZero();
    }

    @Test
    void nonExecutableMapping_doesNoCacheMaintenance() {
        Arm64ArchHooks h = hooks("6.1");
        h.onEvent(new Event().pageFault(1, 0x40_0000L, 0x500, 0, Event.FAULT_WRITE, 0));
        Map<String, Long> c = Fixtures.counters(h);
        assertThat(c.get("arm64.ic_ialluis") + c.get("arm64.ic_ivau") + c.get("arm64.dc_cvau")).isZero();
    }
}
