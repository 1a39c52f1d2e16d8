package io.kmemsim.api.mm;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The free-memory state of a real machine as {@code /proc/buddyinfo} (and, when given,
 * {@code /proc/pagetypeinfo}) showed it, for starting a what-if run from it
 * ({@link PageAllocator#importFreeAreas}).
 *
 * @param zones one entry per zone line of the snapshot, in file order
 */
@API(status = API.Status.STABLE, since = "0.1")
public record FreeAreaSnapshot(List<ZoneFreeArea> zones) {

    public FreeAreaSnapshot {
        zones = List.copyOf(zones);
    }

    /**
     * One zone of the snapshot.
     *
     * @param node              node id
     * @param zone              zone type
     * @param freeBlocks        free blocks per order (index = order), from buddyinfo
     * @param freeBlocksByType  free blocks per migrate type and order, from pagetypeinfo; empty when
     *                          only buddyinfo was given
     * @param pageblocksByType  pageblocks per migrate type ("Number of blocks type"); empty when unknown
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public record ZoneFreeArea(int node, ZoneType zone, List<Long> freeBlocks,
                               Map<MigrateType, List<Long>> freeBlocksByType,
                               Map<MigrateType, Long> pageblocksByType) {

        public ZoneFreeArea {
            Objects.requireNonNull(zone, "zone");
            freeBlocks = List.copyOf(freeBlocks);
            freeBlocksByType = Map.copyOf(freeBlocksByType);
            pageblocksByType = Map.copyOf(pageblocksByType);
        }
    }
}
