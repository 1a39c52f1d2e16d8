package io.kmemsim.engine.trace;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads kmemsim's binary trace format, versions 1 and 2 (see {@link BinaryTrace}). Not thread-safe.
 *
 * <p>Buffers the stream itself (256 KiB) and decodes bytes straight from that array: no lock and no
 * allocation per byte or record (a {@code BufferedInputStream} takes a lock on every {@code read()}).
 * Version 2's fixed page records are decoded with two or three little-endian 64-bit reads
 * ({@link #fixedPageRecord}), whose fields are independent shifts and masks; version 1's varint page records
 * take the fast path {@link #fastPageRecord}. Both store only the page fields when the record they fill was
 * filled by a fast path last time, so a caller that reuses one record must not change it between calls (the
 * readers' callers only read it).
 *
 * <p>Every error names the record (1-based) and its byte offset in the (decompressed) file, and the field.
 */
final class BinaryTraceReader implements TraceReader {

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;
    /** The file offset of {@code buf[0]}. */
    private long base;
    /** The file offset of the record being read (for messages). */
    private long recordStart;
    private final String source;
    /**
     * The largest migrate type any kernel prints: MIGRATE_TYPES is 6 with CMA and memory isolation configured
     * (include/linux/mmzone.h, 3.5 and later), so types run 0–5 (the text reader checks the version's own count).
     */
    static final int MAX_MIGRATETYPE = 5;

    /** Bytes that hold any page alloc/free record: type, then at most seven varints of at most 10 bytes. */
    private static final int FAST_BYTES = 1 + 7 * 10;
    private static final int PAGE_ALLOC_CODE = TraceEventType.MM_PAGE_ALLOC.ordinal();
    private static final int PAGE_FREE_CODE = TraceEventType.MM_PAGE_FREE.ordinal();

    private final String kernel;
    private final int version;
    /**
     * The record a fast path filled last, whose fields other than the page fields still hold
     * {@link TraceRecord#reset}'s values; null after the slow path filled one.
     */
    private TraceRecord clean;
    private boolean malformed;
    private final List<String> names = new ArrayList<>();
    private long records;
    private long time;
    private boolean ended;

    BinaryTraceReader(InputStream raw, String source) {
        this(raw, source, 1 << 18);
    }

    /** A reader with a buffer of {@code bufferSize} bytes (at least 24, a fixed record; tests use small ones). */
    BinaryTraceReader(InputStream raw, String source, int bufferSize) {
        if (bufferSize < BinaryTrace.FIXED_ALLOC_BYTES) {
            throw new IllegalArgumentException("buffer must hold a fixed record: " + bufferSize);
        }
        this.buf = new byte[bufferSize];
        this.in = raw;
        this.source = source;
        try {
            byte[] magic = readBytes(8);
            if (!Arrays.equals(magic, BinaryTrace.MAGIC)) {
                throw problem("not a kmemsim binary trace (expected magic KMSTRACE)");
            }
            version = read();
            if (version < BinaryTrace.OLDEST_VERSION || version > BinaryTrace.VERSION) {
                throw problem(version < 0 ? "truncated header: no version byte"
                        : "unsupported binary trace version " + version + " (this kmemsim reads versions "
                        + BinaryTrace.OLDEST_VERSION + " to " + BinaryTrace.VERSION + ")");
            }
            int len = read();
            if (len < 0) {
                throw problem("truncated header: no kernel version length");
            }
            byte[] k = readBytes(len);
            if (k.length < len) {
                throw problem("truncated header: kernel version of " + len + " bytes, " + k.length + " present");
            }
            kernel = new String(k, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw problem("cannot read: " + TraceInput.reason(e));
        }
    }

    /** The kernel version the trace was recorded or converted for. */
    String kernel() {
        return kernel;
    }

    /** The file offset of the next byte to read (of the decompressed file). */
    long offset() {
        return base + pos;
    }

    /** The format version of the file (1 or 2). */
    int version() {
        return version;
    }

    @Override
    public boolean next(TraceRecord r) {
        int p = pos;
        if (limit - p >= BinaryTrace.FIXED_ALLOC_BYTES) {
            int type = buf[p] & 0xff;
            if ((type == BinaryTrace.FIXED_PAGE_ALLOC || type == BinaryTrace.FIXED_PAGE_FREE) && version >= 2
                    && fixedPageRecord(r, p, type, false)) {
                return true;
            }
            if (limit - p >= FAST_BYTES && type <= PAGE_FREE_CODE && fastPageRecord(r)) {
                return true;
            }
        }
        return nextSlow(r);
    }

    /**
     * Decodes the next records into {@code b} (cleared first) until it is full, the trace ends ({@code b.end}) or
     * a record is bad ({@code b.failure}: the {@link InputException} {@link #next} would throw, with the same
     * message). Version 2 fixed page records whose bytes are buffered go straight into the arrays; every other
     * record takes the path of {@link #next} and is copied (page records) or kept whole ({@link RecordBatch#OTHER}).
     * Not to be mixed with {@link #next} on the same reader while a batch is in use elsewhere.
     */
    void fill(RecordBatch b) {
        b.clear(records + 1);
        int cap = b.capacity();
        try {
            while (b.size < cap) {
                int p = pos;
                if (limit - p >= BinaryTrace.FIXED_ALLOC_BYTES && version >= 2) {
                    int type = buf[p] & 0xff;
                    if ((type == BinaryTrace.FIXED_PAGE_ALLOC || type == BinaryTrace.FIXED_PAGE_FREE)
                            && fixedPageInto(b, p, type)) {
                        continue;
                    }
                }
                TraceRecord r = b.otherAt(b.size);
                if (!next(r)) {
                    b.end = true;
                    return;
                }
                if (r.type == TraceEventType.MM_PAGE_ALLOC || r.type == TraceEventType.MM_PAGE_FREE) {
                    b.addPage(r);
                } else {
                    b.kind[b.size++] = RecordBatch.OTHER;
                }
            }
        } catch (RuntimeException | Error e) {
            b.failure = e;
        }
    }

    /**
     * {@link #fixedPageRecord} into entry {@code b.size} of a batch: the same decode and the same range test; a
     * record out of range is left unread (false) for the path that reports it.
     */
    private boolean fixedPageInto(RecordBatch b, int p, int type) {
        byte[] bytes = buf;
        long w0 = (long) LONG_LE.get(bytes, p);
        long w1 = (long) LONG_LE.get(bytes, p + 8);
        long w2 = (long) LONG_LE.get(bytes, p + 16) & -(long) (type & 1 ^ 1);
        boolean alloc = type == BinaryTrace.FIXED_PAGE_ALLOC;
        long delta = (w0 >>> BinaryTrace.DELTA_SHIFT) & BinaryTrace.DELTA_MASK;
        long pidPlus1 = (w0 >>> BinaryTrace.PID_SHIFT) & BinaryTrace.PID_MASK;
        int migratetype = (int) (w1 >>> BinaryTrace.MIGRATETYPE_SHIFT);
        long next = time + delta;
        if (w0 < 0 || pidPlus1 > TextTraceReader.PID_MAX_LIMIT + 1L || migratetype > MAX_MIGRATETYPE
                || (!alloc && migratetype != 0) || (w2 >>> 32) != 0 || next < 0) {
            return false;
        }
        int i = b.size++;
        b.kind[i] = (byte) (type - BinaryTrace.FIXED_PAGE_ALLOC); // PAGE_ALLOC 0, PAGE_FREE 1
        b.pfn[i] = (w1 & BinaryTrace.PFN_MASK) - 1;
        b.cpu[i] = (int) ((w1 >>> BinaryTrace.CPU_SHIFT) & BinaryTrace.CPU_MASK);
        b.order[i] = (byte) ((w1 >>> BinaryTrace.ORDER_SHIFT) & BinaryTrace.ORDER_MASK);
        b.migratetype[i] = (byte) (alloc ? migratetype : -1);
        b.gfp[i] = (int) w2;
        b.time[i] = next;
        time = next;
        pos = p + (alloc ? BinaryTrace.FIXED_ALLOC_BYTES : BinaryTrace.FIXED_FREE_BYTES);
        records++;
        return true;
    }

    /**
     * A version 2 fixed page record at {@code buf[p]}, all of whose bytes are buffered: three (alloc) or two
     * (free) 64-bit reads, every field a shift and a mask of them, one range test for all. With {@code report}
     * false, a record with a field out of range is left unread (false) for {@link #nextSlow}, which calls this
     * again with {@code report} true to say which field is wrong.
     */
    private boolean fixedPageRecord(TraceRecord r, int p, int type, boolean report) {
        byte[] b = buf;
        long w0 = (long) LONG_LE.get(b, p);
        long w1 = (long) LONG_LE.get(b, p + 8);
        boolean alloc = type == BinaryTrace.FIXED_PAGE_ALLOC;
        // the third word is read for a free too (24 bytes are buffered, checked by the callers) and dropped: no
        // branch on the record's type, which is as random as the trace's mix of allocations and frees
        long w2 = (long) LONG_LE.get(b, p + 16) & -(long) (type & 1 ^ 1);
        long delta = (w0 >>> BinaryTrace.DELTA_SHIFT) & BinaryTrace.DELTA_MASK;
        long pidPlus1 = (w0 >>> BinaryTrace.PID_SHIFT) & BinaryTrace.PID_MASK;
        long pfnPlus1 = w1 & BinaryTrace.PFN_MASK;
        int cpu = (int) ((w1 >>> BinaryTrace.CPU_SHIFT) & BinaryTrace.CPU_MASK);
        int order = (int) ((w1 >>> BinaryTrace.ORDER_SHIFT) & BinaryTrace.ORDER_MASK);
        int migratetype = (int) (w1 >>> BinaryTrace.MIGRATETYPE_SHIFT);
        long next = time + delta;
        // cpu (13 bits), pfn (44 bits), order (4 bits) and gfp (32 bits) cannot be out of range
        if (w0 < 0 || pidPlus1 > TextTraceReader.PID_MAX_LIMIT + 1L || migratetype > MAX_MIGRATETYPE
                || (!alloc && migratetype != 0) || (w2 >>> 32) != 0 || next < 0) {
            if (report) {
                recordStart = base + p;
                throw fixedProblem(w0, pidPlus1, migratetype, alloc, w2, next);
            }
            return false;
        }
        if (r != clean) {
            r.reset(TraceEventType.MM_PAGE_ALLOC);
            clean = r;
        }
        r.type = alloc ? TraceEventType.MM_PAGE_ALLOC : TraceEventType.MM_PAGE_FREE;
        time = next;
        r.timeNanos = next;
        r.cpu = cpu;
        r.pid = (int) pidPlus1 - 1;
        r.pfn = pfnPlus1 - 1;
        r.order = order;
        r.migratetype = alloc ? migratetype : -1;
        r.gfp = (int) w2;
        pos = p + (alloc ? BinaryTrace.FIXED_ALLOC_BYTES : BinaryTrace.FIXED_FREE_BYTES);
        records++;
        r.lineNumber = records;
        return true;
    }

    private InputException fixedProblem(long w0, long pidPlus1, int migratetype, boolean alloc, long w2, long next) {
        String what = alloc ? "fixed mm_page_alloc record" : "fixed mm_page_free record";
        if (w0 < 0) {
            return recordProblem("field reserved (bit 63 of the first word) is 1, must be 0 in a " + what);
        }
        if (pidPlus1 > TextTraceReader.PID_MAX_LIMIT + 1L) {
            return recordProblem("field pid is " + (pidPlus1 - 1) + ", more than " + TextTraceReader.PID_MAX_LIMIT
                    + " (PID_MAX_LIMIT; a corrupt or foreign file)");
        }
        if (!alloc && migratetype != 0) {
            return recordProblem("field reserved (migratetype bits) is " + migratetype + ", must be 0 in a " + what);
        }
        if (migratetype > MAX_MIGRATETYPE) {
            return recordProblem("field migratetype is " + migratetype + ", more than " + MAX_MIGRATETYPE
                    + " (a corrupt or foreign file)");
        }
        if ((w2 >>> 32) != 0) {
            return recordProblem("field reserved (bits 32-63 of the gfp word) is 0x" + Long.toHexString(w2 >>> 32)
                    + ", must be 0 in a " + what);
        }
        return recordProblem("field time delta: the timestamp does not fit in 64 bits of nanoseconds");
    }

    /**
     * The page record fast path of the varint form: an {@code mm_page_alloc} or {@code mm_page_free} whose bytes are
     * all buffered, decoded with no end-of-buffer check per byte, only the fields it has stored, and one range test
     * for all of them. Any record it does not take (another type, a field out of range, a malformed varint) is left
     * unread for {@link #nextSlow}, which reads it, or reports it with the usual message.
     */
    private boolean fastPageRecord(TraceRecord r) {
        int start = pos;
        int type = buf[start] & 0xff;
        if (type > PAGE_FREE_CODE) {
            return false;
        }
        pos = start + 1;
        malformed = false;
        long delta = fastVarint();
        long cpu = fastVarint();
        long pidPlus1 = fastVarint();
        long pfnPlus1 = fastVarint();
        long order = fastVarint();
        long migratetype = -1;
        long gfp = 0;
        if (type == PAGE_ALLOC_CODE) {
            migratetype = fastVarint();
            gfp = fastVarint();
        }
        long step = (delta >>> 1) ^ -(delta & 1);
        long next = time + step;
        // every field in range, else the slow path says which is not (a malformed varint reads as -1)
        if ((cpu | pidPlus1 | pfnPlus1 | order | gfp) < 0 || cpu > TextTraceReader.MAX_CPUS - 1
                || pidPlus1 > TextTraceReader.PID_MAX_LIMIT + 1L || pfnPlus1 > TextTraceReader.PFN_LIMIT
                || order > TextTraceReader.MAX_ORDER_CEILING || migratetype > MAX_MIGRATETYPE || gfp > 0xffffffffL
                || ((time ^ next) & (step ^ next)) < 0 || next < 0 || (type == PAGE_ALLOC_CODE && migratetype < 0) || malformed) {
            pos = start;
            return false;
        }
        if (r != clean) {
            r.reset(TraceEventType.MM_PAGE_ALLOC);
            clean = r;
        }
        r.type = type == PAGE_ALLOC_CODE ? TraceEventType.MM_PAGE_ALLOC : TraceEventType.MM_PAGE_FREE;
        time = next;
        r.timeNanos = next;
        r.cpu = (int) cpu;
        r.pid = (int) pidPlus1 - 1;
        r.pfn = pfnPlus1 - 1;
        r.order = (int) order;
        r.migratetype = (int) migratetype;
        r.gfp = (int) gfp;
        records++;
        r.lineNumber = records;
        return true;
    }

    /**
     * A varint of at most 10 bytes, all buffered; sets {@link #malformed} when it has more (the slow path reports
     * it). A byte-at-a-time loop: a branchless decode from one 64-bit read measured no faster
     * (docs/performance.md, "replay"), as each varint's start depends on the previous one's length anyway.
     */
    private long fastVarint() {
        byte[] b = buf;
        int p = pos;
        int x = b[p];
        if (x >= 0) {
            pos = p + 1;
            return x;
        }
        long v = x & 0x7f;
        for (int shift = 7; shift < 64; shift += 7) {
            x = b[++p];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                pos = p + 1;
                return v;
            }
        }
        pos = p + 1;
        malformed = true;
        return -1;
    }

    private boolean nextSlow(TraceRecord r) {
        if (ended) {
            return false;
        }
        clean = null;
        try {
            while (true) {
                recordStart = base + pos;
                int type = read();
                if (type < 0) {
                    throw problem("truncated trace: no end record after " + records + " records (at byte " + recordStart + ")");
                }
                if (type == BinaryTrace.END_RECORD) {
                    long expected = varint("record count of the end record");
                    if (expected != records) {
                        throw problem("end record (at byte " + recordStart + ") says " + expected + " records but "
                                + records + " were read");
                    }
                    ended = true;
                    pos = limit; // nothing after the end record is read, by either path
                    return false;
                }
                if (type == BinaryTrace.NAME_RECORD) {
                    long index = varint("cache name index");
                    int length = (int) field("cache name length", 4096);
                    if (index != names.size()) {
                        throw problem("cache name #" + Long.toUnsignedString(index) + " (at byte " + recordStart
                                + ") defined out of order: expected #" + names.size());
                    }
                    byte[] name = readBytes(length);
                    if (name.length < length) {
                        throw recordProblem("truncated in field cache name: " + length + " bytes, " + name.length + " present");
                    }
                    names.add(new String(name, StandardCharsets.UTF_8));
                    continue;
                }
                if ((type == BinaryTrace.FIXED_PAGE_ALLOC || type == BinaryTrace.FIXED_PAGE_FREE) && version >= 2) {
                    int n = type == BinaryTrace.FIXED_PAGE_ALLOC ? BinaryTrace.FIXED_ALLOC_BYTES : BinaryTrace.FIXED_FREE_BYTES;
                    pos--; // the record is decoded from its type byte on
                    if (!ensure(n)) {
                        throw recordProblem("truncated " + (type == BinaryTrace.FIXED_PAGE_ALLOC ? "fixed mm_page_alloc"
                                : "fixed mm_page_free") + " record: " + n + " bytes, " + (limit - pos) + " present (in field "
                                + fixedFieldAt(limit - pos) + ")");
                    }
                    if (pos + BinaryTrace.FIXED_ALLOC_BYTES > buf.length) {
                        compact(); // fixedPageRecord reads 24 bytes of the array whatever the record's size
                    }
                    return fixedPageRecord(r, pos, type, true);
                }
                TraceEventType t = TraceEventType.ofCode(type);
                if (t == null) {
                    throw recordProblem("unknown record type " + type + (version == 1 && type >= BinaryTrace.FIXED_PAGE_ALLOC
                            && type <= BinaryTrace.FIXED_PAGE_FREE ? " (fixed page records are version 2; this file says version 1)" : ""));
                }
                readRecord(t, r);
                records++;
                r.lineNumber = records;
                return true;
            }
        } catch (IOException e) {
            throw problem("cannot read: " + TraceInput.reason(e));
        }
    }

    /** The field of a fixed page record that its byte {@code at} (0-based, from the type byte) belongs to. */
    private static String fixedFieldAt(int at) {
        if (at < 5) {
            return "time delta";
        }
        if (at < 8) {
            return "pid";
        }
        if (at < 14) {
            return "pfn";
        }
        if (at < 16) {
            return "cpu/order/migratetype";
        }
        return "gfp_flags";
    }

    private void readRecord(TraceEventType t, TraceRecord r) throws IOException {
        r.reset(t);
        long delta = varint("time delta");
        long step = (delta >>> 1) ^ -(delta & 1);
        long next = time + step;
        if (((time ^ next) & (step ^ next)) < 0 || next < 0) {
            throw recordProblem("field time delta: the timestamp does not fit in 64 bits of nanoseconds");
        }
        time = next;
        r.timeNanos = time;
        r.cpu = (int) field("cpu", TextTraceReader.MAX_CPUS - 1);
        r.pid = (int) field("pid", TextTraceReader.PID_MAX_LIMIT + 1L) - 1;
        switch (t) {
            case MM_PAGE_ALLOC, MM_PAGE_ALLOC_ZONE_LOCKED, MM_PAGE_PCPU_DRAIN -> {
                r.pfn = field("pfn", TextTraceReader.PFN_LIMIT) - 1;
                r.order = (int) field("order", TextTraceReader.MAX_ORDER_CEILING);
                r.migratetype = (int) field("migratetype", MAX_MIGRATETYPE);
                if (t == TraceEventType.MM_PAGE_ALLOC) {
                    r.gfp = (int) field("gfp_flags", 0xffffffffL);
                } else if (t == TraceEventType.MM_PAGE_ALLOC_ZONE_LOCKED) {
                    r.percpuRefill = (int) field("percpu_refill", 2) - 1;
                }
            }
            case MM_PAGE_FREE, MM_PAGE_FREE_BATCHED -> {
                r.pfn = field("pfn", TextTraceReader.PFN_LIMIT) - 1;
                r.order = (int) field("order", TextTraceReader.MAX_ORDER_CEILING);
            }
            case MM_PAGE_ALLOC_EXTFRAG -> {
                r.pfn = field("pfn", TextTraceReader.PFN_LIMIT) - 1;
                r.order = (int) field("alloc_order", TextTraceReader.MAX_ORDER_CEILING);
                r.fallbackOrder = (int) field("fallback_order", TextTraceReader.MAX_ORDER_CEILING);
                r.pageblockOrder = (int) field("pageblock_order", TextTraceReader.MAX_ORDER_CEILING + 1L) - 1;
                r.migratetype = (int) field("alloc_migratetype", MAX_MIGRATETYPE);
                r.fallbackMigratetype = (int) field("fallback_migratetype", MAX_MIGRATETYPE);
                int flags = read();
                if (flags < 0) {
                    throw recordProblem("truncated in field flags");
                }
                if (flags > 3) {
                    throw recordProblem("field flags is " + flags + ", more than 3 (bit 0 fragmenting, bit 1 change_ownership)");
                }
                r.fragmenting = flags & 1;
                r.changeOwnership = (flags >> 1) & 1;
            }
            case KMALLOC, KMEM_CACHE_ALLOC -> {
                r.ptr = u64("ptr");
                r.bytesReq = field("bytes_req", Long.MAX_VALUE) - 1;
                r.bytesAlloc = field("bytes_alloc", Long.MAX_VALUE) - 1;
                r.gfp = (int) field("gfp_flags", 0xffffffffL);
                r.node = (int) field("node", 1024) - 1;
                r.accounted = (int) field("accounted", 2) - 1;
            }
            case KFREE -> r.ptr = u64("ptr");
            case KMEM_CACHE_FREE -> {
                r.ptr = u64("ptr");
                int index = (int) field("cache name index", names.size()) - 1;
                r.cacheName = index < 0 ? null : names.get(index);
            }
            default -> throw recordProblem("record type " + t.kernelName() + " is not part of the binary format");
        }
    }

    /** A varint field that must be at most {@code max} (no value wraps into a smaller type). */
    private long field(String name, long max) throws IOException {
        long v = varint(name);
        if (v < 0 || v > max) {
            throw recordProblem("field " + name + " is " + Long.toUnsignedString(v) + ", more than " + max
                    + " (a corrupt or foreign file)");
        }
        return v;
    }

    /** The next byte (0–255), or −1 at the end of the stream. */
    private int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** Reads more bytes after the unread ones, moved to the front of the buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        compact();
        int n = in.read(buf, limit, buf.length - limit);
        if (n <= 0) {
            return false;
        }
        limit += n;
        return true;
    }

    /** Moves the unread bytes to the front of the buffer. */
    private void compact() {
        if (pos > 0) {
            int keep = limit - pos;
            System.arraycopy(buf, pos, buf, 0, keep);
            base += pos;
            pos = 0;
            limit = keep;
        }
    }

    /** At least {@code n} bytes buffered from {@code pos} on; false when the stream ends first. */
    private boolean ensure(int n) throws IOException {
        while (limit - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Up to {@code n} bytes: fewer only at the end of the stream. */
    private byte[] readBytes(int n) throws IOException {
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            if (pos == limit && !fill()) {
                return Arrays.copyOf(b, i);
            }
            int chunk = Math.min(n - i, limit - pos);
            System.arraycopy(buf, pos, b, i, chunk);
            pos += chunk;
            i += chunk;
        }
        return b;
    }

    private long varint(String name) throws IOException {
        if (limit - pos >= 10) { // a whole varint is buffered: no end-of-buffer check per byte
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = buf[pos++];
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw recordProblem("malformed varint in field " + name + " (more than 10 bytes)");
        }
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = read();
            if (b < 0) {
                throw recordProblem("truncated in field " + name);
            }
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw recordProblem("malformed varint in field " + name + " (more than 10 bytes)");
    }

    private long u64(String name) throws IOException {
        if (!ensure(8)) {
            throw recordProblem("truncated in field " + name + ": 8 bytes, " + (limit - pos) + " present");
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        return v;
    }

    /** A problem with the record being read: its number and byte offset, then {@code message}. */
    private InputException recordProblem(String message) {
        return problem("record " + (records + 1) + " (at byte " + recordStart + "): " + message);
    }

    private InputException problem(String message) {
        return new InputException(new InputProblem(source, 0, 0, "", message));
    }

    @Override
    public long position() {
        return records;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Map<String, Long> skipped() {
        return Map.of();
    }

    @Override
    public long otherEvents() {
        return 0;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw problem("cannot close: " + e.getMessage());
        }
    }
}
