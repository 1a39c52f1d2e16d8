package io.kmemsim.engine.trace;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the text that ftrace ({@code cat trace}, {@code trace_pipe}), {@code trace-cmd report} and
 * {@code perf script} print for the {@code kmem} events.
 *
 * <p>Line layout (reference/page-allocator.md §2.7):
 * <pre>
 *   &lt;comm&gt;-&lt;pid&gt; [&lt;cpu&gt;] [&lt;flags&gt;] &lt;secs&gt;.&lt;usecs&gt;: &lt;event&gt;: &lt;fields&gt;     ftrace, trace-cmd
 *   &lt;comm&gt; &lt;pid&gt; [&lt;cpu&gt;] &lt;secs&gt;.&lt;usecs&gt;: kmem:&lt;event&gt;: &lt;fields&gt;                perf script
 * </pre>
 * The comm may hold spaces and dashes, so the prefix is parsed from the CPU bracket: the first
 * {@code [digits]}; then at most one flags column (4 or 5 characters, 5.x/6.x) before the timestamp
 * token, which ends with {@code :}. Optional {@code (tgid)} columns are skipped. Fields are
 * {@code key=value} pairs; a value may continue over spaces only for {@code call_site} ({@code %pS}
 * with a {@code [module]} suffix). Field variants of every version are accepted: {@code pfn} in
 * decimal (5.10) or hex (6.1+), gfp flags as names or hex, optional {@code node=}, {@code accounted=},
 * {@code name=}, {@code percpu_refill=}, and unknown extra fields are ignored.
 *
 * <p>Not thread-safe. Allocates one {@code String} per line (the line itself, from
 * {@code BufferedReader.readLine}); keys are compared in place and gfp values and cache names are
 * looked up by their characters in {@link RegionTable}s, so a line of known values allocates nothing
 * else.
 */
final class TextTraceReader implements TraceReader {

    private final BufferedReader in;
    private final String source;
    private final KernelVersion kernel;
    private final boolean skipBad;
    private final RegionTable gfpCache = new RegionTable(8192);
    private final RegionTable names = new RegionTable(512);
    private final Map<String, Long> skipped = new LinkedHashMap<>();
    private long line;
    private long other;

    TextTraceReader(BufferedReader in, String source, KernelVersion kernel, boolean skipBad) {
        this.in = in;
        this.source = source;
        this.kernel = kernel;
        this.skipBad = skipBad;
    }

