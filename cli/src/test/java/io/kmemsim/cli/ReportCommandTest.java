package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.engine.results.ZoneSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static Path run;

    @BeforeAll
    static void runOnce() {
        run = tmp.resolve("run");
        Cli r = Cli.run("run", "--quiet", "--report", "--out", run.toString(), "--set", "workload.options.events=300000");
        assertThat(r.status()).as(r.err()).isZero();
    }

    @Test
    void runReport_isOneSelfContainedFileWithFiguresAndMaps() throws IOException {
        String html = Files.readString(run.resolve("report.html"));
        assertThat(html).contains("<svg", "id=\"node0-Normal-free-by-order\"", "id=\"node0-Normal-watermarks\"",
                "id=\"node0-Normal-unusable-index\"", "id=\"node0-Normal-extfrag-index\"", "id=\"latency-by-order\"",
                "id=\"slab-top-caches\"", "id=\"pb-data-0\"", "class=\"pbslider\"", "data-index=\"first\"",
                "data-index=\"last\"", "Content-Security-Policy");
        // Nothing is loaded from anywhere: no external script, style, image or font reference.
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:|//)").doesNotContain("@import")
                .doesNotContainPattern("url\\((https?:|//)");
        assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(3 << 20);
    }

    @Test
    void pageblockMaps_agreeWithTheEndPagetypeinfoAndOccupancy() throws IOException {
        JsonNode zones = JSON.readTree(Files.readString(run.resolve(ZoneSeries.FILE)));
        JsonNode results = JSON.readTree(Files.readString(run.resolve("results.json")));
        Map<String, Map<String, Integer>> counted = new HashMap<>();
        long mixed = 0;
        for (JsonNode z : zones.path("zones")) {
            JsonNode maps = z.path("pageblockMaps");
            assertThat(maps.size()).isEqualTo(zones.path("mapEvents").size()).isGreaterThanOrEqualTo(2);
            byte[] start = ZoneSeries.decodeRunLength(maps.get(0).asText());
            for (byte b : start) {
                assertThat(b & Zone.PAGEBLOCK_MIXED).isZero();
            }
            byte[] end = ZoneSeries.decodeRunLength(maps.get(maps.size() - 1).asText());
            Map<String, Integer> types = new HashMap<>();
            for (byte b : end) {
                if ((b & Zone.PAGEBLOCK_HOLE) != 0) {
                    continue; // a section without RAM: pagetypeinfo does not count it
                }
                types.merge(MigrateType.of(b & 7).printedName(), 1, Integer::sum);
                mixed += (b & Zone.PAGEBLOCK_MIXED) != 0 ? 1 : 0;
            }
            counted.put(z.path("zone").asText(), types);
        }
        assertThat(mixed).isEqualTo(results.at("/pageblockOccupancy/total/mixed").asLong());
        // /proc/pagetypeinfo's "Number of blocks type" table (as the kernel prints it) counts the same blocks.
        List<String> lines = Files.readAllLines(run.resolve("pagetypeinfo"));
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Number of blocks type")) {
                header = i;
            }
        }
        assertThat(header).isNotNegative();
        String[] typeNames = lines.get(header).substring("Number of blocks type".length()).trim().split("\\s+");
        Pattern row = Pattern.compile("Node\\s+(\\d+), zone\\s+(\\S+)\\s+(.*)");
        int checked = 0;
        for (String line : lines.subList(header + 1, lines.size())) {
            Matcher m = row.matcher(line);
            if (!m.matches() || !counted.containsKey(m.group(2))) {
                continue;
            }
            String[] values = m.group(3).trim().split("\\s+");
            for (int t = 0; t < typeNames.length; t++) {
                assertThat(counted.get(m.group(2)).getOrDefault(typeNames[t], 0)).as(m.group(2) + " " + typeNames[t])
                        .isEqualTo(Integer.parseInt(values[t]));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(counted.size());
    }

    @Test
    void reportCommand_comparesDirectories_andWritesFigureFiles() throws IOException {
        Path other = tmp.resolve("never-claim");
        Cli r = Cli.run("run", "--quiet", "--out", other.toString(), "--set", "workload.options.events=300000",
                "--set", "fallback.id=never-claim");
        assertThat(r.status()).as(r.err()).isZero();
        Path html = tmp.resolve("both.html");
        Path svg = tmp.resolve("svg");
        Path png = tmp.resolve("png");
        r = Cli.run("report", run.toString(), other.toString(), "-o", html.toString(), "--svg", svg.toString(),
                "--png", png.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("report", "figures");
        String page = Files.readString(html);
        assertThat(page).contains("kmemsim comparison", ">run<", ">never-claim<", "Δ", "id=\"compare-free-pages\"",
                "id=\"compare-latency-p99\"");
        assertThat(Files.readString(svg.resolve("compare-free-pages.svg"))).contains("<svg");
        byte[] image = Files.readAllBytes(png.resolve("compare-free-pages.png"));
        assertThat(image).startsWith(0x89, 'P', 'N', 'G');
        try (var files = Files.list(svg)) {
            assertThat(files.count()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void reportOfAMissingDirectory_isAnInputErrorNamingIt() {
        Path absent = tmp.resolve("absent");
        Cli r = Cli.run("report", absent.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(absent.toString(), "not a results directory");
        assertThat(r.errHasStackTrace()).isFalse();
    }

    @Test
    void reportOfABrokenResultsJson_namesFileAndLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("results.json"), "{\n  \"schema\": \"kmemsim-results/1\",\n  oops\n}\n");
        Cli r = Cli.run("report", dir.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(dir.resolve("results.json").toString() + ":3", "not valid JSON");
        assertThat(Files.exists(dir.resolve("report.html"))).isFalse();
    }

    @Test
    void twinFile_isShownRealAgainstSimulated() throws IOException {
        Path dir = tmp.resolve("twin");
        Cli r = Cli.run("run", "--quiet", "--out", dir.toString(), "--set", "workload.options.events=70000");
        assertThat(r.status()).as(r.err()).isZero();
        Files.writeString(dir.resolve("twin.json"), """
                {"schema": "kmemsim-twin/1", "real": "bench-runs/arm64-2G-4cpu", "kernel": "6.1",
                 "buddyinfo": [{"node": 0, "zone": "DMA", "real": [3, 1, 0, 2], "simulated": [3, 2, 0, 2]}],
                 "pagetypes": [{"node": 0, "zone": "DMA", "type": "Movable", "real": 500, "simulated": 498}],
                 "zoneinfo": [{"node": 0, "zone": "DMA", "field": "min", "real": 5632, "simulated": 5632}]}
                """);
        r = Cli.run("report", dir.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String page = Files.readString(dir.resolve("report.html"));
        assertThat(page).contains("Real vs simulated", "id=\"twin-node0-DMA-buddyinfo\"", "bench-runs/arm64-2G-4cpu",
                "<td class=\"n\">-2</td>", "<td class=\"n\">5632</td>");
    }

    @Test
    void unwritableOutput_isAnInputErrorNamingTheFile() {
        Cli r = Cli.run("report", run.toString(), "-o", "/proc/kmemsim-report.html");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("/proc/kmemsim-report.html", "cannot be written");
        assertThat(r.errHasStackTrace()).isFalse();
    }

    @Test
    void reportWithNoResults_isRefused() {
        Cli r = Cli.run("run", "--report", "--no-results", "--set", "workload.options.events=1000");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--report", "--no-results");
    }
}
