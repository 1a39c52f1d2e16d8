package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.FreeAreaSnapshot.ZoneFreeArea;
import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code /proc/buddyinfo} (mm/vmstat.c: frag_show_print() (6.1)) line by line into a
 * {@link FreeAreaSnapshot} with free blocks per order only.
 *
 * <p>Accepted: lines {@code Node N, zone NAME c0 c1 …} with any spacing and with or without the
 * trailing space; blank lines are skipped. Every line must have the same number of order columns
 * (1 … 32: 11 on 4K pages, 12 or 14 on 16K/64K arm64). Rejected with an
 * {@link io.kmemsim.engine.InputException} naming file, line, field and reason: any other line shape, an
 * unknown zone name (HighMem is not modelled), a value that is not a non-negative decimal, a repeated
 * (node, zone), or a file without zone lines.
 */
public final class BuddyinfoParser {

    /** Most order columns accepted (a 64-bit shift bound with room to spare). */
    public static final int MAX_ORDERS = 32;

    /** The most free pages a zone can have: 2^52 bytes of physical address space in 4 KiB pages. */
    static final long MAX_PAGES = 1L << 40;

    private BuddyinfoParser() {
    }

    /** Parses the whole file. */
    public static FreeAreaSnapshot parse(BufferedReader reader, String source) {
        LineSource in = new LineSource(reader, source);
        List<ZoneFreeArea> zones = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int orders = -1;
        for (String line = in.next(); line != null; line = in.next()) {
            if (line.isBlank()) {
                continue;
            }
            ZoneHeader h = ZoneHeader.parse(in, line, false);
            String[] cols = h.rest().isEmpty() ? new String[0] : h.rest().split(" +");
            if (cols.length == 0 || cols.length > MAX_ORDERS) {
                throw in.error("orders", "expected 1 to " + MAX_ORDERS + " free-block columns, found " + cols.length);
            }
            if (orders >= 0 && cols.length != orders) {
                throw in.error("orders", "every line must have the same number of order columns: expected "
                        + orders + ", found " + cols.length);
            }
            orders = cols.length;
            if (!seen.add(h.node() + "/" + h.zone())) {
                throw in.error("zone", "node " + h.node() + " zone " + h.zone().printedName() + " appears twice");
            }
            List<Long> free = new ArrayList<>(cols.length);
            long pages = 0;
            for (int o = 0; o < cols.length; o++) {
                long n = in.unsigned(cols[o], "order " + o);
                // free blocks × 2^order pages: beyond 2^40 pages (2^52 bytes of 4 KiB pages, the widest physical
                // address of any architecture) the count cannot be real, and pages × page size could wrap
                if (n > MAX_PAGES >> o || (pages += n << o) > MAX_PAGES) {
                    throw in.error("order " + o, "node " + h.node() + " zone " + h.zone().printedName() + ": " + n
                            + " free blocks of order " + o + " make more than 2^40 free pages (no machine has more than "
                            + "2^52 bytes of physical address space)");
                }
                free.add(n);
            }
            zones.add(new ZoneFreeArea(h.node(), h.zone(), free, Map.of(), Map.of()));
        }
        if (zones.isEmpty()) {
            throw in.errorAt(0, "", "no zone lines (expected \"Node 0, zone   Normal …\")");
        }
        return new FreeAreaSnapshot(zones);
    }

    /** The parsed {@code Node N, zone NAME} prefix of a line and what follows it (trimmed). */
    record ZoneHeader(int node, ZoneType zone, String rest) {

        /**
         * Parses {@code Node N, zone NAME[,] rest}.
         *
         * @param commaAfterZone true for pagetypeinfo's free rows ({@code zone DMA, type …})
         */
        static ZoneHeader parse(LineSource in, String line, boolean commaAfterZone) {
            String t = line.strip();
            if (!t.startsWith("Node ")) {
                throw in.error("", "expected a line starting with \"Node \": \"" + line + "\"");
            }
            int comma = t.indexOf(',');
            if (comma < 0) {
                throw in.error("node", "expected \"Node N, zone NAME\": \"" + line + "\"");
            }
            String nodeText = t.substring(5, comma).strip();
            long node = in.unsigned(nodeText, "node");
            if (node > Integer.MAX_VALUE) {
                throw in.error("node", "node id too large: " + nodeText);
            }
            String after = t.substring(comma + 1).stripLeading();
            if (!after.startsWith("zone ")) {
                throw in.error("zone", "expected \"zone NAME\" after the node id: \"" + line + "\"");
            }
            after = after.substring(5).stripLeading();
            int end = 0;
            while (end < after.length() && after.charAt(end) != ' ' && after.charAt(end) != ',') {
                end++;
            }
            String name = after.substring(0, end);
            String rest = after.substring(end);
            if (commaAfterZone) {
                if (!rest.startsWith(",")) {
                    throw in.error("zone", "expected \",\" after the zone name: \"" + line + "\"");
                }
                rest = rest.substring(1);
            } else if (rest.startsWith(",")) {
                throw in.error("zone", "unexpected \",\" after the zone name: \"" + line + "\"");
            }
            return new ZoneHeader((int) node, zoneType(in, name), rest.strip());
        }

        static ZoneType zoneType(LineSource in, String name) {
            try {
                return ZoneType.ofPrintedName(name);
            } catch (IllegalArgumentException e) {
                throw in.error("zone", e.getMessage());
            }
        }
    }
}
