package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/mobility.yaml shrunk to a 512 MiB board and 700 000 events (fragmenter plus THP bursts: direct compaction
 * of both modes and kcompactd run) writes the compaction tracepoints to {@code --trace-out} (issue 11), and
 * {@code trace stats} reads that trace strictly and counts them.
 */
class CompactionTraceRunTest {

    @Test
    void mobilityRun_traceOut_holdsCompactionEvents_traceStatsCountsThem(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.txt");
        Cli run = Cli.run("run", "../scenarios/mobility.yaml", "--set", "platform.options.size=512M",
                "--set", "workload.options.events=700000", "--trace-out", trace.toString(), "-o", dir.resolve("out").toString());
        assertThat(run.status()).as(run.err()).isZero();
        String text; // the compaction lines only (the trace is ~70 MB)
        try (Stream<String> lines = Files.lines(trace)) {
            text = lines.filter(l -> l.contains(": mm_compaction_")).collect(Collectors.joining("\n", "", "\n"));
        }
        assertThat(text).containsPattern("mm_compaction_begin: zone_start=0x[0-9a-f]+ migrate_pfn=0x[0-9a-f]+ "
                + "free_pfn=0x[0-9a-f]+ zone_end=0x[0-9a-f]+, mode=(a?sync)\n");
        assertThat(text).containsPattern("mm_compaction_end: zone_start=0x[0-9a-f]+ migrate_pfn=0x[0-9a-f]+ free_pfn=0x[0-9a-f]+ "
                + "zone_end=0x[0-9a-f]+, mode=a?sync status=(success|complete|partial_skipped)\n");
        assertThat(text).containsPattern("mm_compaction_migratepages: nr_migrated=[1-9]\\d* nr_failed=\\d+\n")
                .containsPattern("mm_compaction_kcompactd_wake: nid=0 order=\\d+ classzone_idx=Normal  \n")
                .contains(", mode=async", ", mode=sync");
        // every compact_zone() run that began also ended
        assertThat(count(text, "mm_compaction_begin: ")).isPositive().isEqualTo(count(text, "mm_compaction_end: "));

        Cli stats = Cli.run("trace", "stats", trace.toString(), "--kernel", "6.1");
        assertThat(stats.status()).as(stats.err()).isZero();
        assertThat(stats.err()).doesNotContain("skipped");
        assertThat(stats.out()).containsPattern("mm_compaction_begin\\s+" + count(text, "mm_compaction_begin: ") + "\\b")
                .containsPattern("mm_compaction_end\\s+" + count(text, "mm_compaction_end: ") + "\\b")
                .containsPattern("mm_compaction_migratepages\\s+" + count(text, "mm_compaction_migratepages: ") + "\\b");
    }

    private static long count(String text, String event) {
        long n = 0;
        for (int i = text.indexOf(event); i >= 0; i = text.indexOf(event, i + 1)) {
            n++;
        }
        return n;
    }
}
