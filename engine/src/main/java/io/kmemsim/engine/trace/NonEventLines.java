package io.kmemsim.engine.trace;

import static io.kmemsim.engine.trace.TextTraceReader.MAX_CPUS;
import static io.kmemsim.engine.trace.TraceBytes.TOO_BIG;
import static io.kmemsim.engine.trace.TraceBytes.allDigits;
import static io.kmemsim.engine.trace.TraceBytes.checkedDec;
import static io.kmemsim.engine.trace.TraceBytes.endsWith;
import static io.kmemsim.engine.trace.TraceBytes.indexOf;
import static io.kmemsim.engine.trace.TraceBytes.isDigit;
import static io.kmemsim.engine.trace.TraceBytes.isHexToken;
import static io.kmemsim.engine.trace.TraceBytes.isTimestamp;
import static io.kmemsim.engine.trace.TraceBytes.skipSpaces;
import static io.kmemsim.engine.trace.TraceBytes.startsWith;
import static io.kmemsim.engine.trace.TraceBytes.tokenEnd;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lines around the events, and the book kept of them: every kind of line counted
 * ({@link LineKind}), the events the tracer lost per CPU (notices in the text and the tools' buffer
 * statistics), the {@code vmscan}/{@code compaction} events seen. Recognising a line here costs a byte
 * test or two for an event line, so the event path stays fast.
 */
final class NonEventLines {

    /** A line that was recognised, counted and is not returned. */
    static final String IGNORED = new String("ignored");
    /** A trace event inside function_graph output: the caller reads it as an event. */
    static final String GRAPH_COMMENT = new String("graph comment");

    /**
     * The first bytes on which a rule of {@link #nonEventLine} (and of {@link #bufferStats}) tests: every
     * rule there starts with a test of the line's first byte against one of these, except the callchain
     * rule, which needs a line ending in ')'. Keep in step with the rules (NonEventLinesTest checks it).
     */
    static final String RULE_FIRST_BYTES = "=<CLocdebrnKNBv-0123456789";
    private static final boolean[] MAY_START = new boolean[256];

    static {
        for (int k = 0; k < RULE_FIRST_BYTES.length(); k++) {
            MAY_START[RULE_FIRST_BYTES.charAt(k)] = true;
        }
    }

    private final long[] kinds = new long[LineKind.values().length];
    private final long[] reclaim = new long[TraceEventType.values().length];
    /** Lost events announced in the text ({@code [LOST N EVENTS]}, perf's lost records), by CPU; −1: no CPU given. */
    private final Map<Integer, Long> lost = new TreeMap<>();
    /** Lost events from the buffer statistics trace-cmd prints ({@code overrun}, {@code commit overrun}, {@code dropped events}), by CPU. */
    private final Map<Integer, Long> statsLost = new TreeMap<>();
    /** The ftrace header's entries-written − entries-in-buffer: the same overruns the per-CPU notices report. */
    private long headerOverwritten;
    /** The CPU of the statistics block being read ({@code CPU: N}); −1 before any. */
    private int statsCpu = -1;
    private long lostUncounted;
    private long other;

    String kind(LineKind k) {
        kinds[k.ordinal()]++;
        return IGNORED;
    }

    /** Counts an event read (and, for {@code vmscan}/{@code compaction}, its type). */
    void event(TraceEventType type) {
        kinds[LineKind.EVENT.ordinal()]++;
        if (!type.isKmem()) {
            reclaim[type.ordinal()]++;
        }
    }

    /** An event read that lies before the {@code --from-marker} window. */
    void outsideWindow() {
        kinds[LineKind.OUTSIDE_WINDOW.ordinal()]++;
        kinds[LineKind.EVENT.ordinal()]--;
    }

    /** An event of a tracepoint kmemsim does not read. */
    String otherEvent() {
        other++;
        return kind(LineKind.OTHER_EVENT);
    }

