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

    private final long[] kinds = new long[LineKind.values().length];
    private final long[] reclaim = new long[TraceEventType.values().length];
    private final Map<Integer, Long> lost = new TreeMap<>();
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
        if (c == '=' && i + 1 < n && b[i + 1] == '>') {
            return kind(LineKind.STACK_FRAME);
        }
        if (c == '<' && (startsWith(b, i, n, "<stack trace>") || startsWith(b, i, n, "<user stack trace>"))) {
            return kind(LineKind.STACK_TRACE);
        }
        if (c == 'C' && startsWith(b, i, n, "CPU:")) {
            return lostLine(b, i + 4, n);
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
            lost.merge(-1, written - inBuffer, NonEventLines::saturatingAdd);
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

    Map<Integer, Long> lostEvents() {
        return Collections.unmodifiableMap(lost);
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
