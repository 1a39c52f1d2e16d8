package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The content of {@code /proc/pagetypeinfo} (mm/vmstat.c: pagetypeinfo_showfree_print(), pagetypeinfo_showblockcount_print() (6.1)) without its mixed-block
 * section: the pageblock order, the configured migrate types in kernel order, and per populated zone the
 * free blocks per (type, order) and the pageblocks per type.
 *
 * @param pageblockOrder {@code pageblock_order}
 * @param types          the migrate types the kernel prints, in kernel order (CMA only when configured)
 * @param zones          the populated zones, in node then zone order
 */
public record Pagetypeinfo(int pageblockOrder, List<MigrateType> types, List<ZoneTypes> zones) {

    /** The count at which the kernel stops walking a free list and prints {@code >} before it. */
    public static final long COUNT_CAP = 100_000;

    public Pagetypeinfo {
        types = List.copyOf(types);
        zones = List.copyOf(zones);
    }

    /**
     * One populated zone.
     *
     * @param node       node id
     * @param zone       zone type
     * @param freeBlocks {@code [type index][order]} free blocks (type index into {@link #types()})
     * @param capped     {@code [type index][order]}: the count stopped at {@link #COUNT_CAP} ({@code >})
     * @param pageblocks pageblocks per type index
     */
    public record ZoneTypes(int node, ZoneType zone, long[][] freeBlocks, boolean[][] capped, long[] pageblocks) {

        public ZoneTypes {
            Objects.requireNonNull(zone, "zone");
        }
    }

    /** The migrate types a configuration prints: Unmovable, Movable, Reclaimable, HighAtomic, [CMA], Isolate. */
    public static List<MigrateType> typesOf(KernelConfig config) {
        List<MigrateType> types = new ArrayList<>(6);
        for (MigrateType mt : MigrateType.values()) {
            if (mt != MigrateType.CMA || config.cma()) {
                types.add(mt);
            }
        }
        return List.copyOf(types);
    }

    /** The pagetypeinfo of live allocators (one per node, in node order). */
    public static Pagetypeinfo of(List<? extends PageAllocator> nodes, KernelConfig config) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("pagetypeinfo needs at least one node");
        }
        List<MigrateType> types = typesOf(config);
        List<ZoneTypes> zones = new ArrayList<>();
        for (PageAllocator node : nodes) {
            for (Zone z : node.zones()) {
                if (z.populated()) {
                    zones.add(zoneOf(z, types, node.maxOrder()));
                }
            }
        }
        return new Pagetypeinfo(nodes.get(0).pageblockOrder(), types, zones);
    }

    private static ZoneTypes zoneOf(Zone z, List<MigrateType> types, int maxOrder) {
        long[][] free = new long[types.size()][maxOrder + 1];
        boolean[][] capped = new boolean[types.size()][maxOrder + 1];
        long[] blocks = new long[types.size()];
        for (int t = 0; t < types.size(); t++) {
            for (int o = 0; o <= maxOrder; o++) {
                long n = z.freeBlocks(o, types.get(t));
                capped[t][o] = n >= COUNT_CAP;
                free[t][o] = Math.min(n, COUNT_CAP);
            }
            blocks[t] = z.pageblocks(types.get(t));
        }
        return new ZoneTypes(z.node(), z.type(), free, capped, blocks);
    }
}