    /** Recognises the non-event lines that do not start like an event; null when the line may be an event. */
    String nonEventLine(byte[] b, int from, int i, int n) {
        byte c = b[i];
        if (!MAY_START[c & 0xff] && b[n - 1] != ')') {
            return null; // no rule below can match: the common case of an event line, one load and two tests
        }
        if (c == '=' && i + 1 < n && b[i + 1] == '>') {
            return kind(LineKind.STACK_FRAME);
        }
        if (c == '<' && (startsWith(b, i, n, "<stack trace>") || startsWith(b, i, n, "<user stack trace>"))) {
            return kind(LineKind.STACK_TRACE);
        }
        if (c == 'C' && startsWith(b, i, n, "CPU:")) {
            return b[i + 4 < n ? i + 4 : i] == ' ' ? statsCpu(b, i + 4, n) : lostLine(b, i + 4, n);
        }
        if (c == 'L' && startsWith(b, i, n, "LOST ")) {
            return perfTraceLost(b, i + 5, n);
        }
        String stats = bufferStats(b, i, n);
        if (stats != null) {
            return stats;
        }
        if (c == 'C' && startsWith(b, i, n, "CPU ") && endsWith(b, i, n, " is empty")) {
            return kind(LineKind.HEADER); // trace-cmd report: a CPU without data
        }
        if (c == 'c' && startsWith(b, i, n, "cpus=") || c == 'v' && startsWith(b, i, n, "version =")) {
            return kind(LineKind.HEADER); // trace-cmd report's first lines
        }
        if (c == '-' && startsWith(b, i, n, "-----")) {
            return kind(LineKind.FUNCTION_GRAPH); // function_graph separator around a task switch
        }
        if (c >= '0' && c <= '9') {
            if (endsWith(b, i, n, " bytes in size")) {
                return kind(LineKind.HEADER); // trace-cmd record: "    4096 bytes in size" under "CPU0 data recorded at offset=…"
            }
            int t = tokenEnd(b, i, n);
            int next = skipSpaces(b, t, n);
            if (b[t - 1] == ')' && allDigits(b, i, t - 1)
                    || next < n && b[next] == '|' && isTimestamp(b, i, t)) {
                // " 1)   0.417 us    |  func();", funcgraph-abstime "1234.567890 |   1)  ...", and trace events
                // printed as comments: " 1)               |  /* mm_page_alloc: page=… */"
                return endsWith(b, i, n, " */") && indexOf(b, i, n, "/* ") >= 0 ? GRAPH_COMMENT
                        : kind(LineKind.FUNCTION_GRAPH);
            }
        }
        if (i > from && b[n - 1] == ')' && isHexToken(b, i, tokenEnd(b, i, n)) && callchainTail(b, i, n)) {
            return kind(LineKind.CALLCHAIN_FRAME);
        }
        return null;
    }


    /** perf script -g: "ffffffff81234567 func+0x12 ([kernel.kallsyms])" — the symbol's DSO in " (…)" at the end. */
    private static boolean callchainTail(byte[] b, int i, int n) {
        int depth = 0;
        for (int j = n - 1; j > i; j--) {
            if (b[j] == ')') {
                depth++;
            } else if (b[j] == '(' && --depth == 0) {
                return b[j - 1] == ' ' || b[j - 1] == '\t';
            }
        }
        return false;
    }

