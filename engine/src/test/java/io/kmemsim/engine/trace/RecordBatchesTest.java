package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Batches ({@link BinaryTraceReader#fill}, {@link RecordBatches}) against the reader's record-at-a-time path: the
 * same records in the same order with the same numbers, on both format versions, at every batch and buffer size,
 * on the caller's thread and on the decode thread; a bad record ends the batches with the same error after the
 * same good records.
 */
class RecordBatchesTest {

    private static final KernelVersion V6_1 = KernelVersion.parse("6.1");

    /** A seeded mix of page, extfrag and slab records (the records the binary format holds). */
    private static List<TraceRecord> mixedRecords(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TraceRecord> out = new ArrayList<>();
        long t = 1_000_000_000L;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(1, 40_000);
            TraceRecord rec = new TraceRecord();
            int what = r.nextInt(10);
            TraceEventType type = what < 4 ? TraceEventType.MM_PAGE_ALLOC : what < 7 ? TraceEventType.MM_PAGE_FREE
                    : what == 7 ? TraceEventType.MM_PAGE_ALLOC_EXTFRAG : what == 8 ? TraceEventType.KMALLOC : TraceEventType.KFREE;
            rec.reset(type);
            rec.timeNanos = t;
            rec.cpu = r.nextInt(8);
            rec.pid = r.nextInt(40_000);
            switch (type) {
                case MM_PAGE_ALLOC -> {
                    rec.pfn = r.nextInt(20) == 0 ? -1 : r.nextLong(1, 1L << 30);
                    rec.order = r.nextInt(11);
                    rec.migratetype = r.nextInt(3);
                    rec.gfp = 0xcc0;
                }
                case MM_PAGE_FREE -> {
                    rec.pfn = r.nextLong(1, 1L << 30);
                    rec.order = r.nextInt(11);
                }
                case MM_PAGE_ALLOC_EXTFRAG -> {
                    rec.pfn = r.nextLong(1, 1L << 30);
                    rec.order = 0;
                    rec.fallbackOrder = 9;
                    rec.pageblockOrder = 9;
                    rec.migratetype = 0;
                    rec.fallbackMigratetype = 1;
                    rec.fragmenting = 0;
                    rec.changeOwnership = 1;
                }
                case KMALLOC -> {
                    rec.ptr = 0xffff000000000000L | r.nextInt(1 << 30);
                    rec.bytesReq = 40;
                    rec.bytesAlloc = 64;
                    rec.gfp = 0xcc0;
                    rec.node = -1;
                    rec.accounted = 0;
                }
                default -> rec.ptr = 0xffff000000000000L | r.nextInt(1 << 30);
            }
            out.add(rec);
        }
        return out;
    }

    static byte[] write(List<TraceRecord> records, int version) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BinaryTraceWriter w = new BinaryTraceWriter(bytes, V6_1, version)) {
            records.forEach(w::write);
        }
        return bytes.toByteArray();
    }

    /** What replay reads of a record (a page record's pid is not kept in a batch), with its number. */
    private static String shown(TraceRecord r) {
        boolean page = r.type == TraceEventType.MM_PAGE_ALLOC || r.type == TraceEventType.MM_PAGE_FREE;
        return "#" + r.lineNumber + " " + r.type + " t=" + r.timeNanos + " cpu=" + r.cpu + (page ? "" : " pid=" + r.pid)
                + " pfn=" + r.pfn + " order=" + r.order + " mt=" + r.migratetype + " gfp=" + r.gfp + " fallback=" + r.fallbackOrder
                + " pageblock=" + r.pageblockOrder + " ptr=" + r.ptr + " req=" + r.bytesReq + " node=" + r.node;
    }

    /** The records one at a time, then the error that ended them ("end" when none). */
    private static List<String> byRecord(byte[] file) {
        List<String> out = new ArrayList<>();
        try (BinaryTraceReader b = new BinaryTraceReader(new ByteArrayInputStream(file), "t.bin")) {
            TraceRecord rec = new TraceRecord();
            while (b.next(rec)) {
                out.add(shown(rec));
            }
            out.add("end");
        } catch (InputException e) {
            out.add("error: " + e.getMessage());
        }
        return out;
    }

    /** The records as batches give them, then the error that ended them ("end" when none). */
    private static List<String> byBatch(byte[] file, boolean threaded, int batchSize, int bufferSize) {
        List<String> out = new ArrayList<>();
        BinaryTraceReader reader = new BinaryTraceReader(new ByteArrayInputStream(file), "t.bin", bufferSize);
        try (RecordBatches batches = new RecordBatches(reader, threaded, batchSize)) {
            RecordBatch b;
            while ((b = batches.next()) != null) {
                for (int i = 0; i < b.size; i++) {
                    TraceRecord rec;
                    if (b.kind[i] == RecordBatch.OTHER) {
                        rec = b.other[i];
                        assertThat(rec.lineNumber).isEqualTo(b.firstRecord + i);
                    } else {
                        rec = new TraceRecord();
                        rec.reset(TraceEventType.MM_PAGE_ALLOC);
                        b.copyPage(i, rec);
                    }
                    out.add(shown(rec));
                }
                if (b.failure != null) {
                    out.add("error: " + b.failure.getMessage());
                } else if (b.end) {
                    out.add("end");
                }
            }
        }
        return out;
    }

    @Test
    @DisplayName("both versions, batches of 1 to 1024 records, every buffer size from one fixed record up: the same records as one at a time")
    void batches_sameRecordsAsOneAtATime() {
        List<TraceRecord> records = mixedRecords(3000, 7);
        for (int version = 1; version <= 2; version++) {
            byte[] file = write(records, version);
            List<String> expected = byRecord(file);
            assertThat(expected).hasSize(3001).endsWith("end");
            for (int batch : new int[] {1, 7, 1024}) {
                for (boolean threaded : new boolean[] {false, true}) {
                    assertThat(byBatch(file, threaded, batch, 1 << 18)).as("v%d batch %d threaded %s", version, batch, threaded)
                            .isEqualTo(expected);
                }
            }
            byte[] small = write(records.subList(0, 300), version);
            List<String> smallExpected = byRecord(small);
            for (int buffer = 24; buffer <= 100; buffer++) {
                assertThat(byBatch(small, false, 64, buffer)).as("v%d buffer %d", version, buffer).isEqualTo(smallExpected);
            }
        }
    }

    @Test
    @DisplayName("a bad record after several batches: the good records before it, then the record-at-a-time error, on both threads")
    void badRecordMidFile_sameErrorAfterTheSameRecords() {
        List<TraceRecord> pages = new ArrayList<>();
        for (TraceRecord r : mixedRecords(6000, 3)) {
            if (r.type == TraceEventType.MM_PAGE_ALLOC && r.pfn >= 0 || r.type == TraceEventType.MM_PAGE_FREE) {
                pages.add(r);
            }
        }
        byte[] file = write(pages, 2);
        // fixed records only: walk to record 2500 and set bit 63 of its first word (reserved)
        int at = 8 + 1 + 1 + file[9];
        for (int i = 1; i < 2500; i++) {
            at += file[at] == BinaryTrace.FIXED_PAGE_ALLOC ? BinaryTrace.FIXED_ALLOC_BYTES : BinaryTrace.FIXED_FREE_BYTES;
        }
        byte[] bad = file.clone();
        bad[at + 7] |= (byte) 0x80;
        List<String> expected = byRecord(bad);
        assertThat(expected).hasSize(2500);
        assertThat(expected.get(2499)).contains("record 2500 (at byte " + at + "): field reserved (bit 63 of the first word) is 1");
        for (boolean threaded : new boolean[] {false, true}) {
            assertThat(byBatch(bad, threaded, 1024, 1 << 18)).as("threaded %s", threaded).isEqualTo(expected);
        }
        byte[] cut = java.util.Arrays.copyOf(file, at + 10);
        List<String> cutExpected = byRecord(cut);
        assertThat(cutExpected.get(cutExpected.size() - 1)).contains("record 2500 (at byte " + at + "): truncated");
        assertThat(byBatch(cut, true, 1024, 1 << 18)).isEqualTo(cutExpected);
    }

    @Test
    @DisplayName("closing while the decode thread is ahead stops it and closes the file; a workload rethrows a batch's error")
    void closeMidStream_andErrorThroughTheWorkload() {
        byte[] file = write(mixedRecords(20_000, 9), 2);
        for (int i = 0; i < 20; i++) {
            RecordBatches batches = new RecordBatches(new BinaryTraceReader(new ByteArrayInputStream(file), "t.bin"), true, 64);
            assertThat(batches.next().size).isEqualTo(64);
            batches.close();
        }
        byte[] cut = java.util.Arrays.copyOf(file, file.length / 2);
        BinaryTraceReader reader = new BinaryTraceReader(new ByteArrayInputStream(cut), "t.bin");
        RecordBatches batches = new RecordBatches(reader, true, 256);
        try (TraceWorkload w = new TraceWorkload(reader, batches, TraceWorkload.Mode.POLICY, 8, 10, 0, true)) {
            io.kmemsim.api.workload.Event e = new io.kmemsim.api.workload.Event();
            assertThatThrownBy(() -> {
                while (w.next(e)) {
                    w.allocationFailed(-1);
                }
            }).isInstanceOf(InputException.class).hasMessageContaining("truncated");
        }
    }
}
