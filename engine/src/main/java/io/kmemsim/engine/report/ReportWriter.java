package io.kmemsim.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the self-contained HTML report (docs/report.md) of one results directory, or of several as a
 * comparison (the first is the baseline), and optionally each figure as an SVG or PNG file.
 *
 * <p>The page needs nothing from the network: the figures are SVG rendered here by JFreeChart through
 * JFreeSVG, the style sheet and the pageblock-map script are inlined, the pageblock maps travel as base64
 * in JSON blocks. Every file is written to a temporary file and renamed over its name.
 */
public final class ReportWriter {

    /** The report's file name in a results directory. */
    public static final String FILE = "report.html";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What was written.
     *
     * @param html    the report
     * @param bytes   its size
     * @param figures the figure files written ({@code --svg}, {@code --png}), in order
     */
    public record Written(Path html, long bytes, List<Path> figures) {
    }

    private ReportWriter() {
    }

    /**
     * Writes the report of {@code dirs} to {@code html}.
     *
     * @param dirs   results directories (one: a run's report; several: a comparison, the first the baseline)
     * @param labels the name of each directory in a comparison (null: each run's scenario name, or directory
     *               name when names repeat)
     * @param html   the report file
     * @param svgDir where to write each figure as SVG, or null
     * @param pngDir where to write each figure as PNG, or null
     * @throws InputException naming the file and field of a results directory that cannot be read
     * @throws IOException    naming the file that could not be written
     */
    public static Written write(List<Path> dirs, List<String> labels, Path html, Path svgDir, Path pngDir)
            throws IOException {
        Objects.requireNonNull(html, "html");
        if (dirs.isEmpty()) {
            throw new InputException(new InputProblem("report", 0, 0, "", "give at least one results directory"));
        }
        System.setProperty("java.awt.headless", "true");
        List<RunData> runs = new ArrayList<>();
        for (Path d : dirs) {
            runs.add(RunData.read(d));
        }
        if (runs.size() > 1) {
            for (RunData r : runs) {
                if (r.results == null) {
                    throw new InputException(new InputProblem(r.dir.resolve(RunData.TWIN_FILE).toString(), 0, 0, "",
                            "a twin's output (twin.json, no results.json) has its own report and cannot be compared"
                                    + " with other directories; give it alone"));
                }
            }
        }
        relabel(runs, labels);
        List<Figure> figures = new ArrayList<>();
        String page = runs.size() == 1 ? single(runs.get(0), figures) : comparison(runs, figures);
        List<Path> files = new ArrayList<>();
        for (Figure f : figures) {
            if (svgDir != null) {
                files.add(atomicWrite(svgDir, f.name() + ".svg", f.svgDocument().getBytes(StandardCharsets.UTF_8)));
            }
            if (pngDir != null) {
                files.add(atomicWrite(pngDir, f.name() + ".png", f.png()));
            }
        }
        Path abs = html.toAbsolutePath();
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        atomicWrite(abs.getParent(), abs.getFileName().toString(), bytes);
        return new Written(html, bytes.length, List.copyOf(files));
    }

    private static void relabel(List<RunData> runs, List<String> labels) {
        if (labels != null) {
            for (int i = 0; i < runs.size() && i < labels.size(); i++) {
                runs.set(i, runs.get(i).relabel(labels.get(i)));
            }
            return;
        }
        long distinct = runs.stream().map(r -> r.label).distinct().count();
        if (distinct < runs.size()) {
            for (int i = 0; i < runs.size(); i++) {
                Path name = runs.get(i).dir.toAbsolutePath().normalize().getFileName();
                runs.set(i, runs.get(i).relabel(name == null ? "run " + (i + 1) : name.toString()));
            }
        }
    }

    // ---------------------------------------------------------------- one run

