package io.kmemsim.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The real-against-simulated part of a report, from {@value RunData#TWIN_FILE} in the results directory
 * (written by {@code kmemsim twin}; its fields are listed in docs/report.md): buddyinfo per order and zone as
 * grouped bars, pageblock counts per migrate type and boot zoneinfo fields as tables with the difference.
 */
final class TwinSection {

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
            String label = RunFigures.zoneLabel(z);
            out.add(new Figure("twin-" + RunFigures.zoneStem(z) + "-buddyinfo", "Free blocks per order of " + label
                    + ": the real machine's /proc/buddyinfo against the simulation's (log scale).",
                    Charts.bars("buddyinfo, real vs simulated — " + label, "order", "free blocks",
                            List.of("real", "simulated"), columns, values, true, false), Charts.WIDTH, Charts.HEIGHT));
        }
        return out;
    }

    /** The tables of the twin section (empty when there is no twin file). */
    static String tables(RunData run) {
        if (run.twin == null) {
            return "";
        }
        StringBuilder h = new StringBuilder();
        h.append("<p>Real machine: ").append(Html.esc(run.twin.path("real").asText("(not named)")))
                .append("; kernel ").append(Html.esc(run.twin.path("kernel").asText("?"))).append(".</p>\n");
        table(h, "Pageblocks per migrate type (/proc/pagetypeinfo)", run.twin.path("pagetypes"), "type");
        table(h, "Boot zoneinfo fields (/proc/zoneinfo)", run.twin.path("zoneinfo"), "field");
        return h.toString();
    }

    private static void table(StringBuilder h, String title, JsonNode rows, String key) {
        if (rows.isEmpty()) {
            return;
        }
        h.append("<h3>").append(Html.esc(title)).append("</h3>\n<table><thead><tr><th>node</th><th>zone</th><th>")
                .append(key).append("</th><th>real</th><th>simulated</th><th>difference</th></tr></thead><tbody>\n");
        for (JsonNode r : rows) {
            long real = r.path("real").asLong();
            long sim = r.path("simulated").asLong();
            h.append("<tr").append(real == sim ? "" : " class=\"diff\"").append("><td>").append(r.path("node").asInt())
                    .append("</td><td>").append(Html.esc(r.path("zone").asText())).append("</td><td>")
                    .append(Html.esc(r.path(key).asText())).append("</td><td class=\"n\">").append(real)
                    .append("</td><td class=\"n\">").append(sim).append("</td><td class=\"n\">")
                    .append(Html.signed(sim - real)).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }
}