    @Override
    public boolean next(TraceRecord into) {
        try {
            String text;
            while ((text = in.readLine()) != null) {
                line++;
                String problem = parseLine(text, into);
                if (problem == null) {
                    into.lineNumber = line;
                    return true;
                }
                if (problem != IGNORED) {
                    if (!skipBad) {
                        throw new InputException(new InputProblem(source, (int) Math.min(line, Integer.MAX_VALUE), 0,
                                "", problem + "; line: " + text));
                    }
                    skipped.merge(problem, 1L, Long::sum);
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source + " at line " + line, e);
        }
    }

    private static final String IGNORED = new String("ignored");

    /** Parses one line; returns null on success, {@link #IGNORED}, or the reason it is malformed. */
    private String parseLine(String s, TraceRecord r) {
        int n = s.length();
        int i = skipSpaces(s, 0);
        if (i == n || s.charAt(i) == '#') {
            return IGNORED;
        }
        i = prefix(s, i, r);
        if (i == NO_CPU) {
            return "expected a [cpu] column after the task";
        }
        if (i == NO_TIMESTAMP) {
            return "expected a timestamp like 1234.567890: after the cpu and flags columns";
        }
        int nameEnd = s.indexOf(':', i);
        while (nameEnd > 0 && nameEnd + 1 < n && s.charAt(nameEnd + 1) != ' ' && s.startsWith("kmem", i)
                && nameEnd - i == 4) {
            nameEnd = s.indexOf(':', nameEnd + 1);
        }
        if (nameEnd < 0) {
            return "expected '<event>: ' after the timestamp";
        }
        TraceEventType type = TraceEventType.ofName(s, i, nameEnd);
        if (type == null) {
            other++;
            return IGNORED;
        }
        r.reset(type);
        return parseFields(s, nameEnd + 1, r);
    }

    private static final int NO_CPU = -1;
    private static final int NO_TIMESTAMP = -2;

    /**
     * Reads the pid, CPU and timestamp of the prefix starting at {@code i} into {@code r}; returns where
     * the event name starts, or {@link #NO_CPU} / {@link #NO_TIMESTAMP}. (Kept apart from
     * {@link #parseLine} so that both stay small enough for the JIT to inline their callees.)
     */
    private static int prefix(String s, int i, TraceRecord r) {
        int n = s.length();
        int bracket = cpuBracket(s, i);
        if (bracket < 0) {
            return NO_CPU;
        }
        r.pid = pidBefore(s, i, bracket);
        int close = s.indexOf(']', bracket);
        r.cpu = (int) parseDec(s, bracket + 1, close);
        i = skipSpaces(s, close + 1);
        // at most two tokens (flags, tgid) before the timestamp
        for (int tokens = 0; tokens < 3 && i < n; tokens++) {
            int end = tokenEnd(s, i);
            if (end > i && s.charAt(end - 1) == ':' && isTimestamp(s, i, end - 1)) {
                r.timeNanos = parseTimestamp(s, i, end - 1);
                return skipSpaces(s, end);
            }
            i = skipSpaces(s, end);
        }
        return NO_TIMESTAMP;
    }

    private String parseFields(String s, int from, TraceRecord r) {
        int n = s.length();
        int i = skipSpaces(s, from);
        boolean sawPfn = false;
        while (i < n) {
            int eq = s.indexOf('=', i);
            int tokEnd = tokenEnd(s, i);
            if (eq < 0 || eq > tokEnd) {
                i = skipSpaces(s, tokEnd); // continuation of call_site=%pS ("[module]")
                continue;
            }
            int vEnd = tokEnd;
            String problem = field(s, i, eq, eq + 1, vEnd, r);
            if (problem != null) {
                return problem;
            }
            sawPfn |= eq - i == 3 && s.startsWith("pfn", i);
            i = skipSpaces(s, vEnd);
        }
        return complete(r, sawPfn);
    }

    /** Checks that the fields every format of this event prints were there. */
    private static String complete(TraceRecord r, boolean sawPfn) {
        if (r.type == TraceEventType.MM_PAGE_ALLOC && r.pfn == 0 && r.ptr == 0) {
            r.pfn = -1; // a failed allocation prints a NULL page and pfn 0
        }
        if (r.type.ordinal() <= TraceEventType.MM_PAGE_ALLOC_EXTFRAG.ordinal()) {
            r.ptr = 0; // page events: the page= pointer only served the failure check above
        }
        return switch (r.type) {
            case MM_PAGE_ALLOC, MM_PAGE_ALLOC_ZONE_LOCKED, MM_PAGE_PCPU_DRAIN -> !sawPfn || r.order < 0 || r.migratetype < 0
                    ? "expected pfn=, order= and migratetype= fields of " + r.type.kernelName() : null;
            case MM_PAGE_FREE, MM_PAGE_FREE_BATCHED -> !sawPfn || r.order < 0
                    ? "expected pfn= and order= fields of " + r.type.kernelName() : null;
            case MM_PAGE_ALLOC_EXTFRAG -> !sawPfn || r.order < 0 || r.fallbackOrder < 0 || r.fallbackMigratetype < 0
                    ? "expected pfn=, alloc_order=, fallback_order= and fallback_migratetype= fields of mm_page_alloc_extfrag" : null;
            case KMALLOC, KMEM_CACHE_ALLOC -> r.bytesReq < 0 || r.bytesAlloc < 0
                    ? "expected ptr=, bytes_req= and bytes_alloc= fields of " + r.type.kernelName() : null;
            case KFREE, KMEM_CACHE_FREE -> null;
        };
    }

    private String field(String s, int k, int kEnd, int v, int vEnd, TraceRecord r) {
        if (v == vEnd) {
            return "empty value of field " + s.substring(k, kEnd);
        }
        switch (kEnd - k) {
            case 3 -> {
                if (s.startsWith("pfn", k)) {
                    long pfn = parseNumber(s, v, vEnd);
                    if (pfn < 0) {
                        return bad(s, k, kEnd, v, vEnd, "a decimal or 0x-hex number");
                    }
                    r.pfn = pfn;
                    return null;
                }
                if (s.startsWith("ptr", k)) {
                    long p = parseHexOrNull(s, v, vEnd);
                    if (p == Long.MIN_VALUE) {
                        return bad(s, k, kEnd, v, vEnd, "a hex pointer");
                    }
                    r.ptr = p;
                }
                return null;
            }
            case 4 -> {
                if (s.startsWith("node", k)) {
                    r.node = (int) parseSigned(s, v, vEnd);
                } else if (s.startsWith("name", k)) {
                    r.cacheName = cacheName(s, v, vEnd);
                } else if (s.startsWith("page", k)) {
                    long page = s.charAt(v) == '(' ? 0 : parseHexOrNull(s, v, vEnd);
                    r.ptr = page == Long.MIN_VALUE ? 1 : page;
                }
                return null;
            }
            default -> {
                return namedField(s, k, kEnd, v, vEnd, r);
            }
        }
    }

    private String namedField(String s, int k, int kEnd, int v, int vEnd, TraceRecord r) {
        if (key(s, k, kEnd, "gfp_flags")) {
            return gfpField(s, v, vEnd, r);
        }
        if (key(s, k, kEnd, "accounted")) {
            r.accounted = s.startsWith("true", v) ? 1 : 0;
            return null;
        }
        long val = checkedDec(s, v, vEnd);
        if (!numericField(s, k, kEnd, val, r)) {
            return null; // call_site=, nr_free= and fields of later kernels: not needed for replay
        }
        return val == Integer.MIN_VALUE ? bad(s, k, kEnd, v, vEnd, "a decimal number") : null;
    }

    /** Stores {@code val} in the field the key {@code s[k, kEnd)} names; false for a key not read. */
    private static boolean numericField(String s, int k, int kEnd, long val, TraceRecord r) {
        if (key(s, k, kEnd, "order") || key(s, k, kEnd, "alloc_order")) {
            r.order = (int) val;
        } else if (key(s, k, kEnd, "migratetype") || key(s, k, kEnd, "alloc_migratetype")) {
            r.migratetype = (int) val;
        } else if (key(s, k, kEnd, "bytes_req")) {
            r.bytesReq = val;
        } else if (key(s, k, kEnd, "bytes_alloc")) {
            r.bytesAlloc = val;
        } else if (key(s, k, kEnd, "fallback_order")) {
            r.fallbackOrder = (int) val;
        } else if (key(s, k, kEnd, "pageblock_order")) {
            r.pageblockOrder = (int) val;
        } else if (key(s, k, kEnd, "fallback_migratetype")) {
            r.fallbackMigratetype = (int) val;
        } else if (key(s, k, kEnd, "fragmenting")) {
            r.fragmenting = (int) val;
        } else if (key(s, k, kEnd, "change_ownership")) {
            r.changeOwnership = (int) val;
        } else if (key(s, k, kEnd, "percpu_refill")) {
            r.percpuRefill = (int) val;
        } else {
            return false;
        }
        return true;
    }

    /** Whether the key {@code s[k, kEnd)} is {@code name} (compared in place: no substring per field). */
    private static boolean key(String s, int k, int kEnd, String name) {
        return kEnd - k == name.length() && s.startsWith(name, k);
    }

    private String gfpField(String s, int v, int vEnd, TraceRecord r) {
        int slot = gfpCache.find(s, v, vEnd);
        if (slot >= 0) {
            r.gfp = gfpCache.value(slot);
            return null;
        }
        String g = s.substring(v, vEnd);
        int gfp;
        try {
            gfp = Gfp.parse(g, kernel);
        } catch (IllegalArgumentException e) {
            return "bad gfp_flags: " + e.getMessage();
        }
        gfpCache.add(-slot - 1, g, gfp);
        r.gfp = gfp;
        return null;
    }

    /** The cache name {@code s[v, vEnd)}, one String per distinct name (while the table has room). */
    private String cacheName(String s, int v, int vEnd) {
        int slot = names.find(s, v, vEnd);
        if (slot >= 0) {
            return names.key(slot);
        }
        String name = s.substring(v, vEnd);
        names.add(-slot - 1, name, 0);
        return name;
    }

    private static String bad(String s, int k, int kEnd, int v, int vEnd, String expected) {
        return "field " + s.substring(k, kEnd) + " must be " + expected + ": \"" + s.substring(v, vEnd) + "\"";
    }

    // ---- scanning helpers --------------------------------------------------------------------

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int tokenEnd(String s, int i) {
        while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
            i++;
        }
        return i;
    }

