package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detail compaction tracepoints in a real run (issue 11): scenarios/mobility.yaml on a 512 MiB board writes
 * {@code mm_compaction_suitable}, {@code _finished}, {@code _isolate_migratepages}, {@code _isolate_freepages} and the
 * deferral events where 6.1 mm/compaction.c emits them; direct compaction prints the allocating CPU (not always 0);
 * each {@code compact_zone()} run's last {@code _finished} line names the status its {@code _end} line prints; and
 * {@code trace stats} counts every event with no skipped line.
 */
class CompactionTraceDetailRunTest {

    private static final Pattern TASK_CPU = Pattern.compile("^\\s*(\\S+)-(\\d+)\\s+\\[(\\d{3})]");
    private static final Pattern RET = Pattern.compile("ret=(\\w+)$");
    private static final Pattern STATUS = Pattern.compile("status=(\\w+)$");

    @Test
    void mobilityRun_writesTheDetailEvents_consistentWithBeginAndEnd(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.txt");
        Cli run = Cli.run("run", "../scenarios/mobility.yaml", "--set", "platform.options.size=512M",
                "--set", "workload.options.events=400000", "--trace-out", trace.toString(), "-o", dir.resolve("out").toString());
        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines;
        try (Stream<String> all = Files.lines(trace)) {
            lines = all.filter(l -> l.contains(": mm_compaction_")).toList();
        }
        String text = String.join("\n", lines) + "\n";
        assertThat(text).containsPattern("mm_compaction_suitable: node=0 zone=(DMA     |Normal  ) order=\\d+ ret=continue\n")
                .containsPattern("mm_compaction_finished: node=0 zone=(DMA     |Normal  ) order=\\d+ ret=(no_suitable_page|continue)\n")
                .containsPattern("mm_compaction_isolate_migratepages: range=\\(0x[0-9a-f]+ ~ 0x[0-9a-f]+\\) nr_scanned=\\d+ "
                        + "nr_taken=[1-9]\\d*\n")
                .containsPattern("mm_compaction_isolate_freepages: range=\\(0x[0-9a-f]+ ~ 0x[0-9a-f]+\\) nr_scanned=\\d+ "
                        + "nr_taken=[1-9]\\d*\n");

        // every compact_zone() run: begin, finished checks, end; the last check's value is the end's status
        int runs = 0;
        String lastFinished = null;
        boolean inRun = false;
        boolean directOnOtherCpu = false;
        for (String l : lines) {
            Matcher tc = TASK_CPU.matcher(l);
            assertThat(tc.find()).as(l).isTrue();
            if (tc.group(1).startsWith("kmemsim") && !tc.group(3).equals("000")) {
                directOnOtherCpu = true;
                assertThat(tc.group(1)).as("task and CPU agree: %s", l).isEqualTo("kmemsim-" + Integer.parseInt(tc.group(3)));
            }
            if (l.contains("mm_compaction_begin: ")) {
                assertThat(inRun).as("nested run at %s", l).isFalse();
                inRun = true;
                lastFinished = null;
            } else if (l.contains("mm_compaction_finished: ")) {
                assertThat(inRun).as("finished outside a run: %s", l).isTrue();
                Matcher m = RET.matcher(l);
                assertThat(m.find()).isTrue();
                lastFinished = m.group(1);
            } else if (l.contains("mm_compaction_end: ")) {
                Matcher m = STATUS.matcher(l);
                assertThat(m.find()).isTrue();
                assertThat(lastFinished).as("the last compact_finished() before %s", l).isEqualTo(m.group(1));
                inRun = false;
                runs++;
            }
        }
        assertThat(runs).isPositive();
        assertThat(directOnOtherCpu).as("direct compaction on CPU 1 prints CPU 1").isTrue();

        Cli stats = Cli.run("trace", "stats", trace.toString(), "--kernel", "6.1");
        assertThat(stats.status()).as(stats.err()).isZero();
        assertThat(stats.err()).doesNotContain("skipped");
        for (String event : List.of("mm_compaction_suitable", "mm_compaction_finished", "mm_compaction_isolate_migratepages",
                "mm_compaction_isolate_freepages")) {
            assertThat(stats.out()).containsPattern(event + "\\s+" + count(text, event + ": ") + "\\b");
        }
    }

    private static long count(String text, String event) {
        long n = 0;
        for (int i = text.indexOf(event); i >= 0; i = text.indexOf(event, i + 1)) {
            n++;
        }
        return n;
    }
}
