package io.kmemsim.engine.twin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a twin's output directory and renders its report. The directory is built as a temporary sibling
 * and renamed into place, so OUT is either the complete new output or left as it was.
 *
 * <p>Files: {@code buddyinfo}, {@code pagetypeinfo} (kernel format, per-CPU lists not drained),
 * {@code buddyinfo.compacted} (when the bundle has a compacted state), {@code zoneinfo.boot} (when the
 * boot simulation provides it) and {@code twin.json} (schema {@code kmemsim-twin/1}).
 */
public final class TwinOutput {

    /** The schema name written into twin.json. */
    public static final String SCHEMA = "kmemsim-twin/1";

    private TwinOutput() {
    }

    /** The files of {@code result}, name → content, in the order written. */
    public static Map<String, String> files(TwinResult result) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("buddyinfo", result.buddyinfo());
        files.put("pagetypeinfo", result.pagetypeinfo());
        result.buddyinfoCompacted().ifPresent(t -> files.put("buddyinfo.compacted", t));
        result.bootZoneinfo().ifPresent(t -> files.put("zoneinfo.boot", t));
        result.slab().ifPresent(sl -> files.put("slabinfo", sl.slabinfo()));
        files.put("twin.json", json(result));
        return files;
    }

    /** Writes the output directory {@code out} atomically (a temporary sibling renamed into place). */
    public static void write(TwinResult result, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
        try {
            for (Map.Entry<String, String> f : files(result).entrySet()) {
                Files.writeString(tmp.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
            }
            Path old = null;
            if (Files.exists(abs)) {
                old = Files.createTempDirectory(parent, "." + abs.getFileName() + ".old-");
                Files.delete(old);
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                deleteTree(old);
            }
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** {@code twin.json}. */
    public static String json(TwinResult r) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("bundle", r.bundle().toString());
        root.put("mode", r.mode().name().toLowerCase(Locale.ROOT));
        ObjectNode mach = root.putObject("machine");
        mach.put("arch", r.machine().arch());
        mach.put("kernel", r.machine().kernel().toString());
        mach.put("cpus", r.machine().cpus());
        ArrayNode banks = mach.putArray("banks");
        r.machine().banks().forEach(b -> banks.addObject().put("base", "0x" + Long.toHexString(b.base()))
                .put("size", b.size()));
        if (r.machine().cmaBytes() > 0) {
            mach.putObject("cma").put("base", "0x" + Long.toHexString(r.machine().cmaBase())).put("bytes", r.machine().cmaBytes());
        }
        ObjectNode rep = root.putObject("replay");
        rep.put("traced_allocations", r.tracedAllocations());
        rep.put("replayed_allocations", r.replayedAllocations());
        rep.put("success_percent", round(100 * r.successRate()));
        ObjectNode nr = rep.putObject("not_replayed");
        r.notReplayed().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> nr.put(e.getKey(), e.getValue()));
        ObjectNode st = root.putObject("start_state");
        r.startStats().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> st.put(e.getKey(), e.getValue()));
        ArrayNode notes = root.putArray("notes");
        r.notes().forEach(notes::add);
        comparison(root.putObject("after"), r.after());
        r.compacted().ifPresent(c -> comparison(root.putObject("compacted"), c));
        if (!r.window().isEmpty()) {
            ObjectNode w = root.putObject("untraced_window");
            w.put("inferred", "from vmstat and zoneinfo after → compacted, not traced");
            r.window().forEach(w::put);
        }
        ArrayNode pbs = root.putArray("pageblocks");
        for (TwinResult.PageblockRow row : r.pageblocks()) {
            ObjectNode o = pbs.addObject().put("zone", row.zone().printedName()).put("type", row.type().printedName());
            if (row.real() >= 0) {
                o.put("real", row.real());
            }
            o.put("sim", row.sim());
        }
        r.slab().ifPresent(sl -> slabJson(root.putObject("slab"), sl));
        root.putArray("files").addAll(files0(r));
        reportArrays(root, r);
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The arrays the HTML report reads (docs/report.md, "Real against simulated"): {@code real} (the bundle),
     * {@code kernel}, {@code buddyinfo} per zone with {@code state} {@code end} (after the trace) and, when the
     * bundle has it, {@code compacted}; {@code pagetypes} (pageblocks per type, when the bundle has
     * pagetypeinfo.after); {@code zoneinfo} (the boot fields compared, values as the kernel prints them: a number,
     * or a string such as protection's list).
     */
    private static void reportArrays(ObjectNode root, TwinResult r) {
        root.put("real", r.bundle().toString());
        root.put("kernel", r.machine().kernel().toString());
        ArrayNode buddy = root.putArray("buddyinfo");
        buddyinfo(buddy, "end", r.after());
        r.compacted().ifPresent(c -> buddyinfo(buddy, "compacted", c));
        ArrayNode types = root.putArray("pagetypes");
        for (TwinResult.PageblockRow row : r.pageblocks()) {
            if (row.real() >= 0 && (row.real() > 0 || row.sim() > 0)) {
                types.addObject().put("node", row.node()).put("zone", row.zone().printedName())
                        .put("type", row.type().printedName()).put("real", row.real()).put("simulated", row.sim());
            }
        }
        ArrayNode zi = root.putArray("zoneinfo");
        for (TwinResult.BootField f : r.bootFields()) {
            ObjectNode o = zi.addObject().put("node", f.node()).put("zone", f.zone()).put("field", f.field());
            value(o, "real", f.real());
            value(o, "simulated", f.sim());
        }
    }

    private static void buddyinfo(ArrayNode out, String state, ZoneComparison c) {
        for (ZoneComparison.Row row : c.zones()) {
            ObjectNode z = out.addObject().put("node", row.node()).put("zone", row.zone().printedName()).put("state", state);
            ArrayNode real = z.putArray("real");
            ArrayNode sim = z.putArray("simulated");
            for (int k = 0; k < row.real().length; k++) {
                real.add(row.real()[k]);
                sim.add(k < row.sim().length ? row.sim()[k] : 0);
            }
        }
    }

    private static void value(ObjectNode o, String key, String v) {
        if (v == null) {
            o.putNull(key);
        } else if (v.matches("-?\\d{1,18}")) {
            o.put(key, Long.parseLong(v));
        } else {
            o.put(key, v);
        }
    }

    private static ArrayNode files0(TwinResult r) {
        ArrayNode a = new ObjectMapper().createArrayNode();
        a.add("buddyinfo").add("pagetypeinfo");
        r.buddyinfoCompacted().ifPresent(t -> a.add("buddyinfo.compacted"));
        r.bootZoneinfo().ifPresent(t -> a.add("zoneinfo.boot"));
        r.slab().ifPresent(t -> a.add("slabinfo"));
        return a;
    }

    private static void slabJson(ObjectNode o, SlabResult sl) {
        o.put("start", sl.startSource());
        o.put("page_source", "accounting-only page allocator (slab pages come from the trace's page events)");
        o.put("traced_allocations", sl.traced());
        o.put("replayed_allocations", sl.replayed());
        ObjectNode per = o.putObject("replayed_per_cache");
        new java.util.TreeMap<>(sl.replayedPerCache()).forEach(per::put);
        ObjectNode res = o.putObject("cache_of_kmem_cache_alloc");
        new java.util.TreeMap<>(sl.resolution()).forEach(res::put);
        ObjectNode f = o.putObject("failures");
        new java.util.TreeMap<>(sl.failures()).forEach(f::put);
        o.put("active_objs_distance_percent", round(100 * sl.activeDistance()));
        o.put("num_objs_distance_percent", round(100 * sl.numDistance()));
        // docs/fidelity.md, "Slab twin": the caches whose change (after − start) the trace's net explains
        o.put("trace_explained_caches", sl.explainedCaches());
        o.put("trace_explained_active_objs_distance_percent", round(100 * sl.explainedActiveDistance()));
        o.put("trace_explained_num_objs_distance_percent", round(100 * sl.explainedNumDistance()));
        sl.startEvidence().forEach(o.putArray("start_evidence")::add);
        sl.createdDuringTrace().forEach(o.putArray("created_during_trace")::add);
        ArrayNode rows = o.putArray("caches");
        for (SlabResult.Row row : sl.rows()) {
            rows.addObject().put("name", row.name()).put("real_active_objs", row.realActive())
                    .put("real_num_objs", row.realNum()).put("twin_active_objs", row.twinActive())
                    .put("twin_num_objs", row.twinNum()).put("start_active_objs", row.startActive())
                    .put("trace_net", row.traceNet()).put("explained_by_trace", row.explained());
        }
    }

    private static void slabReport(StringBuilder sb, SlabResult sl) {
        sb.append(String.format(Locale.ROOT, "slab objects: %d traced allocations, %d replayed (start %s; slab pages from"
                + " the trace's page events)%n", sl.traced(), sl.replayed(), sl.startSource()));
        sb.append(String.format(Locale.ROOT, "end slabinfo of the %d caches the trace touched: active_objs distance %.3f %%,"
                + " num_objs distance %.3f %%%n", sl.rows().size(), 100 * sl.activeDistance(), 100 * sl.numDistance()));
        sl.startEvidence().forEach(e -> sb.append("  ").append(e).append('\n'));
        sb.append(String.format(Locale.ROOT, "  of those, %d caches changed as the trace explains (real after − start within one slab"
                + " per CPU of the trace's net): active_objs distance %.3f %%, num_objs distance %.3f %%; %d changed by untraced"
                + " activity (marked *)%n", sl.explainedCaches(), 100 * sl.explainedActiveDistance(), 100 * sl.explainedNumDistance(),
                sl.rows().size() - sl.explainedCaches()));
        sb.append(String.format(Locale.ROOT, "  %-24s %21s %21s %10s %10s%n", "cache", "real active/num", "twin active/num",
                "start", "trace net"));
        for (SlabResult.Row row : sl.rows()) {
            sb.append(String.format(Locale.ROOT, "%s %-24s %10d/%-10d %10d/%-10d %10d %+10d%n", row.explained() ? " " : "*",
                    row.name(), row.realActive(), row.realNum(), row.twinActive(), row.twinNum(), row.startActive(), row.traceNet()));
        }
        sb.append("  kmem_cache_alloc cache found by:");
        new java.util.TreeMap<>(sl.resolution()).forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %d;", k, v)));
        sb.append('\n');
        if (!sl.failures().isEmpty()) {
            sb.append("slab events not replayed (or replayed approximately), by reason:\n");
            sl.failures().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> sb.append(String.format(Locale.ROOT, "  %8d  %s%n", e.getValue(), e.getKey())));
        }
    }

    private static void comparison(ObjectNode o, ZoneComparison c) {
        o.put("distance_percent", round(100 * c.distance()));
        o.put("difference_pages", c.differencePages());
        o.put("real_free_pages", c.realFreePages());
        ArrayNode zones = o.putArray("zones");
        for (ZoneComparison.Row row : c.zones()) {
            ObjectNode z = zones.addObject().put("node", row.node()).put("zone", row.zone().printedName());
            ArrayNode real = z.putArray("real");
            ArrayNode sim = z.putArray("sim");
            for (int k = 0; k < row.real().length; k++) {
                real.add(row.real()[k]);
                sim.add(k < row.sim().length ? row.sim()[k] : 0);
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** The human report: real vs simulated per zone and order, distances, pageblocks, what was not replayed. */
    public static String report(TwinResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "twin of %s: %s %s, %d CPUs, mode %s%n", r.bundle(), r.machine().arch(),
                r.machine().kernel(), r.machine().cpus(), r.mode().name().toLowerCase(Locale.ROOT)));
        sb.append(String.format(Locale.ROOT, "page allocations: %d traced, %d replayed (%.2f %%)%n",
                r.tracedAllocations(), r.replayedAllocations(), 100 * r.successRate()));
        table(sb, "end buddyinfo (real vs twin)", r.after());
        r.compacted().ifPresent(c -> table(sb, "after compact_memory (real vs twin)", c));
        if (!r.window().isEmpty()) {
            Map<String, Long> w = r.window();
            sb.append(String.format(Locale.ROOT, "untraced window before compact_memory (inferred, not traced): %d of %d"
                    + " order-0 movable pages allocated on CPU %d (pgalloc %d, pgfree %d, pgmigrate_success %d), %d per-CPU"
                    + " pages bulk-freed, %d unmovable/reclaimable pages refilled; after"
                    + " compact_memory, to the kernel's list counts, per-CPU pages bulk-freed / freed from other lists /"
                    + " refilled: %d / %d / %d; per-CPU pages at the end: twin %d, kernel %d%n",
                    w.get("order0_movable_allocations_made"), w.get("order0_movable_allocations_asked"),
                    w.get("allocating_cpu"), w.get("vmstat.pgalloc"), w.get("vmstat.pgfree"), w.get("vmstat.pgmigrate_success"),
                    w.get("before_compact_memory.pcp_pages_bulk_freed"),
                    w.getOrDefault("before_compact_memory.pcp_pages_refilled_non_movable", 0L),
                    w.get("after_compact_memory.pcp_pages_bulk_freed"),
                    w.get("after_compact_memory.pcp_pages_freed_from_other_lists"),
                    w.get("after_compact_memory.pcp_pages_refilled"),
                    w.get("after_compact_memory.twin_pcp_pages"), w.get("after_compact_memory.kernel_pcp_pages")));
        }
        sb.append("pageblocks per migrate type at the end (real / twin):\n");
        String zone = null;
        for (TwinResult.PageblockRow row : r.pageblocks()) {
            if (row.real() <= 0 && row.sim() == 0) {
                continue;
            }
            if (!row.zone().printedName().equals(zone)) {
                zone = row.zone().printedName();
                sb.append(String.format(Locale.ROOT, "  %-8s", zone));
            }
            sb.append(String.format(Locale.ROOT, " %s %s/%d", row.type().printedName(),
                    row.real() < 0 ? "?" : Long.toString(row.real()), row.sim()));
        }
        sb.append('\n');
        Long compared = r.startStats().get("zoneinfo.boot.fields_compared");
        if (compared != null) {
            sb.append(String.format(Locale.ROOT, "boot zoneinfo (twin vs zoneinfo.boot.txt): %d of %d fields differ"
                    + " (managed, min, low, high, protection, pagesets high and batch, per zone)%n",
                    r.startStats().get("zoneinfo.boot.fields_differing"), compared));
        } else if (r.bootZoneinfo().isPresent()) {
            sb.append("boot zoneinfo: simulated from the boot log (the bundle has no zoneinfo.boot.txt to compare)\n");
        }
        r.slab().ifPresent(sl -> slabReport(sb, sl));
        if (!r.notReplayed().isEmpty()) {
            sb.append("not replayed, by reason:\n");
            r.notReplayed().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> sb.append(String.format(Locale.ROOT, "  %8d  %s%n", e.getValue(), e.getKey())));
        }
        if (!r.notes().isEmpty()) {
            sb.append("notes:\n");
            r.notes().forEach(n -> sb.append("  ").append(n).append('\n'));
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, String title, ZoneComparison c) {
        sb.append(String.format(Locale.ROOT, "%s: distance %.3f %% (%d of %d free pages)%n", title, 100 * c.distance(),
                c.differencePages(), c.realFreePages()));
        for (ZoneComparison.Row row : c.zones()) {
            sb.append(String.format(Locale.ROOT, "  %-8s order", row.zone().printedName()));
            for (int o = 0; o < row.real().length; o++) {
                sb.append(String.format(Locale.ROOT, " %6d", o));
            }
            sb.append(String.format(Locale.ROOT, "%n  %-8s real ", ""));
            for (long v : row.real()) {
                sb.append(String.format(Locale.ROOT, " %6d", v));
            }
            sb.append(String.format(Locale.ROOT, "%n  %-8s twin ", ""));
            for (int o = 0; o < row.real().length; o++) {
                sb.append(String.format(Locale.ROOT, " %6d", o < row.sim().length ? row.sim()[o] : 0));
            }
            sb.append('\n');
        }
    }
}
