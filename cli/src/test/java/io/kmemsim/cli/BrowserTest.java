package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Opens the report and the explain page in a real browser (headless Chromium, installed by
 * scripts/install-chromium.sh, which .ci/run calls): no console error, no uncaught exception, no network
 * request but the page itself, the pageblock maps drawn, the slider and the step buttons working, and
 * screenshots that are not blank. The screenshots are kept in {@code cli/target/browser-screenshots/}.
 * Without Chromium the test is skipped, except in CI ({@code CI=true}) where it fails.
 */
class BrowserTest {

    private static final Path SHOTS = Path.of("target", "browser-screenshots");
    private static HeadlessChromium browser;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startBrowser() throws Exception {
        Path binary = HeadlessChromium.find();
        if (binary == null) {
            String why = "chromium is not installed (run scripts/install-chromium.sh as root)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + "; in CI the browser test must run");
            }
            throw new TestAbortedException("browser test skipped: " + why);
        }
        Files.createDirectories(SHOTS);
        browser = new HeadlessChromium(binary, Files.createDirectories(tmp.resolve("profile")));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void report_opensWithoutErrorsOrNetwork_drawsMapsAndScrubs() throws Exception {
        Path out = tmp.resolve("run");
        Cli r = Cli.run("run", "--quiet", "--report", "--out", out.toString(), "--set", "workload.options.events=400000");
        assertThat(r.status()).as(r.err()).isZero();
        String url = out.resolve("report.html").toUri().toString();
        browser.open(url);
        assertClean(url);
        assertThat(browser.eval("document.querySelectorAll('figure svg').length").asInt()).isGreaterThanOrEqualTo(8);
        assertThat(browser.eval("document.querySelectorAll('canvas.pbmap').length").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(browser.eval(painted("canvas.pbmap")).asInt()).as("coloured pixels of the first map").isPositive();
        String before = browser.eval("document.querySelector('[id$=\"-scrub-label\"]').textContent").asText();
        browser.eval("(function(){var s=document.querySelector('input.pbslider'); s.value=0;"
                + " s.dispatchEvent(new Event('input')); return s.value;})()");
        String after = browser.eval("document.querySelector('[id$=\"-scrub-label\"]').textContent").asText();
        assertThat(after).startsWith("map 1 of").isNotEqualTo(before);
        assertClean(url);
        shoot("report");
    }

    @Test
    void comparisonReport_opensWithoutErrors() throws Exception {
        Path out = tmp.resolve("compare");
        Cli r = Cli.run("compare", "--quiet", "--report", "--out", out.toString(), "--set", "workload.options.events=200000",
                "--variant", "linux:", "--variant", "never-claim: fallback.id=never-claim");
        assertThat(r.status()).as(r.err()).isZero();
        String url = out.resolve("report.html").toUri().toString();
        browser.open(url);
        assertClean(url);
        assertThat(browser.eval("document.body.textContent.indexOf('never-claim') >= 0").asBoolean()).isTrue();
        shoot("compare");
    }

    @Test
    void twinReport_opensWithoutErrors_showsRealAgainstSimulated() throws Exception {
        Path out = tmp.resolve("twin");
        Cli r = Cli.run("twin", "../fixtures/bundles/arm64-1G-2cpu-sysctl", "--quiet", "--report", "-o", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String url = out.resolve("report.html").toUri().toString();
        browser.open(url);
        assertClean(url);
        // one buddyinfo figure per zone and state (end, compacted), each with both series drawn
        assertThat(browser.eval("document.querySelectorAll('figure[id^=\"twin-\"] svg').length").asInt()).isEqualTo(2);
        assertThat(browser.eval("document.querySelectorAll('table.twin-buddyinfo tbody tr').length").asInt()).isEqualTo(4);
        assertThat(browser.eval("document.body.textContent.indexOf('Boot zoneinfo fields') >= 0").asBoolean()).isTrue();
        assertThat(browser.eval("document.body.textContent.indexOf('Pageblocks per migrate type') >= 0").asBoolean())
                .isTrue();
        shoot("twin");
    }

    @Test
    void explainPage_stepsThroughTheEvents() throws Exception {
        Path html = tmp.resolve("explain.html");
        Cli r = Cli.run("explain", "../scenarios/explain.yaml", "--trace", "../scenarios/traces/explain-6.1.trace",
                "--events", "6", "--html", html.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String url = html.toUri().toString();
        browser.open(url);
        assertClean(url);
        assertThat(browser.eval("document.getElementById('where').textContent").asText()).isEqualTo("event 1 of 6");
        for (int i = 0; i < 3; i++) {
            browser.eval("document.getElementById('next').click()");
        }
        assertThat(browser.eval("document.getElementById('title').textContent").asText()).startsWith("#4 free pfn");
        assertThat(browser.eval("document.querySelectorAll('#steps li').length").asInt()).isGreaterThan(3);
        assertThat(browser.eval("document.querySelectorAll('td.changed').length").asInt()).isPositive();
        assertThat(browser.eval(painted("canvas.pbmap")).asInt()).isPositive();
        assertClean(url);
        shoot("explain");
    }

    /** JavaScript counting the non-white pixels of the first canvas matching {@code selector}. */
    private static String painted(String selector) {
        return "(function(){var c=document.querySelector('" + selector + "'); var d=c.getContext('2d')"
                + ".getImageData(0,0,c.width,c.height).data; var n=0; for(var i=0;i<d.length;i+=4){"
                + "if(d[i]<250||d[i+1]<250||d[i+2]<250){n++;}} return n;})()";
    }

    private static void assertClean(String url) {
        assertThat(browser.errors()).as("console errors and exceptions").isEmpty();
        List<String> requests = browser.requests();
        assertThat(requests).as("network requests").allMatch(u -> u.equals(url) || u.startsWith("data:"));
    }

    /** Saves a screenshot and checks it is not blank: many colours, and a fair share of non-white pixels. */
    private static void shoot(String name) throws IOException {
        byte[] png = browser.screenshot(1200);
        Files.write(SHOTS.resolve(name + ".png"), png);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                ink += rgb != 0xffffff ? 1 : 0;
            }
        }
        long samples = (long) ((img.getHeight() + 2) / 3) * ((img.getWidth() + 2) / 3);
        assertThat(colours.size()).as(name + " screenshot colours").isGreaterThan(20);
        assertThat(ink * 100 / samples).as(name + " screenshot: percent of non-white pixels").isGreaterThanOrEqualTo(3);
    }
}