    /** "CPU:N [LOST M EVENTS]" (ftrace, kernel/trace/trace.c), "CPU:N [M EVENTS DROPPED]" / "[EVENTS DROPPED]" (trace-cmd). */
    private String lostLine(byte[] b, int i, int n) {
        int cpuEnd = i;
        while (cpuEnd < n && isDigit(b[cpuEnd])) {
            cpuEnd++;
        }
        long cpu = checkedDec(b, i, cpuEnd);
        if (cpu < 0 || cpu >= MAX_CPUS) {
            return "lost-events notice: the CPU must be a number below " + MAX_CPUS;
        }
        int j = skipSpaces(b, cpuEnd, n);
        if (startsWith(b, j, n, "[LOST EVENTS]")) {
            lostUncounted++; // kernel/trace/trace.c print_trace_line(): the ring buffer could not count them
            return kind(LineKind.LOST_EVENTS);
        }
        if (startsWith(b, j, n, "[LOST ")) {
            int numEnd = tokenEnd(b, j + 6, n);
            long count = checkedDec(b, j + 6, numEnd);
            if (count == TOO_BIG) {
                return "lost-events notice: the count " + text(b, j + 6, numEnd) + " does not fit in 64 bits";
            }
            if (count < 0 || !startsWith(b, numEnd, n, " EVENTS]")) {
                return "expected CPU:N [LOST M EVENTS]";
            }
            lost.merge((int) cpu, count, NonEventLines::saturatingAdd);
            return kind(LineKind.LOST_EVENTS);
        }
        if (startsWith(b, j, n, "[EVENTS DROPPED]")) {
            lostUncounted++;
            return kind(LineKind.LOST_EVENTS);
        }
        if (j < n && b[j] == '[') {
            int numEnd = tokenEnd(b, j + 1, n);
            long count = checkedDec(b, j + 1, numEnd);
            if (count == TOO_BIG) {
                return "lost-events notice: the count " + text(b, j + 1, numEnd) + " does not fit in 64 bits";
            }
            if (count >= 0 && startsWith(b, numEnd, n, " EVENTS DROPPED]")) {
                lost.merge((int) cpu, count, NonEventLines::saturatingAdd);
                return kind(LineKind.LOST_EVENTS);
            }
        }
        return "expected a lost-events notice like CPU:2 [LOST 120 EVENTS] or CPU:2 [120 EVENTS DROPPED]";
    }

    /**
     * {@code perf trace}: "LOST %lu events!" (tools/perf/builtin-trace.c trace__process_event(), on a
     * PERF_RECORD_LOST); the CPU is not printed.
     */
    private String perfTraceLost(byte[] b, int i, int n) {
        int numEnd = tokenEnd(b, i, n);
        long count = checkedDec(b, i, numEnd);
        if (count == TOO_BIG) {
            return "lost-events notice: the count " + text(b, i, numEnd) + " does not fit in 64 bits";
        }
        if (count < 0 || !regionEnds(b, numEnd, n, " events!")) {
            return "expected perf trace's lost-events notice like LOST 120 events!";
        }
        lost.merge(-1, count, NonEventLines::saturatingAdd);
        return kind(LineKind.LOST_EVENTS);
    }

    /**
     * perf's record of lost events after the sample columns: {@code perf script --show-lost-events} prints
     * "PERF_RECORD_LOST lost %lu" (tools/perf/util/event.c perf_event__fprintf(), perf_event__fprintf_lost())
     * and {@code perf script -D} "… [0x30]: PERF_RECORD_LOST: id:%lu: lost:%lu" (util/session.c dump_event(),
     * util/machine.c machine__process_lost_event()). Other PERF_RECORD_ side-band records (COMM, MMAP, FORK,
     * …) are counted as headers.
     *
     * @param at  the index of "PERF_RECORD_"
     * @param cpu the CPU of the sample columns, −1 when the line has none
     */
    String perfRecord(byte[] b, int at, int n, int cpu) {
        int name = at + "PERF_RECORD_".length();
        int nameEnd = name;
        while (nameEnd < n && (b[nameEnd] >= 'A' && b[nameEnd] <= 'Z' || b[nameEnd] == '_')) {
            nameEnd++;
        }
        if (!TraceBytes.regionIs(b, name, nameEnd, "LOST") && !TraceBytes.regionIs(b, name, nameEnd, "LOST_SAMPLES")) {
            return kind(LineKind.HEADER);
        }
        int key = indexOf(b, nameEnd, n, "lost");
        int v = key < 0 ? n : key + 4;
        while (v < n && (b[v] == ':' || b[v] == ' ' || b[v] == '\t')) {
            v++;
        }
        int vEnd = v;
        while (vEnd < n && isDigit(b[vEnd])) {
            vEnd++;
        }
        long count = checkedDec(b, v, vEnd);
        if (count == TOO_BIG) {
            return "perf lost record: the count " + text(b, v, vEnd) + " does not fit in 64 bits";
        }
        if (count < 0) {
            return "expected perf's lost record like PERF_RECORD_LOST lost 120 or PERF_RECORD_LOST: id:5: lost:120";
        }
        lost.merge(cpu, count, NonEventLines::saturatingAdd);
        return kind(LineKind.LOST_EVENTS);
    }

