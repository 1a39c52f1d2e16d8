package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code kmemsim twin} after {@code compact_memory} on every committed real-kernel bundle: the twin's
 * {@code buddyinfo.compacted} against the kernel's {@code buddyinfo.compacted.txt}.
 *
 * <p>The goal of issue 10 is 0.5 %. Three bundles do not meet it yet and carry a wider bound, written
 * here, not measured into the test: between the {@code after} and {@code compacted} snapshots the capture
 * does untraced work (its own processes and snapshot files: {@code vmstat} shows 600–4200 page frees there),
 * which moves pages between the per-CPU lists and the buddy lists where the twin cannot see it
 * (docs/fidelity.md, "After compact_memory").
 */
class TwinCompactedFidelityTest {

    private static final Path BUNDLES = Path.of("..", "fixtures", "bundles");
    /** Issue 10: the compacted state within 0.5 % of the kernel's. */
    private static final double GOAL = 0.5;
    /** Bundles that miss the goal: pinned so they cannot drift further; the goal still stands. */
    private static final double KNOWN_MISS = 1.0;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "arm64-1G-2cpu-sysctl, GOAL",
        "arm64-3G-6cpu, GOAL",
        "arm64-2G-4cpu-kpf, KNOWN_MISS",
        "amd64-2G-4cpu, KNOWN_MISS",
        "capture-arm64-1G, KNOWN_MISS",
        "amd64-4G-4cpu-kpf, GOAL",
        "arm64-1536M-3cpu-shuffle-sysctl, GOAL",
    })
    void compactedState_isWithinItsBound_andCompactionMigrates(String bundle, String bound) throws IOException {
        Path out = tmp.resolve(bundle);
        Cli r = Cli.run("twin", BUNDLES.resolve(bundle).toString(), "--mode", "exact", "-o", out.toString(), "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(out.resolve("twin.json").toFile());
        double limit = bound.equals("GOAL") ? GOAL : KNOWN_MISS;
        assertThat(j.at("/compacted/distance_percent").asDouble()).as(bundle + " compacted distance").isLessThan(limit);
        // the exact replay before it stays on the kernel's after state (the goal there is 0.5 % for every bundle)
        assertThat(j.at("/after/distance_percent").asDouble()).isLessThan(GOAL);
        // pre-trace pages take movability from kpageflags or their pageblock: the twin's compaction has pages to move
        assertThat(j.at("/start_state/start.pretrace_movable_pages").asLong()).isPositive();
        assertThat(j.at("/start_state/compact_memory.pgmigrate_success").asLong()).isPositive();
        assertThat(j.at("/start_state/compact_memory.compact_migrate_scanned").asLong()).isPositive();
        // the compaction counters against the kernel's own vmstat over the same step
        CompactMemoryCounters.assertWithinBounds(BUNDLES.resolve(bundle), bundle, j);
    }
}
