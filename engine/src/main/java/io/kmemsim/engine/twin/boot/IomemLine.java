package io.kmemsim.engine.twin.boot;

/**
 * One line of {@code /proc/iomem}: {@code start-end : name}, indented by two spaces per level of nesting
 * (6.1 {@code kernel/resource.c: r_show()}), both ends inclusive byte addresses in hexadecimal.
 *
 * @param start  the first byte
 * @param end    the last byte
 * @param indent the number of leading spaces (0 for a top-level range, 2 for its children, ...)
 * @param name   the range's name, trimmed
 */
public record IomemLine(long start, long end, int indent, String name) {

    /** The line parsed, or null when it is not a range line. */
    public static IomemLine parse(String line) {
        int colon = line.indexOf(" : ");
        if (colon < 0) {
            return null;
        }
        int indent = 0;
        while (indent < colon && line.charAt(indent) == ' ') {
            indent++;
        }
        int dash = line.indexOf('-', indent);
        if (dash < 0 || dash > colon) {
            return null;
        }
        try {
            long start = Long.parseUnsignedLong(line.substring(indent, dash), 16);
            long end = Long.parseUnsignedLong(line.substring(dash + 1, colon).trim(), 16);
            return new IomemLine(start, end, indent, line.substring(colon + 3).trim());
        } catch (NumberFormatException notHex) {
            return null;
        }
    }
}
