package io.kmemsim.engine.trace;

import static io.kmemsim.engine.trace.TextTraceReader.MAX_CPUS;
import static io.kmemsim.engine.trace.TextTraceReader.PID_MAX_LIMIT;
import static io.kmemsim.engine.trace.TraceBytes.TOO_BIG;
import static io.kmemsim.engine.trace.TraceBytes.allDigits;
import static io.kmemsim.engine.trace.TraceBytes.checkedDec;
import static io.kmemsim.engine.trace.TraceBytes.cpuBracket;
import static io.kmemsim.engine.trace.TraceBytes.indexOf;
import static io.kmemsim.engine.trace.TraceBytes.isDigit;
import static io.kmemsim.engine.trace.TraceBytes.isTimestamp;
import static io.kmemsim.engine.trace.TraceBytes.parseTimestamp;
import static io.kmemsim.engine.trace.TraceBytes.skipSpaces;
import static io.kmemsim.engine.trace.TraceBytes.tokenEnd;

/**
 * The columns before the event name of an event line — task, pid, CPU, flags, timestamp — in every
 * layout the tools print (docs/trace-format.md, "Line prefixes by tool"), read in place into a
 * {@link TraceRecord}. Each method returns where the event name starts, or a negative code that
 * {@link #problem} turns into words.
 */
final class EventPrefix {

    private EventPrefix() {
    }

    static final int NO_CPU = -1;
    static final int NO_TIMESTAMP = -2;
    static final int BAD_CPU = -3;
    static final int BAD_PID = -4;
    static final int BAD_TIME = -5;

    static String problem(int code) {
        return switch (code) {
            case BAD_CPU -> "the [cpu] column must be a CPU number below " + MAX_CPUS;
            case BAD_PID -> "the pid must be at most " + PID_MAX_LIMIT + " (PID_MAX_LIMIT)";
            default -> "the timestamp does not fit in 64 bits of nanoseconds";
        };
    }

    /** 10^(9 − digits): scales a fraction of {@code digits} digits to nanoseconds. */
    private static final long[] FRACTION_SCALE = {1_000_000_000L, 100_000_000L, 10_000_000L, 1_000_000L, 100_000L,
        10_000L, 1000L, 100L, 10L, 1L};

    /**
     * The common prefix, {@code comm-pid [cpu] flags secs.frac: } as ftrace prints it
     * (kernel/trace/trace_output.c: trace_print_context(), 6.1; trace-cmd and perf script print the same
     * columns, perf with a space for the dash, trace-cmd sometimes without the flags), read in one pass.
     * Returns where the event name starts, with the pid, CPU and time in {@code r}; or −1 when the line
     * has any other shape or a value {@link #prefix} would refuse, and then nothing of {@code r} is
     * written: the caller reads the line with {@link #prefix}. What this accepts, {@link #prefix} reads
     * the same way: the first '[' is the CPU bracket, the pid the digits right before it, the timestamp
     * the first or second column after it, {@code digits.digits:} with at most 9 digits on each side (so
     * it cannot overflow).
     */
    static int fastPrefix(byte[] b, int i, int n, TraceRecord r) {
        int open = TraceBytes.indexOfByte(b, i, n, (byte) '[');
        if (open < 0) {
            return -1;
        }
        int pidEnd = open;
        while (pidEnd > i && b[pidEnd - 1] == ' ') {
            pidEnd--;
        }
        int pidStart = pidEnd;
        while (pidStart > i && pidEnd - pidStart < 8 && isDigit(b[pidStart - 1])) {
            pidStart--;
        }
        int close = open + 1;
        while (close < n && close - open < 6 && isDigit(b[close])) {
            close++;
        }
        if (pidStart == pidEnd || pidEnd - pidStart > 7 || close == open + 1 || close >= n || b[close] != ']') {
            return -1; // no pid (perf -F), a "(tgid)" column, no '[', or a bracket that is not the CPU's
        }
        int pid = smallDec(b, pidStart, pidEnd);
        int cpu = smallDec(b, open + 1, close);
        if (pid > PID_MAX_LIMIT || cpu >= MAX_CPUS) {
            return -1;
        }
        int t = close + 1;
        while (t < n && b[t] == ' ') {
            t++;
        }
        int flags = t;
        while (t < n && b[t] != ' ' && b[t] != '\t') {
            t++;
        }
        if (t - flags < 2 || t == n) {
            return -1;
        }
        if (b[t - 1] != ':') { // the flags column; the timestamp follows
            while (t < n && b[t] == ' ') {
                t++;
            }
            flags = t;
            while (t < n && b[t] != ' ' && b[t] != '\t') {
                t++;
            }
            if (t - flags < 2 || t == n || b[t - 1] != ':') {
                return -1;
            }
        }
        if (!fastTimestamp(b, flags, t - 1, r)) {
            return -1;
        }
        r.pid = pid;
        r.cpu = cpu;
        return skipSpaces(b, t, n);
    }

    /** {@code b[from, to)} as "secs.frac" (1–9 digits each) into {@code r.timeNanos}; false, writing nothing, for anything else. */
    private static boolean fastTimestamp(byte[] b, int from, int to, TraceRecord r) {
        int dot = from;
        long secs = 0;
        for (byte c; dot < to && (c = b[dot]) >= '0' && c <= '9'; dot++) {
            secs = secs * 10 + c - '0';
        }
        int f = dot + 1;
        long frac = 0;
        for (byte c; f < to && (c = b[f]) >= '0' && c <= '9'; f++) {
            frac = frac * 10 + c - '0';
        }
        int fracDigits = f - dot - 1;
        if (dot == from || dot - from > 9 || dot == to || b[dot] != '.' || f != to || fracDigits < 1 || fracDigits > 9) {
            return false;
        }
        r.timeNanos = secs * 1_000_000_000L + frac * FRACTION_SCALE[fracDigits];
        return true;
    }

    /** Digits known to be digits, at most 9 of them. */
    private static int smallDec(byte[] b, int from, int to) {
        int v = 0;
        for (int k = from; k < to; k++) {
            v = v * 10 + b[k] - '0';
        }
        return v;
    }

    /**
     * Reads the pid, CPU and timestamp of the prefix starting at {@code i} into {@code r}; returns where
     * the event name starts, or a negative code.
     */
    static int prefix(byte[] b, int i, int n, TraceRecord r) {
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
}
