package io.kmemsim.engine.trace;

import static io.kmemsim.engine.trace.TextTraceReader.MAX_BYTES;
import static io.kmemsim.engine.trace.TextTraceReader.PFN_LIMIT;
import static io.kmemsim.engine.trace.TextTraceReader.SHOWN;
import static io.kmemsim.engine.trace.TraceBytes.TOO_BIG;
import static io.kmemsim.engine.trace.TraceBytes.UNKNOWN_POINTER;
import static io.kmemsim.engine.trace.TraceBytes.checkedDec;
import static io.kmemsim.engine.trace.TraceBytes.parseNumber;
import static io.kmemsim.engine.trace.TraceBytes.parsePointer;
import static io.kmemsim.engine.trace.TraceBytes.regionIs;
import static io.kmemsim.engine.trace.TraceBytes.skipSpaces;

import io.kmemsim.api.arch.VirtualLayout;
import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.trace.TraceBytes.RegionTable;
import java.nio.charset.StandardCharsets;

/**
 * The fields of one event line ({@code key=value …} after {@code event: }), read in place from the line's
 * bytes into a {@link TraceRecord}, every number range checked as it is read (no value wraps): a PFN
 * below 2^52, orders up to the kernel's largest buddy order, a migrate type below the version's
 * {@code MIGRATE_TYPES}, sizes up to 2^40. Gfp values and cache names are looked up by their bytes in
 * {@link RegionTable}s, so a line of known values allocates nothing. Not thread-safe.
 */
final class EventFields {

    private final KernelVersion kernel;
    private final int migrateTypes;
    private final int largestOrder;
    private final String orderRule;
    private final int pageblockLimit;
    private final RegionTable gfpCache = new RegionTable(8192);
    private final RegionTable names = new RegionTable(512);
    private long derivedPfns;

    /**
     * @param largestOrder   the largest buddy order the traced kernel keeps (inclusive)
     * @param pageblockLimit the largest {@code pageblock_order} it can have (5.10 does not clamp it to the
     *                       largest order: {@code HUGETLB_PAGE_ORDER})
     * @param orderRule      why, for messages (e.g. "kernel 6.1 with 4 KiB pages keeps orders 0–10 …")
     */
    EventFields(KernelVersion kernel, int largestOrder, int pageblockLimit, String orderRule) {
        this.kernel = kernel;
        this.largestOrder = largestOrder;
        this.pageblockLimit = Math.max(largestOrder, pageblockLimit);
        this.orderRule = orderRule;
        // MIGRATE_TYPES with CMA and memory isolation configured: 6 from 3.5 (MIGRATE_CMA), 5 before
        this.migrateTypes = kernel.has(Feature.MIGRATE_CMA) ? 6 : 5;
    }

    int largestOrder() {
        return largestOrder;
    }

    /** Page events whose PFN was derived from a {@code page=} pointer (formats without {@code pfn=}). */
    long derivedPfns() {
        return derivedPfns;
    }

