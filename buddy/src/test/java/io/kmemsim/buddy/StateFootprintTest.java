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

    /**
     * The list links of a page are one {@code long} (next low, prev high), so that a node of 2^30 pages or more
     * (4 TiB of 4K pages) fits one array: with two {@code int}s per page at {@code idx << 1} the index and the
     * array length overflowed there. Each half keeps its sign and survives a write of the other.
     */
    @Test
    void links_packNextAndPrevOfIndexesAbove2To30() {
        FreeLists l = Machines.create(Machines.small(), "6.1").lists;
        int big = (1 << 30) + 12345;
        l.setLinks(0, Integer.MAX_VALUE - 1, -1);
        assertThat(l.next(0)).isEqualTo(Integer.MAX_VALUE - 1);
        assertThat(l.prev(0)).isEqualTo(-1);
        l.setPrev(0, big);
        assertThat(l.prev(0)).isEqualTo(big);
        assertThat(l.next(0)).isEqualTo(Integer.MAX_VALUE - 1);
        l.setNext(0, -1);
        assertThat(l.next(0)).isEqualTo(-1);
        assertThat(l.prev(0)).isEqualTo(big);
        l.setLinks(0, big, Integer.MAX_VALUE - 1);
        assertThat(l.next(0)).isEqualTo(big);
        assertThat(l.prev(0)).isEqualTo(Integer.MAX_VALUE - 1);
        assertThat(l.links).hasSize(l.nPages);
    }
}