    private static String single(RunData run, List<Figure> figures) {
        if (run.results == null) {
            return twinOnly(run, figures);
        }
        StringBuilder h = new StringBuilder(1 << 20);
        JsonNode r = run.results;
        JsonNode sc = r.path("scenario");
        head(h, "kmemsim report — " + sc.path("name").asText());
        h.append("<h1>kmemsim report — ").append(Html.esc(sc.path("name").asText())).append("</h1>\n<p class=\"sub\">")
                .append("kernel ").append(Html.esc(sc.path("kernel").asText())).append(", seed ")
                .append(sc.path("seed").asLong()).append(", ").append(sc.path("cpus").asInt()).append(" CPUs, ")
                .append(Html.num(r.path("run").path("events").asLong())).append(" events, status ")
                .append(Html.esc(r.path("status").asText())).append(" — ").append(Html.esc(run.dir.toString()))
                .append("</p>\n");
        h.append("<nav><a href=\"#summary\">summary</a><a href=\"#zones\">zones</a><a href=\"#pageblocks\">pageblock map</a>"
                + "<a href=\"#events\">events</a><a href=\"#latency\">latency</a><a href=\"#arch\">arch</a>"
                + "<a href=\"#slab\">slab</a>").append(run.twin != null ? "<a href=\"#twin\">real vs simulated</a>" : "")
                .append("</nav>\n");
        summary(h, run);
        List<Figure> all = RunFigures.of(run);
        figures.addAll(all);
        h.append("<h2 id=\"zones\">Zones over time</h2>\n");
        if (run.zones == null) {
            h.append("<p>This results directory has no zoneseries.json (written by kmemsim 0.2 and later): no time"
                    + " series per zone.</p>\n");
        }
        grid(h, all, f -> f.name().startsWith("node"));
        h.append("<h2 id=\"pageblocks\">Pageblock map</h2>\n");
        pageblockMaps(h, run, 0);
        h.append("<h2 id=\"events\">Fragmentation and compaction events</h2>\n");
        grid(h, all, f -> f.name().contains("events") || f.name().equals("pages-migrated"));
        h.append("<h2 id=\"latency\">Allocation latency</h2>\n");
        grid(h, all, f -> f.name().startsWith("latency"));
        latencyTable(h, r.path("latency"));
        h.append("<h2 id=\"arch\">Arch counters</h2>\n");
        counters(h, r.path("counters").path("arch"), "The arch hooks' counters at the end of the run.");
        h.append("<h2 id=\"slab\">Slab caches</h2>\n");
        grid(h, all, f -> f.name().startsWith("slab"));
        slabTable(h, run);
        if (run.twin != null) {
            h.append("<h2 id=\"twin\">Real vs simulated</h2>\n");
            List<Figure> twin = TwinSection.figures(run);
            figures.addAll(twin);
            grid(h, twin, f -> true);
            h.append(TwinSection.tables(run));
        }
        h.append("<h2>buddyinfo</h2>\n");
        if (run.buddyinfoStart != null) {
            h.append("<h3>at the start</h3><pre>").append(Html.esc(run.buddyinfoStart)).append("</pre>\n");
        }
        if (run.buddyinfoEnd != null) {
            h.append("<h3>at the end</h3><pre>").append(Html.esc(run.buddyinfoEnd)).append("</pre>\n");
        }
        tail(h);
        return h.toString();
    }

    /** The report of a twin's output directory (twin.json, no results.json): the real-against-simulated part only. */
    private static String twinOnly(RunData run, List<Figure> figures) {
        StringBuilder h = new StringBuilder(1 << 16);
        head(h, "kmemsim twin report — " + run.label);
        h.append("<h1>kmemsim twin — real vs simulated</h1>\n<p class=\"sub\">")
                .append(Html.esc(run.twin.path("real").asText("(bundle not named)"))).append(", kernel ")
                .append(Html.esc(run.twin.path("kernel").asText("?")));
        JsonNode m = run.twin.path("machine");
        if (m.has("arch")) {
            h.append(", ").append(Html.esc(m.path("arch").asText())).append(", ").append(m.path("cpus").asInt())
                    .append(" CPUs");
        }
        if (run.twin.has("mode")) {
            h.append(", replay mode ").append(Html.esc(run.twin.path("mode").asText()));
        }
        h.append(" — ").append(Html.esc(run.dir.toString())).append("</p>\n");
        h.append("<h2 id=\"twin\">Real vs simulated</h2>\n");
        List<Figure> twin = TwinSection.figures(run);
        figures.addAll(twin);
        grid(h, twin, f -> true);
        h.append(TwinSection.tables(run));
        if (run.buddyinfoEnd != null) {
            h.append("<h2>The twin's /proc/buddyinfo at the end</h2><pre>").append(Html.esc(run.buddyinfoEnd))
                    .append("</pre>\n");
        }
        tail(h);
        return h.toString();
    }

