package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.engine.procfs.Zoneinfo.Pageset;
import io.kmemsim.engine.procfs.Zoneinfo.ZoneEntry;
import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code /proc/zoneinfo} (mm/vmstat.c: zoneinfo_show_print() (6.1)) line by line into a {@link Zoneinfo}.
 *
 * <p>Accepted: the layouts of 5.10 – 6.19 (with or without {@code boost}, {@code cma}, {@code promo},
 * the 6.13+ aligned pageset lines with {@code high_min}/{@code high_max}, the 6.19 highatomic lines), the
 * {@code per-node stats} block, any number of zone/NUMA counters and per-CPU pagesets, and any other
 * {@code name value} or {@code name: value} line (so the older 3.10 – 4.x layouts, whose extra lines such
 * as {@code scanned} or {@code all_unreclaimable:} and whose counters before {@code protection:} the
 * reference does not describe, are read as counters too). Rejected with an
 * {@link io.kmemsim.engine.InputException}: a line before the first {@code Node} header, an unknown
 * zone name, a line of any other shape, a non-decimal value, a field given twice in a zone, a pageset
 * field outside a {@code cpu:} block, a malformed protection tuple, a zone missing one of
 * {@code pages free}, {@code min}, {@code low}, {@code high}, {@code spanned}, {@code present},
 * {@code managed} or {@code protection}, and a repeated (node, zone).
 */
public final class ZoneinfoParser {

    // leading and inner spacing is free: pasted copies lose or double it (LineSource turns tabs into spaces)
    private static final Pattern HEADER = Pattern.compile(" *Node +(\\d+) *, *zone +(\\S+) *");
    private static final Pattern VALUE = Pattern.compile(" *([A-Za-z_][A-Za-z0-9_ ]*?)(:?) +(-?\\d+) *");
    private static final Pattern PROTECTION = Pattern.compile(" *protection: *\\((.*)\\) *");
    private static final Set<String> WATERMARK_FIELDS =
            Set.of("boost", "min", "low", "high", "promo", "spanned", "present", "managed", "cma");
    private static final Set<String> PAGESET_FIELDS = Set.of("count", "high", "batch", "high_min", "high_max");

    private enum Section { NODE_STATS, ZONE, PAGESETS }

    private final LineSource in;
    private final boolean excerpt;
    private final Map<String, List<String>> missing = new LinkedHashMap<>();
    private final List<ZoneEntry> zones = new ArrayList<>();
    private final Set<String> seenZones = new HashSet<>();
    private ZoneBuilder zone;

    private ZoneinfoParser(LineSource in, boolean excerpt) {
        this.in = in;
        this.excerpt = excerpt;
    }

    /** Parses the whole file. */
    public static Zoneinfo parse(BufferedReader reader, String source) {
        return new ZoneinfoParser(new LineSource(reader, source), false).run();
    }

    /**
     * Parses an excerpt someone pasted: a zone may lack any of the fields a whole file has; each missing
     * field reads as {@link Zoneinfo#ABSENT} (protection as an empty tuple) and is listed in
     * {@link Zoneinfo#missing()}. Everything else is checked as in {@link #parse}.
     */
    public static Zoneinfo parseExcerpt(BufferedReader reader, String source) {
        return new ZoneinfoParser(new LineSource(reader, source), true).run();
    }

