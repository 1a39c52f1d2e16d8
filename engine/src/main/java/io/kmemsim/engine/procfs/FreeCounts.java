package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.FreeAreaSnapshot.ZoneFreeArea;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.mm.PageAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The free blocks per order of one zone ({@code free_area[o].nr_free}, all migrate types), the input of
 * buddyinfo and the extfrag files, taken either from a live {@link Zone} or from a parsed snapshot.
 *
 * @param node   node id
 * @param zone   zone type
 * @param nrFree free blocks per order, index = order (length = number of orders); not copied
 */
public record FreeCounts(int node, ZoneType zone, long[] nrFree) {

    public FreeCounts {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(nrFree, "nrFree");
    }

    /** The free counts of a live zone for orders {@code 0 .. maxOrder}. */
    public static FreeCounts of(Zone zone, int maxOrder) {
        long[] n = new long[maxOrder + 1];
        for (int o = 0; o <= maxOrder; o++) {
            n[o] = zone.freeBlocks(o);
        }
        return new FreeCounts(zone.node(), zone.type(), n);
    }

    /** The free counts of a snapshot zone (buddyinfo columns). */
    public static FreeCounts of(ZoneFreeArea area) {
        long[] n = new long[area.freeBlocks().size()];
        for (int o = 0; o < n.length; o++) {
            n[o] = area.freeBlocks().get(o);
        }
        return new FreeCounts(area.node(), area.zone(), n);
    }

    /** The free counts of every populated zone of the given nodes (one allocator per node), in order. */
    public static List<FreeCounts> ofPopulated(List<? extends PageAllocator> nodes) {
        List<FreeCounts> out = new ArrayList<>();
        for (PageAllocator node : nodes) {
            for (Zone z : node.zones()) {
                if (z.populated()) {
                    out.add(of(z, node.maxOrder()));
                }
            }
        }
        return out;
    }
}