    private static void summary(StringBuilder h, RunData run) {
        JsonNode r = run.results;
        JsonNode p = r.path("pages");
        h.append("<h2 id=\"summary\">Summary</h2>\n<table><tbody>\n");
        row(h, "page allocations satisfied", p.path("allocated").asLong());
        row(h, "page allocations failed", p.path("failed").asLong());
        row(h, "page frees", p.path("freed").asLong());
        row(h, "blocks migrated (compaction)", p.path("migrated").asLong());
        JsonNode occ = r.path("pageblockOccupancy").path("total");
        if (occ.path("tracked").asBoolean()) {
            row(h, "pageblocks", occ.path("pageblocks").asLong());
            row(h, "pageblocks with unmovable pages", occ.path("withUnmovable").asLong());
            row(h, "mixed pageblocks (movable and unmovable pages)", occ.path("mixed").asLong());
            row(h, "pageblocks holding a page of another type", occ.path("typeMismatch").asLong());
        }
        h.append("</tbody></table>\n<p>Providers: ");
        for (JsonNode pr : r.path("providers")) {
            h.append(Html.esc(pr.path("kind").asText())).append(" <b>").append(Html.esc(pr.path("id").asText()))
                    .append("</b>; ");
        }
        h.append("</p>\n");
    }

    private static void row(StringBuilder h, String name, long value) {
        h.append("<tr><th>").append(Html.esc(name)).append("</th><td class=\"n\">").append(Html.num(value))
                .append("</td></tr>\n");
    }

    private static void grid(StringBuilder h, List<Figure> figures, java.util.function.Predicate<Figure> which) {
        StringBuilder g = new StringBuilder();
        for (Figure f : figures) {
            if (which.test(f)) {
                g.append("<figure id=\"").append(f.name()).append("\">").append(f.svgElement())
                        .append("<figcaption>").append(Html.esc(f.caption())).append("</figcaption></figure>\n");
            }
        }
        if (g.length() > 0) {
            h.append("<div class=\"grid\">\n").append(g).append("</div>\n");
        } else {
            h.append("<p class=\"sub\">Nothing to draw: the run recorded no data for this section.</p>\n");
        }
    }

    /** The map data block of run {@code k} and its canvases: start and end side by side, and one to scrub with a slider. */
    private static void pageblockMaps(StringBuilder h, RunData run, int k) {
        if (run.zones == null || run.zones.path("mapEvents").isEmpty()) {
            h.append("<p class=\"sub\">No pageblock maps were recorded (the page allocator does not track them, or"
                    + " the directory predates them).</p>\n");
            return;
        }
        String src = "pb-data-" + k;
        ObjectNode d = JSON.createObjectNode();
        d.set("events", run.zones.path("mapEvents"));
        ArrayNode zs = d.putArray("zones");
        for (JsonNode z : run.zones.path("zones")) {
            zs.addObject().set("maps", z.path("pageblockMaps"));
        }
        h.append("<script type=\"application/json\" id=\"").append(src).append("\">")
                .append(Html.scriptSafe(d.toString())).append("</script>\n");
        int maps = run.zones.path("mapEvents").size();
        int zi = 0;
        for (JsonNode z : run.zones.path("zones")) {
            String id = "pb-" + k + "-" + zi;
            int blocks = ZoneMapStats.blocks(z);
            h.append("<h3>").append(Html.esc(RunFigures.zoneLabel(z))).append(" — ").append(Html.num(blocks))
                    .append(" pageblocks of 2^").append(run.zones.path("pageblockOrder").asInt()).append(" pages</h3>\n");
            h.append("<div class=\"maps\">");
            canvas(h, id + "-start", src, zi, "first", "at the start (" + ZoneMapStats.summary(z, 0) + ")");
            canvas(h, id + "-end", src, zi, "last", "at the end (" + ZoneMapStats.summary(z, maps - 1) + ")");
            h.append("</div>\n<div class=\"slider\"><label>scrub over the run: <input type=\"range\" class=\"pbslider\""
                    + " min=\"0\" max=\"").append(maps - 1).append("\" value=\"").append(maps - 1)
                    .append("\" data-target=\"").append(id).append("-scrub\"></label></div>\n<div class=\"maps\">");
            canvas(h, id + "-scrub", src, zi, "last", "");
            h.append("</div>\n");
            zi++;
        }
        h.append(Html.mapLegend());
    }

    private static void canvas(StringBuilder h, String id, String src, int zone, String index, String caption) {
        h.append("<div class=\"map\"><div class=\"cap\"").append(caption.isEmpty() ? " id=\"" + id + "-label\"" : "")
                .append(">").append(caption).append("</div><canvas class=\"pbmap\" id=\"").append(id)
                .append("\" data-src=\"").append(src).append("\" data-zone=\"").append(zone).append("\" data-index=\"")
                .append(index).append("\" width=\"8\" height=\"8\"></canvas></div>");
    }

