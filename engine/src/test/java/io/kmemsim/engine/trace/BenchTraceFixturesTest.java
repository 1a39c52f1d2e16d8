package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.KernelVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real traces of the QEMU oracle runs (Debian 6.1.192, arm64 and amd64; fixtures/bundles/&#42;/,
 * gzipped as committed) are read in strict mode with no error, and the events per tracepoint equal the
 * counts the oracle's own script wrote ({@code trace_summary.tsv}, phase {@code ALL}).
 */
class BenchTraceFixturesTest {

    private static final Path BUNDLES = Path.of("..", "fixtures", "bundles");

    @ParameterizedTest
    @ValueSource(strings = {"arm64-1G-2cpu-sysctl", "arm64-2G-4cpu-kpf", "arm64-3G-6cpu", "amd64-2G-4cpu"})
    void strictRead_matchesTheOraclesCounts(String run) throws IOException {
        Path trace = BUNDLES.resolve(run).resolve("trace.txt.gz");
        Map<String, Long> expected = new LinkedHashMap<>();
        List<String> rows = Files.readAllLines(BUNDLES.resolve(run).resolve("trace_summary.tsv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            if (f[0].equals("ALL") && !f[1].equals("rss_stat")) {
                expected.put(f[1], Long.parseLong(f[2]));
            }
        }
        Map<TraceEventType, Long> counted = new EnumMap<>(TraceEventType.class);
        TraceFormat format = TraceFormat.detect(trace);
        assertThat(format).isEqualTo(TraceFormat.FTRACE);
        try (TraceReader r = format.open(trace, KernelVersion.parse("6.1"), TraceReadOptions.DEFAULT)) {
            TraceRecord rec = new TraceRecord();
            while (r.next(rec)) {
                counted.merge(rec.type(), 1L, Long::sum);
            }
            assertThat(r.skipped()).isEmpty();
            assertThat(r.lostEvents()).as("the oracle saw overrun 0 in every run").isEmpty();
            assertThat(r.markers()).extracting(TraceMarker::text).contains("ORACLE: workload_begin", "ORACLE: workload_end");
            assertThat(r.lineKinds()).containsEntry(LineKind.HEADER, 12L).doesNotContainKey(LineKind.OTHER_EVENT);
        }
        Map<String, Long> actual = new LinkedHashMap<>();
        counted.forEach((t, n) -> actual.put(t.kernelName(), n));
        assertThat(actual).isEqualTo(expected);
    }
}
