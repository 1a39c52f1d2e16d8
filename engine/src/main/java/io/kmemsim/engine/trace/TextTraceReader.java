package io.kmemsim.engine.trace;

import static io.kmemsim.engine.trace.TraceBytes.TOO_BIG;
import static io.kmemsim.engine.trace.TraceBytes.UNKNOWN_POINTER;
import static io.kmemsim.engine.trace.TraceBytes.allDigits;
import static io.kmemsim.engine.trace.TraceBytes.checkedDec;
import static io.kmemsim.engine.trace.TraceBytes.cpuBracket;
import static io.kmemsim.engine.trace.TraceBytes.endsWith;
import static io.kmemsim.engine.trace.TraceBytes.indexOf;
import static io.kmemsim.engine.trace.TraceBytes.isDigit;
import static io.kmemsim.engine.trace.TraceBytes.isHexToken;
import static io.kmemsim.engine.trace.TraceBytes.isTimestamp;
import static io.kmemsim.engine.trace.TraceBytes.parseNumber;
import static io.kmemsim.engine.trace.TraceBytes.parsePointer;
import static io.kmemsim.engine.trace.TraceBytes.parseTimestamp;
import static io.kmemsim.engine.trace.TraceBytes.regionIs;
import static io.kmemsim.engine.trace.TraceBytes.skipSpaces;
import static io.kmemsim.engine.trace.TraceBytes.startsWith;
import static io.kmemsim.engine.trace.TraceBytes.tokenEnd;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.trace.TraceBytes.RegionTable;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the text that ftrace ({@code cat trace}, {@code trace_pipe}), {@code trace-cmd report} and
 * {@code perf script} print for the {@code kmem}, {@code vmscan} and {@code compaction} events, of every
 * kernel from 2.6.32 on (docs/trace-format.md lists the variants by version and tool).
 *
 * <p>Event line layout:
 * <pre>
 *   &lt;comm&gt;-&lt;pid&gt; [(tgid)] [&lt;cpu&gt;] [&lt;flags&gt;] &lt;secs&gt;.&lt;usecs&gt;: &lt;event&gt;: &lt;fields&gt;   ftrace, trace-cmd
 *   [&lt;comm&gt; &lt;pid&gt;] [[&lt;cpu&gt;]] &lt;secs&gt;.&lt;usecs&gt;: kmem:&lt;event&gt;: &lt;fields&gt;                 perf script
 * </pre>
 * The comm may hold spaces and dashes, so the prefix is parsed from the CPU bracket: the first
 * {@code [digits]}; then at most two columns (flags, tgid) before the timestamp token, which ends with
 * {@code :}. Fields are {@code key=value} pairs; a value continues over spaces only for {@code call_site}
 * ({@code %pS} with a {@code [module]} suffix) and padded strings; unknown fields are ignored.
 *
 * <p>Every other line a tracing tool prints is recognised by kind and counted ({@link LineKind}):
 * header blocks, stack traces, perf callchains, function_graph output, markers, lost-event notices.
 * A line that is none of these stops reading with {@code file:line}, what was expected and the line
 * (cut to 200 characters).
 *
 * <p>Every number is range checked as it is read (no value wraps): a PFN below 2^52, an order in
 * [0, {@value #MAX_ORDER_CEILING}], a migrate type below the version's {@code MIGRATE_TYPES}, a CPU below
 * {@value #MAX_CPUS}, a pid up to {@code PID_MAX_LIMIT}, sizes and timestamps that fit 64 bits.
 *
 * <p>Hot path: lines are parsed as bytes in the {@link LineInput} buffer; no {@code String} is made per
 * line (scanning in {@link TraceBytes}). Gfp values and cache names are looked up by their bytes in {@link RegionTable}s, so a line of
 * known values allocates nothing. Not thread-safe.
 */
final class TextTraceReader implements TraceReader {

    /** Largest order accepted: MAX_ORDER is at most 17 in any configuration (ia64 FORCE_MAX_ZONEORDER 11–17). */
    static final int MAX_ORDER_CEILING = 16;
    /** {@code NR_CPUS} is at most 8192 (x86 MAXSMP). */
    static final int MAX_CPUS = 8192;
    /** {@code PID_MAX_LIMIT} on 64-bit: 4 × 1024 × 1024 (include/linux/threads.h). */
    static final int PID_MAX_LIMIT = 4 * 1024 * 1024;
    /** PFNs are below 2^52 (64-bit physical addresses of 4 KiB pages). */
    static final long PFN_LIMIT = 1L << 52;
    /** Object sizes above 2^40 bytes cannot be real (a kmalloc is at most KMALLOC_MAX_SIZE, a few MiB … 4 GiB). */
    static final long MAX_BYTES = 1L << 40;
    /** Message lines are cut to this many characters. */
    static final int SHOWN = 200;
    private static final int MAX_MARKERS = 10_000;

    private final LineInput lines;
    private final String source;
    private final KernelVersion kernel;
    private final boolean skipBad;
    private final boolean allSystems;
    private final String fromMarker;
    private final String toMarker;
    private final int migrateTypes;
    private final RegionTable gfpCache = new RegionTable(8192);
    private final RegionTable names = new RegionTable(512);
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    private final long[] kinds = new long[LineKind.values().length];
    private final Map<Integer, Long> lost = new TreeMap<>();
    private final long[] reclaim = new long[TraceEventType.values().length];
    private final List<TraceMarker> markers = new ArrayList<>();
    private long lostUncounted;
    private long line;
    private long other;
    private long derivedPfns;
    private boolean started;
    private boolean stopped;
    private boolean toFound;

    TextTraceReader(InputStream in, String source, KernelVersion kernel, TraceReadOptions options) {
        this.lines = new LineInput(in);
        this.source = source;
        this.kernel = kernel;
        this.skipBad = options.skipBad();
        this.allSystems = options.allSystems();
        this.fromMarker = options.fromMarker();
        this.toMarker = options.toMarker();
        this.started = fromMarker == null;
        // MIGRATE_TYPES with CMA and memory isolation configured: 6 from 3.5 (MIGRATE_CMA), 5 before
        this.migrateTypes = kernel.atLeast(3, 5) ? 6 : 5;
    }

    @Override
    public boolean next(TraceRecord into) {
        if (stopped) {
            return false;
        }
        try {
            while (lines.next()) {
                line++;
                if (lines.tooLong()) {
                    bad("line is " + lines.tooLongBytes() + " bytes long, more than the " + LineInput.MAX_LINE
                            + " a trace line can have (only its first " + LineInput.PREVIEW + " bytes were kept)");
                    continue;
                }
                String problem = parseLine(lines.buf(), lines.start(), lines.end(), into);
                if (problem == null) {
                    if (!started || into.type != null && !into.type.isKmem() && !allSystems) {
                        if (!started) {
                            kinds[LineKind.OUTSIDE_WINDOW.ordinal()]++;
                            kinds[LineKind.EVENT.ordinal()]--;
                        }
                        continue;
                    }
                    into.lineNumber = line;
                    return true;
                }
                if (problem == STOP) {
                    stopped = true;
                    return false;
                }
                if (problem != IGNORED) {
                    bad(problem);
                }
            }
            atEnd();
            return false;
        } catch (IOException e) {
            throw new InputException(new InputProblem(source, lineNo(line + 1), 0, "", "cannot read: " + TraceInput.reason(e)));
        }
    }

    private void atEnd() {
        stopped = true;
        if (fromMarker != null && !started) {
            throw new InputException(new InputProblem(source, 0, 0, "--from-marker",
                    "no trace marker contains \"" + fromMarker + "\"" + seenMarkers()));
        }
        if (toMarker != null && !toFound) {
            throw new InputException(new InputProblem(source, 0, 0, "--to-marker",
                    "no trace marker after the start contains \"" + toMarker + "\"" + seenMarkers()));
        }
    }

    private String seenMarkers() {
        if (markers.isEmpty()) {
            return "; the trace has no markers";
        }
        StringBuilder sb = new StringBuilder("; markers seen:");
        for (int i = 0; i < Math.min(markers.size(), 10); i++) {
            sb.append(" \"").append(markers.get(i).text()).append('"');
        }
        return markers.size() > 10 ? sb.append(" …").toString() : sb.toString();
    }

    private void bad(String problem) {
        if (!skipBad) {
            throw new InputException(new InputProblem(source, lineNo(line), 0, "", problem + "; line: " + shown()));
        }
        skipped.merge(problem, 1L, Long::sum);
    }

    private static int lineNo(long line) {
        return (int) Math.min(line, Integer.MAX_VALUE);
    }

    /** The current line for a message: at most {@link #SHOWN} characters, unprintable bytes as {@code \xNN}. */
    private String shown() {
        byte[] b = lines.buf();
        int from = lines.start();
        int to = Math.min(lines.end(), from + SHOWN);
        boolean printable = true;
        for (int i = from; i < to; i++) {
            if (b[i] < 0x20 && b[i] != '\t' || b[i] == 0x7f) {
                printable = false;
                break;
            }
        }
        String s;
        if (printable) {
            s = new String(b, from, to - from, StandardCharsets.UTF_8);
        } else {
            StringBuilder sb = new StringBuilder();
            for (int i = from; i < to; i++) {
                int c = b[i] & 0xff;
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    sb.append(String.format("\\x%02x", c));
                } else {
                    sb.append((char) c);
                }
            }
            s = sb.toString();
        }
        return lines.end() - lines.start() > SHOWN || lines.tooLong() ? s + " […cut]" : s;
    }

    private static final String IGNORED = new String("ignored");
    static final String NOT_A_TRACE_LINE = "expected an event line (task, [cpu] column, timestamp like 1234.567890:, event), "
            + "a header, a stack trace, a callchain, function_graph output or a lost-events notice";
    private static final String STOP = new String("stop");

    // ---- line kinds --------------------------------------------------------------------------

    /** Parses one line; returns null for an event read into {@code r}, {@link #IGNORED}, {@link #STOP} or the problem. */
    private String parseLine(byte[] b, int from, int n, TraceRecord r) {
        r.type = null;
        int i = skipSpaces(b, from, n);
        if (i == n) {
            return kind(LineKind.BLANK);
        }
        byte c = b[i];
        if (c == '#') {
            header(b, i, n);
            return kind(LineKind.HEADER);
        }
        String nonEvent = nonEventLine(b, from, i, n);
        if (nonEvent == GRAPH_COMMENT) {
            return graphEvent(b, i, n, r);
        }
        if (nonEvent != null) {
            return nonEvent;
        }
        int at = prefix(b, i, n, r);
        if (at == NO_CPU) {
            return NOT_A_TRACE_LINE;
        }
        if (at == NO_TIMESTAMP) {
            return "expected a timestamp like 1234.567890: after the cpu and flags columns";
        }
        if (at < 0) {
            return prefixProblem(at);
        }
        if (at < n && b[at] == '<') {
            if (startsWith(b, at, n, "<stack trace>") || startsWith(b, at, n, "<user stack trace>")) {
                return kind(LineKind.STACK_TRACE);
            }
        }
        int nameEnd = at;
        while (nameEnd < n && !(b[nameEnd] == ':' && (nameEnd + 1 == n || b[nameEnd + 1] == ' ' || b[nameEnd + 1] == '\t'))) {
            if (b[nameEnd] == ' ') {
                return "expected '<event>: ' after the timestamp";
            }
            nameEnd++;
        }
        if (nameEnd == n) {
            return "expected '<event>: ' after the timestamp";
        }
        TraceEventType type = TraceEventType.ofName(b, at, nameEnd);
        if (type == null) {
            return otherEvent(b, at, nameEnd, n, r);
        }
        r.reset(type);
        String problem = parseFields(b, nameEnd + 1, n, r);
        if (problem != null) {
            r.type = null;
            return problem;
        }
        kinds[LineKind.EVENT.ordinal()]++;
        if (!type.isKmem()) {
            reclaim[type.ordinal()]++;
        }
        return null;
    }

    private String kind(LineKind k) {
        kinds[k.ordinal()]++;
        return IGNORED;
    }

    /** Recognises the non-event lines that do not start like an event; null when the line may be an event. */
    private String nonEventLine(byte[] b, int from, int i, int n) {
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

    private static final String GRAPH_COMMENT = new String("graph comment");

    /**
     * A trace event inside function_graph output ({@code print_graph_comment} of
     * kernel/trace/trace_functions_graph.c): {@code  1)  |  /* event: fields *}{@code /}. The CPU is the
     * {@code N)} column; the time is the funcgraph-abstime column when printed, else the previous line's
     * (function_graph prints no timestamp per line).
     */
    private String graphEvent(byte[] b, int i, int n, TraceRecord r) {
        long previous = r.timeNanos;
        int t = tokenEnd(b, i, n);
        int cpuTok = i;
        if (b[t - 1] != ')') { // abstime first
            long time = parseTimestamp(b, i, t);
            if (time < 0) {
                return "the function_graph timestamp does not fit in 64 bits of nanoseconds";
            }
            previous = time;
            cpuTok = skipSpaces(b, skipSpaces(b, t, n) + 1, n); // past "|"
            t = tokenEnd(b, cpuTok, n);
        }
        if (t - 1 <= cpuTok || b[t - 1] != ')' || !allDigits(b, cpuTok, t - 1)) {
            return kind(LineKind.FUNCTION_GRAPH);
        }
        long cpu = checkedDec(b, cpuTok, t - 1);
        if (cpu < 0 || cpu >= MAX_CPUS) {
            return prefixProblem(BAD_CPU);
        }
        int open = indexOf(b, t, n, "/* ");
        int end = n - 3;
        int at = open + 3;
        int nameEnd = indexOf(b, at, end, ": ");
        TraceEventType type = nameEnd < 0 ? null : TraceEventType.ofName(b, at, nameEnd);
        if (type == null) {
            return kind(LineKind.FUNCTION_GRAPH);
        }
        r.reset(type);
        r.cpu = (int) cpu;
        r.pid = -1;
        r.timeNanos = previous;
        String problem = parseFields(b, nameEnd + 1, end, r);
        if (problem != null) {
            r.type = null;
            return problem;
        }
        kinds[LineKind.EVENT.ordinal()]++;
        if (!type.isKmem()) {
            reclaim[type.ordinal()]++;
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
            lost.merge((int) cpu, count, TextTraceReader::saturatingAdd);
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
                lost.merge((int) cpu, count, TextTraceReader::saturatingAdd);
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
    private void header(byte[] b, int i, int n) {
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
            lost.merge(-1, written - inBuffer, TextTraceReader::saturatingAdd);
        }
    }

    /** A line of a tracepoint kmemsim does not read: a marker, or another event. */
    private String otherEvent(byte[] b, int at, int nameEnd, int n, TraceRecord r) {
        boolean mark = regionIs(b, at, nameEnd, "tracing_mark_write") || regionIs(b, at, nameEnd, "print")
                || regionIs(b, at, nameEnd, "ftrace:print") || regionIs(b, at, nameEnd, "tracing_mark_raw_write");
        if (!mark) {
            other++;
            return kind(LineKind.OTHER_EVENT);
        }
        int t = skipSpaces(b, nameEnd + 1, n);
        int p = indexOf(b, t, n, "tracing_mark_write: ");
        if (p == t) {
            t += "tracing_mark_write: ".length();
        } else {
            int buf = indexOf(b, t, n, "buf=");
            if (buf >= 0) {
                t = buf + 4;
            }
        }
        int e = n;
        while (e > t && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        kinds[LineKind.MARKER.ordinal()]++;
        String text = new String(b, t, e - t, StandardCharsets.UTF_8);
        if (markers.size() < MAX_MARKERS) {
            markers.add(new TraceMarker(text, r.timeNanos, r.cpu, line));
        }
        if (!started && text.contains(fromMarker)) {
            started = true;
        } else if (started && toMarker != null && text.contains(toMarker)) {
            toFound = true;
            return STOP;
        }
        return IGNORED;
    }

    // ---- prefix ------------------------------------------------------------------------------

    private static final int NO_CPU = -1;
    private static final int NO_TIMESTAMP = -2;
    private static final int BAD_CPU = -3;
    private static final int BAD_PID = -4;
    private static final int BAD_TIME = -5;

    private static String prefixProblem(int code) {
        return switch (code) {
            case BAD_CPU -> "the [cpu] column must be a CPU number below " + MAX_CPUS;
            case BAD_PID -> "the pid must be at most " + PID_MAX_LIMIT + " (PID_MAX_LIMIT)";
            default -> "the timestamp does not fit in 64 bits of nanoseconds";
        };
    }

    /**
     * Reads the pid, CPU and timestamp of the prefix starting at {@code i} into {@code r}; returns where
     * the event name starts, or a negative code.
     */
    private static int prefix(byte[] b, int i, int n, TraceRecord r) {
        int bracket = cpuBracket(b, i, n);
        int j;
        if (bracket < 0) {
            // perf script -F without cpu: "[comm] [tid] secs.usecs: event: ..."
            r.cpu = 0;
            r.pid = -1;
            j = i;
            int prevStart = -1;
            int prevEnd = -1;
            for (int tokens = 0; tokens < 4 && j < n; tokens++) {
                int end = tokenEnd(b, j, n);
                if (end > j + 1 && b[end - 1] == ':' && isTimestamp(b, j, end - 1)) {
                    if (prevStart >= 0 && allDigits(b, prevStart, prevEnd)) {
                        long pid = checkedDec(b, prevStart, prevEnd);
                        if (pid < 0 || pid > PID_MAX_LIMIT) {
                            return BAD_PID;
                        }
                        r.pid = (int) pid;
                    }
                    return timestamp(b, j, end, n, r);
                }
                prevStart = j;
                prevEnd = end;
                j = skipSpaces(b, end, n);
            }
            return latencyFormat(b, i, n, r);
        }
        int pidStatus = pidBefore(b, i, bracket, r);
        if (pidStatus < 0) {
            return pidStatus;
        }
        int close = bracket + 1;
        while (b[close] != ']') {
            close++;
        }
        long cpu = checkedDec(b, bracket + 1, close);
        if (cpu < 0 || cpu >= MAX_CPUS) {
            return BAD_CPU;
        }
        r.cpu = (int) cpu;
        j = skipSpaces(b, close + 1, n);
        // at most two tokens (flags, tgid) before the timestamp
        for (int tokens = 0; tokens < 3 && j < n; tokens++) {
            int end = tokenEnd(b, j, n);
            if (end > j + 1 && b[end - 1] == ':' && isTimestamp(b, j, end - 1)) {
                return timestamp(b, j, end, n, r);
            }
            j = skipSpaces(b, end, n);
        }
        return NO_TIMESTAMP;
    }

    /**
     * The latency format (options/latency-format, and the irqsoff/wakeup tracers):
     * {@code comm-pid  CPU#flags  time(us)[marker] : event: fields}, e.g.
     * {@code   bash-4238    1d..2    12us+: mm_page_alloc: …} or {@code … 1d... 1234.567us : …}
     * (kernel/trace/trace_output.c lat_print_timestamp). The time is relative to the trace start.
     */
    private static int latencyFormat(byte[] b, int i, int n, TraceRecord r) {
        int t1 = tokenEnd(b, i, n); // comm-pid
        int j = skipSpaces(b, t1, n);
        int t2 = tokenEnd(b, j, n); // CPU#flags
        int d = j;
        while (d < t2 && isDigit(b[d])) {
            d++;
        }
        if (d == j || d - j > 4) {
            return NO_CPU;
        }
        int k = skipSpaces(b, t2, n);
        int t3 = tokenEnd(b, k, n); // 12us, 12us+, 1234.567us:
        int us = indexOf(b, k, t3, "us");
        if (us <= k || !isTimestamp(b, k, us)) {
            return NO_CPU;
        }
        int after = us + 2;
        while (after < t3 && b[after] != ':') {
            after++; // the delay marker: + ! # * @ $
        }
        int colon = after < t3 ? after : skipSpaces(b, t3, n);
        if (colon >= n || b[colon] != ':') {
            return NO_CPU;
        }
        long cpu = checkedDec(b, j, d);
        if (cpu < 0 || cpu >= MAX_CPUS) {
            return BAD_CPU;
        }
        int dash = t1 - 1;
        while (dash > i && isDigit(b[dash])) {
            dash--;
        }
        long pid = dash < t1 - 1 && b[dash] == '-' ? checkedDec(b, dash + 1, t1) : -1;
        if (pid > PID_MAX_LIMIT || pid == TOO_BIG) {
            return BAD_PID;
        }
        boolean fraction = indexOf(b, k, us, ".") >= 0;
        long value = parseTimestamp(b, k, us); // "1234.567" scaled by 10^9, or a bare "12"
        if (value < 0 || !fraction && value > Long.MAX_VALUE / 1000) {
            return BAD_TIME;
        }
        r.cpu = (int) cpu;
        r.pid = (int) pid;
        r.timeNanos = fraction ? value / 1_000_000 : value * 1000; // microseconds to nanoseconds
        return skipSpaces(b, colon + 1, n);
    }

    private static int timestamp(byte[] b, int from, int end, int n, TraceRecord r) {
        long t = parseTimestamp(b, from, end - 1);
        if (t < 0) {
            return BAD_TIME;
        }
        r.timeNanos = t;
        return skipSpaces(b, end, n);
    }

    /** The pid printed before the CPU column: "comm-pid" (ftrace) or "comm pid" (perf); −1 if none. */
    private static int pidBefore(byte[] b, int from, int bracket, TraceRecord r) {
        int end = bracket;
        while (end > from && b[end - 1] == ' ') {
            end--;
        }
        if (end > from && b[end - 1] == ')') { // "(tgid)" column of record-tgid
            int open = end - 1;
            while (open > from && b[open] != '(') {
                open--;
            }
            end = open > from ? open : end;
            while (end > from && b[end - 1] == ' ') {
                end--;
            }
        }
        int start = end;
        while (start > from && isDigit(b[start - 1])) {
            start--;
        }
        if (start == end) {
            r.pid = -1;
            return 0;
        }
        long pid = checkedDec(b, start, end);
        if (pid < 0 || pid > PID_MAX_LIMIT) {
            return BAD_PID;
        }
        r.pid = (int) pid;
        return 0;
    }

    // ---- fields ------------------------------------------------------------------------------

    private String parseFields(byte[] b, int from, int n, TraceRecord r) {
        int i = skipSpaces(b, from, n);
        int seen = 0;
        while (i < n) {
            int tokEnd = tokenEnd(b, i, n);
            int eq = -1;
            for (int j = i; j < tokEnd; j++) {
                if (b[j] == '=') {
                    eq = j;
                    break;
                }
            }
            if (eq < 0) {
                i = skipSpaces(b, tokEnd, n); // continuation of call_site=%pS ("[module]") or a padded %-8s
                continue;
            }
            int vEnd = tokEnd;
            if (vEnd > eq + 1 && b[vEnd - 1] == ',') {
                vEnd--; // "zone_end=0x%lx, mode=%s" (mm_compaction_end)
            }
            int f = field(b, i, eq, eq + 1, vEnd, r);
            if (f < 0) {
                return fieldProblem;
            }
            seen |= f;
            i = skipSpaces(b, tokEnd, n);
        }
        return complete(r, seen);
    }

    private static final int SAW_PFN = 1;
    private static final int SAW_PAGE = 2;
    private static final int PAGE_NULL = 4;

    private String fieldProblem;
    private long pageValue;

    /** Checks that the fields every format of this event prints were there; fills in what follows from them. */
    private String complete(TraceRecord r, int seen) {
        boolean sawPfn = (seen & SAW_PFN) != 0;
        boolean pageNull = (seen & PAGE_NULL) != 0;
        if (!r.type.isKmem()) {
            return null;
        }
        if (!sawPfn && (seen & SAW_PAGE) != 0 && r.type.ordinal() <= TraceEventType.MM_PAGE_ALLOC_EXTFRAG.ordinal()) {
            // the page= only form (perf without page_to_pfn): derive the PFN from the struct page pointer
            if (pageNull) {
                r.pfn = 0;
            } else if (pageValue == UNKNOWN_POINTER) {
                return "a hashed page pointer and no pfn= field: the page cannot be identified";
            } else {
                r.pfn = pfnOfPage(pageValue);
                derivedPfns++;
            }
            sawPfn = true;
        }
        if (r.type == TraceEventType.MM_PAGE_ALLOC && pageNull && r.pfn == 0) {
            r.pfn = -1; // a failed allocation prints a NULL page and pfn 0
        }
        if (r.type.ordinal() <= TraceEventType.MM_PAGE_ALLOC_EXTFRAG.ordinal()) {
            r.ptr = 0; // page events: the page= pointer only served the failure check above
        }
        return switch (r.type) {
            case MM_PAGE_ALLOC, MM_PAGE_ALLOC_ZONE_LOCKED, MM_PAGE_PCPU_DRAIN -> !sawPfn || r.order < 0 || r.migratetype < 0
                    ? "expected pfn= (or page=), order= and migratetype= fields of " + r.type.kernelName() : null;
            case MM_PAGE_FREE, MM_PAGE_FREE_BATCHED -> !sawPfn || r.order < 0 && !orderZeroImplied(r)
                    ? "expected pfn= (or page=) and order= fields of " + r.type.kernelName() : null;
            case MM_PAGE_ALLOC_EXTFRAG -> !sawPfn || r.order < 0 || r.fallbackOrder < 0 || r.fallbackMigratetype < 0
                    ? "expected pfn=, alloc_order=, fallback_order= and fallback_migratetype= fields of mm_page_alloc_extfrag" : null;
            case KMALLOC, KMEM_CACHE_ALLOC -> r.bytesReq < 0 || r.bytesAlloc < 0
                    ? "expected ptr=, bytes_req= and bytes_alloc= fields of " + r.type.kernelName() : null;
            default -> null;
        };
    }

    /** mm_page_free_batched of 4.x–6.x prints no order (always 0): "page=%p pfn=0x%lx". */
    private static boolean orderZeroImplied(TraceRecord r) {
        if (r.type == TraceEventType.MM_PAGE_FREE_BATCHED) {
            r.order = 0;
            return true;
        }
        return false;
    }

    /**
     * The PFN of a {@code struct page} pointer: exact in x86-64's fixed vmemmap
     * (0xffffea0000000000, 64-byte struct page; arch/x86/include/asm/pgtable_64_types.h before 4.x KASLR),
     * otherwise a stand-in identity (pointer / 64) that keeps distinct pages distinct.
     */
    static long pfnOfPage(long page) {
        long base = 0xffffea0000000000L;
        if (page - base >= 0 && page - base < (1L << 40) && Long.compareUnsigned(page, base) >= 0) {
            return (page - base) >>> 6;
        }
        return (page >>> 6) & ((1L << 40) - 1);
    }

    /** Reads one field; returns the SAW_ bits, or −1 with {@link #fieldProblem} set. */
    private int field(byte[] b, int k, int kEnd, int v, int vEnd, TraceRecord r) {
        int klen = kEnd - k;
        if (v == vEnd) {
            return fail("empty value of field " + text(b, k, kEnd));
        }
        switch (klen) {
            case 3 -> {
                if (regionIs(b, k, kEnd, "pfn")) {
                    long pfn = parseNumber(b, v, vEnd);
                    if (pfn == TOO_BIG || pfn >= PFN_LIMIT) {
                        return fail("field pfn must be below 2^52 (a PFN of 64-bit physical addresses): " + text(b, v, vEnd));
                    }
                    if (pfn < 0) {
                        return fail(badValue(b, k, kEnd, v, vEnd, "a decimal or 0x-hex number"));
                    }
                    r.pfn = pfn;
                    return SAW_PFN;
                }
                if (regionIs(b, k, kEnd, "ptr")) {
                    long p = parsePointer(b, v, vEnd);
                    if (p == Long.MIN_VALUE) {
                        return fail(badValue(b, k, kEnd, v, vEnd, "a hex pointer"));
                    }
                    r.ptr = p == UNKNOWN_POINTER ? 1 : p;
                    return 0;
                }
                if (regionIs(b, k, kEnd, "nid")) {
                    return node(b, k, kEnd, v, vEnd, r);
                }
                return 0;
            }
            case 4 -> {
                if (regionIs(b, k, kEnd, "node")) {
                    return node(b, k, kEnd, v, vEnd, r);
                }
                if (regionIs(b, k, kEnd, "name")) {
                    r.cacheName = cacheName(b, v, vEnd);
                    return 0;
                }
                if (regionIs(b, k, kEnd, "page")) {
                    long page = parsePointer(b, v, vEnd);
                    if (page == Long.MIN_VALUE) {
                        return fail(badValue(b, k, kEnd, v, vEnd, "a hex pointer or (null)"));
                    }
                    pageValue = page;
                    return page == 0 ? SAW_PAGE | PAGE_NULL : SAW_PAGE;
                }
                return 0;
            }
            default -> {
                return namedField(b, k, kEnd, v, vEnd, r);
            }
        }
    }

    private int node(byte[] b, int k, int kEnd, int v, int vEnd, TraceRecord r) {
        boolean neg = b[v] == '-';
        long val = checkedDec(b, neg ? v + 1 : v, vEnd);
        if (val < 0 && val != TOO_BIG) {
            return fail(badValue(b, k, kEnd, v, vEnd, "a decimal node number"));
        }
        if (neg ? val != 1 : val == TOO_BIG || val >= 1024) {
            return fail("field " + text(b, k, kEnd) + " must be -1 or a node below 1024 (NODES_SHIFT ≤ 10): " + text(b, v, vEnd));
        }
        r.node = neg ? -1 : (int) val;
        return 0;
    }

    private int fail(String problem) {
        fieldProblem = problem;
        return -1;
    }

    private int namedField(byte[] b, int k, int kEnd, int v, int vEnd, TraceRecord r) {
        if (regionIs(b, k, kEnd, "gfp_flags")) {
            return gfpField(b, v, vEnd, r);
        }
        if (regionIs(b, k, kEnd, "accounted")) {
            if (regionIs(b, v, vEnd, "true")) {
                r.accounted = 1;
            } else if (regionIs(b, v, vEnd, "false")) {
                r.accounted = 0;
            } else {
                return fail(badValue(b, k, kEnd, v, vEnd, "true or false"));
            }
            return 0;
        }
        int id = numericKey(b, k, kEnd);
        if (id < 0) {
            return 0; // call_site=, nr_free= and other fields: not needed, not stored
        }
        boolean neg = b[v] == '-';
        long val = checkedDec(b, neg ? v + 1 : v, vEnd);
        if (val == TOO_BIG) {
            return fail("field " + text(b, k, kEnd) + " does not fit in 64 bits: " + text(b, v, vEnd));
        }
        if (val < 0) {
            return fail(badValue(b, k, kEnd, v, vEnd, "a decimal number"));
        }
        if (neg) {
            // compaction and vmscan print order=-1 for a full compaction (/proc/sys/vm/compact_memory)
            if (val != 1 || id != K_ORDER || r.type.isKmem()) {
                return fail(badValue(b, k, kEnd, v, vEnd, "a number ≥ 0"));
            }
            r.order = -1;
            return 0;
        }
        return store(id, val, b, k, kEnd, v, vEnd, r);
    }

    private static final int K_ORDER = 0;
    private static final int K_MIGRATETYPE = 1;
    private static final int K_BYTES_REQ = 2;
    private static final int K_BYTES_ALLOC = 3;
    private static final int K_FALLBACK_ORDER = 4;
    private static final int K_PAGEBLOCK_ORDER = 5;
    private static final int K_FALLBACK_MIGRATETYPE = 6;
    private static final int K_FRAGMENTING = 7;
    private static final int K_CHANGE_OWNERSHIP = 8;
    private static final int K_PERCPU_REFILL = 9;

    private static int numericKey(byte[] b, int k, int kEnd) {
        if (regionIs(b, k, kEnd, "order") || regionIs(b, k, kEnd, "alloc_order")) {
            return K_ORDER;
        } else if (regionIs(b, k, kEnd, "migratetype") || regionIs(b, k, kEnd, "alloc_migratetype")) {
            return K_MIGRATETYPE;
        } else if (regionIs(b, k, kEnd, "bytes_req")) {
            return K_BYTES_REQ;
        } else if (regionIs(b, k, kEnd, "bytes_alloc")) {
            return K_BYTES_ALLOC;
        } else if (regionIs(b, k, kEnd, "fallback_order")) {
            return K_FALLBACK_ORDER;
        } else if (regionIs(b, k, kEnd, "pageblock_order")) {
            return K_PAGEBLOCK_ORDER;
        } else if (regionIs(b, k, kEnd, "fallback_migratetype")) {
            return K_FALLBACK_MIGRATETYPE;
        } else if (regionIs(b, k, kEnd, "fragmenting")) {
            return K_FRAGMENTING;
        } else if (regionIs(b, k, kEnd, "change_ownership")) {
            return K_CHANGE_OWNERSHIP;
        } else if (regionIs(b, k, kEnd, "percpu_refill")) {
            return K_PERCPU_REFILL;
        }
        return -1;
    }

    /** Range checks {@code val} for the field {@code id} and stores it. */
    private int store(int id, long val, byte[] b, int k, int kEnd, int v, int vEnd, TraceRecord r) {
        switch (id) {
            case K_ORDER, K_FALLBACK_ORDER, K_PAGEBLOCK_ORDER -> {
                if (val > MAX_ORDER_CEILING) {
                    return fail("field " + text(b, k, kEnd) + " must be in [0, " + MAX_ORDER_CEILING
                            + "] (no configuration has MAX_ORDER above " + (MAX_ORDER_CEILING + 1) + "): " + text(b, v, vEnd));
                }
                if (id == K_ORDER) {
                    r.order = (int) val;
                } else if (id == K_FALLBACK_ORDER) {
                    r.fallbackOrder = (int) val;
                } else {
                    r.pageblockOrder = (int) val;
                }
            }
            case K_MIGRATETYPE, K_FALLBACK_MIGRATETYPE -> {
                if (val >= migrateTypes) {
                    return fail("field " + text(b, k, kEnd) + " must be below MIGRATE_TYPES (" + migrateTypes + " in kernel "
                            + kernel + "): " + text(b, v, vEnd));
                }
                if (id == K_MIGRATETYPE) {
                    r.migratetype = (int) val;
                } else {
                    r.fallbackMigratetype = (int) val;
                }
            }
            case K_BYTES_REQ, K_BYTES_ALLOC -> {
                if (val > MAX_BYTES) {
                    return fail("field " + text(b, k, kEnd) + " must be at most 2^40 bytes (more than any kmalloc or "
                            + "slab object can be): " + text(b, v, vEnd));
                }
                if (id == K_BYTES_REQ) {
                    r.bytesReq = val;
                } else {
                    r.bytesAlloc = val;
                }
            }
            default -> {
                if (val > 1) {
                    return fail("field " + text(b, k, kEnd) + " must be 0 or 1: " + text(b, v, vEnd));
                }
                if (id == K_FRAGMENTING) {
                    r.fragmenting = (int) val;
                } else if (id == K_CHANGE_OWNERSHIP) {
                    r.changeOwnership = (int) val;
                } else {
                    r.percpuRefill = (int) val;
                }
            }
        }
        return 0;
    }

    private int gfpField(byte[] b, int v, int vEnd, TraceRecord r) {
        int slot = gfpCache.find(b, v, vEnd);
        if (slot >= 0) {
            r.gfp = gfpCache.value(slot);
            return 0;
        }
        String g = new String(b, v, vEnd - v, StandardCharsets.ISO_8859_1);
        int gfp;
        try {
            gfp = Gfp.parse(g, kernel);
        } catch (IllegalArgumentException e) {
            return fail("bad gfp_flags: " + e.getMessage());
        }
        gfpCache.add(-slot - 1, g, gfp);
        r.gfp = gfp;
        return 0;
    }

    /** The cache name {@code b[v, vEnd)}, one String per distinct name (while the table has room). */
    private String cacheName(byte[] b, int v, int vEnd) {
        int slot = names.find(b, v, vEnd);
        if (slot >= 0) {
            return names.key(slot);
        }
        String name = new String(b, v, vEnd - v, StandardCharsets.ISO_8859_1);
        names.add(-slot - 1, name, 0);
        return name;
    }

    private static String badValue(byte[] b, int k, int kEnd, int v, int vEnd, String expected) {
        return "field " + text(b, k, kEnd) + " must be " + expected + ": \"" + text(b, v, Math.min(vEnd, v + 64)) + "\"";
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, Math.min(to, from + SHOWN) - from, StandardCharsets.UTF_8);
    }

    @Override
    public long position() {
        return line;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Map<String, Long> skipped() {
        return skipped;
    }

    @Override
    public long otherEvents() {
        return other;
    }

    @Override
    public Map<LineKind, Long> lineKinds() {
        Map<LineKind, Long> m = new EnumMap<>(LineKind.class);
        for (LineKind k : LineKind.values()) {
            if (kinds[k.ordinal()] > 0) {
                m.put(k, kinds[k.ordinal()]);
            }
        }
        return m;
    }

    @Override
    public Map<Integer, Long> lostEvents() {
        return Collections.unmodifiableMap(lost);
    }

    @Override
    public long lostUncounted() {
        return lostUncounted;
    }

    @Override
    public List<TraceMarker> markers() {
        return Collections.unmodifiableList(markers);
    }

    @Override
    public Map<TraceEventType, Long> reclaimEvents() {
        Map<TraceEventType, Long> m = new EnumMap<>(TraceEventType.class);
        for (TraceEventType t : TraceEventType.values()) {
            if (reclaim[t.ordinal()] > 0) {
                m.put(t, reclaim[t.ordinal()]);
            }
        }
        return m;
    }

    /** Page events whose PFN was derived from a {@code page=} pointer (formats without {@code pfn=}). */
    long derivedPfns() {
        return derivedPfns;
    }

    @Override
    public void close() {
        // the stream is closed by the caller that opened it (TraceFormat) through this reader's input
        try {
            closer.close();
        } catch (IOException e) {
            throw new InputException(new InputProblem(source, 0, 0, "", "cannot close: " + e.getMessage()));
        }
    }

    private Closeable closer = () -> { };

    TextTraceReader closing(Closeable c) {
        this.closer = c;
        return this;
    }
}
