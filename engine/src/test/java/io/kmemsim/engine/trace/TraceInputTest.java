package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trace files as users have them: compressed, with a BOM, or not text at all. */
class TraceInputTest {

    private static final String TRACE = "# tracer: nop\n"
            + "            bash-1234    [001] ..... 12.000001: mm_page_alloc: page=fffffc0000123400 pfn=0x48d0 order=0 "
            + "migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO\n"
            + "            bash-1234    [001] ..... 12.000002: mm_page_free: page=fffffc0000123400 pfn=0x48d0 order=0\n";

    @TempDir
    Path dir;

    interface Wrap {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private Path write(String name, byte[] content, Wrap wrap) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = wrap.wrap(bytes)) {
            out.write(content);
        }
        Path p = dir.resolve(name);
        Files.write(p, bytes.toByteArray());
        return p;
    }

    private static long count(Path p) {
        TraceFormat f = TraceFormat.detect(p);
        try (TraceReader r = f.open(p, KernelVersion.parse("6.1"), false)) {
            TraceRecord rec = new TraceRecord();
            long n = 0;
            while (r.next(rec)) {
                n++;
            }
            return n;
        }
    }

    @Test
    @DisplayName("gzip, zstd, xz and bzip2 are recognised by their magic numbers, whatever the file is called")
    void compressed() throws IOException {
        byte[] text = TRACE.getBytes(StandardCharsets.UTF_8);
        assertThat(count(write("a.txt", text, o -> new GzipCompressorOutputStream(o)))).isEqualTo(2);
        assertThat(count(write("b.txt", text, o -> new ZstdCompressorOutputStream(o)))).isEqualTo(2);
        assertThat(count(write("c.txt", text, o -> new XZCompressorOutputStream(o)))).isEqualTo(2);
        assertThat(count(write("d", text, o -> new BZip2CompressorOutputStream(o)))).isEqualTo(2);
    }

    @Test
    @DisplayName("a kmemsim binary trace inside gzip is still detected as binary")
    void gzippedBinary() throws IOException {
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        BinaryTraceWriter w = new BinaryTraceWriter(bin, KernelVersion.parse("6.1"));
        w.close();
        Path p = write("t.bin.gz", bin.toByteArray(), o -> new GzipCompressorOutputStream(o));
        assertThat(TraceFormat.detect(p)).isEqualTo(TraceFormat.BINARY);
    }

    @Test
    @DisplayName("a UTF-8 byte order mark is stripped; CRLF line ends are read")
    void bomAndCrlf() throws IOException {
        byte[] text = ("\uFEFF" + TRACE.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
        assertThat(count(write("bom.txt", text, o -> o))).isEqualTo(2);
    }

    @Test
    @DisplayName("UTF-16 (with or without BOM), perf.data, trace.dat, ELF and NUL-filled files: \"this is not text: looks like …\"")
    void notText() throws IOException {
        assertNotText(write("u16.txt", ("\uFEFF" + TRACE).getBytes(StandardCharsets.UTF_16LE), o -> o), "UTF-16 text (byte order mark ff fe)");
        assertNotText(write("u16b.txt", TRACE.getBytes(StandardCharsets.UTF_16LE), o -> o), "UTF-16 text without a byte order mark");
        assertNotText(write("perf.data", "PERFILE2\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1), o -> o), "perf script -i");
        assertNotText(write("trace.dat", "\u0017\u0008Dtracing6\0".getBytes(StandardCharsets.ISO_8859_1), o -> o), "trace-cmd report");
        assertNotText(write("a.out", "\u007fELF\u0002\u0001\u0001\0".getBytes(StandardCharsets.ISO_8859_1), o -> o), "ELF");
        assertNotText(write("zeros", new byte[1 << 20], o -> o), "binary data (4096 NUL bytes");
    }

    private static void assertNotText(Path p, String what) {
        assertThatThrownBy(() -> count(p)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(p + ": this is not text: looks like ")
                .hasMessageContaining(what);
    }

    @Test
    @DisplayName("a truncated gzip file is an input error with the line reached, not an exception from the library")
    void truncatedGzip() throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append("            bash-1234    [001] ..... 12.000002: mm_page_free: page=fffffc0000123400 pfn=0x")
                    .append(Integer.toHexString(i)).append(" order=0\n");
        }
        Path full = write("full.gz", big.toString().getBytes(StandardCharsets.UTF_8), o -> new GzipCompressorOutputStream(o));
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> count(cut)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(cut + ":").hasMessageContaining("cannot read");
    }
}
