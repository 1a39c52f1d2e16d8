package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmemsim twin --report} on a committed real-kernel bundle (fixtures/bundles/arm64-1G-2cpu-sysctl, Debian
 * 6.1.192 under QEMU): the page shows the kernel's own numbers, read here from the bundle's files, next to the
 * twin's; and {@code kmemsim report} reads a twin's OUT alone.
 */
class TwinReportTest {

    private static final Path BUNDLE = Path.of("..", "fixtures", "bundles", "arm64-1G-2cpu-sysctl");

    @TempDir
    Path tmp;

    @Test
    void twinReport_showsTheKernelsNumbersNextToTheTwins() throws IOException {
        Path out = tmp.resolve("twin");
        Cli r = Cli.run("twin", BUNDLE.toString(), "--report", "-o", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("report     " + out.resolve("report.html"));
        String page = Files.readString(out.resolve("report.html"));
        assertThat(page).contains("Real vs simulated", "id=\"twin-node0-DMA-buddyinfo\"",
                "id=\"twin-node0-DMA-buddyinfo-compacted\"", "kernel 6.1.192", "Replay and distance",
                "Pageblocks per migrate type", "Boot zoneinfo fields");
        // buddyinfo per order: the real row of each state is the bundle's file, order by order
        assertThat(cells(page, "end", "real")).isEqualTo(orders("buddyinfo.after.txt"));
        assertThat(cells(page, "compacted", "real")).isEqualTo(orders("buddyinfo.compacted.txt"));
        assertThat(cells(page, "end", "simulated")).isEqualTo(orders(out, "buddyinfo"));
        assertThat(cells(page, "compacted", "simulated")).isEqualTo(orders(out, "buddyinfo.compacted"));
        // pageblocks per type: pagetypeinfo.after's "Number of blocks type" line
        String[] types = line(BUNDLE.resolve("pagetypeinfo.after.txt"), "Number of blocks type").trim().split("\\s+");
        String[] counts = line(BUNDLE.resolve("pagetypeinfo.after.txt"), "Node 0, zone      DMA           ")
                .trim().split("\\s+");
        for (int k = 4; k < types.length; k++) {
            long n = Long.parseLong(counts[k]);
            if (n > 0) {
                assertThat(page).as(types[k]).containsPattern("<td>" + types[k] + "</td><td class=\"n\">" + n
                        + "</td><td class=\"n\">\\d+</td>");
            }
        }
        // boot zoneinfo: the real min and managed of zoneinfo.boot.txt
        String zi = Files.readString(BUNDLE.resolve("zoneinfo.boot.txt"));
        for (String field : List.of("managed", "min")) {
            Matcher m = Pattern.compile("\\n\\s+" + field + "\\s+(\\d+)").matcher(zi);
            assertThat(m.find()).as(field).isTrue();
            assertThat(page).containsPattern("<td>" + field + "</td><td class=\"n\">" + m.group(1) + "</td>");
        }
        assertThat(page).doesNotContain("Nothing to draw", "NaN", "undefined");
        // twin.json keeps its own fields and carries the report's arrays
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("twin.json").toFile());
        assertThat(j.at("/after/zones/0/real").size()).isEqualTo(11);
        assertThat(j.path("pageblocks").isArray()).isTrue();
        assertThat(j.path("buddyinfo").findValuesAsText("state")).containsExactly("end", "compacted");
        assertThat(j.path("zoneinfo").size()).isEqualTo(j.at("/start_state/zoneinfo.boot.fields_compared").asInt());
        assertThat(j.path("real").asText()).isEqualTo(BUNDLE.toString());
        assertThat(j.path("kernel").asText()).isEqualTo("6.1.192");
        // the report command reads the twin's OUT alone and writes the same page
        Path again = tmp.resolve("again.html");
        r = Cli.run("report", out.toString(), "-o", again.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readString(again)).isEqualTo(page);
    }

    @Test
    void twinOut_amongComparedDirectories_isRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("t"));
        Files.writeString(dir.resolve("twin.json"), "{\"schema\": \"kmemsim-twin/1\"}\n");
        Cli r = Cli.run("report", dir.toString(), dir.toString(), "-o", tmp.resolve("x.html").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(dir.resolve("twin.json").toString(), "cannot be compared");
        assertThat(r.errHasStackTrace()).isFalse();
        assertThat(tmp.resolve("x.html")).doesNotExist();
    }

    @Test
    void bareTwinJson_givesAPageWithoutEmptyCharts() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bare"));
        Files.writeString(dir.resolve("twin.json"), "{\"schema\": \"kmemsim-twin/1\"}\n");
        Cli r = Cli.run("report", dir.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String page = Files.readString(dir.resolve("report.html"));
        assertThat(page).contains("Real vs simulated", "Nothing to draw").doesNotContain("<svg");
    }

    @Test
    void directoryWithNeitherFile_isTheInputError() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli r = Cli.run("report", empty.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(empty.resolve("results.json").toString(), "missing", "twin.json");
        assertThat(r.errHasStackTrace()).isFalse();
        assertThat(empty.resolve("report.html")).doesNotExist();
    }

    @Test
    void twinJsonWithAnotherSchema_isRefusedNamingTheField() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(dir.resolve("twin.json"), "{\"schema\": \"something/2\"}\n");
        Cli r = Cli.run("report", dir.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("twin.json", "schema", "kmemsim-twin/1");
        assertThat(r.errHasStackTrace()).isFalse();
    }

    /** The counts per order of zone DMA in a buddyinfo file. */
    private static List<Long> orders(String bundleFile) throws IOException {
        return orders(BUNDLE, bundleFile);
    }

    private static List<Long> orders(Path dir, String file) throws IOException {
        String[] f = line(dir.resolve(file), "Node 0, zone      DMA").trim().split("\\s+");
        return java.util.Arrays.stream(f, 4, f.length).map(Long::parseLong).toList();
    }

    private static String line(Path file, String prefix) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no line starting " + prefix));
    }

    /** The numbers of one row of the report's buddyinfo table (state, node 0, DMA, side). */
    private static List<Long> cells(String page, String state, String side) {
        Matcher m = Pattern.compile("<tr><td>" + state + "</td><td>0</td><td>DMA</td><th>" + side + "</th>(.*?)</tr>")
                .matcher(page);
        assertThat(m.find()).as(state + " " + side + " row").isTrue();
        Matcher n = Pattern.compile(">(\\d+)</td>").matcher(m.group(1));
        java.util.ArrayList<Long> v = new java.util.ArrayList<>();
        while (n.find()) {
            v.add(Long.parseLong(n.group(1)));
        }
        return v;
    }
}