    private Zoneinfo run() {
        for (String line = in.next(); line != null; line = in.next()) {
            if (line.isBlank()) {
                continue;
            }
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                finishZone();
                startZone(h);
                continue;
            }
            if (zone == null) {
                throw in.error("", "expected a \"Node N, zone NAME\" line first: \"" + line + "\"");
            }
            bodyLine(line);
        }
        finishZone();
        if (zones.isEmpty()) {
            throw in.errorAt(0, "", "no zones (expected \"Node 0, zone   Normal\" lines)");
        }
        return new Zoneinfo(zones, missing);
    }

    private void startZone(Matcher h) {
        long node = in.unsigned(h.group(1), "node");
        ZoneType type = BuddyinfoParser.ZoneHeader.zoneType(in, h.group(2));
        if (node > Integer.MAX_VALUE || !seenZones.add(node + "/" + type)) {
            throw in.error("zone", "node " + node + " zone " + type.printedName() + " appears twice");
        }
        zone = new ZoneBuilder(in.lineNo(), (int) node, type);
    }

    private void bodyLine(String line) {
        String t = line.strip();
        if (t.equals("per-node stats")) {
            zone.section = Section.NODE_STATS;
            return;
        }
        if (t.equals("pagesets")) {
            zone.section = Section.PAGESETS;
            return;
        }
        Matcher p = PROTECTION.matcher(line);
        if (p.matches()) {
            protection(p.group(1));
            return;
        }
        Matcher v = VALUE.matcher(line);
        if (!v.matches()) {
            throw in.error("", "unrecognised zoneinfo line: \"" + line + "\"");
        }
        String name = v.group(1).replaceAll(" +", " ");
        boolean colon = !v.group(2).isEmpty();
        String key = name + (colon ? ":" : "");
        long value = in.signed(v.group(3), key);
        if (colon && name.equals("cpu") && zone.section == Section.PAGESETS) {
            zone.pagesets.add(new long[] {value, -1, -1, -1, -1, -1, -1});
        } else if (colon && zone.section == Section.PAGESETS && (PAGESET_FIELDS.contains(name)
                || name.equals("vm stats threshold") && !zone.pagesets.isEmpty())) {
            pagesetField(name, value);
        } else {
            field(name, colon, key, value);
        }
    }

    private void field(String name, boolean colon, String key, long value) {
        if (!colon && name.equals("pages free")) {
            zone.section = Section.ZONE;
            zone.put(in, key, value);
        } else if (zone.section == Section.NODE_STATS) {
            if (zone.nodeStats.put(key, value) != null) {
                throw in.error(key, "given twice in the per-node stats");
            }
        } else if (!colon && zone.section == Section.ZONE && WATERMARK_FIELDS.contains(name)) {
            zone.put(in, key, value);
        } else {
            zone.put(in, key, value);
            zone.counters.put(key, value);
        }
    }

    private void pagesetField(String name, long value) {
        if (zone.pagesets.isEmpty()) {
            throw in.error(name, "pageset field before the first \"cpu:\" line");
        }
        long[] ps = zone.pagesets.get(zone.pagesets.size() - 1);
        int idx = switch (name) {
            case "count" -> 1;
            case "high" -> 2;
            case "batch" -> 3;
            case "high_min" -> 4;
            case "high_max" -> 5;
            default -> 6;
        };
        if (ps[idx] != -1) {
            throw in.error(name, "given twice for cpu " + ps[0]);
        }
        ps[idx] = value;
    }

    private void protection(String tuple) {
        if (zone.protection != null) {
            throw in.error("protection", "given twice in the zone");
        }
        List<Long> values = new ArrayList<>();
        for (String part : tuple.split(",", -1)) {
            values.add(in.signed(part.strip(), "protection"));
        }
        zone.protection = values;
    }

    private void finishZone() {
        if (zone == null) {
            return;
        }
        ZoneBuilder z = zone;
        List<String> lacks = new ArrayList<>();
        for (String required : List.of("pages free", "min", "low", "high", "spanned", "present", "managed")) {
            if (!z.fields.containsKey(required)) {
                if (!excerpt) {
                    throw in.errorAt(z.line, required, "missing in node " + z.node + " zone " + z.type.printedName());
                }
                lacks.add(required);
            }
        }
        if (z.protection == null) {
            if (!excerpt) {
                throw in.errorAt(z.line, "protection", "missing in node " + z.node + " zone " + z.type.printedName());
            }
            lacks.add("protection");
            z.protection = List.of();
        }
        if (!lacks.isEmpty()) {
            missing.put("node " + z.node + " zone " + z.type.printedName(), List.copyOf(lacks));
        }
        List<Pageset> sets = new ArrayList<>();
        for (long[] ps : z.pagesets) {
            if (ps[1] < 0 || ps[2] < 0 || ps[3] < 0) {
                throw in.errorAt(z.line, "pagesets", "cpu " + ps[0] + " of node " + z.node + " zone "
                        + z.type.printedName() + " lacks count, high or batch");
            }
            sets.add(new Pageset((int) ps[0], ps[1], ps[2], ps[3], ps[4], ps[5], ps[6]));
        }
        zones.add(new ZoneEntry(z.line, z.node, z.type, z.get("pages free"), z.get("boost"), z.get("min"),
                z.get("low"), z.get("high"), z.get("promo"), z.get("spanned"), z.get("present"), z.get("managed"),
                z.get("cma"), z.protection, z.nodeStats, z.counters, sets, z.get("start_pfn:")));
        zone = null;
    }

    private static final class ZoneBuilder {
        final int line;
        final int node;
        final ZoneType type;
        Section section = Section.ZONE;
        final Map<String, Long> fields = new LinkedHashMap<>();
        final Map<String, Long> nodeStats = new LinkedHashMap<>();
        final Map<String, Long> counters = new LinkedHashMap<>();
        final List<long[]> pagesets = new ArrayList<>();
        List<Long> protection;

        ZoneBuilder(int line, int node, ZoneType type) {
            this.line = line;
            this.node = node;
            this.type = type;
        }

        void put(LineSource in, String key, long value) {
            if (fields.put(key, value) != null) {
                throw in.error(key, "given twice in node " + node + " zone " + type.printedName());
            }
        }

        long get(String key) {
            return fields.getOrDefault(key, Zoneinfo.ABSENT);
        }
    }
}
