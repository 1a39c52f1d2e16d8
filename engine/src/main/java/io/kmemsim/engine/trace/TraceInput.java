package io.kmemsim.engine.trace;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Opens a trace file as a byte stream: decompresses gzip, zstd, xz and bzip2 by their magic numbers
 * (commons-compress with zstd-jni and XZ for Java), strips a UTF-8 byte order mark, and refuses what is
 * not text with "this is not text: looks like …" instead of a parse error on line 1.
 */
final class TraceInput {

    /** What the start of a (decompressed) stream looks like. */
    enum Kind { TEXT, KMEMSIM_BINARY }

    private static final int SNIFF = 4096;

    private TraceInput() {
    }

    /** An opened stream and what it holds. */
    record Opened(InputStream in, Kind kind) {
    }

    /** Opens {@code file}, decompressing it, and tells whether it is text or kmemsim's binary format. */
    static Opened open(Path file) {
        String source = file.toString();
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw problem(source, "no such trace file");
        } catch (IOException e) {
            throw problem(source, "cannot read: " + TraceInput.reason(e));
        }
        try {
            return sniff(decompress(new BufferedInputStream(raw, 1 << 16), source), source);
        } catch (IOException e) {
            close(raw);
            throw problem(source, "cannot read: " + TraceInput.reason(e));
        } catch (InputException e) {
            close(raw);
            throw e;
        }
    }

    /** Checks a stream that is already open (tests, pipes): decompression, BOM, not-text detection. */
    static Opened of(InputStream in, String source) {
        try {
            return sniff(decompress(new BufferedInputStream(in, 1 << 16), source), source);
        } catch (IOException e) {
            throw problem(source, "cannot read: " + TraceInput.reason(e));
        }
    }

    private static InputStream decompress(BufferedInputStream in, String source) throws IOException {
        byte[] m = peek(in, 6);
        boolean compressed = m.length >= 2 && ((m[0] & 0xff) == 0x1f || (m[0] & 0xff) == 0x28 || (m[0] & 0xff) == 0xfd || m[0] == 'B');
        return compressed ? Decompressors.decompress(in, m) : in;
    }

    /**
     * The decompressors, in a class of their own: a plain text trace never loads commons-compress (its
     * classes cost a fresh JVM 10-20 ms, when TraceInput's own code is verified, before the first line).
     */
    private static final class Decompressors {

        private Decompressors() {
        }

        static InputStream decompress(BufferedInputStream in, byte[] m) throws IOException {
            if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
                return new BufferedInputStream(GzipCompressorInputStream.builder().setInputStream(in)
                        .setDecompressConcatenated(true).get(), 1 << 16);
            }
            if (m.length >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
                return new BufferedInputStream(new ZstdCompressorInputStream(in), 1 << 16);
            }
            if (m.length >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0) {
                return new BufferedInputStream(new XZCompressorInputStream(in, true), 1 << 16);
            }
            if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
                return new BufferedInputStream(new BZip2CompressorInputStream(in, true), 1 << 16);
            }
            return in;
        }
    }

    private static byte[] peek(BufferedInputStream in, int n) throws IOException {
        in.mark(n);
        byte[] b = in.readNBytes(n);
        in.reset();
        return b;
    }

    private static Opened sniff(InputStream in0, String source) throws IOException {
        BufferedInputStream in = in0 instanceof BufferedInputStream b ? b : new BufferedInputStream(in0, 1 << 16);
        byte[] head = peek(in, SNIFF);
        if (head.length >= BinaryTrace.MAGIC.length
                && Arrays.equals(Arrays.copyOf(head, BinaryTrace.MAGIC.length), BinaryTrace.MAGIC)) {
            return new Opened(in, Kind.KMEMSIM_BINARY);
        }
        String notText = notText(head);
        if (notText != null) {
            throw problem(source, "this is not text: looks like " + notText);
        }
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            in.skipNBytes(3);
        }
        return new Opened(in, Kind.TEXT);
    }

    /** What the first bytes look like when they are not text, or null when they are text. */
    static String notText(byte[] h) {
        int n = h.length;
        if (n >= 2 && ((h[0] & 0xff) == 0xff && (h[1] & 0xff) == 0xfe || (h[0] & 0xff) == 0xfe && (h[1] & 0xff) == 0xff)) {
            return "UTF-16 text (byte order mark " + hex(h, 2) + "); convert it first, e.g. iconv -f UTF-16 -t UTF-8";
        }
        if (starts(h, "PERFILE2") || starts(h, "PERFFILE")) {
            return "a perf.data recording; turn it into text with `perf script -i FILE`";
        }
        if (n >= 10 && h[0] == 0x17 && h[1] == 0x08 && h[2] == 0x44 && starts(h, 3, "tracing")) {
            return "a trace-cmd trace.dat recording; turn it into text with `trace-cmd report -i FILE`";
        }
        if (n >= 4 && (h[0] & 0xff) == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F') {
            return "an ELF executable or object file";
        }
        if (starts(h, "PK\u0003\u0004")) {
            return "a zip archive; unpack it first";
        }
        if (n >= 4 && (h[0] & 0xff) == 0x04 && (h[1] & 0xff) == 0x22 && (h[2] & 0xff) == 0x4d && (h[3] & 0xff) == 0x18) {
            return "lz4-compressed data, which is not read: decompress it with lz4 -d, or use gzip, zstd or xz";
        }
        int evenNul = 0;
        int oddNul = 0;
        int control = 0;
        for (int i = 0; i < n; i++) {
            int c = h[i] & 0xff;
            if (c == 0) {
                if ((i & 1) == 0) {
                    evenNul++;
                } else {
                    oddNul++;
                }
            } else if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                control++;
            }
        }
        if (n >= 8 && (oddNul > n / 4 && evenNul == 0 || evenNul > n / 4 && oddNul == 0)) {
            return "UTF-16 text without a byte order mark (every other byte is NUL); convert it first, e.g. iconv -f UTF-16LE -t UTF-8";
        }
        if (evenNul + oddNul > 0) {
            return "binary data (" + (evenNul + oddNul) + " NUL bytes in the first " + n + ", starting " + hex(h, 8) + ")";
        }
        if (control > n / 10 + 1) {
            return "binary data (" + control + " control bytes in the first " + n + ", starting " + hex(h, 8) + ")";
        }
        return null;
    }

    private static boolean starts(byte[] h, String s) {
        return starts(h, 0, s);
    }

    private static boolean starts(byte[] h, int at, String s) {
        if (h.length < at + s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (h[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] h, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, h.length); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", h[i] & 0xff));
        }
        return sb.toString();
    }

    /**
     * What went wrong reading, for a user: the library's message (e.g. "Unexpected end of ZLIB input
     * stream", "Corrupt GZIP trailer"), or a plain description when it has none; never a class name.
     */
    static String reason(IOException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.matches(".*\\b[a-z]+(\\.[a-z0-9]+)+\\.[A-Z]\\w*.*")) {
            return e instanceof java.io.EOFException ? "the data ends early (truncated file)" : "damaged or truncated data";
        }
        return m;
    }

    private static InputException problem(String source, String message) {
        return new InputException(new InputProblem(source, 0, 0, "", message));
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the first problem is the one reported
        }
    }
}
