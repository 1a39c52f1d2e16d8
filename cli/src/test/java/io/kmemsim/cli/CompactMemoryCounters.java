package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmemsim.engine.procfs.VmstatParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The twin's compaction counters over the {@code compact_memory} step ({@code twin.json}
 * {@code start_state.compact_memory.*}) against the kernel's own: {@code vmstat.compacted.txt − vmstat.after.txt} of the
 * bundle. Bounds are on twin / kernel and written here per bundle and counter, not measured into the test.
 *
 * <p>GOAL bounds (±5 % to ±20 %) hold where the twin's start state has the kernel's pages: the counting rules of 6.1
 * compact_zone() are then what decides. KNOWN_MISS bounds are drift guards where the start state differs from the
 * kernel's at compaction time — docs/fidelity.md ("compact_memory") says why per bundle: without kpageflags the free
 * blocks' positions (3G, amd64) and which pages are on the LRU (1G, 3G, amd64) are inferred; with kpageflags the
 * untraced work between the {@code after} and {@code compacted} snapshots changes them (4G); the bounds are of
 * the twin with the untraced window rebuilt (its default): lists above the kernel's counts bulk-freed before
 * compact_memory, the rest brought to the counts after it (arm64-1G migrates 272 pages against 448, arm64-2G-kpf
 * 1651 against 1279, amd64-4G-kpf 1385 against 1287).
 */
final class CompactMemoryCounters {

    static final List<String> COUNTERS = List.of("compact_migrate_scanned", "compact_free_scanned", "compact_isolated",
            "pgmigrate_success", "pgmigrate_fail");

    /** Per bundle, per counter (in {@link #COUNTERS} order): {low, high} bounds of twin / kernel. */
    private static final Map<String, double[][]> BOUNDS = Map.of(
            "capture-arm64-1G", new double[][] {
                {0.95, 1.05}, {0.80, 1.20}, {0.90, 1.10}, {0.90, 1.10}, {1, 1}}, // all GOAL
            "arm64-1G-2cpu-sysctl", new double[][] {
                {0.90, 1.10}, {0.90, 1.10}, {0.90, 1.15}, {0.5, 1}, {1, 1}},     // success: KNOWN_MISS
            "arm64-2G-4cpu-kpf", new double[][] {
                {0.95, 1.05}, {0.90, 1.10}, {1, 1.25}, {1, 1.4}, {1, 1}},        // isolated, success: KNOWN_MISS
            "arm64-3G-6cpu", new double[][] {
                {0.95, 1.05}, {1, 1.5}, {0.90, 1.10}, {0.90, 1.10}, {0, 1}},     // free_scanned: KNOWN_MISS (1.37x; the scanned were 0.15x / 8.5x before memblock's reserved ranges stopped being free blocks)
            "amd64-2G-4cpu", new double[][] {
                {0.95, 1.10}, {1, 1.3}, {0.5, 1.10}, {0.5, 1.10}, {0, 1}},       // isolated, success: KNOWN_MISS (0.53x; the scanned within 5 % / 18 % since the kernel image is never a free block)
            "amd64-4G-4cpu-kpf", new double[][] {
                {0.95, 1.05}, {0.90, 1.20}, {0.95, 1.3}, {0.95, 1.15}, {0, 1}},  // all GOAL since an extfrag claim moves the free blocks (isolated 0.98x)
            "arm64-1536M-3cpu-shuffle-sysctl", new double[][] {
                {0.95, 1.05}, {1, 1.5}, {1, 1.6}, {1, 1.6}, {0, 1}},             // all but migrate_scanned: KNOWN_MISS
            // the kernel's free scanner found 32 free pages in the whole zone and stopped (pgmigrate_fail 1); the twin's
            // window bulk-frees CPU 1's list (5698 -> 5403 in the kernel) before compact_memory, which gives its free
            // scanner more targets: with the kernel image never a free block (validate3) it migrates 76 pages against
            // 32 after scanning 20351 against 7072 (was 289 / 50785): migrate_scanned, isolated, success KNOWN_MISS
            // (drift guards around today's value), free_scanned GOAL; the kernel's one failed migration is not modelled
            "amd64-1G-2cpu", new double[][] {
                {2.7, 3.0}, {0.95, 1.10}, {2.2, 2.7}, {2.2, 2.6}, {0, 1}});

    private CompactMemoryCounters() {
    }

    /** Asserts the twin's counters of {@code bundle} within their bounds of the kernel's. */
    static void assertWithinBounds(Path bundleDir, String bundle, JsonNode twin) throws IOException {
        Map<String, Long> after = vmstat(bundleDir.resolve("vmstat.after.txt"));
        Map<String, Long> compacted = vmstat(bundleDir.resolve("vmstat.compacted.txt"));
        double[][] bounds = BOUNDS.get(bundle);
        assertThat(bounds).as("bounds for " + bundle).isNotNull();
        for (int k = 0; k < COUNTERS.size(); k++) {
            String c = COUNTERS.get(k);
            long kernel = compacted.get(c) - after.get(c);
            long sim = twin.at("/start_state/compact_memory." + c).asLong(-1);
            assertThat(sim).as(bundle + " twin " + c).isNotNegative();
            double lo = bounds[k][0] * kernel;
            double hi = kernel == 0 ? bounds[k][1] : bounds[k][1] * kernel; // kernel 0: an absolute bound
            assertThat((double) sim).as(bundle + " " + c + ": twin " + sim + ", kernel " + kernel).isBetween(lo, hi);
        }
    }

    private static Map<String, Long> vmstat(Path file) throws IOException {
        try (java.io.BufferedReader r = Files.newBufferedReader(file)) {
            return VmstatParser.parse(r, file.toString());
        }
    }
}
