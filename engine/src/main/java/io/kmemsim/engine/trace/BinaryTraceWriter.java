package io.kmemsim.engine.trace;

import io.kmemsim.api.kernel.KernelVersion;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes kmemsim's binary trace format (see {@link BinaryTrace}), version 2 unless told otherwise. Not thread-safe.
 *
 * <p>Version 2 writes {@code mm_page_alloc} and {@code mm_page_free} in the fixed form (24 and 16 bytes) when their
 * values fit it, else in the general (varint) form, which is version 1's; every other event in the general form.
 */
public final class BinaryTraceWriter implements AutoCloseable {

    /** The version written by default: the newest. */
    public static final int DEFAULT_VERSION = BinaryTrace.VERSION;

    private final OutputStream out;
    private final int version;
    private final byte[] fixed = new byte[BinaryTrace.FIXED_ALLOC_BYTES];
    private final Map<String, Integer> names = new HashMap<>();
    private long lastTime;
    private long count;

    /** Starts a trace of {@code kernel} on {@code out} (which this writer closes), in the newest version. */
    public BinaryTraceWriter(OutputStream out, KernelVersion kernel) {
        this(out, kernel, DEFAULT_VERSION);
    }

    /**
     * Starts a trace of {@code kernel} on {@code out} (which this writer closes) in format {@code version}: 2, or 1
     * for readers of kmemsim before version 2 (no fixed page records: larger files, slower to read).
     */
    public BinaryTraceWriter(OutputStream out, KernelVersion kernel, int version) {
        if (version < BinaryTrace.OLDEST_VERSION || version > BinaryTrace.VERSION) {
            throw new IllegalArgumentException("binary trace version must be " + BinaryTrace.OLDEST_VERSION + " or "
                    + BinaryTrace.VERSION + ": " + version);
        }
        this.version = version;
        this.out = new BufferedOutputStream(out, 1 << 16);
        try {
            this.out.write(BinaryTrace.MAGIC);
            this.out.write(version);
            byte[] k = kernel.toString().getBytes(StandardCharsets.US_ASCII);
            this.out.write(k.length);
            this.out.write(k);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends one record. */
    public void write(TraceRecord r) {
        try {
            int nameIndex = -1;
            if (r.cacheName != null) {
                nameIndex = names.computeIfAbsent(r.cacheName, this::defineName);
            }
            if (version >= 2 && fixedPageRecord(r)) {
                count++;
                return;
            }
            out.write(r.type.ordinal());
            zigzag(r.timeNanos - lastTime);
            lastTime = r.timeNanos;
            varint(r.cpu);
            varint(r.pid + 1L);
            switch (r.type) {
                case MM_PAGE_ALLOC -> {
                    pageFields(r, true);
                    varint(r.gfp & 0xffffffffL); // all 32 bits (before version 2, a gfp of 0xffffffff was left out)
                }
                case MM_PAGE_FREE, MM_PAGE_FREE_BATCHED -> pageFields(r, false);
                case MM_PAGE_ALLOC_ZONE_LOCKED -> {
                    pageFields(r, true);
                    varint(r.percpuRefill + 1L);
                }
                case MM_PAGE_PCPU_DRAIN -> pageFields(r, true);
                case MM_PAGE_ALLOC_EXTFRAG -> extfrag(r);
                case KMALLOC, KMEM_CACHE_ALLOC -> {
                    u64(r.ptr);
                    varint(r.bytesReq + 1);
                    varint(r.bytesAlloc + 1);
                    varint(r.gfp & 0xffffffffL);
                    varint(r.node + 1L);
                    varint(r.accounted + 1L);
                }
                case KFREE -> u64(r.ptr);
                case KMEM_CACHE_FREE -> {
                    u64(r.ptr);
                    varint(nameIndex + 1L);
                }
            }
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code r} as a fixed page record when it is one and its values fit; false when not written. */
    private boolean fixedPageRecord(TraceRecord r) throws IOException {
        boolean alloc = r.type == TraceEventType.MM_PAGE_ALLOC;
        if (!alloc && r.type != TraceEventType.MM_PAGE_FREE) {
            return false;
        }
        long delta = r.timeNanos - lastTime;
        long pidPlus1 = r.pid + 1L;
        long pfnPlus1 = r.pfn + 1;
        long migratetype = alloc ? r.migratetype : 0;
        if (delta < 0 || delta > BinaryTrace.DELTA_MASK || pidPlus1 < 0 || pidPlus1 > BinaryTrace.PID_MASK
                || pfnPlus1 < 0 || pfnPlus1 > BinaryTrace.PFN_MASK || r.cpu < 0 || r.cpu > BinaryTrace.CPU_MASK
                || r.order < 0 || r.order > BinaryTrace.ORDER_MASK || migratetype < 0 || migratetype > 7) {
            return false;
        }
        int type = alloc ? BinaryTrace.FIXED_PAGE_ALLOC : BinaryTrace.FIXED_PAGE_FREE;
        long w0 = type | delta << BinaryTrace.DELTA_SHIFT | pidPlus1 << BinaryTrace.PID_SHIFT;
        long w1 = pfnPlus1 | (long) r.cpu << BinaryTrace.CPU_SHIFT | (long) r.order << BinaryTrace.ORDER_SHIFT
                | migratetype << BinaryTrace.MIGRATETYPE_SHIFT;
        littleEndian(w0, 0);
        littleEndian(w1, 8);
        int n = BinaryTrace.FIXED_FREE_BYTES;
        if (alloc) {
            littleEndian(r.gfp & 0xffffffffL, 16);
            n = BinaryTrace.FIXED_ALLOC_BYTES;
        }
        out.write(fixed, 0, n);
        lastTime = r.timeNanos;
        return true;
    }

    private void littleEndian(long v, int at) {
        for (int i = 0; i < 8; i++) {
            fixed[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private void pageFields(TraceRecord r, boolean withType) throws IOException {
        varint(r.pfn + 1);
        varint(r.order);
        if (withType) {
            varint(r.migratetype);
        }
    }

    private void extfrag(TraceRecord r) throws IOException {
        varint(r.pfn + 1);
        varint(r.order);
        varint(r.fallbackOrder);
        varint(r.pageblockOrder + 1L);
        varint(r.migratetype);
        varint(r.fallbackMigratetype);
        out.write((r.fragmenting == 1 ? 1 : 0) | (r.changeOwnership == 1 ? 2 : 0));
    }

    private int defineName(String name) {
        int index = names.size();
        try {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            out.write(BinaryTrace.NAME_RECORD);
            varint(index);
            varint(b.length);
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return index;
    }

    private void varint(long v) throws IOException {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void zigzag(long v) throws IOException {
        varint((v << 1) ^ (v >> 63));
    }

    private void u64(long v) throws IOException {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
    }

    /** Records written so far. */
    public long count() {
        return count;
    }

    /** Writes the end record and closes the stream. */
    @Override
    public void close() {
        try {
            out.write(BinaryTrace.END_RECORD);
            varint(count);
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
