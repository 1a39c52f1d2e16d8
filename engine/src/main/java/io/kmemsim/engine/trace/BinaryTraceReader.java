package io.kmemsim.engine.trace;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads kmemsim's binary trace format (see {@link BinaryTrace}). Not thread-safe.
 *
 * <p>Buffers the stream itself (64 KiB) and decodes bytes straight from that array: no lock and no
 * allocation per byte or record (a {@code BufferedInputStream} takes a lock on every {@code read()}).
 * Page alloc/free records, the bulk of a trace, take a fast path ({@link #fastPageRecord}) that stores only
 * their own fields when the record it fills was filled by that path last time, so a caller that reuses one
 * record must not change it between calls (the readers' callers only read it).
 */
final class BinaryTraceReader implements TraceReader {

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
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
    /**
     * The record the fast path filled last, whose fields other than the page fields still hold
     * {@link TraceRecord#reset}'s values; null after the slow path filled one.
     */
    private TraceRecord clean;
    private boolean malformed;
    private final List<String> names = new ArrayList<>();
    private long records;
    private long time;
    private boolean ended;

    BinaryTraceReader(InputStream raw, String source) {
        this.in = raw;
        this.source = source;
        try {
            byte[] magic = readBytes(8);
            if (!Arrays.equals(magic, BinaryTrace.MAGIC)) {
                throw problem("not a kmemsim binary trace (expected magic KMSTRACE)");
            }
            int version = read();
            if (version != BinaryTrace.VERSION) {
                throw problem("unsupported binary trace version " + version + " (this kmemsim reads version 1)");
            }
            int len = read();
            if (len < 0) {
                throw problem("truncated header");
            }
            kernel = new String(readBytes(len), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw problem("cannot read: " + TraceInput.reason(e));
        }
    }

    /** The kernel version the trace was recorded or converted for. */
    String kernel() {
        return kernel;
    }

    @Override
    public boolean next(TraceRecord r) {
        if (limit - pos >= FAST_BYTES && fastPageRecord(r)) {
            return true;
        }
        return nextSlow(r);
    }

    /**
     * The page record fast path: an {@code mm_page_alloc} or {@code mm_page_free} whose bytes are all buffered,
     * decoded with no end-of-buffer check per byte, only the fields it has stored, and one range test for all
     * of them. Any record it does not take (another type, a field out of range, a malformed varint) is left
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
                int type = read();
                if (type < 0) {
                    throw problem("truncated trace: no end record after " + records + " records");
                }
                if (type == BinaryTrace.END_RECORD) {
                    long expected = varint();
                    if (expected != records) {
                        throw problem("end record says " + expected + " records but " + records + " were read");
                    }
                    ended = true;
                    pos = limit; // nothing after the end record is read, by either path
                    return false;
                }
                if (type == BinaryTrace.NAME_RECORD) {
                    long index = varint();
                    int length = (int) field("cache name length", 4096);
                    if (index != names.size()) {
                        throw problem("cache name #" + Long.toUnsignedString(index) + " defined out of order");
                    }
                    names.add(new String(readBytes(length), StandardCharsets.UTF_8));
                    continue;
                }
                TraceEventType t = TraceEventType.ofCode(type);
                if (t == null) {
                    throw problem("unknown record type " + type + " at record " + (records + 1));
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

    private void readRecord(TraceEventType t, TraceRecord r) throws IOException {
        r.reset(t);
        long delta = varint();
        long step = (delta >>> 1) ^ -(delta & 1);
        long next = time + step;
        if (((time ^ next) & (step ^ next)) < 0 || next < 0) {
            throw problem("record " + (records + 1) + ": timestamp does not fit in 64 bits of nanoseconds");
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
                    throw problem("truncated record " + (records + 1));
                }
                r.fragmenting = flags & 1;
                r.changeOwnership = (flags >> 1) & 1;
            }
            case KMALLOC, KMEM_CACHE_ALLOC -> {
                r.ptr = u64();
                r.bytesReq = field("bytes_req", Long.MAX_VALUE) - 1;
                r.bytesAlloc = field("bytes_alloc", Long.MAX_VALUE) - 1;
                r.gfp = (int) field("gfp_flags", 0xffffffffL);
                r.node = (int) field("node", 1024) - 1;
                r.accounted = (int) field("accounted", 2) - 1;
            }
            case KFREE -> r.ptr = u64();
            case KMEM_CACHE_FREE -> {
                r.ptr = u64();
                int index = (int) field("cache name index", names.size()) - 1;
                r.cacheName = index < 0 ? null : names.get(index);
            }
            default -> throw problem("record type " + t.kernelName() + " is not part of the binary format");
        }
    }

    /** A varint field that must be at most {@code max} (no value wraps into a smaller type). */
    private long field(String name, long max) throws IOException {
        long v = varint();
        if (v < 0 || v > max) {
            throw problem("record " + (records + 1) + ": field " + name + " is " + Long.toUnsignedString(v)
                    + ", more than " + max + " (a corrupt or foreign file)");
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

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
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

    private long varint() throws IOException {
        if (limit - pos >= 10) { // a whole varint is buffered: no end-of-buffer check per byte
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = buf[pos++];
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw problem("malformed varint in record " + (records + 1));
        }
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = read();
            if (b < 0) {
                throw problem("truncated record " + (records + 1));
            }
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw problem("malformed varint in record " + (records + 1));
    }

    private long u64() throws IOException {
        if (limit - pos >= 8) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xff);
            }
            return v;
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int b = read();
            if (b < 0) {
                throw problem("truncated record " + (records + 1));
            }
            v = (v << 8) | b;
        }
        return v;
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
