package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import org.junit.jupiter.api.Test;

/**
 * The order-0 fast path's watermark floor ({@link BuddyZone#fastFloor}) is the zone's order-0
 * {@code zone_watermark_fast} test kept current: it follows boosts, highatomic reserves and free CMA pages,
 * the fast path takes exactly the requests whose zone is above it, and {@code checkInvariants} notices a
 * floor that was not refreshed. A request whose preferred zone is empty (ZONE_MOVABLE without movablecore) is
 * served from the zone the zonelist walk reaches, only while that zone's lowmem reserve for the preferred
 * zone is its own.
 */
class FastFloorTest {

    private static BuddyZone normal(BuddyPageAllocator a) {
        return a.zones[a.zoneIndexOfType[ZoneType.NORMAL.ordinal()]];
    }

    @Test
    void floor_isTheLowMarkPlusUnusablePages_andFollowsABoost() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone z = normal(a);
        long low = z.watermark[AllocFlags.WMARK_LOW];
        assertThat(low).isPositive();
        assertThat(z.fastFloor).isEqualTo(low + z.lowmemReserve[z.index] + z.reservedHighatomic + z.freeCma);
        assertThat(a.tunables.boostWatermark(z)).isTrue();
        assertThat(z.boost).isPositive();
        assertThat(z.fastFloor).isEqualTo(low + z.boost + z.lowmemReserve[z.index] + z.reservedHighatomic + z.freeCma);
        a.checkInvariants();
        z.boostedFlag = true; // ZONE_BOOSTED_WATERMARK: the full path must clear it, so no fast path
        z.refreshFastFloor();
        assertThat(z.fastFloor).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void floor_countsAHighatomicReserve_andFreeCmaOnlyWithoutAllocCma() {
        BuddyPageAllocator a = Machines.create(Machines.twoZonesWithCma(), "6.1");
        long pfn = a.allocate(0, Gfp.GFP_KERNEL, 0);
        int idx = a.indexOf(pfn);
        BuddyZone z = a.zoneOf(idx);
        assertThat(z.freeCma).as("free CMA pages in the zone of the cma area").isPositive();
        assertThat(z.fastFloor - z.fastFloorCma).isEqualTo(z.freeCma);
        long before = z.fastFloorCma;
        Highatomic.reserve(a, z, idx, 0); // reserve_highatomic_pageblock after a high-priority allocation (6.1)
        assertThat(z.reservedHighatomic).as("the 6.1 highatomic reserve").isPositive();
        assertThat(z.fastFloorCma).isEqualTo(before + z.reservedHighatomic);
        assertThat(z.fastFloor).isEqualTo(z.fastFloorCma + z.freeCma);
        a.checkInvariants();
        a.free(pfn, 0, 0);
        a.checkInvariants();
    }

