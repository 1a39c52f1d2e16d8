package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.engine.procfs.Pagetypeinfo.ZoneTypes;
import java.util.List;

/**
 * Renders {@code /proc/pagetypeinfo} (mm/vmstat.c: pagetypeinfo_showfree_print(), pagetypeinfo_showblockcount_print() (6.1), same layout 5.10 – 6.19):
 * per node with memory the {@code Page block order} / {@code Pages per block} header, the free-list
 * section and the pageblock-count section. A free-list count that reached 100,000 prints as
 * {@code >100000}. The mixed-block section (CONFIG_PAGE_OWNER with page_owner=on only) is not
 * rendered.
 */
public final class PagetypeinfoRenderer {

    private static final String FREE_HEADER = "Free pages count per migrate type at order";
    private static final String BLOCKS_HEADER = "Number of blocks type ";

    private PagetypeinfoRenderer() {
    }

    /** The file of live allocators (one per node). */
    public static String render(List<? extends PageAllocator> nodes, KernelConfig config) {
        return render(Pagetypeinfo.of(nodes, config));
    }

    /** The file of a pagetypeinfo model. */
    public static String render(Pagetypeinfo info) {
        StringBuilder sb = new StringBuilder(1024);
        List<ZoneTypes> zones = info.zones();
        int i = 0;
        while (i < zones.size()) {
            int node = zones.get(i).node();
            int end = i;
            while (end < zones.size() && zones.get(end).node() == node) {
                end++;
            }
            appendNode(sb, info, zones.subList(i, end));
            i = end;
        }
        return sb.toString();
    }

    private static void appendNode(StringBuilder sb, Pagetypeinfo info, List<ZoneTypes> zones) {
        List<MigrateType> types = info.types();
        int orders = zones.get(0).freeBlocks()[0].length;
        sb.append("Page block order: ").append(info.pageblockOrder()).append('\n');
        sb.append("Pages per block:  ").append(1L << info.pageblockOrder()).append('\n');
        sb.append('\n');
        ProcText.left(sb, FREE_HEADER, 43).append(' ');
        for (int o = 0; o < orders; o++) {
            ProcText.right(sb, o, 6).append(' ');
        }
        sb.append('\n');
        for (ZoneTypes z : zones) {
            for (int t = 0; t < types.size(); t++) {
                sb.append("Node ");
                ProcText.right(sb, z.node(), 4).append(", zone ");
                ProcText.right(sb, z.zone().printedName(), 8).append(", type ");
                ProcText.right(sb, types.get(t).printedName(), 12).append(' ');
                for (int o = 0; o < z.freeBlocks()[t].length; o++) {
                    if (z.capped()[t][o]) {
                        sb.append('>');
                    }
                    ProcText.right(sb, z.freeBlocks()[t][o], 6).append(' ');
                }
                sb.append('\n');
            }
        }
        sb.append('\n');
        ProcText.left(sb, BLOCKS_HEADER, 23);
        for (MigrateType mt : types) {
            ProcText.right(sb, mt.printedName(), 12).append(' ');
        }
        sb.append('\n');
        for (ZoneTypes z : zones) {
            ProcText.nodeZone(sb, z.node(), z.zone().printedName()).append(' ');
            for (long n : z.pageblocks()) {
                ProcText.right(sb, n, 12).append(' ');
            }
            sb.append('\n');
        }
    }
}
