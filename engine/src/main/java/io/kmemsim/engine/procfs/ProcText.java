package io.kmemsim.engine.procfs;

/** Formatting helpers reproducing the kernel's {@code seq_printf} field widths. */
final class ProcText {

    private ProcText() {
    }

    /** {@code %Nd}/{@code %Ns}: right-aligned in {@code width} columns, never truncated. */
    static StringBuilder right(StringBuilder sb, String s, int width) {
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb.append(s);
    }

    /** {@code %-Ns}: left-aligned in {@code width} columns, never truncated. */
    static StringBuilder left(StringBuilder sb, String s, int width) {
        sb.append(s);
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb;
    }

    /** {@code %Nlu} of a value. */
    static StringBuilder right(StringBuilder sb, long v, int width) {
        return right(sb, Long.toString(v), width);
    }

    /** {@code "Node %d, zone %8s"}. */
    static StringBuilder nodeZone(StringBuilder sb, int node, String zone) {
        sb.append("Node ").append(node).append(", zone ");
        return right(sb, zone, 8);
    }

    /** A thousandths value as {@code %d.%03d} (or {@code %2d.%03d} when {@code width2}), then a space. */
    static StringBuilder thousandths(StringBuilder sb, int v, boolean width2) {
        String ip = Integer.toString(v / 1000);
        if (width2) {
            right(sb, ip, 2);
        } else {
            sb.append(ip);
        }
        int frac = Math.abs(v % 1000);
        sb.append('.');
        if (frac < 100) {
            sb.append('0');
        }
        if (frac < 10) {
            sb.append('0');
        }
        return sb.append(frac).append(' ');
    }
}
