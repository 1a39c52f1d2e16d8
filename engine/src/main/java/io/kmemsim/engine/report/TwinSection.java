package io.kmemsim.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The real-against-simulated part of a report, from {@value RunData#TWIN_FILE} (written by {@code kmemsim twin};
 * the fields read are listed in docs/report.md): buddyinfo per order and zone as grouped bars and a table, for each
 * state the twin compared (the end of the trace, and after {@code compact_memory}); pageblock counts per migrate
 * type and the boot zoneinfo fields as tables with the difference; the twin's distances, replay counts and notes.
 */
final class TwinSection {

    /** The {@code state} of a buddyinfo entry without one. */
    private static final String END = "end";

    private TwinSection() {
    }

    static List<Figure> figures(RunData run) {
        List<Figure> out = new ArrayList<>();
        if (run.twin == null) {
            return out;
        }
        for (JsonNode z : run.twin.path("buddyinfo")) {
            JsonNode real = z.path("real");
            JsonNode sim = z.path("simulated");
            int orders = Math.max(real.size(), sim.size());
            if (orders == 0) {
                continue;
            }
            List<String> columns = new ArrayList<>();
            double[][] values = new double[2][orders];
            for (int o = 0; o < orders; o++) {
                columns.add(String.valueOf(o));
                values[0][o] = Math.max(0.5, real.path(o).asDouble());
                values[1][o] = Math.max(0.5, sim.path(o).asDouble());
            }
            String state = z.path("state").asText(END);
            String label = RunFigures.zoneLabel(z);
            String when = state.equals(END) ? "" : " (" + state + ")";
            out.add(new Figure("twin-" + RunFigures.zoneStem(z) + "-buddyinfo" + (state.equals(END) ? "" : "-" + stem(state)),
                    "Free blocks per order of " + label + when + ": the real machine's /proc/buddyinfo against the"
                            + " simulation's (log scale).",
                    Charts.bars("buddyinfo" + when + ", real vs simulated — " + label, "order", "free blocks",
                            List.of("real", "simulated"), columns, values, true, false), Charts.WIDTH, Charts.HEIGHT));
        }
        return out;
    }

