package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's round trips, through the real CLI and plugins: a run's own trace replayed exactly rebuilds
 * its final free memory, and text and binary forms of a trace replay identically.
 */
class ReplayRoundTripTest {

    @TempDir
    Path dir;

    private static String scenario() throws URISyntaxException {
        return Path.of(ReplayRoundTripTest.class.getResource("/replay/pages.yaml").toURI()).toString();
    }

    /** The lines of the summary section that starts with {@code title}, up to the next unindented line. */
    static String section(String out, String title) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : out.split("\n")) {
            if (line.startsWith(title)) {
                in = true;
                continue;
            }
            if (in && !line.startsWith("  ")) {
                break;
            }
            if (in) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    @DisplayName("run --trace-out, then an exact replay of that trace ends with the same buddyinfo (per-CPU lists drained in both)")
    void exactReplayOfOwnTrace_rebuildsBuddyinfo() throws Exception {
        Path trace = dir.resolve("run.trace");
        Cli run = Cli.run("run", scenario(), "--trace-out", trace.toString(), "--drain-at-end");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(Files.size(trace)).isPositive();
        Cli replay = Cli.run("replay", trace.toString(), "--scenario", scenario(), "--mode", "exact", "--drain-at-end");
        assertThat(replay.status()).as(replay.err()).isZero();
        String expected = section(run.out(), "buddyinfo after");
        assertThat(expected).contains("Node 0, zone");
        assertThat(section(replay.out(), "buddyinfo after")).isEqualTo(expected);
        assertThat(replay.out()).doesNotContain("replay.pre_existing_frees  ");
    }

    @Test
    @DisplayName("text -> binary -> replay gives the same results as replaying the text")
    void binaryRoundTrip_replaysLikeText() throws IOException, URISyntaxException {
        Path text = dir.resolve("run.trace");
        assertThat(Cli.run("run", scenario(), "--quiet", "--trace-out", text.toString()).status()).isZero();
        Path binary = dir.resolve("run.kmst");
        Cli convert = Cli.run("trace", "convert", text.toString(), binary.toString());
        assertThat(convert.status()).as(convert.err()).isZero();
        assertThat(Files.size(binary)).isLessThan(Files.size(text));

        Cli fromText = Cli.run("replay", text.toString(), "--scenario", scenario());
        Cli fromBinary = Cli.run("replay", binary.toString(), "--scenario", scenario());
        assertThat(fromText.status()).as(fromText.err()).isZero();
        assertThat(fromBinary.status()).as(fromBinary.err()).isZero();
        for (String s : new String[] {"page allocations by order", "buddyinfo after", "counters: page-allocator"}) {
            assertThat(section(fromBinary.out(), s)).as(s).isEqualTo(section(fromText.out(), s)).isNotEmpty();
        }
    }

    @Test
    @DisplayName("results.json reports allocation latency percentiles from the cost model")
    void results_reportLatencyFromTheCostModel() throws Exception {
        Path out = dir.resolve("results");
        Cli run = Cli.run("run", scenario(), "-q", "-o", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode latency = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("results.json").toFile()).get("latency");
        assertThat(latency.get("available").asBoolean()).isTrue();
        com.fasterxml.jackson.databind.JsonNode order0 = latency.get("byOrder").get(0);
        assertThat(order0.get("order").asInt()).isZero();
        assertThat(order0.get("count").asLong()).isPositive();
        assertThat(order0.get("p50").asLong()).isPositive().isLessThanOrEqualTo(order0.get("p99").asLong());
        assertThat(order0.get("p99").asLong()).isLessThanOrEqualTo(order0.get("max").asLong());
    }

    @Test
    @DisplayName("trace stats counts the events of a run's trace")
    void traceStats_countsEvents() throws Exception {
        Path text = dir.resolve("run.trace");
        assertThat(Cli.run("run", scenario(), "--quiet", "--trace-out", text.toString()).status()).isZero();
        Cli stats = Cli.run("trace", "stats", text.toString());
        assertThat(stats.status()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("mm_page_alloc", "mm_page_free", "time span");
    }

    @Test
    void reclaimFreesSimulated_putsTheTracesPageCacheOnTheLru_andRefusesExactMode() throws Exception {
        Path trace = Path.of("..", "scenarios", "traces", "sample-6.1.trace");
        Cli sim = Cli.run("replay", trace.toString(), "--scenario", scenario(), "--reclaim-frees", "simulated", "--no-results");
        assertThat(sim.status()).as(sim.err()).isZero();
        // the sample's 604 GFP_HIGHUSER_MOVABLE and 149 GFP_HIGHUSER_MOVABLE|__GFP_COMP allocations are page cache
        assertThat(sim.out()).containsPattern("replay.page_cache_allocations +753\\b");
        Cli plain = Cli.run("replay", trace.toString(), "--scenario", scenario(), "--no-results");
        assertThat(plain.status()).as(plain.err()).isZero();
        assertThat(plain.out()).doesNotContain("replay.page_cache_allocations");
        Cli exact = Cli.run("replay", trace.toString(), "--mode", "exact", "--reclaim-frees", "simulated", "--no-results");
        assertThat(exact.status()).isEqualTo(2);
        assertThat(exact.err()).contains("--reclaim-frees simulated needs --mode policy");
        Cli bad = Cli.run("replay", trace.toString(), "--reclaim-frees", "kernel", "--no-results");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--reclaim-frees must be trace or simulated: 'kernel'");
    }
}
