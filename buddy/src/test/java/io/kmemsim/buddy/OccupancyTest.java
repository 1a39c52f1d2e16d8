package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageblockOccupancy;
import io.kmemsim.api.mm.Zone;
import org.junit.jupiter.api.Test;

class OccupancyTest {

    @Test
    void occupancy_countsPageblocksByMobilityOfTheirAllocations() {
        PageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        for (Zone z : a.zones()) {
            assertThat(z.pageblockOccupancy().withUnmovable()).isZero();
            assertThat(z.pageblockOccupancy().mixed()).isZero();
        }
        // Without a fallback policy every request is UNMOVABLE (mobility grouping off): one order-9 block
        // fills one pageblock with unmovable pages.
        long pfn = a.allocate(9, Gfp.GFP_KERNEL, 0);
        assertThat(pfn).isNotEqualTo(PageAllocator.NO_PAGE);
        Zone home = a.zones().stream().filter(z -> z.spannedPages() > 0 && pfn >= z.startPfn()
                && pfn < z.startPfn() + z.spannedPages()).findFirst().orElseThrow();
        PageblockOccupancy after = home.pageblockOccupancy();
        assertThat(after.withUnmovable()).isEqualTo(1);
        assertThat(after.mixed()).isZero();
        assertThat(after.pageblocks()).isPositive();
        a.free(pfn, 9, 0);
        a.drainPerCpuLists();
        assertThat(home.pageblockOccupancy().withUnmovable()).isZero();
    }
}
