package io.kmemsim.engine.report;

import io.kmemsim.api.kernel.MigrateType;
import java.util.Locale;

/**
 * HTML pieces shared by the report and the explain page: escaping, the inline style sheet (screen and
 * print), the migrate-type colours and the script that draws pageblock maps on canvases. Everything is
 * inlined; nothing is fetched when the page opens.
 */
final class Html {

    private Html() {
    }

    /** Colours per migrate type, in {@link MigrateType} order (Unmovable, Movable, Reclaimable, HighAtomic, CMA, Isolate). */
    static final String[] TYPE_COLORS = {"#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#4e79a7", "#9c9c9c"};

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Text for a {@code <script type="application/json">} block: no {@code </} may appear inside. */
    static String scriptSafe(String json) {
        return json.replace("</", "<\\/");
    }

    static String signed(long v) {
        return v > 0 ? "+" + v : String.valueOf(v);
    }

    static String num(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static String typeNamesJson() {
        StringBuilder b = new StringBuilder("[");
        for (MigrateType t : MigrateType.values()) {
            b.append(b.length() > 1 ? "," : "").append('"').append(t.printedName()).append('"');
        }
        return b.append(']').toString();
    }

    static String colorsJson() {
        StringBuilder b = new StringBuilder("[");
        for (String c : TYPE_COLORS) {
            b.append(b.length() > 1 ? "," : "").append('"').append(c).append('"');
        }
        return b.append(']').toString();
    }

    /** The legend of the pageblock maps. */
    static String mapLegend() {
        StringBuilder b = new StringBuilder("<div class=\"legend\">");
        MigrateType[] types = MigrateType.values();
        for (int i = 0; i < types.length; i++) {
            b.append("<span><i style=\"background:").append(TYPE_COLORS[i]).append("\"></i>")
                    .append(types[i].printedName()).append("</span>");
        }
        b.append("<span><i class=\"free\"></i>free (pale: no page allocated)</span>")
                .append("<span><i class=\"mixed\"></i>mixed (movable and unmovable pages)</span>")
                .append("<span><i class=\"mismatch\"></i>holds a page of another type</span></div>\n");
        return b.toString();
    }

    static final String CSS = """
            :root { --fg: #222; --muted: #666; --line: #ddd; --accent: #4e79a7; }
            * { box-sizing: border-box; }
            body { font: 14px/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--fg);
                   margin: 0 auto; max-width: 1180px; padding: 16px 24px 48px; background: #fff; }
            h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px;
                   border-bottom: 2px solid var(--accent); padding-bottom: 2px; } h3 { font-size: 15px; margin: 18px 0 6px; }
            .sub { color: var(--muted); margin: 0 0 12px; }
            nav { font-size: 13px; margin: 8px 0 16px; } nav a { margin-right: 12px; color: var(--accent); }
            table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
            th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
            th { background: #f4f6f8; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
            tr.diff td, td.diff { background: #fff4e5; } .pos { color: #b22; } .neg { color: #262; }
            .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 10px 18px; }
            figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
            figure svg { width: 100%; height: auto; display: block; }
            figcaption { font-size: 12px; color: var(--muted); margin: 2px 4px 8px; }
            pre { background: #f7f7f7; border: 1px solid var(--line); padding: 6px 8px; font-size: 12px; overflow-x: auto; }
            .maps { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
            .map { break-inside: avoid; } .map canvas { border: 1px solid var(--line); image-rendering: pixelated; display: block; }
            .map .cap { font-size: 12px; color: var(--muted); margin: 2px 0; }
            .legend { font-size: 12px; margin: 6px 0; } .legend span { margin-right: 12px; white-space: nowrap; }
            .legend i { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px;
                        border: 1px solid #888; } .legend i.free { background: #eee; }
            .legend i.mixed { background: radial-gradient(circle, #000 30%, #ccc 35%); }
            .legend i.mismatch { background: linear-gradient(135deg, #000 35%, #ccc 36%); }
            .slider { margin: 8px 0; } .slider input { width: 420px; vertical-align: middle; }
            @media print { nav, .slider { display: none; } body { max-width: none; padding: 0; }
                           .grid { grid-template-columns: 1fr 1fr; } h2 { page-break-after: avoid; } }
            """;

    /**
     * Draws every {@code canvas.pbmap}: {@code data-src} names a {@code <script type="application/json">} block
     * holding {@code {"zones":[{"maps":[base64 runs...]}], "events":[...]}}, {@code data-zone} the zone index and
     * {@code data-index} the map ({@code first}, {@code last} or a number); a range input with
     * {@code data-target} set to canvas ids redraws them at the chosen map.
     */
    static final String MAP_SCRIPT = """
            (function () {
              "use strict";
              var COLORS = %s;
              var cache = {};
              function data(id) {
                if (!cache[id]) { cache[id] = JSON.parse(document.getElementById(id).textContent); }
                return cache[id];
              }
              function decode(b64) {
                var s = atob(b64), out = [];
                for (var i = 0; i + 1 < s.length; i += 2) {
                  var v = s.charCodeAt(i), n = s.charCodeAt(i + 1);
                  for (var k = 0; k < n; k++) { out.push(v); }
                }
                return out;
              }
              function draw(canvas, index) {
                var d = data(canvas.getAttribute("data-src"));
                var zone = d.zones[+canvas.getAttribute("data-zone")];
                var maps = zone.maps;
                if (!maps.length) { return; }
                if (index === "first") { index = 0; } else if (index === "last") { index = maps.length - 1; }
                var map = decode(maps[+index]);
                var cols = Math.min(128, Math.max(16, Math.ceil(Math.sqrt(map.length * 2))));
                var cell = Math.max(3, Math.min(10, Math.floor(520 / cols)));
                var rows = Math.ceil(map.length / cols);
                canvas.width = cols * cell; canvas.height = rows * cell;
                var g = canvas.getContext("2d");
                g.fillStyle = "#fff"; g.fillRect(0, 0, canvas.width, canvas.height);
                for (var b = 0; b < map.length; b++) {
                  var v = map[b], x = (b %% cols) * cell, y = Math.floor(b / cols) * cell;
                  g.globalAlpha = (v & 16) ? 0.3 : 1;
                  g.fillStyle = COLORS[v & 7] || "#000";
                  g.fillRect(x, y, cell - (cell > 4 ? 1 : 0), cell - (cell > 4 ? 1 : 0));
                  g.globalAlpha = 1;
                  g.fillStyle = "#000";
                  if (v & 8) { var r = Math.max(1, cell / 4); g.fillRect(x + cell / 2 - r, y + cell / 2 - r, 2 * r - 1, 2 * r - 1); }
                  if (v & 32) { g.beginPath(); g.moveTo(x, y); g.lineTo(x + cell / 2, y); g.lineTo(x, y + cell / 2); g.fill(); }
                }
                var label = document.getElementById(canvas.id + "-label");
                if (label && d.events) {
                  label.textContent = "map " + (+index + 1) + " of " + maps.length + ", after "
                    + Number(d.events[+index]).toLocaleString("en-US") + " events";
                }
              }
              var canvases = document.querySelectorAll("canvas.pbmap");
              for (var i = 0; i < canvases.length; i++) { draw(canvases[i], canvases[i].getAttribute("data-index")); }
              var sliders = document.querySelectorAll("input.pbslider");
              for (var j = 0; j < sliders.length; j++) {
                sliders[j].addEventListener("input", function (e) {
                  var ids = e.target.getAttribute("data-target").split(" ");
                  for (var k = 0; k < ids.length; k++) { draw(document.getElementById(ids[k]), e.target.value); }
                });
              }
            })();
            """;

    static String mapScript() {
        return String.format(Locale.ROOT, MAP_SCRIPT, colorsJson());
    }
}
