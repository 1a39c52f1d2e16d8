package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.engine.procfs.BuddyinfoParser.ZoneHeader;
import io.kmemsim.engine.procfs.Pagetypeinfo.ZoneTypes;
import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code /proc/pagetypeinfo} (mm/vmstat.c: pagetypeinfo_showfree_print(), pagetypeinfo_showblockcount_print() (6.1)) line by line into a
 * {@link Pagetypeinfo}.
 *
 * <p>Accepted: one block per node with memory ({@code Page block order}, {@code Pages per block}, the
 * free-list section, the pageblock-count section), with or without CMA, any number of orders, values
 * prefixed by {@code >} where the kernel stopped counting at 100,000 (kept as 100,000 and flagged), and
 * an optional mixed-block section (CONFIG_PAGE_OWNER), which is read and ignored. Blank lines are
 * skipped. Rejected with an {@link io.kmemsim.engine.InputException}: unknown lines, unknown type or zone
 * names, non-decimal values, {@code Pages per block} that is not {@code 2^order}, order headers that are
 * not {@code 0 1 2 …}, a zone whose type rows differ from the {@code Number of blocks type} header, rows
 * with a different number of columns, different pageblock orders in different nodes, and a zone missing
 * from one of the two sections.
 */
public final class PagetypeinfoParser {

    private static final String PBO = "Page block order:";
    private static final String PBN = "Pages per block:";
    private static final String FREE = "Free pages count per migrate type at order";
    private static final String BLOCKS = "Number of blocks type";
    private static final String MIXED = "Number of mixed blocks";

    private enum Section { NONE, FREE, BLOCKS, MIXED }

    private final LineSource in;
    private int pageblockOrder = -1;
    private int orders = -1;
    private List<MigrateType> types;
    private Section section = Section.NONE;
    private final Map<String, Map<MigrateType, long[]>> free = new LinkedHashMap<>();
    private final Map<String, Map<MigrateType, boolean[]>> capped = new LinkedHashMap<>();
    private final Map<String, ZoneHeader> headers = new LinkedHashMap<>();
    private final Map<String, long[]> blocks = new LinkedHashMap<>();

    private PagetypeinfoParser(LineSource in) {
        this.in = in;
    }

    /** Parses the whole file. */
    public static Pagetypeinfo parse(BufferedReader reader, String source) {
        return new PagetypeinfoParser(new LineSource(reader, source)).run();
    }