    /** Index of the '[' of the first "[digits]" at or after {@code from}, or −1. */
    private static int cpuBracket(String s, int from) {
        int b = s.indexOf('[', from);
        while (b >= 0) {
            int j = b + 1;
            while (j < s.length() && Character.isDigit(s.charAt(j))) {
                j++;
            }
            if (j > b + 1 && j < s.length() && s.charAt(j) == ']') {
                return b;
            }
            b = s.indexOf('[', b + 1);
        }
        return -1;
    }

    /** The pid printed before the CPU column: "comm-pid" (ftrace) or "comm pid" (perf); −1 if none. */
    private static int pidBefore(String s, int from, int bracket) {
        int end = bracket;
        while (end > from && s.charAt(end - 1) == ' ') {
            end--;
        }
        if (end > from && s.charAt(end - 1) == ')') { // "(tgid)" column of record-tgid
            int open = s.lastIndexOf('(', end);
            end = open > from ? open : end;
            while (end > from && s.charAt(end - 1) == ' ') {
                end--;
            }
        }
        int start = end;
        while (start > from && Character.isDigit(s.charAt(start - 1))) {
            start--;
        }
        return start < end ? (int) parseDec(s, start, end) : -1;
    }

    private static boolean isTimestamp(String s, int from, int to) {
        boolean digits = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (Character.isDigit(c)) {
                digits = true;
            } else if (c != '.') {
                return false;
            }
        }
        return digits;
    }

    /** "secs.frac" to nanoseconds (frac of any length up to 9 digits), or a bare counter value. */
    private static long parseTimestamp(String s, int from, int to) {
        int dot = s.indexOf('.', from);
        if (dot < 0 || dot >= to) {
            return parseDec(s, from, to);
        }
        long secs = parseDec(s, from, dot);
        long frac = 0;
        int digits = 0;
        for (int i = dot + 1; i < to && digits < 9; i++, digits++) {
            frac = frac * 10 + (s.charAt(i) - '0');
        }
        for (; digits < 9; digits++) {
            frac *= 10;
        }
        return secs * 1_000_000_000L + frac;
    }

    private static long parseDec(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    /** A non-negative decimal, or Integer.MIN_VALUE when not one. */
    private static long checkedDec(String s, int from, int to) {
        if (from >= to) {
            return Integer.MIN_VALUE;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return Integer.MIN_VALUE;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static long parseSigned(String s, int from, int to) {
        return s.charAt(from) == '-' ? -checkedDec(s, from + 1, to) : checkedDec(s, from, to);
    }

    /** "0x1f" as hex, "31" as decimal; −1 when neither. */
    private static long parseNumber(String s, int from, int to) {
        if (to - from > 2 && s.charAt(from) == '0' && (s.charAt(from + 1) == 'x' || s.charAt(from + 1) == 'X')) {
            return parseHex(s, from + 2, to);
        }
        long v = checkedDec(s, from, to);
        return v == Integer.MIN_VALUE ? -1 : v;
    }

    private static long parseHex(String s, int from, int to) {
        if (from >= to || to - from > 16) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** A %p value: hex with or without 0x, or "(null)"/"(nil)" as 0; Long.MIN_VALUE when malformed. */
    private static long parseHexOrNull(String s, int from, int to) {
        if (s.charAt(from) == '(') {
            return 0;
        }
        int f = to - from > 2 && s.charAt(from) == '0' && s.charAt(from + 1) == 'x' ? from + 2 : from;
        if (to - f == 16 && Character.digit(s.charAt(f), 16) >= 8) {
            long hi = parseHex(s, f, f + 8);
            long lo = parseHex(s, f + 8, to);
            return hi < 0 || lo < 0 ? Long.MIN_VALUE : (hi << 32) | lo;
        }
        long v = parseHex(s, f, to);
        return v < 0 ? Long.MIN_VALUE : v;
    }

    /**
     * An open-addressing table from strings to ints that is probed with a region of another string, so a
     * hit costs no substring. Holds at most half its slots; when full, {@link #add} does nothing.
     */
    private static final class RegionTable {
        private final String[] keys;
        private final int[] values;
        private int size;

        RegionTable(int slots) {
            keys = new String[slots];
            values = new int[slots];
        }

        /** The slot holding {@code s[from, to)}, or {@code -(free slot) - 1} when it is absent. */
        int find(String s, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + s.charAt(i);
            }
            int mask = keys.length - 1;
            for (int slot = (h ^ (h >>> 16)) & mask; ; slot = (slot + 1) & mask) {
                String k = keys[slot];
                if (k == null) {
                    return -slot - 1;
                }
                if (k.length() == to - from && s.startsWith(k, from)) {
                    return slot;
                }
            }
        }

        String key(int slot) {
            return keys[slot];
        }

        int value(int slot) {
            return values[slot];
        }

        /** Puts {@code key} into the free {@code slot} {@link #find} returned, unless the table is half full. */
        void add(int slot, String key, int value) {
            if (size < keys.length / 2) {
                keys[slot] = key;
                values[slot] = value;
                size++;
            }
        }
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
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + source, e);
        }
    }
}