    private static void latencyTable(StringBuilder h, JsonNode latency) {
        if (!latency.path("available").asBoolean()) {
            h.append("<p>").append(Html.esc(latency.path("reason").asText("No latency was charged."))).append("</p>\n");
            return;
        }
        h.append("<table><thead><tr><th>order</th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th>"
                + "<th>max</th></tr></thead><tbody>\n");
        for (JsonNode o : latency.path("byOrder")) {
            h.append("<tr><td>").append(o.path("order").asInt()).append("</td>");
            for (String f : List.of("count", "p50", "p90", "p99", "p999", "max")) {
                h.append("<td class=\"n\">").append(Html.num(o.path(f).asLong())).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n<p class=\"sub\">").append(Html.esc(latency.path("reason").asText()))
                .append("</p>\n");
    }

    private static void counters(StringBuilder h, JsonNode counters, String caption) {
        if (counters.isMissingNode() || counters.isEmpty()) {
            h.append("<p class=\"sub\">No counters were recorded.</p>\n");
            return;
        }
        h.append("<p class=\"sub\">").append(Html.esc(caption)).append("</p><table><tbody>\n");
        for (Map.Entry<String, JsonNode> e : counters.properties()) {
            row(h, e.getKey(), e.getValue().asLong());
        }
        h.append("</tbody></table>\n");
    }

    private static void slabTable(StringBuilder h, RunData run) {
        if (run.slabs.isEmpty()) {
            return;
        }
        List<CacheInfo> top = new ArrayList<>(run.slabs);
        top.sort(Comparator.comparingLong((CacheInfo c) -> c.numObjs() * (long) c.objSize()).reversed()
                .thenComparing(CacheInfo::name));
        h.append("<table><thead><tr><th>cache</th><th>active objects</th><th>total objects</th><th>object size</th>"
                + "<th>in use</th></tr></thead><tbody>\n");
        for (CacheInfo c : top.subList(0, Math.min(RunFigures.TOP_CACHES, top.size()))) {
            h.append("<tr><td>").append(Html.esc(c.name())).append("</td><td class=\"n\">").append(Html.num(c.activeObjs()))
                    .append("</td><td class=\"n\">").append(Html.num(c.numObjs())).append("</td><td class=\"n\">")
                    .append(c.objSize()).append("</td><td class=\"n\">")
                    .append(c.numObjs() == 0 ? "–" : String.format(java.util.Locale.ROOT, "%.1f%%",
                            100.0 * c.activeObjs() / c.numObjs())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    // ---------------------------------------------------------------- comparison

    private static String comparison(List<RunData> runs, List<Figure> figures) {
        StringBuilder h = new StringBuilder(1 << 20);
        head(h, "kmemsim comparison");
        h.append("<h1>kmemsim comparison — ").append(runs.size()).append(" variants</h1>\n<p class=\"sub\">Baseline: <b>")
                .append(Html.esc(runs.get(0).label)).append("</b>. Same measures per variant; Δ is the difference to the"
                        + " baseline.</p>\n<nav><a href=\"#delta\">table</a><a href=\"#overlay\">over time</a>"
                        + "<a href=\"#maps\">pageblock maps</a></nav>\n");
        deltaTable(h, runs);
        List<Figure> all = CompareFigures.of(runs);
        figures.addAll(all);
        h.append("<h2 id=\"overlay\">Over time, per variant</h2>\n");
        grid(h, all, f -> true);
        h.append("<h2 id=\"maps\">Pageblock maps at the end</h2>\n");
        endMapsSideBySide(h, runs);
        tail(h);
        return h.toString();
    }

    /** Per zone, one row of every variant's map at the end (variants without maps are named). */
    private static void endMapsSideBySide(StringBuilder h, List<RunData> runs) {
        int zones = 0;
        for (int k = 0; k < runs.size(); k++) {
            RunData r = runs.get(k);
            if (r.zones == null || r.zones.path("mapEvents").isEmpty()) {
                h.append("<p class=\"sub\">").append(Html.esc(r.label)).append(": no pageblock maps recorded.</p>\n");
                continue;
            }
            ObjectNode d = JSON.createObjectNode();
            d.set("events", r.zones.path("mapEvents"));
            ArrayNode zs = d.putArray("zones");
            for (JsonNode z : r.zones.path("zones")) {
                zs.addObject().set("maps", z.path("pageblockMaps"));
            }
            h.append("<script type=\"application/json\" id=\"pb-data-").append(k).append("\">")
                    .append(Html.scriptSafe(d.toString())).append("</script>\n");
            zones = Math.max(zones, r.zones.path("zones").size());
        }
        for (int zi = 0; zi < zones; zi++) {
            String title = null;
            StringBuilder row = new StringBuilder("<div class=\"maps\">");
            for (int k = 0; k < runs.size(); k++) {
                RunData r = runs.get(k);
                if (r.zones == null || r.zones.path("mapEvents").isEmpty() || r.zones.path("zones").size() <= zi) {
                    continue;
                }
                JsonNode z = r.zones.path("zones").get(zi);
                title = title != null ? title : RunFigures.zoneLabel(z);
                int last = r.zones.path("mapEvents").size() - 1;
                canvas(row, "pb-" + k + "-" + zi + "-end", "pb-data-" + k, zi, "last", "<b>" + Html.esc(r.label)
                        + "</b>: " + ZoneMapStats.summary(z, last));
            }
            h.append("<h3>").append(Html.esc(String.valueOf(title))).append("</h3>\n").append(row).append("</div>\n");
        }
        h.append(Html.mapLegend());
    }

    /** A measure of a finished run, read from its results.json or zone series. */
    private record Measure(String name, java.util.function.ToDoubleFunction<RunData> value, boolean lowerIsBetter) {
    }

    private static void deltaTable(StringBuilder h, List<RunData> runs) {
        List<Measure> measures = List.of(
                new Measure("page allocations failed", r -> r.results.path("pages").path("failed").asLong(), true),
                new Measure("mixed pageblocks", r -> r.results.path("pageblockOccupancy").path("total").path("mixed")
                        .asLong(), true),
                new Measure("pageblocks with unmovable pages", r -> r.results.path("pageblockOccupancy").path("total")
                        .path("withUnmovable").asLong(), true),
                new Measure("fallbacks (extfrag events)", r -> counter(r, "kmemsim_extfrag_events"), true),
                new Measure("compaction stalls", r -> counter(r, "compact_stall"), true),
                new Measure("pages migrated", r -> counter(r, "pgmigrate_success"), true),
                new Measure("free pages in whole pageblocks at the end", r -> atEnd(r, CompareFigures::freeInPageblocks),
                        false),
                new Measure("unusable index at pageblock order, end", r -> atEnd(r, CompareFigures::unusableAtPageblock),
                        true));
        h.append("<h2 id=\"delta\">Measures at the end</h2>\n<table><thead><tr><th>measure</th>");
        for (RunData r : runs) {
            h.append("<th>").append(Html.esc(r.label)).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (Measure m : measures) {
            double base = m.value().applyAsDouble(runs.get(0));
            h.append("<tr><th>").append(Html.esc(m.name())).append("</th>");
            for (int i = 0; i < runs.size(); i++) {
                double v = m.value().applyAsDouble(runs.get(i));
                h.append("<td class=\"n\">").append(fmt(v));
                if (i > 0 && !Double.isNaN(v) && !Double.isNaN(base)) {
                    double d = v - base;
                    boolean worse = m.lowerIsBetter() ? d > 0 : d < 0;
                    h.append(" <span class=\"").append(d == 0 ? "" : worse ? "pos" : "neg").append("\">(Δ ")
                            .append(d > 0 ? "+" : "").append(fmt(d)).append(base != 0 && d != 0
                                    ? String.format(java.util.Locale.ROOT, ", %+.1f%%", 100 * d / Math.abs(base)) : "")
                            .append(")</span>");
                }
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static double counter(RunData r, String name) {
        JsonNode v = r.results.path("counters").path("page-allocator").path(name);
        return v.isMissingNode() ? 0 : v.asDouble();
    }

    private static double atEnd(RunData r, java.util.function.ToDoubleBiFunction<RunData, Integer> f) {
        if (r.zones == null || r.events().length == 0) {
            return Double.NaN;
        }
        return f.applyAsDouble(r, r.events().length - 1);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Html.num((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    // ---------------------------------------------------------------- page frame

    private static void head(StringBuilder h, String title) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(Html.esc(title))
                .append("</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:;"
                        + " style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n<style>")
                .append(Html.CSS).append("</style></head><body>\n");
    }

    private static void tail(StringBuilder h) {
        h.append("<p class=\"sub\">Written by kmemsim. Figures drawn with JFreeChart; every script and style is in"
                + " this file.</p>\n<script>").append(Html.mapScript()).append("</script>\n</body></html>\n");
    }

    /** Writes {@code bytes} to {@code dir/name} through a temporary file in {@code dir} and an atomic rename. */
    static Path atomicWrite(Path dir, String name, byte[] bytes) throws IOException {
        Path d = dir == null ? Path.of(".") : dir;
        Files.createDirectories(d);
        Path target = d.resolve(name);
        // Not Files.createTempFile: its 0600 would make the report unreadable to others; a new file takes the umask.
        Path tmp = d.resolve("." + name + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            Files.write(tmp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return target;
    }
}