    private Pagetypeinfo run() {
        for (String line = in.next(); line != null; line = in.next()) {
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith(PBO)) {
                pageblockOrder(t);
            } else if (t.startsWith(PBN)) {
                pagesPerBlock(t);
            } else if (t.startsWith(FREE)) {
                orderHeader(t);
            } else if (t.startsWith(BLOCKS)) {
                typeHeader(t.substring(BLOCKS.length()));
                section = Section.BLOCKS;
            } else if (t.startsWith(MIXED)) {
                section = Section.MIXED;
            } else if (t.startsWith("Node")) {
                row(line);
            } else {
                throw in.error("", "unrecognised line: \"" + line + "\"");
            }
        }
        return finish();
    }

    private void pageblockOrder(String t) {
        long pbo = in.unsigned(t.substring(PBO.length()).strip(), "Page block order");
        if (pbo > 30) {
            throw in.error("Page block order", "pageblock order must be in [0, 30]: " + pbo);
        }
        if (pageblockOrder >= 0 && pbo != pageblockOrder) {
            throw in.error("Page block order", "differs between nodes: " + pageblockOrder + " and " + pbo);
        }
        pageblockOrder = (int) pbo;
        section = Section.NONE;
    }

    private void pagesPerBlock(String t) {
        long pbn = in.unsigned(t.substring(PBN.length()).strip(), "Pages per block");
        if (pageblockOrder < 0 || pbn != 1L << pageblockOrder) {
            throw in.error("Pages per block", "must be 2^(Page block order) and follow that line: " + pbn);
        }
    }

    private void orderHeader(String t) {
        String[] cols = t.substring(FREE.length()).strip().split(" +");
        for (int o = 0; o < cols.length; o++) {
            if (!cols[o].equals(Integer.toString(o))) {
                throw in.error("order " + o, "order header must list 0, 1, 2, …: \"" + cols[o] + "\"");
            }
        }
        if (orders >= 0 && cols.length != orders) {
            throw in.error("orders", "differs between nodes: " + orders + " and " + cols.length);
        }
        orders = cols.length;
        section = Section.FREE;
    }

    private void typeHeader(String rest) {
        List<MigrateType> parsed = new ArrayList<>();
        for (String name : rest.strip().split(" +")) {
            parsed.add(type(name));
        }
        if (types != null && !types.equals(parsed)) {
            throw in.error("types", "migrate types differ between nodes: " + types + " and " + parsed);
        }
        types = List.copyOf(parsed);
        for (Map.Entry<String, Map<MigrateType, long[]>> e : free.entrySet()) {
            if (!blocks.containsKey(e.getKey()) && !new ArrayList<>(e.getValue().keySet()).equals(types)) {
                throw in.error("types", "zone " + e.getKey() + " lists free rows for " + e.getValue().keySet()
                        + " but the header names " + types);
            }
        }
    }

    private void row(String line) {
        switch (section) {
            case FREE -> freeRow(line);
            case BLOCKS -> blockRow(line);
            case MIXED -> BuddyinfoParser.ZoneHeader.parse(in, line, false);
            default -> throw in.error("", "zone row before a section header: \"" + line + "\"");
        }
    }

    private void freeRow(String line) {
        ZoneHeader h = ZoneHeader.parse(in, line, true);
        String rest = h.rest();
        if (!rest.startsWith("type ")) {
            throw in.error("type", "expected \"type NAME\" after the zone: \"" + line + "\"");
        }
        String[] cols = rest.substring(5).strip().split(" +");
        MigrateType mt = type(cols[0]);
        if (cols.length - 1 != orders) {
            throw in.error("orders", "expected " + orders + " order columns, found " + (cols.length - 1));
        }
        String key = key(h);
        headers.putIfAbsent(key, h);
        Map<MigrateType, long[]> zone = free.computeIfAbsent(key, k -> new LinkedHashMap<>());
        if (zone.containsKey(mt)) {
            throw in.error("type", "zone " + key + " lists type " + mt.printedName() + " twice");
        }
        long[] values = new long[orders];
        boolean[] cap = new boolean[orders];
        for (int o = 0; o < orders; o++) {
            String c = cols[o + 1];
            cap[o] = c.startsWith(">");
            values[o] = in.unsigned(cap[o] ? c.substring(1) : c, "order " + o);
        }
        zone.put(mt, values);
        capped.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(mt, cap);
    }

    private void blockRow(String line) {
        ZoneHeader h = ZoneHeader.parse(in, line, false);
        String[] cols = h.rest().split(" +");
        if (cols.length != types.size()) {
            throw in.error("types", "expected " + types.size() + " pageblock counts, found " + cols.length);
        }
        String key = key(h);
        if (!free.containsKey(key)) {
            throw in.error("zone", "zone " + key + " has a pageblock row but no free-list rows");
        }
        if (blocks.containsKey(key)) {
            throw in.error("zone", "zone " + key + " has two pageblock rows");
        }
        long[] values = new long[cols.length];
        for (int t = 0; t < cols.length; t++) {
            values[t] = in.unsigned(cols[t], types.get(t).printedName());
        }
        blocks.put(key, values);
    }

    private Pagetypeinfo finish() {
        if (pageblockOrder < 0 || types == null) {
            throw in.errorAt(0, "", "not a pagetypeinfo file: no \"Page block order\" or \"Number of blocks type\" line");
        }
        List<ZoneTypes> zones = new ArrayList<>();
        for (Map.Entry<String, ZoneHeader> e : headers.entrySet()) {
            long[] b = blocks.get(e.getKey());
            if (b == null) {
                throw in.errorAt(0, "zone", "zone " + e.getKey() + " has free-list rows but no pageblock row");
            }
            long[][] f = new long[types.size()][];
            boolean[][] c = new boolean[types.size()][];
            for (int t = 0; t < types.size(); t++) {
                f[t] = free.get(e.getKey()).get(types.get(t));
                c[t] = capped.get(e.getKey()).get(types.get(t));
            }
            zones.add(new ZoneTypes(e.getValue().node(), e.getValue().zone(), f, c, b));
        }
        return new Pagetypeinfo(pageblockOrder, types, zones);
    }

    private MigrateType type(String name) {
        for (MigrateType mt : MigrateType.values()) {
            if (mt.printedName().equals(name)) {
                return mt;
            }
        }
        throw in.error("type", "unknown migrate type (expected Unmovable, Movable, Reclaimable, HighAtomic, CMA"
                + " or Isolate): " + name);
    }

    private static String key(ZoneHeader h) {
        return "node " + h.node() + " " + h.zone().printedName();
    }
}