    /** trace-cmd's statistics block starts with "CPU: %d" (tracecmd/trace-record.c record_stats()). */
    private String statsCpu(byte[] b, int i, int n) {
        int v = skipSpaces(b, i, n);
        int vEnd = tokenEnd(b, v, n);
        long cpu = checkedDec(b, v, vEnd);
        if (cpu < 0 || cpu >= MAX_CPUS || skipSpaces(b, vEnd, n) != n) {
            return "expected trace-cmd's statistics heading CPU: N with N below " + MAX_CPUS;
        }
        statsCpu = (int) cpu;
        return kind(LineKind.HEADER);
    }

    /**
     * The ring buffer statistics of one CPU (kernel/trace/trace.c tracing_stats_read(): "entries: %ld",
     * "overrun: %ld", "commit overrun: %ld", "bytes: %ld", "oldest event ts: …", "now ts: …",
     * "dropped events: %ld", "read events: %ld") as {@code trace-cmd record} prints them at its end and
     * {@code trace-cmd report --stat} under "Kernel buffer statistics:" (tracecmd/trace-read.c), each
     * block after "CPU: N". Overrun, commit overrun and dropped events are events the trace lacks;
     * "entries" (events left in the buffer after recording) are not counted as lost. Null when the line
     * is none of these.
     */
    private String bufferStats(byte[] b, int i, int n) {
        switch (b[i]) {
            case 'o' -> {
                if (startsWith(b, i, n, "overrun: ")) {
                    return statsCount(b, i + 9, n, "overrun");
                }
                return startsWith(b, i, n, "oldest event ts:") ? kind(LineKind.HEADER) : null;
            }
            case 'c' -> {
                return startsWith(b, i, n, "commit overrun: ") ? statsCount(b, i + 16, n, "commit overrun") : null;
            }
            case 'd' -> {
                return startsWith(b, i, n, "dropped events: ") ? statsCount(b, i + 16, n, "dropped events") : null;
            }
            case 'e' -> {
                return startsWith(b, i, n, "entries: ") ? statsHeader(b, i + 9, n, "entries") : null;
            }
            case 'b' -> {
                return startsWith(b, i, n, "bytes: ") ? statsHeader(b, i + 7, n, "bytes") : null;
            }
            case 'r' -> {
                if (startsWith(b, i, n, "read events: ")) {
                    return statsHeader(b, i + 13, n, "read events");
                }
                return startsWith(b, i, n, "recorded in the trace data.") ? kind(LineKind.HEADER) : null;
            }
            case 'n' -> {
                return startsWith(b, i, n, "now ts:") ? kind(LineKind.HEADER) : null;
            }
            case 'K' -> {
                return startsWith(b, i, n, "Kernel buffer statistics:") ? kind(LineKind.HEADER) : null;
            }
            case 'N' -> {
                return startsWith(b, i, n, "Note: \"entries\"") ? kind(LineKind.HEADER) : null;
            }
            case 'B' -> {
                return startsWith(b, i, n, "Buffer: ") ? kind(LineKind.HEADER) : null; // a trace-cmd instance's block
            }
            case 'C' -> {
                // trace-cmd record: "CPU0 data recorded at offset=0x…"
                return startsWith(b, i, n, "CPU") && indexOf(b, i, n, " data recorded at offset=") > 0 ? kind(LineKind.HEADER) : null;
            }
            default -> {
                return null;
            }
        }
    }

    private String statsHeader(byte[] b, int v, int n, String key) {
        return statsValue(b, v, n, key) < 0 ? "expected trace-cmd's statistics line " + key + ": N" : kind(LineKind.HEADER);
    }

