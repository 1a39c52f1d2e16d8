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
        fromText.forEach(t -> t.callSite = 0); // the call_site identity is read from text only: binary records do not keep it
        assertThat(fromBinary).usingRecursiveFieldByFieldElementComparator().isEqualTo(fromText);
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
                .hasMessageContaining("record 11: field cpu is 9000, more than 8191");
        ByteArrayOutputStream m = header();
        for (int i = 0; i < 10; i++) {
            pageAlloc(m, 1, 0, 100 + i, 0, 0, 0xcc0);
        }
        pageAlloc(m, 1, 0, 100, 0, 6, 0xcc0); // migratetype 6 > 5
        for (int i = 0; i < 20; i++) {
            pageAlloc(m, 1, 0, 300 + i, 0, 0, 0xcc0);
        }
        assertThatThrownBy(() -> readAll(m.toByteArray())).isInstanceOf(InputException.class)
                .hasMessageContaining("record 11: field migratetype is 6, more than 5");
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