    /** Reads the {@code key=value} fields of {@code b[from, n)} into {@code r}; null, or the problem. */
    String parseFields(byte[] b, int from, int n, TraceRecord r) {
        int i = skipSpaces(b, from, n);
        int seen = 0;
        while (i < n) {
            // one pass over the token: its first '=' and its end
            int eq = -1;
            int tokEnd = i;
            for (byte c; tokEnd < n && (c = b[tokEnd]) != ' ' && c != '\t'; tokEnd++) {
                if (c == '=' && eq < 0) {
                    eq = tokEnd;
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

    private static final byte[] PAGE_KEY = {'p', 'a', 'g', 'e', '='};
    private static final byte[] PFN_KEY = {' ', 'p', 'f', 'n', '='};
    private static final byte[] ORDER_KEY = {' ', 'o', 'r', 'd', 'e', 'r', '='};
    private static final byte[] MIGRATETYPE_KEY = {' ', 'm', 'i', 'g', 'r', 'a', 't', 'e', 't', 'y', 'p', 'e', '='};
    private static final byte[] GFP_KEY = {' ', 'g', 'f', 'p', '_', 'f', 'l', 'a', 'g', 's', '='};

    /**
     * The fields of {@code mm_page_alloc} and {@code mm_page_free} in the order the kernel prints them
     * (include/trace/events/kmem.h TP_printk, 6.1: "page=%p pfn=0x%lx order=%d", then for the allocation
     * " migratetype=%d gfp_flags=%s"; 4.2–5.x: the same with a decimal pfn), read in one pass after
     * {@link TraceRecord#reset}. Returns false on any surprise — another layout, a NULL or hashed page, a
     * value that {@link #parseFields} would refuse or read otherwise — and then the caller resets the
     * record and reads the fields with {@link #parseFields}, which gives the message. What this accepts,
     * {@link #parseFields} reads to the same record.
     */
    boolean pageFields(byte[] b, int i, int n, TraceRecord r) {
        if (i < n && b[i] == ' ') {
            i++;
        }
        if (!at(b, i, n, PAGE_KEY)) {
            return false;
        }
        i = pointer(b, i + PAGE_KEY.length, n);
        if (i < 0 || !at(b, i, n, PFN_KEY)) {
            return false;
        }
        i += PFN_KEY.length;
        long pfn = i + 2 < n && b[i] == '0' && b[i + 1] == 'x' ? hexPfn(b, i + 2, n) : decPfn(b, i, n);
        if (pfn < 0) {
            return false;
        }
        i = valueEnd;
        if (!at(b, i, n, ORDER_KEY)) {
            return false;
        }
        int order = smallValue(b, i + ORDER_KEY.length, n, largestOrder);
        if (order < 0) {
            return false;
        }
        i = valueEnd;
        if (r.type == TraceEventType.MM_PAGE_ALLOC) {
            if (!at(b, i, n, MIGRATETYPE_KEY)) {
                return false;
            }
            int mt = smallValue(b, i + MIGRATETYPE_KEY.length, n, migrateTypes - 1);
            if (mt < 0 || !at(b, valueEnd, n, GFP_KEY)) {
                return false;
            }
            int v = valueEnd + GFP_KEY.length;
            i = v;
            while (i < n && b[i] != ' ' && b[i] != '\t') {
                i++;
            }
            if (i == v || b[i - 1] == ',' || gfpField(b, v, i, r) < 0) {
                return false;
            }
            r.migratetype = mt;
        }
        if (skipSpaces(b, i, n) != n) {
            return false;
        }
        r.pfn = pfn;
        r.order = order;
        return true;
    }

    /** Where the value ended, set by the value readers of {@link #pageFields}. */
    private int valueEnd;

    private static boolean at(byte[] b, int i, int n, byte[] key) {
        if (n - i < key.length) {
            return false;
        }
        for (int j = 0; j < key.length; j++) {
            if (b[i + j] != key[j]) {
                return false;
            }
        }
        return true;
    }

    /** A non-NULL {@code %p}: 1–16 hex digits, not all zero; where it ends, or −1. */
    private static int pointer(byte[] b, int i, int n) {
        if (i + 17 <= n && b[i + 16] == ' ') { // the usual 16 digits: two words
            long hi = TraceBytes.word(b, i);
            long lo = TraceBytes.word(b, i + 8);
            if (TraceBytes.lowerHexWord(hi) && TraceBytes.lowerHexWord(lo)) {
                return (hi & lo) == 0x3030303030303030L && hi == lo ? -1 : i + 16;
            }
        }
        int from = i;
        int any = 0;
        for (int d; i < n && (d = TraceBytes.hexDigit(b[i])) >= 0; i++) {
            any |= d;
        }
        return i == from || i - from > 16 || any == 0 ? -1 : i;
    }

    /** 1–13 hex digits below 2^52, or −1. */
    private long hexPfn(byte[] b, int i, int n) {
        int from = i;
        long v = 0;
        for (int d; i < n && (d = TraceBytes.hexDigit(b[i])) >= 0; i++) {
            v = v << 4 | d;
        }
        valueEnd = i;
        return i == from || i - from > 13 || v >= PFN_LIMIT ? -1 : v;
    }

    /** 1–16 decimal digits below 2^52, or −1. */
    private long decPfn(byte[] b, int i, int n) {
        int from = i;
        long v = 0;
        for (byte c; i < n && (c = b[i]) >= '0' && c <= '9'; i++) {
            v = v * 10 + c - '0';
        }
        valueEnd = i;
        return i == from || i - from > 16 || v >= PFN_LIMIT ? -1 : v;
    }

    /** 1–2 decimal digits up to {@code max}, or −1. */
    private int smallValue(byte[] b, int i, int n, int max) {
        int from = i;
        int v = 0;
        for (byte c; i < n && i - from < 3 && (c = b[i]) >= '0' && c <= '9'; i++) {
            v = v * 10 + c - '0';
        }
        valueEnd = i;
        return i == from || i - from > 2 || v > max ? -1 : v;
    }

    /**
     * Reads {@code perf trace}'s own field list, {@code name: value, name: value}
     * (tools/perf/builtin-trace.c trace__fprintf_tp_fields()): the tracepoint's raw fields in the order
     * of its format, integers in decimal ({@code %ld}, so a failed allocation's {@code pfn} of −1UL prints
     * -1), pointers in hex, and every field whose value is 0 left out. A field not printed is therefore 0;
     * a page event with neither {@code pfn} nor {@code page} had pfn 0 (4.2+, which records the pfn) or a
     * NULL page (before 4.2, which recorded {@code struct page *}: "tracing, mm: Record pfn instead of
     * pointer to struct page", merged for 4.2).
     */
    String parsePerfTraceFields(byte[] b, int from, int to, TraceRecord r) {
        zeroFields(r);
        int seen = 0;
        int i = skipSpaces(b, from, to);
        while (i < to) {
            int colon = TraceBytes.indexOf(b, i, to, ": ");
            if (colon < 0) {
                return "expected perf trace's fields like pfn: 1234, order: 1 inside the parentheses";
            }
            int v = colon + 2;
            int vEnd = TraceBytes.indexOf(b, v, to, ", ");
            int next = vEnd < 0 ? to : vEnd + 2;
            vEnd = vEnd < 0 ? to : vEnd;
            int f;
            if (r.type == TraceEventType.MM_PAGE_ALLOC && regionIs(b, i, colon, "pfn") && noPfn(b, v, vEnd)) {
                r.pfn = 0;
                f = SAW_PFN | PAGE_NULL; // TP_fast_assign stores -1UL for a NULL page (kmem.h, 4.2+)
            } else if (regionIs(b, i, colon, "accounted")) {
                if (!regionIs(b, v, vEnd, "1")) {
                    return badValue(b, i, colon, v, vEnd, "1 (perf trace leaves out false)");
                }
                r.accounted = 1;
                f = 0;
            } else {
                f = field(b, i, colon, v, vEnd, r);
            }
            if (f < 0) {
                return fieldProblem;
            }
            seen |= f;
            i = skipSpaces(b, next, to);
        }
        if ((seen & (SAW_PFN | SAW_PAGE)) == 0 && r.type.ordinal() <= TraceEventType.MM_PAGE_ALLOC_EXTFRAG.ordinal()) {
            if (kernel.has(Feature.TRACE_PAGE_EVENTS_RECORD_PFN)) {
                r.pfn = 0;
                seen |= SAW_PFN;
            } else {
                pageValue = 0;
                seen |= SAW_PAGE | PAGE_NULL;
            }
        }
        return complete(r, seen);
    }

    /** The values perf trace leaves out are 0 (node and accounted only where the format has them: 6.0+ kmalloc/kmem_cache_alloc). */
    private void zeroFields(TraceRecord r) {
        r.order = 0;
        r.migratetype = 0;
        r.gfp = 0;
        r.bytesReq = 0;
        r.bytesAlloc = 0;
        r.fallbackOrder = 0;
        r.pageblockOrder = 0;
        r.fallbackMigratetype = 0;
        r.fragmenting = 0;
        r.changeOwnership = 0;
        r.percpuRefill = 0;
        boolean slabAlloc = r.type == TraceEventType.KMALLOC || r.type == TraceEventType.KMEM_CACHE_ALLOC;
        r.node = slabAlloc && kernel.has(Feature.TRACE_KMALLOC_NODE_FIELD) ? 0 : -1;
        r.accounted = slabAlloc && kernel.has(Feature.TRACE_ACCOUNTED_FIELD) ? 0 : -1;
    }

    /** -1UL as perf prints it: -1 ({@code %ld}), 18446744073709551615 or 0xffffffffffffffff. */
    private static boolean noPfn(byte[] b, int v, int vEnd) {
        return regionIs(b, v, vEnd, "-1") || regionIs(b, v, vEnd, "18446744073709551615")
                || regionIs(b, v, vEnd, "0xffffffffffffffff");
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
        long base = VirtualLayout.X86_64.vmemmap();
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
        if (regionIs(b, k, kEnd, "call_site")) {
            long h = 0xcbf29ce484222325L; // FNV-1a: an identity for the slab twin's call-site grouping, no String
            for (int j = v; j < vEnd; j++) {
                h = (h ^ (b[j] & 0xff)) * 0x100000001b3L;
            }
            r.callSite = h == 0 ? 1 : h;
            return 0;
        }
        int id = numericKey(b, k, kEnd);
        if (id < 0) {
            return 0; // nr_free= and other fields: not needed, not stored
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
                if (val > (id == K_PAGEBLOCK_ORDER ? pageblockLimit : largestOrder)) {
                    return fail("field " + text(b, k, kEnd) + " must be in [0, "
                            + (id == K_PAGEBLOCK_ORDER ? pageblockLimit : largestOrder) + "]: " + orderRule
                            + ": " + text(b, v, vEnd));
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
}
