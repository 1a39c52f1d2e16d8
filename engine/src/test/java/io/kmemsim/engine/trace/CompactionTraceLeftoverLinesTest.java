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
 * The compaction events {@link FtraceTextWriter} writes besides begin/end/migratepages/kcompactd_wake:
 * {@code mm_compaction_suitable}, {@code _finished}, {@code _wakeup_kcompactd}, {@code _isolate_migratepages},
 * {@code _isolate_freepages}, {@code _defer_compaction}, {@code _deferred}, {@code _defer_reset}. Each expected line is
 * built from the real 6.1 kernel's {@code print fmt} and {@code __print_symbolic} tables in the bench's own
 * {@code formats/compaction.*.format} files, and the written line is read back through {@link TextTraceReader} in
 * strict mode as that event on that CPU.
 */
class CompactionTraceLeftoverLinesTest {

    private static final KernelVersion V6_1 = KernelVersion.parse("6.1");
    private static final Path FORMATS = Path.of("../fixtures/bundles/arm64-1G-2cpu-sysctl/formats");
    private static final long NOW = 98_765_432_109_000L;
    private static final String KCOMPACTD = "kcompactd0-" + FtraceTextWriter.KCOMPACTD_PID;

    private static String written(Consumer<FtraceTextWriter> event) {
        StringWriter sw = new StringWriter();
        try (FtraceTextWriter w = new FtraceTextWriter(sw, V6_1, () -> NOW)) {
            event.accept(w);
        }
        return sw.toString();
    }

    private static String formatFile(String event) throws IOException {
        return Files.readString(FORMATS.resolve("compaction." + event + ".format"));
    }

    /** The kernel's print fmt as a Java format: %lx → %x, %lu and %u → %d (the values passed are non-negative). */
    private static String printFmt(String event) throws IOException {
        Matcher m = Pattern.compile("print fmt: \"([^\"]*)\"").matcher(formatFile(event));
        assertThat(m.find()).as("print fmt of %s", event).isTrue();
        return m.group(1).replace("%lx", "%x").replace("%lu", "%d").replace("%u", "%d");
    }

    /** One {@code __print_symbolic(REC->field, ...)} table of the kernel's format file: value → name. */
    private static Map<Integer, String> symbols(String event, String field) throws IOException {
        String text = formatFile(event);
        int at = text.indexOf("__print_symbolic(REC->" + field);
        assertThat(at).as("%s has a symbolic %s", event, field).isPositive();
        String table = text.substring(at, text.indexOf(')', at));
        Matcher m = Pattern.compile("\\{(\\d+), \"([^\"]+)\"}").matcher(table);
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
        int dash = task.lastIndexOf('-');
        String expected = String.format("%16s-%-7s [%03d] ..... 98765.432109: %s: %s", task.substring(0, dash),
                task.substring(dash + 1), cpu, event, fields) + "\n";
        assertThat(line).isEqualTo(expected);
        List<TraceRecord> back = readStrict(line);
        assertThat(back).hasSize(1);
        assertThat(back.get(0).type()).isEqualTo(type);
        assertThat(back.get(0).cpu()).isEqualTo(cpu);
    }

    @Test
    @DisplayName("mm_compaction_suitable and _finished: every compact_result value and every zone of the 6.1 tables")
    void suitableAndFinished() throws IOException {
        for (String event : List.of("mm_compaction_suitable", "mm_compaction_finished")) {
            String fmt = printFmt(event);
            Map<Integer, String> rets = symbols(event, "ret");
            Map<Integer, String> zones = symbols(event, "idx");
            assertThat(rets).hasSize(9).containsEntry(0, "not_suitable_zone").containsEntry(3, "no_suitable_page");
            TraceEventType type = event.endsWith("suitable") ? TraceEventType.MM_COMPACTION_SUITABLE
                    : TraceEventType.MM_COMPACTION_FINISHED;
            for (Map.Entry<Integer, String> r : rets.entrySet()) {
                int ret = r.getKey();
                String line = written(w -> {
                    if (type == TraceEventType.MM_COMPACTION_SUITABLE) {
                        w.compactionSuitable(0, ZoneType.NORMAL, 9, ret, false, 1);
                    } else {
                        w.compactionFinished(0, ZoneType.NORMAL, 9, ret, false, 1);
                    }
                });
                assertLine(line, "kmemsim-1-2", event, String.format(fmt, 0, "Normal", 9, r.getValue()), type, 1);
            }
            for (Map.Entry<Integer, String> z : zones.entrySet()) {
                ZoneType zt = ZoneType.ofPrintedName(z.getValue());
                assertThat(zt.ordinal()).as("the kernel's zone index of %s", zt).isEqualTo(z.getKey());
                String line = written(w -> {
                    if (type == TraceEventType.MM_COMPACTION_SUITABLE) {
                        w.compactionSuitable(0, zt, 3, 4, true, 1);
                    } else {
                        w.compactionFinished(0, zt, 3, 4, true, 1);
                    }
                });
                // kcompactd's lines print its stand-in task on CPU 0, whatever CPU is passed
                assertLine(line, KCOMPACTD, event, String.format(fmt, 0, z.getValue(), 3, "continue"), type, 0);
            }
        }
    }