    @Test
    void from6_7_theFloorIsTheHighMarkWhileZoneBelowHighIsClear() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.12");
        BuddyZone z = normal(a);
        long rest = z.lowmemReserve[z.index] + z.reservedHighatomic + z.freeCma + z.boost;
        if (z.belowHigh) {
            assertThat(z.fastFloor).isEqualTo(z.watermark[AllocFlags.WMARK_LOW] + rest);
            z.belowHigh = false;
            z.refreshFastFloor();
        }
        assertThat(z.fastFloor).isEqualTo(z.watermark[AllocFlags.WMARK_HIGH] + rest);
        assertThat(z.watermark[AllocFlags.WMARK_HIGH]).isGreaterThan(z.watermark[AllocFlags.WMARK_LOW]);
        z.belowHigh = true; // set by get_page_from_freelist when the high mark fails
        z.refreshFastFloor();
        assertThat(z.fastFloor).isEqualTo(z.watermark[AllocFlags.WMARK_LOW] + rest);
        a.checkInvariants();
        BuddyPageAllocator v61 = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone n61 = normal(v61);
        n61.belowHigh = false; // no ZONE_BELOW_HIGH before 6.7: the low mark whatever the field says
        n61.refreshFastFloor();
        assertThat(n61.fastFloor).isEqualTo(n61.watermark[AllocFlags.WMARK_LOW] + n61.lowmemReserve[n61.index]
                + n61.reservedHighatomic + n61.freeCma + n61.boost);
    }

    @Test
    void fastPath_declinesExactlyAtTheFloor() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone z = normal(a);
        long pfn = a.allocate(0, Gfp.GFP_KERNEL, 0); // the first one refills the pcp list
        a.free(pfn, 0, 0);
        int mt = 0;
        int flags = AllocFlags.fastPath(Gfp.GFP_KERNEL, mt, a.cmaConfigured);
        long free = z.freePages;
        z.fastFloor = free; // as if the low mark were one page higher: the full path's test would fail too
        assertThat(a.pcp.allocFast(z, z.index, mt, flags, 0)).isEqualTo(-1);
        z.fastFloor = free - 1;
        assertThat(a.pcp.allocFast(z, z.index, mt, flags, 0)).isNotNegative();
    }

    @Test
    void fastPath_servesTheZoneBelowAnEmptyPreferredZone_whileItsReserveIsTheSame() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone z = normal(a);
        int movable = a.zoneIndexOfType[ZoneType.MOVABLE.ordinal()];
        int bits = Gfp.GFP_HIGHUSER_MOVABLE & Gfp.ZONEMASK;
        assertThat(a.zoneIndexOfGfp[bits]).isEqualTo(movable);
        assertThat(a.zones[movable].managed).isZero();
        assertThat(a.zoneOfGfp[bits]).isSameAs(z);
        long pfn = a.allocate(0, Gfp.GFP_HIGHUSER_MOVABLE, 0); // the first one refills the pcp list
        a.free(pfn, 0, 0);
        int mt = 0; // no fallback policy: every request takes the UNMOVABLE lists
        int flags = AllocFlags.fastPath(Gfp.GFP_HIGHUSER_MOVABLE, mt, a.cmaConfigured);
        assertThat(z.lowmemReserve[movable]).isEqualTo(z.lowmemReserve[z.index]);
        z.lowmemReserve[movable] = z.lowmemReserve[z.index] + 1; // the full path tests this reserve: the fast one may not
        assertThat(a.pcp.allocFast(z, movable, mt, flags, 0)).isEqualTo(-1);
        z.lowmemReserve[movable] = z.lowmemReserve[z.index];
        assertThat(a.pcp.allocFast(z, movable, mt, flags, 0)).isEqualTo(a.indexOf(pfn)); // the page just freed
    }

    @Test
    void highOrderFastPath_declinesExactlyAtTheFloorPlusTheOrdersUncountedPages() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone z = normal(a);
        int o = 2;
        long pfn = a.allocate(o, Gfp.GFP_KERNEL, 0); // the first one refills the order-2 pcp list
        a.free(pfn, o, 0);
        int mt = 0;
        int flags = AllocFlags.fastPath(Gfp.GFP_KERNEL, mt, a.cmaConfigured);
        long free = z.freePages;
        // __zone_watermark_ok for order 2: free - 3 must exceed mark + reserve + unusable
        z.fastFloor = free - 3;
        assertThat(a.pcp.allocFastHigh(z, z.index, o, mt, flags, 0)).isEqualTo(-1);
        assertThat(a.watermarks.zoneWatermarkOk(z, o, z.fastFloor - z.lowmemReserve[z.index] - z.reservedHighatomic - z.freeCma,
                z.index, flags, free)).isFalse(); // the full path's test fails there too
        z.fastFloor = free - 4;
        int count = z.pcpCount[0];
        assertThat(a.pcp.allocFastHigh(z, z.index, o, mt, flags, 0)).isEqualTo(a.indexOf(pfn));
        assertThat(z.pcpCount[0]).isEqualTo(count - 4);
    }

    @Test
    void checkInvariants_failsOnAFastPathZoneThatWasNotRefreshed() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        int bits = Gfp.GFP_HIGHUSER_MOVABLE & Gfp.ZONEMASK;
        a.zoneOfGfp[bits] = null; // as if a zone had gained managed pages behind the table's back
        assertThatThrownBy(a::checkInvariants).hasMessageContaining("fast path's zone for zone modifiers");
        a.refreshFastFloors();
        a.checkInvariants();
    }

    @Test
    void checkInvariants_failsOnAFloorThatWasNotRefreshed() {
        BuddyPageAllocator a = Machines.create(Machines.twoZones(), "6.1");
        BuddyZone z = normal(a);
        z.watermark[AllocFlags.WMARK_LOW] += 7; // a write that bypasses refreshFastFloor
        assertThatThrownBy(a::checkInvariants).hasMessageContaining("fast path's watermark floor is stale");
        z.refreshFastFloor();
        a.checkInvariants();
        assertThat(a.allocate(0, Gfp.GFP_KERNEL, 1)).isNotEqualTo(PageAllocator.NO_PAGE);
    }
}
