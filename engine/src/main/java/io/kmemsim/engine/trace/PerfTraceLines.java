package io.kmemsim.engine.trace;

import static io.kmemsim.engine.trace.TextTraceReader.MAX_CPUS;
import static io.kmemsim.engine.trace.TextTraceReader.PID_MAX_LIMIT;
import static io.kmemsim.engine.trace.TraceBytes.allDigits;
import static io.kmemsim.engine.trace.TraceBytes.checkedDec;
import static io.kmemsim.engine.trace.TraceBytes.indexOf;
import static io.kmemsim.engine.trace.TraceBytes.isDigit;
import static io.kmemsim.engine.trace.TraceBytes.isTimestamp;
import static io.kmemsim.engine.trace.TraceBytes.parseTimestamp;
import static io.kmemsim.engine.trace.TraceBytes.skipSpaces;
import static io.kmemsim.engine.trace.TraceBytes.tokenEnd;

/**
 * Event lines of {@code perf trace -e kmem:…} (tools/perf/builtin-trace.c trace__event_handler()):
 * <pre>
 *   %10.3f [(duration): ][comm/tid ][[cpu] ]sys:event(fields)     perf 5.4+ ("… argument lists with ()")
 *   %10.3f [(duration): ][comm/tid ]sys:event:TP_printk text        perf before 5.4
 * </pre>
 * The time is milliseconds since the first event ({@code __trace__fprintf_tstamp()}), or {@code ?} when
 * unknown; the comm is at most 14 characters and may hold spaces; the CPU column exists only in recent
 * perf. Inside the parentheses perf 5.5+ prints the raw fields as {@code name: value, name: value}
 * ({@code trace__fprintf_tp_fields()}), leaving out every field whose value is 0; with
 * {@code --libtraceevent_print} it prints the kernel's TP_printk text ({@code key=value}).
 * These lines fail the ftrace/perf script prefix, so trying them costs the other layouts nothing.
 */
final class PerfTraceLines {

    /** The line is not {@code perf trace} output. */
    static final String NOT_THIS = new String("not perf trace");

    private PerfTraceLines() {
    }

    /**
     * Reads {@code b[i, n)} as a {@code perf trace} event into {@code r}: null when an event was read,
     * {@link NonEventLines#IGNORED} for another tracepoint, {@link #NOT_THIS}, or the problem.
     */
    static String read(byte[] b, int i, int n, TraceRecord r, EventFields fields, NonEventLines book) {
        int t = tokenEnd(b, i, n);
        boolean unknownTime = t == i + 1 && b[i] == '?';
        long time = 0;
        if (!unknownTime) {
            if (b[t - 1] == ':' || !isTimestamp(b, i, t) || indexOf(b, i, t, ".") < 0) {
                return NOT_THIS;
            }
            time = parseTimestamp(b, i, t);
            if (time < 0) {
                return "the perf trace timestamp does not fit in 64 bits of nanoseconds";
            }
        }
        int j = skipSpaces(b, t, n);
        if (j < n && b[j] == '(') {
            int close = indexOf(b, j, n, "): ");
            if (close < 0) {
                return NOT_THIS;
            }
            j = skipSpaces(b, close + 3, n);
        }
        long pid = -1;
        long cpu = 0;
        int at = -1;
        int nameEnd = -1;
        for (int k = j; k < n; ) {
            int e = eventNameEnd(b, k, n);
            if (e > 0) {
                at = k;
                nameEnd = e;
                break;
            }
            int te = tokenEnd(b, k, n);
            if (b[k] == '[' && te - k > 2 && b[te - 1] == ']' && allDigits(b, k + 1, te - 1)) {
                cpu = checkedDec(b, k + 1, te - 1);
            } else {
                int slash = te - 1;
                while (slash > k && isDigit(b[slash])) {
                    slash--;
                }
                pid = b[slash] == '/' && slash < te - 1 ? checkedDec(b, slash + 1, te) : -1;
            }
            k = skipSpaces(b, te, n);
        }
        if (at < 0) {
            return NOT_THIS;
        }
        if (cpu < 0 || cpu >= MAX_CPUS) {
            return EventPrefix.problem(EventPrefix.BAD_CPU);
        }
        if (pid > PID_MAX_LIMIT || pid == TraceBytes.TOO_BIG) {
            return EventPrefix.problem(EventPrefix.BAD_PID);
        }
        TraceEventType type = TraceEventType.ofName(b, at, nameEnd);
        if (type == null) {
            return book.otherEvent();
        }
        r.reset(type);
        r.cpu = (int) cpu;
        r.pid = (int) pid;
        if (!unknownTime) {
            r.timeNanos = time / 1000; // milliseconds read as seconds: back to nanoseconds
        }
        String problem;
        if (b[nameEnd] == '(') {
            int end = n;
            while (end > nameEnd && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
                end--;
            }
            if (b[end - 1] != ')') {
                r.type = null;
                return "expected a perf trace event like kmem:mm_page_free(pfn: 1234) ending with ')'";
            }
            boolean printk = indexOf(b, nameEnd + 1, end - 1, "=") >= 0;
            problem = printk ? fields.parseFields(b, nameEnd + 1, end - 1, r) : fields.parsePerfTraceFields(b, nameEnd + 1, end - 1, r);
        } else {
            problem = fields.parseFields(b, nameEnd + 1, n, r);
        }
        if (problem != null) {
            r.type = null;
            return problem;
        }
        book.event(type);
        return null;
    }

    /** "sys:name" at {@code k} followed by '(' or ':': the index of that character, else −1. */
    private static int eventNameEnd(byte[] b, int k, int n) {
        int i = k;
        while (i < n && isNameByte(b[i])) {
            i++;
        }
        if (i == k || i >= n || b[i] != ':') {
            return -1;
        }
        int name = ++i;
        while (i < n && isNameByte(b[i])) {
            i++;
        }
        return i > name && i < n && (b[i] == '(' || b[i] == ':') ? i : -1;
    }

    private static boolean isNameByte(byte c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c >= 'A' && c <= 'Z';
    }
}