    @Test
    @DisplayName("mm_compaction_wakeup_kcompactd: the waker's CPU, classzone_idx padded to 8 columns")
    void wakeupKcompactd() throws IOException {
        String line = written(w -> w.compactionWakeupKcompactd(0, 9, ZoneType.DMA32, 1));
        assertLine(line, "kmemsim-1-2", "mm_compaction_wakeup_kcompactd",
                String.format(printFmt("mm_compaction_wakeup_kcompactd"), 0, 9, "DMA32"),
                TraceEventType.MM_COMPACTION_WAKEUP_KCOMPACTD, 1);
        assertThat(line).endsWith("classzone_idx=DMA32   \n");
        assertThat(readStrict(line).get(0).order()).isEqualTo(9);
    }

    @Test
    @DisplayName("mm_compaction_isolate_migratepages and _isolate_freepages: the range and counts as 6.1 prints them")
    void isolate() throws IOException {
        assertLine(written(w -> w.compactionIsolateMigratepages(0x40200, 0x40400, 512, 31, false, 0)), "kmemsim-0-1",
                "mm_compaction_isolate_migratepages",
                String.format(printFmt("mm_compaction_isolate_migratepages"), 0x40200L, 0x40400L, 512L, 31L),
                TraceEventType.MM_COMPACTION_ISOLATE_MIGRATEPAGES, 0);
        assertLine(written(w -> w.compactionIsolateFreepages(0x7fe00, 0x7fe41, 65, 32, true, 1)), KCOMPACTD,
                "mm_compaction_isolate_freepages",
                String.format(printFmt("mm_compaction_isolate_freepages"), 0x7fe00L, 0x7fe41L, 65L, 32L),
                TraceEventType.MM_COMPACTION_ISOLATE_FREEPAGES, 0);
    }

    @Test
    @DisplayName("defer_compaction, deferred, defer_reset: order_failed, consider and limit = 1 << defer_shift")
    void deferral() throws IOException {
        String[] events = {"mm_compaction_defer_compaction", "mm_compaction_deferred", "mm_compaction_defer_reset"};
        TraceEventType[] types = {TraceEventType.MM_COMPACTION_DEFER_COMPACTION, TraceEventType.MM_COMPACTION_DEFERRED,
            TraceEventType.MM_COMPACTION_DEFER_RESET};
        for (int kind = 0; kind < 3; kind++) {
            int k = kind;
            String fmt = printFmt(events[kind]);
            // the kernel's limit is 1UL << defer_shift: shift 6 (COMPACT_MAX_DEFER_SHIFT) prints 64
            assertLine(written(w -> w.compactionDefer(k, 0, ZoneType.NORMAL, 9, 5, 6, 3, false, 1)), "kmemsim-1-2",
                    events[kind], String.format(fmt, 0, "Normal", 9, 3, 5, 64L), types[kind], 1);
            assertLine(written(w -> w.compactionDefer(k, 0, ZoneType.DMA, 2, 0, 0, 0, true, 1)), KCOMPACTD,
                    events[kind], String.format(fmt, 0, "DMA", 2, 0, 0, 1L), types[kind], 0);
        }
    }
}
