package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The untraced window of {@code kmemsim twin} (docs/fidelity.md, "After compact_memory"), on the capture bundle, whose
 * kernel allocated 1,027 pages net between the after and compacted snapshots (a tmpfs file of kpageflags): the
 * allocations come from the kernel's own counters, the twin's free pages land on the kernel's, {@code --no-window}
 * turns the step off, and a bundle without the counters skips it with a note.
 */
class TwinWindowTest {

    private static final Path CAPTURE = Path.of("..", "fixtures", "bundles", "capture-arm64-1G");

    @TempDir
    Path tmp;

    private JsonNode twin(Path bundle, String... extra) throws IOException {
        Path out = tmp.resolve("out-" + bundle.getFileName() + extra.length);
        List<String> args = new java.util.ArrayList<>(List.of("twin", bundle.toString(), "--mode", "exact", "-o", out.toString()));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        return new ObjectMapper().readTree(out.resolve("twin.json").toFile());
    }

    private static Map<String, Long> vmstat(Path f) throws IOException {
        Map<String, Long> m = new HashMap<>();
        for (String line : Files.readAllLines(f)) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 2) {
                m.put(p[0], Long.parseLong(p[1]));
            }
        }
        return m;
    }

    private static long simFreePages(JsonNode comparison) {
        long n = 0;
        for (JsonNode z : comparison.get("zones")) {
            for (int o = 0; o < z.get("sim").size(); o++) {
                n += z.get("sim").get(o).asLong() << o;
            }
        }
        return n;
    }

    @Test
    void window_allocatesWhatTheKernelsCountersSay_andLandsOnTheKernelsFreePages() throws IOException {
        Map<String, Long> a = vmstat(CAPTURE.resolve("vmstat.after.txt"));
        Map<String, Long> c = vmstat(CAPTURE.resolve("vmstat.compacted.txt"));
        long d = 0;
        for (String k : c.keySet()) {
            if (k.startsWith("pgalloc_")) {
                d += c.get(k) - a.get(k);
            }
        }
        // net allocations = Σ pgalloc − (pgfree − pgmigrate_success): compaction's migrated sources count in pgfree
        long net = d - (c.get("pgfree") - a.get("pgfree")) + (c.get("pgmigrate_success") - a.get("pgmigrate_success"));
        assertThat(net).isEqualTo(1027);

        JsonNode with = twin(CAPTURE);
        assertThat(with.at("/untraced_window/order0_movable_allocations_made").asLong()).isEqualTo(net);
        assertThat(with.at("/untraced_window/allocating_cpu").asLong()).as("the CPU whose list grew most").isEqualTo(1);
        // free pages, buddy + per-CPU, against the kernel's (buddyinfo.compacted + zoneinfo.compacted's counts)
        long real = with.at("/compacted/real_free_pages").asLong() + with.at("/untraced_window/after_compact_memory.kernel_pcp_pages").asLong();
        long sim = simFreePages(with.at("/compacted")) + with.at("/untraced_window/after_compact_memory.twin_pcp_pages").asLong();
        assertThat(Math.abs(sim - real)).as("free pages against the kernel's").isLessThan(real / 2000);
        assertThat(with.at("/notes").toString()).contains("untraced window (inferred");

        JsonNode without = twin(CAPTURE, "--no-window");
        assertThat(without.has("untraced_window")).isFalse();
        assertThat(without.at("/notes").toString()).contains("--no-window");
        assertThat(simFreePages(without.at("/compacted")) - simFreePages(with.at("/compacted")))
                .as("without the window: the net allocations are missing").isGreaterThan(net / 2);
        assertThat(with.at("/compacted/distance_percent").asDouble())
                .isLessThan(without.at("/compacted/distance_percent").asDouble());
        assertThat(with.at("/after")).as("the end state before the window is untouched").isEqualTo(without.at("/after"));
    }

    private Path copyWithout(String name, String skip) throws IOException {
        Path copy = tmp.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(CAPTURE)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().equals(skip)) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        return copy;
    }

    @Test
    void badVmstat_exit2_namesFileLineAndCounter_andWritesNothing() throws IOException {
        Path copy = copyWithout("capture-bad-vmstat", "");
        Files.writeString(copy.resolve("vmstat.compacted.txt"), Files.readString(copy.resolve("vmstat.compacted.txt"))
                .replaceFirst("(?m)^pgfree \\d+$", "pgfree lots"));
        Path out = tmp.resolve("out-bad");
        Cli r = Cli.run("twin", copy.toString(), "-o", out.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("vmstat.compacted.txt:79").contains("pgfree").contains("whole number");
        assertThat(r.errHasStackTrace()).isFalse();
        assertThat(out).doesNotExist();
    }

    @Test
    void bundleWithoutTheCompactedCounters_skipsTheWindowWithANote() throws IOException {
        Path copy = copyWithout("capture-no-vmstat", "vmstat.compacted.txt");
        JsonNode j = twin(copy);
        assertThat(j.has("untraced_window")).isFalse();
        assertThat(j.at("/notes").toString()).contains("not rebuilt: the bundle has no vmstat.compacted.txt");
        assertThat(j.at("/compacted/distance_percent").isNumber()).isTrue();
    }
}
