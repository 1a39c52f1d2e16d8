package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.Fragmentation;
import io.kmemsim.api.kernel.KernelVersion;
import java.util.List;

/**
 * Renders debugfs {@code extfrag/unusable_index} and {@code extfrag/extfrag_index}
 * (mm/vmstat.c: unusable_show_print(), extfrag_show_print() (6.1)): one line per populated zone, {@code "Node %d, zone %8s "} then,
 * for every order, the index in thousandths as {@code "%d.%03d "} — for extfrag_index from 5.16 on
 * {@code "%2d.%03d "} — then a newline.
 *
 * Use {@link FreeCounts#ofPopulated} for live allocators.
 *
 * <p>The format switch is the "make extfrag_index show more pretty" patch, 5.16 per the reference
 * (read as 5.10 old, 6.1 new).
 */
public final class ExtfragRenderer {

    private ExtfragRenderer() {
    }

    /** True when extfrag_index pads the integer part to two columns: 5.16+. */
    public static boolean extfragWidth2(KernelVersion kernel) {
        return kernel.has(Feature.EXTFRAG_WIDTH_2);
    }

    /** {@code unusable_index} for zones given by their free counts (same format in every version). */
    public static String unusableIndex(List<FreeCounts> zones) {
        StringBuilder sb = new StringBuilder(256);
        for (FreeCounts z : zones) {
            ProcText.nodeZone(sb, z.node(), z.zone().printedName()).append(' ');
            for (int o = 0; o < z.nrFree().length; o++) {
                ProcText.thousandths(sb, Fragmentation.unusableIndex(z.nrFree(), o), false);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** {@code extfrag_index} for zones given by their free counts, in {@code kernel}'s format. */
    public static String extfragIndex(KernelVersion kernel, List<FreeCounts> zones) {
        boolean width2 = extfragWidth2(kernel);
        StringBuilder sb = new StringBuilder(256);
        for (FreeCounts z : zones) {
            ProcText.nodeZone(sb, z.node(), z.zone().printedName()).append(' ');
            for (int o = 0; o < z.nrFree().length; o++) {
                ProcText.thousandths(sb, Fragmentation.fragmentationIndex(z.nrFree(), o), width2);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
