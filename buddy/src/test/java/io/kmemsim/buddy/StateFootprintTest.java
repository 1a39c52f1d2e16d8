package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.testkit.support.TestPlatforms;
import org.junit.jupiter.api.Test;

/**
 * The size of the allocator's state (the numbers in docs/performance.md): the packed per-page arrays of
 * a 32 GiB board (8 Mi pages of 4K) must stay within 16 bytes per simulated page.
 */
class StateFootprintTest {

    @Test
    void state_isAtMost16BytesPerPageOn32GiB() {
        Platform p = TestPlatforms.builder("test-32g", Machines.TWO_ZONES, 8)
                .bank(new MemoryBank(0, 0, 32L << 30))
                .limit(ZoneType.DMA32, (4L << 30) >> 12)
                .limit(ZoneType.NORMAL, (32L << 30) >> 12)
                .build();
        BuddyPageAllocator a = Machines.create(p, "6.1");
        assertThat(a.nPages).isEqualTo(8 << 20);
        long bytes = a.stateBytes();
        double perPage = (double) bytes / a.nPages;
        assertThat(perPage).isLessThanOrEqualTo(16.0);
        // 11 bytes, the pageblock byte per 512 pages, and the LRU's PG_writeback bit per page
        assertThat(bytes).isEqualTo(11L * (8 << 20) + (8 << 20) / 512 + 1 + (8 << 20) / 8);
    }
}
