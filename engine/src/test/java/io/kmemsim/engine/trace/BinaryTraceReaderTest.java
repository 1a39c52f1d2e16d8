package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The binary reader's page-record fast path against the general path, and its errors. */
class BinaryTraceReaderTest {

    private static final KernelVersion V6_1 = KernelVersion.parse("6.1");

    @Test
    @DisplayName("a long mixed trace read into one reused record gives every field of every record (fast and general paths)")
    void mixedTrace_oneReusedRecord_sameAsText() {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder text = new StringBuilder();
        long us = 1_000_000;
        for (int i = 0; i < 3000; i++) {
            us += r.nextInt(1, 40);
            String prefix = String.format("a-%d [%03d] ..... %d.%06d: ", 1 + r.nextInt(40000), r.nextInt(8), us / 1_000_000, us % 1_000_000);
            long pfn = r.nextLong(1, 1L << 30);
            int order = r.nextInt(11);
            switch (r.nextInt(8)) {
                case 0, 1, 2 -> text.append(prefix).append(String.format("mm_page_alloc: page=fffffc0000040000 pfn=0x%x order=%d"
                        + " migratetype=%d gfp_flags=GFP_KERNEL", pfn, order, r.nextInt(3)));
                case 3, 4 -> text.append(prefix).append(String.format("mm_page_free: page=fffffc0000040000 pfn=0x%x order=%d", pfn, order));
                case 5 -> text.append(prefix).append(String.format("mm_page_alloc_extfrag: page=fffffc0000080000 pfn=0x%x alloc_order=0"
                        + " fallback_order=9 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0"
                        + " change_ownership=1", pfn));
                case 6 -> text.append(prefix).append(String.format("kmalloc: call_site=x+0x1/0x2 ptr=ffff0000%08x bytes_req=40"
                        + " bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false", r.nextInt() & 0x7fffffff));
                default -> text.append(prefix).append(String.format("kmem_cache_free: call_site=x+0x1/0x2 ptr=ffff0000%08x name=dentry",
                        r.nextInt() & 0x7fffffff));
            }
            text.append('\n');
        }
        List<TraceRecord> fromText = new ArrayList<>();
        try (TraceReader t = TraceFormat.text(new BufferedReader(new StringReader(text.toString())), "t.txt", V6_1, false)) {
            TraceRecord rec = new TraceRecord();
            while (t.next(rec)) {
                TraceRecord c = new TraceRecord();
                c.copyFrom(rec);
                c.lineNumber = 0;
                fromText.add(c);
            }
        }
        assertThat(fromText).hasSize(3000);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BinaryTraceWriter w = new BinaryTraceWriter(bytes, V6_1)) {
            fromText.forEach(w::write);
        }
        List<TraceRecord> fromBinary = new ArrayList<>();
        try (TraceReader b = TraceFormat.binary(new ByteArrayInputStream(bytes.toByteArray()), "t.bin")) {
            TraceRecord rec = new TraceRecord();
            long n = 0;
            while (b.next(rec)) {
                assertThat(rec.lineNumber()).isEqualTo(++n);
                TraceRecord c = new TraceRecord();
                c.copyFrom(rec);
                c.lineNumber = 0;
                fromBinary.add(c);
            }
            assertThat(b.next(rec)).isFalse();
        }
        assertThat(shown(fromBinary)).isEqualTo(shown(fromText));
        // every buffer size from one fixed record up: records straddle the buffer's end at every offset
        for (int version = 1; version <= 2; version++) {
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            try (BinaryTraceWriter w = new BinaryTraceWriter(file, V6_1, version)) {
                fromText.subList(0, 400).forEach(w::write);
            }
            for (int size = 24; size <= 120; size++) {
                List<TraceRecord> got = new ArrayList<>();
                try (BinaryTraceReader b = new BinaryTraceReader(new ByteArrayInputStream(file.toByteArray()), "t.bin", size)) {
                    TraceRecord rec = new TraceRecord();
                    while (b.next(rec)) {
                        TraceRecord c = new TraceRecord();
                        c.copyFrom(rec);
                        got.add(c);
                    }
                }
                assertThat(shown(got)).as("version %d, buffer of %d bytes", version, size).isEqualTo(shown(fromText.subList(0, 400)));
            }
        }
    }

    @Test
    @DisplayName("a page record with a field out of range, in the middle of a buffer, is reported as before: record and field")
    void outOfRangeField_inAFastPathRecord_isReportedByName() {
        ByteArrayOutputStream b = header();
        for (int i = 0; i < 10; i++) {
            pageAlloc(b, 1, 0, 100 + i, 0, 0, 0xcc0);
        }
        pageAlloc(b, 1, 9000, 200, 0, 0, 0xcc0); // cpu 9000 > 8191
        for (int i = 0; i < 20; i++) {
            pageAlloc(b, 1, 0, 300 + i, 0, 0, 0xcc0);
        }
        assertThatThrownBy(() -> readAll(b.toByteArray())).isInstanceOf(InputException.class)
                // 13 header bytes, then ten 9-byte records
                .hasMessageContaining("record 11 (at byte 103): field cpu is 9000, more than 8191");
        ByteArrayOutputStream m = header();
        for (int i = 0; i < 10; i++) {
            pageAlloc(m, 1, 0, 100 + i, 0, 0, 0xcc0);
        }
        pageAlloc(m, 1, 0, 100, 0, 6, 0xcc0); // migratetype 6 > 5
        for (int i = 0; i < 20; i++) {
            pageAlloc(m, 1, 0, 300 + i, 0, 0, 0xcc0);
        }
        assertThatThrownBy(() -> readAll(m.toByteArray())).isInstanceOf(InputException.class)
                .hasMessageContaining("record 11 (at byte 103): field migratetype is 6, more than 5");
    }

    @Test
    @DisplayName("varints of every length (1 to 10 bytes) decode to their values on the fast path")
    void varintsOfEveryLength() {
        ByteArrayOutputStream b = header();
        List<long[]> expected = new ArrayList<>();
        long time = 0;
        int n = 0;
        for (int bits = 0; bits <= 52; bits++) {
            for (long pfn : new long[] {(1L << bits) - 1, 1L << bits}) {
                if (pfn + 1 > 1L << 52) {
                    continue;
                }
                long delta = bits < 40 ? (1L << bits) - 1 : 1L << (bits + 9); // up to 2^61: a 9-byte zigzag varint
                long gfp = (1L << Math.min(bits, 32)) - 1;
                time += delta;
                pageAlloc(b, delta, bits % 8, pfn, bits % 11, bits % 6, gfp);
                expected.add(new long[] {time, bits % 8, pfn, bits % 11, bits % 6, gfp});
                n++;
            }
        }
        b.write(0xff);
        varint(b, n);
        try (TraceReader r = TraceFormat.binary(new ByteArrayInputStream(b.toByteArray()), "t.bin")) {
            TraceRecord rec = new TraceRecord();
            for (long[] e : expected) {
                assertThat(r.next(rec)).isTrue();
                assertThat(new long[] {rec.timeNanos(), rec.cpu(), rec.pfn(), rec.order(), rec.migratetype(), rec.gfp() & 0xffffffffL})
                        .as("record %d", rec.lineNumber()).containsExactly(e);
            }
            assertThat(r.next(rec)).isFalse();
        }
    }

    @Test
    @DisplayName("bytes after the end record are not read as records")
    void bytesAfterTheEnd_areIgnored() {
        ByteArrayOutputStream b = header();
        pageAlloc(b, 1, 0, 100, 0, 0, 0xcc0);
        b.write(0xff);
        varint(b, 1);
        for (int i = 0; i < 20; i++) {
            pageAlloc(b, 1, 0, 300 + i, 0, 0, 0xcc0);
        }
        assertThat(readAll(b.toByteArray())).isEqualTo(1);
    }

    @Test
    @DisplayName("version 2 writes page records that fit in the fixed form (24/16 bytes), the rest in the general form, and reads every field back")
    void version2_fixedAndGeneralForms_roundTripEveryField() {
        List<TraceRecord> in = new ArrayList<>();
        long t = 1000;
        // {timeStep, cpu, pid, pfn, order, migratetype, gfp, fixed?}
        long[][] pages = {
            {0, 0, -1, 0, 0, 0, 0, 1}, // the smallest values; pid -1 (no pid) encodes as 0
            {0xffffffffL, 8191, TextTraceReader.PID_MAX_LIMIT, (1L << 44) - 2, 15, 5, 0xffffffffL, 1}, // the largest that fit
            {1L << 32, 1, 1, 100, 0, 0, 0xcc0, 0}, // time step of 2^32 ns: general form
            {-1000, 1, 1, 101, 0, 0, 0xcc0, 0}, // time step backwards: general form
            {1, 1, 1, (1L << 44) - 1, 0, 0, 0xcc0, 0}, // pfn + 1 = 2^44: general form
            {1, 1, 1, 102, 16, 0, 0xcc0, 0}, // order 16: general form
            {1, 2, 7, -1, 3, 1, 0x400, 1}, // a failed allocation (pfn -1)
        };
        for (int free = 0; free < 2; free++) {
            for (long[] p : pages) {
                TraceRecord r = new TraceRecord();
                r.reset(free == 0 ? TraceEventType.MM_PAGE_ALLOC : TraceEventType.MM_PAGE_FREE);
                t += p[0];
                r.timeNanos = t;
                r.cpu = (int) p[1];
                r.pid = (int) p[2];
                r.pfn = p[3];
                r.order = (int) p[4];
                if (free == 0) {
                    r.migratetype = (int) p[5];
                    r.gfp = (int) p[6];
                }
                in.add(r);
            }
        }
        TraceRecord kmalloc = new TraceRecord();
        kmalloc.reset(TraceEventType.KMALLOC);
        kmalloc.timeNanos = t + 10;
        kmalloc.cpu = 3;
        kmalloc.pid = 9;
        kmalloc.ptr = 0xffff000012345678L;
        kmalloc.bytesReq = 40;
        kmalloc.bytesAlloc = 64;
        kmalloc.gfp = 0xcc0;
        kmalloc.node = -1;
        kmalloc.accounted = 0;
        in.add(kmalloc);
        byte[] v2 = write(in, 2);
        byte[] v1 = write(in, 1);
        assertThat(v2[8]).isEqualTo((byte) 2);
        assertThat(v1[8]).isEqualTo((byte) 1);
        assertThat(shown(read(v2))).isEqualTo(shown(in));
        assertThat(shown(read(v1))).isEqualTo(shown(in));
        // which form each record took: the fixed ones are those marked so above
        long expectedFixed = 0;
        for (long[] page : pages) {
            expectedFixed += page[7];
        }
        assertThat(countTag(v2, BinaryTrace.FIXED_PAGE_ALLOC, 24) + countTag(v2, BinaryTrace.FIXED_PAGE_FREE, 16))
                .isEqualTo(2 * expectedFixed);
        assertThat(countTag(v1, BinaryTrace.FIXED_PAGE_ALLOC, 24) + countTag(v1, BinaryTrace.FIXED_PAGE_FREE, 16)).isZero();
    }

    /** Fixed records of {@code tag} in a version 2 file, found by walking its records. */
    private static int countTag(byte[] file, int tag, int size) {
        if (file[8] != 2) {
            return 0;
        }
        int n = 0;
        // walk: fixed records have their size; general records are re-read by the reader, so parse with it
        try (BinaryTraceReader r = new BinaryTraceReader(new ByteArrayInputStream(file), "t.bin")) {
            TraceRecord rec = new TraceRecord();
            int p = 13;
            while (true) {
                int t = file[p] & 0xff;
                if (t == BinaryTrace.END_RECORD) {
                    return n;
                }
                long before = r.position();
                if (!r.next(rec)) {
                    return n;
                }
                assertThat(r.position()).isEqualTo(before + 1);
                if (t == tag) {
                    n++;
                }
                p = (int) r.offset();
            }
        }
    }

    @Test
    @DisplayName("a version 2 file cut at any byte stops with the record, its byte offset and the field, never another error")
    void version2_truncatedAnywhere_clearError() {
        List<TraceRecord> in = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TraceRecord r = new TraceRecord();
            r.reset(i == 1 ? TraceEventType.MM_PAGE_FREE : TraceEventType.MM_PAGE_ALLOC);
            r.timeNanos = 1000L * (i + 1);
            r.cpu = i;
            r.pid = 100 + i;
            r.pfn = 0x40000 + i;
            r.order = 0;
            if (i != 1) {
                r.migratetype = 1;
                r.gfp = 0xcc0;
            }
            in.add(r);
        }
        TraceRecord k = new TraceRecord();
        k.reset(TraceEventType.KFREE);
        k.timeNanos = 9000;
        k.ptr = 0xffff000000001000L;
        in.add(k);
        byte[] whole = write(in, 2);
        assertThat(read(whole)).hasSize(4);
        // 13 header bytes, alloc 24 (13..36), free 16 (37..52), alloc 24 (53..76), kfree (77..), end record
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            String message;
            try {
                read(part);
                throw new AssertionError("read a file cut at byte " + cut);
            } catch (InputException e) {
                message = e.getMessage();
            }
            assertThat(message).as("cut at %d", cut).startsWith("t.bin: ");
            if (cut < 13) {
                assertThat(message).as("cut at %d", cut).containsAnyOf("truncated header", "expected magic KMSTRACE");
            } else if (cut > 13 && cut < 37) {
                assertThat(message).as("cut at %d", cut).contains("record 1 (at byte 13): truncated fixed mm_page_alloc record: 24 bytes, "
                        + (cut - 13) + " present (in field ");
            } else if (cut > 37 && cut < 53) {
                assertThat(message).as("cut at %d", cut).contains("record 2 (at byte 37): truncated fixed mm_page_free record: 16 bytes, "
                        + (cut - 37) + " present (in field ");
            } else if (cut == 13 || cut == 37 || cut == 53 || cut == 77 || cut == whole.length - 2) {
                assertThat(message).as("cut at %d", cut).contains("truncated trace: no end record after");
            } else if (cut > 77 && cut < whole.length - 2) {
                assertThat(message).as("cut at %d", cut).contains("record 4 (at byte 77): truncated in field");
            }
        }
        byte[] cutInPid = java.util.Arrays.copyOf(whole, 13 + 6);
        assertThatThrownBy(() -> read(cutInPid)).hasMessageContaining("(in field pid)");
        byte[] cutInGfp = java.util.Arrays.copyOf(whole, 13 + 20);
        assertThatThrownBy(() -> read(cutInGfp)).hasMessageContaining("(in field gfp_flags)");
    }

    @Test
    @DisplayName("a corrupt fixed record is an error naming record, byte offset and field")
    void version2_corruptFixedFields_named() {
        List<TraceRecord> in = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // long enough that the bad record sits in the middle of the buffer (fast path)
            TraceRecord r = new TraceRecord();
            r.reset(i % 2 == 1 ? TraceEventType.MM_PAGE_FREE : TraceEventType.MM_PAGE_ALLOC);
            r.timeNanos = 1000L * (i + 1);
            r.pid = 7;
            r.pfn = 0x40000 + i / 2;
            r.order = 0;
            if (i % 2 == 0) {
                r.migratetype = 1;
                r.gfp = 0xcc0;
            }
            in.add(r);
        }
        byte[] good = write(in, 2);
        int alloc11 = 13 + 5 * 40; // records 1..10: five allocs (24) and five frees (16)
        int free12 = alloc11 + 24;
        assertThat(good[alloc11]).isEqualTo((byte) BinaryTrace.FIXED_PAGE_ALLOC);
        assertThat(good[free12]).isEqualTo((byte) BinaryTrace.FIXED_PAGE_FREE);
        String at11 = "record 11 (at byte " + alloc11 + "): ";
        String at12 = "record 12 (at byte " + free12 + "): ";
        assertThatThrownBy(() -> read(patch(good, alloc11 + 7, 0x80))).isInstanceOf(InputException.class)
                .hasMessageContaining(at11 + "field reserved (bit 63 of the first word) is 1");
        // pid + 1 = 2^23 - 1: more than PID_MAX_LIMIT + 1
        assertThatThrownBy(() -> read(patch(patch(patch(good, alloc11 + 5, 0xff), alloc11 + 6, 0xff), alloc11 + 7, 0x7f)))
                .hasMessageContaining(at11 + "field pid is 8388606, more than 4194304");
        // migratetype bits (61..63 of w1) = 6
        assertThatThrownBy(() -> read(patch(good, alloc11 + 15, good[alloc11 + 15] & 0x1f | 6 << 5)))
                .hasMessageContaining(at11 + "field migratetype is 6, more than 5");
        assertThatThrownBy(() -> read(patch(good, free12 + 15, good[free12 + 15] & 0x1f | 1 << 5)))
                .hasMessageContaining(at12 + "field reserved (migratetype bits) is 1, must be 0 in a fixed mm_page_free record");
        assertThatThrownBy(() -> read(patch(good, alloc11 + 20, 1)))
                .hasMessageContaining(at11 + "field reserved (bits 32-63 of the gfp word) is 0x1");
        assertThatThrownBy(() -> read(patch(good, alloc11, 0x12)))
                .hasMessageContaining(at11 + "unknown record type 18");
        // a fixed record in a file that says version 1
        assertThatThrownBy(() -> read(patch(good, 8, 1)))
                .hasMessageContaining("record 1 (at byte 13): unknown record type 16 (fixed page records are version 2; this file says version 1)");
        assertThatThrownBy(() -> read(patch(good, 8, 3)))
                .hasMessageContaining("unsupported binary trace version 3 (this kmemsim reads versions 1 to 2)");
    }

    @Test
    @DisplayName("an old version 1 file (the real capture-arm64-1G trace, converted by kmemsim before version 2) reads as its text")
    void version1File_readsAsItsText() throws Exception {
        java.nio.file.Path v1 = java.nio.file.Path.of("..", "fixtures", "binary-v1", "capture-arm64-1G.kmstrace.gz");
        java.nio.file.Path text = java.nio.file.Path.of("..", "fixtures", "bundles", "capture-arm64-1G", "trace.txt.gz");
        List<TraceRecord> fromText = new ArrayList<>();
        try (TraceReader t = TraceFormat.FTRACE.open(text, V6_1, false)) {
            TraceRecord rec = new TraceRecord();
            while (t.next(rec)) {
                TraceRecord c = new TraceRecord();
                c.copyFrom(rec);
                fromText.add(c);
            }
        }
        assertThat(fromText).hasSize(13444);
        List<TraceRecord> fromV1 = new ArrayList<>();
        assertThat(TraceFormat.detect(v1)).isEqualTo(TraceFormat.BINARY);
        try (TraceReader b = TraceFormat.BINARY.open(v1, V6_1, false)) {
            assertThat(((BinaryTraceReader) b).version()).isEqualTo(1);
            TraceRecord rec = new TraceRecord();
            while (b.next(rec)) {
                TraceRecord c = new TraceRecord();
                c.copyFrom(rec);
                fromV1.add(c);
            }
        }
        assertThat(shown(fromV1)).isEqualTo(shown(fromText));
        // and the version 1 writer still writes those very bytes
        byte[] expected;
        try (java.io.InputStream gz = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(v1))) {
            expected = gz.readAllBytes();
        }
        assertThat(write(fromText, 1)).isEqualTo(expected);
        byte[] v2 = write(fromText, 2);
        assertThat(shown(read(v2))).isEqualTo(shown(fromText));
    }

    /** Every field of each record but its line number, one string per record (fast to compare, readable when not equal). */
    private static List<String> shown(List<TraceRecord> records) {
        List<String> out = new ArrayList<>(records.size());
        for (TraceRecord r : records) {
            out.add(r.type + " t=" + r.timeNanos + " cpu=" + r.cpu + " pid=" + r.pid + " pfn=" + r.pfn + " order=" + r.order
                    + " mt=" + r.migratetype + " gfp=" + r.gfp + " refill=" + r.percpuRefill + " fallback=" + r.fallbackOrder
                    + " pageblock=" + r.pageblockOrder + " fallbackMt=" + r.fallbackMigratetype + " frag=" + r.fragmenting
                    + " own=" + r.changeOwnership + " ptr=" + r.ptr + " req=" + r.bytesReq + " alloc=" + r.bytesAlloc
                    + " node=" + r.node + " accounted=" + r.accounted + " name=" + r.cacheName);
        }
        return out;
    }

    private static byte[] patch(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    private static byte[] write(List<TraceRecord> records, int version) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BinaryTraceWriter w = new BinaryTraceWriter(bytes, V6_1, version)) {
            records.forEach(w::write);
        }
        return bytes.toByteArray();
    }

    private static List<TraceRecord> read(byte[] bytes) {
        List<TraceRecord> out = new ArrayList<>();
        try (TraceReader r = TraceFormat.binary(new ByteArrayInputStream(bytes), "t.bin")) {
            TraceRecord rec = new TraceRecord();
            while (r.next(rec)) {
                TraceRecord c = new TraceRecord();
                c.copyFrom(rec);
                out.add(c);
            }
        }
        return out;
    }

    private static long readAll(byte[] bytes) {
        long n = 0;
        try (TraceReader r = TraceFormat.binary(new ByteArrayInputStream(bytes), "t.bin")) {
            TraceRecord rec = new TraceRecord();
            while (r.next(rec)) {
                n++;
            }
        }
        return n;
    }

    private static ByteArrayOutputStream header() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("KMSTRACE".getBytes(StandardCharsets.US_ASCII));
        b.write(1);
        b.write(3);
        b.writeBytes("6.1".getBytes(StandardCharsets.US_ASCII));
        return b;
    }

    private static void pageAlloc(ByteArrayOutputStream b, long delta, long cpu, long pfn, int order, int migratetype, long gfp) {
        b.write(TraceEventType.MM_PAGE_ALLOC.ordinal());
        varint(b, delta << 1);
        varint(b, cpu);
        varint(b, 2); // pid 1
        varint(b, pfn + 1);
        varint(b, order);
        varint(b, migratetype);
        varint(b, gfp);
    }

    private static void varint(ByteArrayOutputStream b, long v) {
        while ((v & ~0x7fL) != 0) {
            b.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b.write((int) v);
    }
}