    private static String stem(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** The tables of the twin section (empty when there is no twin file). */
    static String tables(RunData run) {
        if (run.twin == null) {
            return "";
        }
        JsonNode t = run.twin;
        StringBuilder h = new StringBuilder();
        h.append("<p>Real machine: ").append(Html.esc(t.path("real").asText("(not named)")))
                .append("; kernel ").append(Html.esc(t.path("kernel").asText("?"))).append(".</p>\n");
        distances(h, t);
        buddyinfoTables(h, t.path("buddyinfo"));
        table(h, "Pageblocks per migrate type at the end of the trace (/proc/pagetypeinfo)", t.path("pagetypes"), "type");
        table(h, "Boot zoneinfo fields (/proc/zoneinfo at boot)", t.path("zoneinfo"), "field");
        notes(h, t);
        return h.toString();
    }

    /** The distances and replay counts {@code kmemsim twin} wrote (docs/twin.md), when present. */
    private static void distances(StringBuilder h, JsonNode t) {
        JsonNode rep = t.path("replay");
        StringBuilder rows = new StringBuilder();
        if (rep.has("traced_allocations")) {
            row(rows, "page allocations traced", Html.num(rep.path("traced_allocations").asLong()));
            row(rows, "page allocations replayed", Html.num(rep.path("replayed_allocations").asLong()) + " ("
                    + String.format(Locale.ROOT, "%.2f %%", rep.path("success_percent").asDouble()) + ")");
        }
        for (String state : List.of("after", "compacted")) {
            JsonNode c = t.path(state);
            if (c.has("distance_percent")) {
                row(rows, "buddyinfo distance " + (state.equals("after") ? "at the end" : "after compact_memory"),
                        String.format(Locale.ROOT, "%.3f %% (%s of %s free pages)", c.path("distance_percent").asDouble(),
                                Html.num(c.path("difference_pages").asLong()), Html.num(c.path("real_free_pages").asLong())));
            }
        }
        if (rows.length() == 0) {
            return;
        }
        h.append("<h3>Replay and distance</h3>\n<table><tbody>\n").append(rows).append("</tbody></table>\n")
                .append("<p class=\"sub\">Distance: Σ over zones and orders of |simulated − real| × 2^order, divided by"
                        + " the real free pages.</p>\n");
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(Html.esc(name)).append("</th><td class=\"n\">").append(value).append("</td></tr>\n");
    }

    private static void buddyinfoTables(StringBuilder h, JsonNode zones) {
        if (zones.isEmpty()) {
            return;
        }
        int orders = 0;
        for (JsonNode z : zones) {
            orders = Math.max(orders, Math.max(z.path("real").size(), z.path("simulated").size()));
        }
        h.append("<h3>Free blocks per order (/proc/buddyinfo)</h3>\n<table class=\"twin-buddyinfo\"><thead><tr>")
                .append("<th>state</th><th>node</th><th>zone</th><th></th>");
        for (int o = 0; o < orders; o++) {
            h.append("<th>").append(o).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (JsonNode z : zones) {
            String head = "<td>" + Html.esc(z.path("state").asText(END)) + "</td><td>" + z.path("node").asInt()
                    + "</td><td>" + Html.esc(z.path("zone").asText()) + "</td>";
            for (String side : List.of("real", "simulated")) {
                JsonNode v = z.path(side);
                JsonNode other = z.path(side.equals("real") ? "simulated" : "real");
                h.append("<tr>").append(head).append("<th>").append(side).append("</th>");
                for (int o = 0; o < orders; o++) {
                    boolean differs = v.path(o).asLong() != other.path(o).asLong();
                    h.append("<td class=\"n").append(differs ? " diff" : "").append("\">").append(v.path(o).asLong())
                            .append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</tbody></table>\n");
    }

    private static void table(StringBuilder h, String title, JsonNode rows, String key) {
        if (rows.isEmpty()) {
            return;
        }
        h.append("<h3>").append(Html.esc(title)).append("</h3>\n<table><thead><tr><th>node</th><th>zone</th><th>")
                .append(key).append("</th><th>real</th><th>simulated</th><th>difference</th></tr></thead><tbody>\n");
        for (JsonNode r : rows) {
            JsonNode real = r.path("real");
            JsonNode sim = r.path("simulated");
            String diff;
            boolean same;
            if (real.isIntegralNumber() && sim.isIntegralNumber()) {
                same = real.asLong() == sim.asLong();
                diff = Html.signed(sim.asLong() - real.asLong());
            } else {
                same = value(real).equals(value(sim));
                diff = same ? "=" : "differs";
            }
            h.append("<tr").append(same ? "" : " class=\"diff\"").append("><td>").append(r.path("node").asInt())
                    .append("</td><td>").append(Html.esc(r.path("zone").asText())).append("</td><td>")
                    .append(Html.esc(r.path(key).asText())).append("</td><td class=\"n\">").append(Html.esc(value(real)))
                    .append("</td><td class=\"n\">").append(Html.esc(value(sim))).append("</td><td class=\"n\">")
                    .append(diff).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static String value(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? "–" : v.asText();
    }

    private static void notes(StringBuilder h, JsonNode t) {
        JsonNode nr = t.path("replay").path("not_replayed");
        if (!nr.isEmpty()) {
            h.append("<h3>Not replayed, by reason</h3>\n<table><tbody>\n");
            for (Map.Entry<String, JsonNode> e : nr.properties()) {
                row(h, e.getKey(), Html.num(e.getValue().asLong()));
            }
            h.append("</tbody></table>\n");
        }
        if (!t.path("notes").isEmpty()) {
            h.append("<h3>Notes</h3>\n<ul class=\"notes\">\n");
            for (JsonNode n : t.path("notes")) {
                h.append("<li>").append(Html.esc(n.asText())).append("</li>\n");
            }
            h.append("</ul>\n");
        }
    }
}
