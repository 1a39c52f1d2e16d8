package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.ZoneType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compaction events {@link FtraceTextWriter} writes: each line's fields are what the real 6.1 kernel's
 * {@code print fmt} (the bench's {@code formats/compaction.*.format}) prints for the same values, and the line reads
 * back through {@link TextTraceReader} in strict mode as that event.
 */
class CompactionTraceLinesTest {

    private static final KernelVersion V6_1 = KernelVersion.parse("6.1");
    private static final Path FORMATS = Path.of("../fixtures/bundles/arm64-2G-4cpu-kpf/formats");
    private static final long NOW = 12_345_678_901_000L;

    private static String written(Consumer<FtraceTextWriter> event) {
        StringWriter sw = new StringWriter();
        try (FtraceTextWriter w = new FtraceTextWriter(sw, V6_1, () -> NOW)) {
            event.accept(w);
        }
        return sw.toString();
    }

    /** The part of the kernel's print fmt between the quotes, turned into a Java format (%lx → %x, %lu → %d). */
    private static String printFmt(String event) throws IOException {
        String text = Files.readString(FORMATS.resolve("compaction." + event + ".format"));
        Matcher m = Pattern.compile("print fmt: \"([^\"]*)\"").matcher(text);
        assertThat(m.find()).as("print fmt of %s", event).isTrue();
        return m.group(1).replace("%lx", "%x").replace("%lu", "%d");
    }

    /** The {@code __print_symbolic} table of the kernel's format file: value → name. */
    private static Map<Integer, String> symbols(String event) throws IOException {
        String text = Files.readString(FORMATS.resolve("compaction." + event + ".format"));
        Matcher m = Pattern.compile("\\{(\\d+), \"([^\"]+)\"}").matcher(text);
        Map<Integer, String> out = new LinkedHashMap<>();
        while (m.find()) {
            out.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        return out;
    }

    private static List<TraceRecord> readStrict(String text) {
        List<TraceRecord> out = new ArrayList<>();
        TraceReadOptions all = new TraceReadOptions(false, null, null, true);
        try (TraceReader r = TraceFormat.text(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.txt", V6_1,
                all)) {
            out.addAll(TraceRecords.drain(r));
        }
        return out;
    }

    private static void assertLine(String line, String task, String event, String fields, TraceEventType type, int cpu) {
        assertThat(line).isEqualTo(String.format("%16s-%-7s [%03d] ..... 12345.678901: %s: %s%n", task.substring(0,
                task.lastIndexOf('-')), task.substring(task.lastIndexOf('-') + 1), cpu, event, fields).replace("\r\n", "\n"));
        List<TraceRecord> back = readStrict(line);
        assertThat(back).hasSize(1);
        assertThat(back.get(0).type()).isEqualTo(type);
        assertThat(back.get(0).cpu()).isEqualTo(cpu);
    }

    @Test
    @DisplayName("mm_compaction_begin: the 6.1 print fmt, mode sync/async, read back strictly")
    void begin() throws IOException {
        String fmt = printFmt("mm_compaction_begin");
        assertLine(written(w -> w.compactionBegin(0x40000, 0x40200, 0x7fe00, 0x80000, false, false, 2)),
                "kmemsim-2-3", "mm_compaction_begin", String.format(fmt, 0x40000L, 0x40200L, 0x7fe00L, 0x80000L, "async"),
                TraceEventType.MM_COMPACTION_BEGIN, 2);
        assertLine(written(w -> w.compactionBegin(0x40000, 0x40000, 0x7fe00, 0x80000, true, true, 3)),
                "kcompactd0-" + FtraceTextWriter.KCOMPACTD_PID, "mm_compaction_begin",
                String.format(fmt, 0x40000L, 0x40000L, 0x7fe00L, 0x80000L, "sync"), TraceEventType.MM_COMPACTION_BEGIN, 0);
    }

    @Test
    @DisplayName("mm_compaction_end: every status of the kernel's __print_symbolic table prints its name")
    void end() throws IOException {
        String fmt = printFmt("mm_compaction_end");
        Map<Integer, String> status = symbols("mm_compaction_end");
        assertThat(status).hasSize(9).containsEntry(8, "success").containsEntry(6, "partial_skipped");
        for (Map.Entry<Integer, String> e : status.entrySet()) {
            int value = e.getKey();
            assertLine(written(w -> w.compactionEnd(0x40000, 0x7fc00, 0x7fc00, 0x80000, true, value, false, 1)),
                    "kmemsim-1-2", "mm_compaction_end",
                    String.format(fmt, 0x40000L, 0x7fc00L, 0x7fc00L, 0x80000L, "sync", e.getValue()),
                    TraceEventType.MM_COMPACTION_END, 1);
        }
    }

    @Test
    @DisplayName("mm_compaction_migratepages and mm_compaction_kcompactd_wake: the 6.1 print fmt, read back strictly")
    void migratepagesAndKcompactdWake() throws IOException {
        assertLine(written(w -> w.compactionMigratepages(30, 2, false, 0)), "kmemsim-0-1", "mm_compaction_migratepages",
                String.format(printFmt("mm_compaction_migratepages"), 30L, 2L), TraceEventType.MM_COMPACTION_MIGRATEPAGES, 0);
        Map<Integer, String> zones = symbols("mm_compaction_kcompactd_wake");
        assertThat(zones.get(ZoneType.NORMAL.ordinal())).isEqualTo(ZoneType.NORMAL.printedName());
        String line = written(w -> w.compactionKcompactdWake(0, 9, ZoneType.NORMAL));
        assertLine(line, "kcompactd0-" + FtraceTextWriter.KCOMPACTD_PID, "mm_compaction_kcompactd_wake",
                String.format(printFmt("mm_compaction_kcompactd_wake"), 0, 9, "Normal"),
                TraceEventType.MM_COMPACTION_KCOMPACTD_WAKE, 0);
        assertThat(line).endsWith("classzone_idx=Normal  \n");
        assertThat(readStrict(line).get(0).order()).isEqualTo(9);
    }
}
