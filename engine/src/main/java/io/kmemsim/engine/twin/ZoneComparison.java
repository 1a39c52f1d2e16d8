package io.kmemsim.engine.twin;

import io.kmemsim.api.kernel.ZoneType;
import java.util.List;

/**
 * Real and simulated free blocks per zone and order, and the distance between them:
 * Σ over zones and orders of |simulated − real| × 2^order, divided by the real free pages.
 *
 * @param zones one row per zone of the real file, in its order
 */
public record ZoneComparison(List<Row> zones) {

    public ZoneComparison {
        zones = List.copyOf(zones);
    }

    /**
     * One zone.
     *
     * @param node node id
     * @param zone zone
     * @param real the kernel's free blocks per order
     * @param sim  the twin's free blocks per order
     */
    public record Row(int node, ZoneType zone, long[] real, long[] sim) {
    }

    /** The real free pages of all zones. */
    public long realFreePages() {
        long n = 0;
        for (Row r : zones) {
            for (int o = 0; o < r.real.length; o++) {
                n += r.real[o] << o;
            }
        }
        return n;
    }

    /** Σ |sim − real| × 2^order over zones and orders, in pages. */
    public long differencePages() {
        long d = 0;
        for (Row r : zones) {
            for (int o = 0; o < r.real.length; o++) {
                long s = o < r.sim.length ? r.sim[o] : 0;
                d += Math.abs(s - r.real[o]) << o;
            }
        }
        return d;
    }

    /** The distance as a fraction (0.005 = 0.5 %); 0 when the real zones have no free pages. */
    public double distance() {
        long real = realFreePages();
        return real == 0 ? 0 : (double) differencePages() / real;
    }
}
