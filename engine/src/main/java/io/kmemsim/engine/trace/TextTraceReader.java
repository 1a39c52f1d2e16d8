package io.kmemsim.engine.trace;

import static io.kmemsim.engine.trace.TraceBytes.allDigits;
import static io.kmemsim.engine.trace.TraceBytes.checkedDec;
import static io.kmemsim.engine.trace.TraceBytes.indexOf;
import static io.kmemsim.engine.trace.TraceBytes.parseTimestamp;
import static io.kmemsim.engine.trace.TraceBytes.regionIs;
import static io.kmemsim.engine.trace.TraceBytes.skipSpaces;
import static io.kmemsim.engine.trace.TraceBytes.startsWith;
import static io.kmemsim.engine.trace.TraceBytes.tokenEnd;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.trace.TraceBytes.RegionTable;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * [0, the kernel's largest order] (the version's {@code MAX_ORDER} and the page size, {@link #orderRule}),
 * a migrate type below the version's {@code MIGRATE_TYPES}, a CPU below
 * {@value #MAX_CPUS}, a pid up to {@code PID_MAX_LIMIT}, sizes and timestamps that fit 64 bits.
 *
 * <p>Hot path: lines are parsed as bytes in the {@link LineInput} buffer; no {@code String} is made per
 * line (scanning in {@link TraceBytes}). Gfp values and cache names are looked up by their bytes in {@link RegionTable}s, so a line of
 * known values allocates nothing. Not thread-safe.
 */
final class TextTraceReader implements TraceReader {

    /** Largest order any configuration has (ia64 FORCE_MAX_ZONEORDER up to 17, exclusive): the binary format's bound. */
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
    private final EventFields fields;
    private final NonEventLines book = new NonEventLines();
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    private final List<TraceMarker> markers = new ArrayList<>();
    private long line;
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
        PageSize pageSize = options.pageSize() == null ? PageSize.SIZE_4K : options.pageSize();
        KernelConfig config = KernelConfig.ARM64_DISTRO.withPageSize(pageSize);
        int largest = PageOrders.maxOrder(kernel, config);
        this.fields = new EventFields(kernel, largest, pageSize.hugetlbOrder(), orderRule(kernel, pageSize, largest));
    }

    /**
     * Why orders above {@code largest} are refused: the version's {@code MAX_ORDER} (include/linux/mmzone.h:
     * an exclusive bound, 11, up to 6.3; inclusive, 10, from 6.4 ("mm, treewide: redefine MAX_ORDER
     * sanely"); named {@code MAX_PAGE_ORDER} from 6.8), raised on arm64 with 16K or 64K pages by
     * {@code ARCH_FORCE_MAX_ORDER} ({@link PageOrders#maxOrder}).
     */
    static String orderRule(KernelVersion kernel, PageSize pageSize, int largest) {
        // a StringBuilder, not '+': every reader builds this text, and the first string concatenation of a
        // new shape costs a fresh JVM 20-40 ms of method-handle set-up (a cold `kmemsim trace stats` pays it)
        StringBuilder sb = new StringBuilder(200).append("kernel ").append(kernel).append(" with ").append(switch (pageSize) {
            case SIZE_4K -> "4 KiB";
            case SIZE_16K -> "16 KiB";
            case SIZE_64K -> "64 KiB";
        }).append(" pages keeps orders 0–").append(largest).append(" (");
        if (kernel.has(Feature.MAX_PAGE_ORDER_NAME)) {
            sb.append("MAX_PAGE_ORDER ").append(largest);
        } else if (kernel.has(Feature.MAX_ORDER_INCLUSIVE)) {
            sb.append("MAX_ORDER ").append(largest).append(" (inclusive since 6.4)");
        } else {
            sb.append("MAX_ORDER ").append(largest + 1).append(" (exclusive before 6.4)");
        }
        sb.append(", include/linux/mmzone.h)");
        if (pageSize == PageSize.SIZE_4K) {
            sb.append("; an arm64 kernel with 16K or 64K pages keeps more (ARCH_FORCE_MAX_ORDER): give its --page-size");
        }
        return sb.toString();
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
                            book.outsideWindow();
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

    private static final String IGNORED = NonEventLines.IGNORED;
    static final String NOT_A_TRACE_LINE = "expected an event line (task, [cpu] column, timestamp like 1234.567890:, event), "
            + "a header, a stack trace, a callchain, function_graph output or a lost-events notice";
    private static final String STOP = new String("stop");

    // ---- line kinds --------------------------------------------------------------------------

    /** Parses one line; returns null for an event read into {@code r}, {@link #IGNORED}, {@link #STOP} or the problem. */
    private String parseLine(byte[] b, int from, int n, TraceRecord r) {
        r.type = null;
        int i = TraceBytes.skipPadding(b, from, n);
        if (i == n) {
            return book.kind(LineKind.BLANK);
        }
        if (b[i] == '#') {
            book.header(b, i, n);
            return book.kind(LineKind.HEADER);
        }
        String nonEvent = book.nonEventLine(b, from, i, n);
        if (nonEvent != null) {
            return nonEvent == NonEventLines.GRAPH_COMMENT ? graphEvent(b, i, n, r) : nonEvent;
        }
        // the common shape first (comm-pid [cpu] flags secs.frac:), every other through the general prefix
        int at = EventPrefix.fastPrefix(b, i, n, r);
        return at >= 0 ? event(b, i, at, n, r) : otherPrefix(b, i, n, r);
    }

    /** A line whose prefix is not the common one: other layouts of the tools, perf trace, perf -D records, or a problem. */
    private String otherPrefix(byte[] b, int i, int n, TraceRecord r) {
        int at = EventPrefix.prefix(b, i, n, r);
        if (at == EventPrefix.NO_CPU || at == EventPrefix.NO_TIMESTAMP) {
            // not ftrace/trace-cmd/perf script: perf trace output, or a perf -D dump record
            String perf = PerfTraceLines.read(b, i, n, r, fields, book);
            if (perf != PerfTraceLines.NOT_THIS) {
                return perf;
            }
            int dump = indexOf(b, i, n, "]: PERF_RECORD_");
            if (dump >= 0) {
                return book.perfRecord(b, dump + 3, n, dumpCpu(b, i, n));
            }
            return at == EventPrefix.NO_CPU ? NOT_A_TRACE_LINE
                    : "expected a timestamp like 1234.567890: after the cpu and flags columns";
        }
        if (at < 0) {
            return EventPrefix.problem(at);
        }
        return event(b, i, at, n, r);
    }

    /** The event name and fields at {@code at}, after the prefix that starts at {@code i}. */
    private String event(byte[] b, int i, int at, int n, TraceRecord r) {
        if (at < n && b[at] == 'P' && startsWith(b, at, n, "PERF_RECORD_")) {
            // perf script --show-lost-events and the other side-band records after the sample columns
            return book.perfRecord(b, at, n, TraceBytes.cpuBracket(b, i, at) >= 0 ? r.cpu : -1);
        }
        if (at < n && b[at] == '<') {
            if (startsWith(b, at, n, "<stack trace>") || startsWith(b, at, n, "<user stack trace>")) {
                return book.kind(LineKind.STACK_TRACE);
            }
        }
        if (n - at >= 16 && TraceBytes.word(b, at) == MM_PAGE_) { // the page events by two words, no name scan
            long w = TraceBytes.word(b, at + 8);
            if ((w & 0xff_ffff_ffff_ffffL) == ALLOC_) {
                return pageEvent(b, at + 13, n, r, TraceEventType.MM_PAGE_ALLOC);
            }
            if ((w & 0xffff_ffff_ffffL) == FREE_) {
                return pageEvent(b, at + 12, n, r, TraceEventType.MM_PAGE_FREE);
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
        if (type == TraceEventType.MM_PAGE_ALLOC || type == TraceEventType.MM_PAGE_FREE) {
            return pageEvent(b, nameEnd, n, r, type);
        }
        r.type = type;
        return fields(b, nameEnd + 1, n, r);
    }

    /** "mm_page_", "alloc: ", "free: " as little-endian words (the first byte in the low bits). */
    private static final long MM_PAGE_ = TraceBytes.word("mm_page_".getBytes(StandardCharsets.ISO_8859_1), 0);
    private static final long ALLOC_ = TraceBytes.word("alloc: \0".getBytes(StandardCharsets.ISO_8859_1), 0);
    private static final long FREE_ = TraceBytes.word("free: \0\0".getBytes(StandardCharsets.ISO_8859_1), 0);

    /** A page event whose name ends (with its ':') at {@code colon}: its fields in the kernel's own layout in one pass, else the general way. */
    private String pageEvent(byte[] b, int colon, int n, TraceRecord r, TraceEventType type) {
        r.reset(type);
        if (fields.pageFields(b, colon + 1, n, r)) {
            book.event(type);
            return null;
        }
        return fields(b, colon + 1, n, r);
    }

    /** The fields of any event, in any layout, with every check and its message. */
    private String fields(byte[] b, int from, int n, TraceRecord r) {
        r.reset(r.type);
        String problem = fields.parseFields(b, from, n, r);
        if (problem != null) {
            r.type = null;
            return problem;
        }
        book.event(r.type);
        return null;
    }

    /**
     * The CPU of a {@code perf script -D} record line: {@code evlist__print_tstamp()} (util/session.c) prints
     * "%u " CPU and "%lu " time before the file offset when the samples have them, "-1 -1 " when the
     * record carries no sample id; −1 when no CPU is printed.
     */
    private static int dumpCpu(byte[] b, int i, int n) {
        int t1 = tokenEnd(b, i, n);
        int s2 = skipSpaces(b, t1, n);
        int t2 = tokenEnd(b, s2, n);
        if (allDigits(b, i, t1) && allDigits(b, s2, t2)) {
            long cpu = checkedDec(b, i, t1);
            return cpu >= 0 && cpu < MAX_CPUS ? (int) cpu : -1;
        }
        return -1;
    }

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
            return book.kind(LineKind.FUNCTION_GRAPH);
        }
        long cpu = checkedDec(b, cpuTok, t - 1);
        if (cpu < 0 || cpu >= MAX_CPUS) {
            return EventPrefix.problem(EventPrefix.BAD_CPU);
        }
        int open = indexOf(b, t, n, "/* ");
        int end = n - 3;
        int at = open + 3;
        int nameEnd = indexOf(b, at, end, ": ");
        TraceEventType type = nameEnd < 0 ? null : TraceEventType.ofName(b, at, nameEnd);
        if (type == null) {
            return book.kind(LineKind.FUNCTION_GRAPH);
        }
        r.reset(type);
        r.cpu = (int) cpu;
        r.pid = -1;
        r.timeNanos = previous;
        String problem = fields.parseFields(b, nameEnd + 1, end, r);
        if (problem != null) {
            r.type = null;
            return problem;
        }
        book.event(type);
        return null;
    }

    /** A line of a tracepoint kmemsim does not read: a marker, or another event. */
    private String otherEvent(byte[] b, int at, int nameEnd, int n, TraceRecord r) {
        boolean mark = regionIs(b, at, nameEnd, "tracing_mark_write") || regionIs(b, at, nameEnd, "print")
                || regionIs(b, at, nameEnd, "ftrace:print") || regionIs(b, at, nameEnd, "tracing_mark_raw_write");
        if (!mark) {
            return book.otherEvent();
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
        book.kind(LineKind.MARKER);
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
        return book.otherEvents();
    }

    @Override
    public Map<LineKind, Long> lineKinds() {
        return book.lineKinds();
    }

    @Override
    public Map<Integer, Long> lostEvents() {
        return book.lostEvents();
    }

    @Override
    public long lostUncounted() {
        return book.lostUncounted();
    }

    @Override
    public List<TraceMarker> markers() {
        return Collections.unmodifiableList(markers);
    }

    @Override
    public Map<TraceEventType, Long> reclaimEvents() {
        return book.reclaimEvents();
    }

    /** Page events whose PFN was derived from a {@code page=} pointer (formats without {@code pfn=}). */
    long derivedPfns() {
        return fields.derivedPfns();
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