    private String statsCount(byte[] b, int v, int n, String key) {
        long count = statsValue(b, v, n, key);
        if (count == TOO_BIG) {
            return "trace-cmd statistics: " + key + " does not fit in 64 bits";
        }
        if (count < 0) {
            return "expected trace-cmd's statistics line " + key + ": N";
        }
        if (count > 0) {
            statsLost.merge(statsCpu, count, NonEventLines::saturatingAdd);
        }
        return kind(LineKind.HEADER);
    }

    private static long statsValue(byte[] b, int v, int n, String key) {
        int from = skipSpaces(b, v, n);
        int to = tokenEnd(b, from, n);
        return skipSpaces(b, to, n) == n ? checkedDec(b, from, to) : Long.MIN_VALUE;
    }

    private static boolean regionEnds(byte[] b, int from, int n, String what) {
        return n - from == what.length() && startsWith(b, from, n, what);
    }

    private static long saturatingAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** "# entries-in-buffer/entries-written: 95685/95685   #P:2": written beyond the buffer were overwritten. */
    void header(byte[] b, int i, int n) {
        int key = indexOf(b, i, n, "entries-in-buffer/entries-written: ");
        if (key < 0) {
            return;
        }
        int a = key + "entries-in-buffer/entries-written: ".length();
        int slash = a;
        while (slash < n && isDigit(b[slash])) {
            slash++;
        }
        if (slash >= n || b[slash] != '/') {
            return;
        }
        int e = slash + 1;
        while (e < n && isDigit(b[e])) {
            e++;
        }
        long inBuffer = checkedDec(b, a, slash);
        long written = checkedDec(b, slash + 1, e);
        if (inBuffer >= 0 && written > inBuffer) {
            headerOverwritten = saturatingAdd(headerOverwritten, written - inBuffer);
        }
    }


    private static String text(byte[] b, int from, int to) {
        return new String(b, from, Math.min(to, from + TextTraceReader.SHOWN) - from, StandardCharsets.UTF_8);
    }

    long otherEvents() {
        return other;
    }

    Map<LineKind, Long> lineKinds() {
        Map<LineKind, Long> m = new EnumMap<>(LineKind.class);
        for (LineKind k : LineKind.values()) {
            if (kinds[k.ordinal()] > 0) {
                m.put(k, kinds[k.ordinal()]);
            }
        }
        return m;
    }

    /**
     * Lost events by CPU (−1: not tied to a CPU). The ftrace header's overwritten count and the per-CPU
     * {@code [LOST N EVENTS]} notices describe the same ring-buffer overruns, so the header adds only what
     * the notices do not account for. The notices in the text and trace-cmd's buffer
     * statistics describe the same losses (the statistics count every overwritten or dropped event of the
     * session, the notices those between the pages read), so per CPU the larger of the two is kept.
     */
    Map<Integer, Long> lostEvents() {
        if (statsLost.isEmpty() && headerOverwritten == 0) {
            return Collections.unmodifiableMap(lost);
        }
        Map<Integer, Long> m = new TreeMap<>(lost);
        statsLost.forEach((cpu, n) -> m.merge(cpu, n, Math::max));
        // the header counts the overruns the per-CPU notices report: only what they do not cover is added
        long perCpu = 0;
        for (Map.Entry<Integer, Long> en : m.entrySet()) {
            perCpu = en.getKey() >= 0 ? saturatingAdd(perCpu, en.getValue()) : perCpu;
        }
        if (headerOverwritten > perCpu) {
            m.merge(-1, headerOverwritten - perCpu, NonEventLines::saturatingAdd);
        }
        return Collections.unmodifiableMap(m);
    }

    long lostUncounted() {
        return lostUncounted;
    }

    Map<TraceEventType, Long> reclaimEvents() {
        Map<TraceEventType, Long> m = new EnumMap<>(TraceEventType.class);
        for (TraceEventType t : TraceEventType.values()) {
            if (reclaim[t.ordinal()] > 0) {
                m.put(t, reclaim[t.ordinal()]);
            }
        }
        return m;
    }
}
