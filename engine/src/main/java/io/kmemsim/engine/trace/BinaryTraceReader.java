package io.kmemsim.engine.trace;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads kmemsim's binary trace format (see {@link BinaryTrace}). Not thread-safe. */
final class BinaryTraceReader implements TraceReader {

    private final InputStream in;
    private final String source;
    private final String kernel;
    private final List<String> names = new ArrayList<>();
    private long records;
    private long time;
    private boolean ended;

    BinaryTraceReader(InputStream raw, String source) {
        this.in = new BufferedInputStream(raw, 1 << 16);
        this.source = source;
        try {
            byte[] magic = in.readNBytes(8);
            if (!java.util.Arrays.equals(magic, BinaryTrace.MAGIC)) {
                throw problem("not a kmemsim binary trace (expected magic KMSTRACE)");
            }
            int version = in.read();
            if (version != BinaryTrace.VERSION) {
                throw problem("unsupported binary trace version " + version + " (this kmemsim reads version 1)");
            }
            int len = in.read();
            kernel = new String(in.readNBytes(Math.max(len, 0)), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source, e);
        }
    }

    /** The kernel version the trace was recorded or converted for. */
    String kernel() {
        return kernel;
    }

    @Override
    public boolean next(TraceRecord r) {
        if (ended) {
            return false;
        }
        try {
            while (true) {
                int type = in.read();
                if (type < 0) {
                    throw problem("truncated trace: no end record after " + records + " records");
                }
                if (type == BinaryTrace.END_RECORD) {
                    long expected = varint();
                    if (expected != records) {
                        throw problem("end record says " + expected + " records but " + records + " were read");
                    }
                    ended = true;
                    return false;
                }
                if (type == BinaryTrace.NAME_RECORD) {
                    int index = (int) varint();
                    int length = (int) varint();
                    if (index != names.size()) {
                        throw problem("cache name #" + index + " defined out of order");
                    }
                    names.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
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
            throw new UncheckedIOException("reading " + source, e);
        }
    }

    private void readRecord(TraceEventType t, TraceRecord r) throws IOException {
        r.reset(t);
        long delta = varint();
        time += (delta >>> 1) ^ -(delta & 1);
        r.timeNanos = time;
        r.cpu = (int) varint();
        r.pid = (int) varint() - 1;
        switch (t) {
            case MM_PAGE_ALLOC, MM_PAGE_ALLOC_ZONE_LOCKED, MM_PAGE_PCPU_DRAIN -> {
                r.pfn = varint() - 1;
                r.order = (int) varint();
                r.migratetype = (int) varint();
                if (t == TraceEventType.MM_PAGE_ALLOC) {
                    r.gfp = (int) varint();
                } else if (t == TraceEventType.MM_PAGE_ALLOC_ZONE_LOCKED) {
                    r.percpuRefill = (int) varint() - 1;
                }
            }
            case MM_PAGE_FREE, MM_PAGE_FREE_BATCHED -> {
                r.pfn = varint() - 1;
                r.order = (int) varint();
            }
            case MM_PAGE_ALLOC_EXTFRAG -> {
                r.pfn = varint() - 1;
                r.order = (int) varint();
                r.fallbackOrder = (int) varint();
                r.pageblockOrder = (int) varint() - 1;
                r.migratetype = (int) varint();
                r.fallbackMigratetype = (int) varint();
                int flags = in.read();
                r.fragmenting = flags & 1;
                r.changeOwnership = (flags >> 1) & 1;
            }
            case KMALLOC, KMEM_CACHE_ALLOC -> {
                r.ptr = u64();
                r.bytesReq = varint() - 1;
                r.bytesAlloc = varint() - 1;
                r.gfp = (int) varint();
                r.node = (int) varint() - 1;
                r.accounted = (int) varint() - 1;
            }
            case KFREE -> r.ptr = u64();
            case KMEM_CACHE_FREE -> {
                r.ptr = u64();
                int index = (int) varint() - 1;
                if (index >= names.size()) {
                    throw problem("cache name #" + index + " used before it was defined");
                }
                r.cacheName = index < 0 ? null : names.get(index);
            }
        }
    }

    private long varint() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
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
        byte[] b = in.readNBytes(8);
        if (b.length < 8) {
            throw problem("truncated record " + (records + 1));
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
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
            throw new UncheckedIOException("closing " + source, e);
        }
    }
}
