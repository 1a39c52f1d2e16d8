package io.kmemsim.api.support.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.arch.VirtualLayout;
import org.junit.jupiter.api.Test;

class SlabPageMapTest {

    @Test
    void slabsAndLargeKmallocsByAddress() {
        SlabPageMap m = new SlabPageMap(VirtualLayout.ARM64, 12, "slub");
        m.mapSlab(0x12345, 2, 7);
        m.mapLarge(0x90000, 3);
        long base = 0xffff000000000000L + (0x12345L << 12);
        assertThat(m.address(0x12345)).isEqualTo(base);
        assertThat(m.slabOf(base, "kfree")).isEqualTo(7);
        assertThat(m.slabOf(base + 4 * 4096 - 1, "kfree")).isEqualTo(7);
        assertThat(m.slabOf(m.address(0x90000) + 100, "kfree")).isEqualTo(SlabPageMap.LARGE);
        assertThat(m.largeOrder(0x90000)).isEqualTo(3);
        assertThatThrownBy(() -> m.slabOf(base + 4 * 4096, "kfree"))
                .hasMessage("kfree: address was not allocated by slub: 0x" + Long.toHexString(base + 4 * 4096));
        assertThatThrownBy(() -> m.slabOf(0x1000, "ksize")).hasMessageContaining("not allocated by slub");
        m.unmapSlab(0x12345, 2);
        assertThat(m.lookup(0x12346)).isZero();
        assertThat(m.lookup(1L << 40)).isZero();
    }

    @Test
    void layoutsMatchTheKernelHeaders() {
        // arch/arm64/include/asm/memory.h with VA_BITS 48, PAGE_SHIFT 12 (6.1)
        assertThat(VirtualLayout.ARM64.pageOffset()).isEqualTo(-(1L << 48));
        assertThat(VirtualLayout.ARM64.vmemmap()).isEqualTo(-(1L << (48 - (12 - 6))));
        assertThat(VirtualLayout.X86_64.pageStruct(3)).isEqualTo(0xffffea0000000000L + 192);
    }
}
