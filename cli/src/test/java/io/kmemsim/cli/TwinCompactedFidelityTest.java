package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kmemsim twin} after {@code compact_memory} on every committed real-kernel bundle: the twin's
 * {@code buddyinfo.compacted} against the kernel's {@code buddyinfo.compacted.txt}, with the untraced window
 * between the {@code after} and {@code compacted} snapshots rebuilt from the bundle's vmstat and zoneinfo
 * (docs/fidelity.md, "After compact_memory"; the per-CPU lists above the kernel's counts are bulk-freed before the
 * twin's compact_memory, and all brought to the counts after it, where the kernel read them; the unmovable and
 * reclaimable pages the kernel's lists of those types lost refilled before it). Issue 10's goal, 0.5 %, holds for all
 * eight (the widest, arm64-2G-4cpu-kpf, at 0.442 %).
 */
class TwinCompactedFidelityTest {

    private static final Path BUNDLES = Path.of("..", "fixtures", "bundles");
    /** Issue 10: the compacted state within 0.5 % of the kernel's. */
    private static final double GOAL = 0.5;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "arm64-1G-2cpu-sysctl",
        "arm64-3G-6cpu",
        "amd64-2G-4cpu",
        "capture-arm64-1G",
        "arm64-2G-4cpu-kpf",
        "amd64-4G-4cpu-kpf",
        "arm64-1536M-3cpu-shuffle-sysctl",
        "amd64-1G-2cpu",
    })
    void compactedState_isWithinTheGoal_andCompactionMigrates(String bundle) throws IOException {
        Path out = tmp.resolve(bundle);
        Cli r = Cli.run("twin", BUNDLES.resolve(bundle).toString(), "--mode", "exact", "-o", out.toString(), "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(out.resolve("twin.json").toFile());
        assertThat(j.at("/compacted/distance_percent").asDouble()).as(bundle + " compacted distance").isLessThan(GOAL);
        // the window was rebuilt and says so: the allocations the kernel's vmstat counts net, made through the allocator
        JsonNode w = j.at("/untraced_window");
        assertThat(w.at("/inferred").asText()).contains("not traced");
        assertThat(w.at("/order0_movable_allocations_made").asLong()).isEqualTo(w.at("/order0_movable_allocations_asked").asLong());
        assertThat(w.at("/order0_movable_allocations_asked").asLong())
                .isEqualTo(Math.max(0, -w.at("/free_pages_change").asLong()));
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
