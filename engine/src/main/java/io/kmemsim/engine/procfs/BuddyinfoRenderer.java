package io.kmemsim.engine.procfs;

import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.FreeAreaSnapshot.ZoneFreeArea;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import java.util.List;

/**
 * Renders {@code /proc/buddyinfo} (mm/vmstat.c: frag_show_print() (6.1)), identical in every version
 * 5.10 – 6.19: one line per populated zone, {@code "Node %d, zone %8s "} then {@code "%6lu "} per order,
 * then a newline (so every line ends with a space). Pages on per-CPU lists are not free here.
 */
public final class BuddyinfoRenderer {

    private BuddyinfoRenderer() {
    }

    /** The file for the given nodes (one allocator per node, in node order). */
    public static String render(List<? extends PageAllocator> nodes) {
        StringBuilder sb = new StringBuilder(256);
        for (PageAllocator node : nodes) {
            for (Zone z : node.zones()) {
                if (z.populated()) {
                    appendLine(sb, FreeCounts.of(z, node.maxOrder()));
                }
            }
        }
        return sb.toString();
    }

    /** The file a snapshot was parsed from (every snapshot zone is a populated zone). */
    public static String render(FreeAreaSnapshot snapshot) {
        StringBuilder sb = new StringBuilder(256);
        for (ZoneFreeArea z : snapshot.zones()) {
            appendLine(sb, FreeCounts.of(z));
        }
        return sb.toString();
    }

    /** Appends one zone's line. */
    public static void appendLine(StringBuilder sb, FreeCounts zone) {
        ProcText.nodeZone(sb, zone.node(), zone.zone().printedName()).append(' ');
        for (long n : zone.nrFree()) {
            ProcText.right(sb, n, 6).append(' ');
        }
        sb.append('\n');
    }
}
