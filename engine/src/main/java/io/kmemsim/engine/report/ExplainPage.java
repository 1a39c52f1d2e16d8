package io.kmemsim.engine.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmemsim.engine.explain.Explanation;
import io.kmemsim.engine.results.ZoneSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The HTML form of an {@link Explanation}: one self-contained page that steps through the events (buttons,
 * a slider, the arrow keys), listing each event's steps with their kernel functions, and drawing the free lists
 * (order × migrate type, changed cells marked) and the pageblock map after it.
 */
public final class ExplainPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExplainPage() {
    }

    /** Writes the page to {@code file} atomically; returns its size in bytes. */
    public static long write(Explanation e, Path file) throws IOException {
        byte[] bytes = render(e).getBytes(StandardCharsets.UTF_8);
        Path abs = file.toAbsolutePath();
        ReportWriter.atomicWrite(abs.getParent(), abs.getFileName().toString(), bytes);
        return bytes.length;
    }

    static String render(Explanation e) {
        ObjectNode d = JSON.createObjectNode();
        d.put("kernel", e.kernel());
        d.put("pageblockOrder", e.pageblockOrder());
        d.set("types", readTree(Html.typeNamesJson()));
        d.set("start", zones(e.start()));
        ArrayNode evs = d.putArray("events");
        for (Explanation.Event ev : e.events()) {
            ObjectNode o = evs.addObject();
            o.put("title", ev.title());
            ArrayNode steps = o.putArray("steps");
            for (Explanation.Step s : ev.steps()) {
                steps.addObject().put("f", s.function()).put("t", s.text());
            }
            o.set("after", zones(ev.after()));
        }
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>kmemsim explain — ")
                .append(Html.esc(e.scenario())).append("</title>\n<meta http-equiv=\"Content-Security-Policy\""
                        + " content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n<style>")
                .append(Html.CSS).append(STYLE).append("</style></head><body>\n<h1>kmemsim explain — ")
                .append(Html.esc(e.scenario())).append("</h1>\n<p class=\"sub\">Kernel ").append(Html.esc(e.kernel()))
                .append(" rules, page allocator <b>").append(Html.esc(e.allocator())).append("</b>, ")
                .append(e.events().size()).append(" page events. Each step names the kernel function whose rule"
                        + " applied (as named in Linux 6.1 mm/page_alloc.c); PFNs in hex. Step with the buttons,"
                        + " the slider or the arrow keys.</p>\n")
                .append("<div class=\"controls\"><button id=\"first\">« first</button><button id=\"prev\">‹ previous</button>"
                        + "<button id=\"next\">next ›</button><button id=\"last\">last »</button>"
                        + "<input type=\"range\" id=\"pos\" min=\"0\" value=\"0\"><span id=\"where\"></span></div>\n")
                .append("<h2 id=\"title\"></h2>\n<ol id=\"steps\"></ol>\n<div id=\"zones\"></div>\n")
                .append(Html.mapLegend())
                .append("<script type=\"application/json\" id=\"explain-data\">").append(Html.scriptSafe(d.toString()))
                .append("</script>\n<script>").append(String.format(java.util.Locale.ROOT, SCRIPT, Html.colorsJson()))
                .append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ArrayNode zones(List<Explanation.ZoneState> zones) {
        ArrayNode a = JSON.createArrayNode();
        for (Explanation.ZoneState z : zones) {
            ObjectNode o = a.addObject();
            o.put("name", z.name());
            o.put("free", z.freePages());
            ArrayNode blocks = o.putArray("blocks");
            for (long[] perType : z.freeBlocks()) {
                ArrayNode row = blocks.addArray();
                for (long v : perType) {
                    row.add(v);
                }
            }
            o.put("map", ZoneSeries.encodeRunLength(z.pageblocks()));
        }
        return a;
    }

    private static final String STYLE = """
            .controls { position: sticky; top: 0; background: #fff; padding: 6px 0; border-bottom: 1px solid var(--line); }
            .controls button { margin-right: 6px; } .controls input { width: 320px; vertical-align: middle; margin: 0 8px; }
            #steps li { margin: 4px 0; } #steps code { color: #4e79a7; font-size: 12px; display: block; }
            td.changed { background: #ffe08a; font-weight: bold; } td.zero { color: #bbb; }
            .zone { margin: 10px 0 18px; }
            """;

    private static final String SCRIPT = """
            (function () {
              "use strict";
              var COLORS = %s;
              var d = JSON.parse(document.getElementById("explain-data").textContent);
              var pos = document.getElementById("pos");
              pos.max = Math.max(0, d.events.length - 1);
              function decode(b64) {
                var s = atob(b64), out = [];
                for (var i = 0; i + 1 < s.length; i += 2) {
                  for (var k = 0; k < s.charCodeAt(i + 1); k++) { out.push(s.charCodeAt(i)); }
                }
                return out;
              }
              function el(tag, text, cls) {
                var e = document.createElement(tag);
                if (text !== undefined && text !== null) { e.textContent = text; }
                if (cls) { e.className = cls; }
                return e;
              }
              function drawMap(canvas, map) {
                var cols = Math.min(64, Math.max(8, Math.ceil(Math.sqrt(map.length * 2))));
                var cell = Math.max(6, Math.min(18, Math.floor(520 / cols)));
                canvas.width = cols * cell; canvas.height = Math.ceil(map.length / cols) * cell;
                var g = canvas.getContext("2d");
                for (var b = 0; b < map.length; b++) {
                  var v = map[b], x = (b %% cols) * cell, y = Math.floor(b / cols) * cell;
                  g.globalAlpha = (v & 16) ? 0.3 : 1;
                  g.fillStyle = COLORS[v & 7] || "#000";
                  g.fillRect(x, y, cell - 1, cell - 1);
                  g.globalAlpha = 1; g.fillStyle = "#000";
                  if (v & 8) { g.fillRect(x + cell / 2 - 2, y + cell / 2 - 2, 3, 3); }
                  if (v & 32) { g.beginPath(); g.moveTo(x, y); g.lineTo(x + cell / 2, y); g.lineTo(x, y + cell / 2); g.fill(); }
                }
              }
              function show(i) {
                var ev = d.events[i];
                var before = i > 0 ? d.events[i - 1].after : d.start;
                pos.value = i;
                document.getElementById("where").textContent = "event " + (i + 1) + " of " + d.events.length;
                document.getElementById("title").textContent = "#" + (i + 1) + " " + ev.title;
                var steps = document.getElementById("steps");
                steps.textContent = "";
                ev.steps.forEach(function (s) {
                  var li = el("li"); li.appendChild(el("code", s.f)); li.appendChild(el("span", s.t)); steps.appendChild(li);
                });
                var zones = document.getElementById("zones");
                zones.textContent = "";
                ev.after.forEach(function (z, zi) {
                  var box = el("div", null, "zone");
                  box.appendChild(el("h3", z.name + " after this event: " + z.free.toLocaleString("en-US") + " free pages"));
                  var t = el("table"), head = el("tr");
                  head.appendChild(el("th", "order"));
                  d.types.forEach(function (n) { head.appendChild(el("th", n)); });
                  t.appendChild(head);
                  z.blocks.forEach(function (row, o) {
                    var tr = el("tr"); tr.appendChild(el("th", String(o)));
                    row.forEach(function (v, ti) {
                      var old = before[zi] ? before[zi].blocks[o][ti] : v;
                      tr.appendChild(el("td", String(v), "n" + (v !== old ? " changed" : v === 0 ? " zero" : "")));
                    });
                    t.appendChild(tr);
                  });
                  box.appendChild(el("div", "free blocks per order (rows) and free list type (columns); changed counts are marked", "cap"));
                  box.appendChild(t);
                  box.appendChild(el("div", "pageblocks (2^" + d.pageblockOrder + " pages each)", "cap"));
                  var c = el("canvas"); c.className = "pbmap"; box.appendChild(c); drawMap(c, decode(z.map));
                  zones.appendChild(box);
                });
              }
              var cur = 0;
              function go(i) { cur = Math.max(0, Math.min(d.events.length - 1, i)); show(cur); }
              document.getElementById("first").onclick = function () { go(0); };
              document.getElementById("prev").onclick = function () { go(cur - 1); };
              document.getElementById("next").onclick = function () { go(cur + 1); };
              document.getElementById("last").onclick = function () { go(d.events.length - 1); };
              pos.addEventListener("input", function () { go(+pos.value); });
              document.addEventListener("keydown", function (e) {
                if (e.key === "ArrowRight") { go(cur + 1); } else if (e.key === "ArrowLeft") { go(cur - 1); }
              });
              if (d.events.length) { go(0); }
            })();
            """;
}
