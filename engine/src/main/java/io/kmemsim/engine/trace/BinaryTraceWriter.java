package io.kmemsim.engine.trace;

import io.kmemsim.api.kernel.KernelVersion;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Writes kmemsim's binary trace format (see {@link BinaryTrace}). Not thread-safe. */
public final class BinaryTraceWriter implements AutoCloseable {

    private final OutputStream out;
    private final Map<String, Integer> names = new HashMap<>();
    private long lastTime;
    private long count;

    /** Starts a trace of {@code kernel} on {@code out} (which this writer closes). */
    public BinaryTraceWriter(OutputStream out, KernelVersion kernel) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        try {
            this.out.write(BinaryTrace.MAGIC);
            this.out.write(BinaryTrace.VERSION);
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
            out.write(r.type.ordinal());
            zigzag(r.timeNanos - lastTime);
            lastTime = r.timeNanos;
            varint(r.cpu);
            varint(r.pid + 1L);
            switch (r.type) {
                case MM_PAGE_ALLOC -> pageFields(r, true, r.gfp);
                case MM_PAGE_FREE, MM_PAGE_FREE_BATCHED -> pageFields(r, false, 0);
                case MM_PAGE_ALLOC_ZONE_LOCKED -> {
                    pageFields(r, true, -1);
                    varint(r.percpuRefill + 1L);
                }
                case MM_PAGE_PCPU_DRAIN -> pageFields(r, true, -1);
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

    private void pageFields(TraceRecord r, boolean withType, int gfp) throws IOException {
        varint(r.pfn + 1);
        varint(r.order);
        if (withType) {
            varint(r.migratetype);
        }
        if (gfp != -1 && r.type == TraceEventType.MM_PAGE_ALLOC) {
            varint(gfp & 0xffffffffL);
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
