package io.kmemsim.engine.trace;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines without making a {@code String} per line: after {@link #next()} the
 * line is {@code buf()[start(), end())}, without its {@code \n} or {@code \r\n}.
 *
 * <p>A line longer than {@link #MAX_LINE} bytes is never held whole: the reader keeps its first
 * {@link #PREVIEW} bytes for the message, skips the rest up to the next newline and reports
 * {@link #tooLong()} (a 1 GB line of NULs costs one pass and 64 KiB of buffer growth, not 1 GB).
 */
final class LineInput {

    /** Longest line kept: a kernel trace line is a few hundred bytes; trace_marker writes are at most 4 KiB. */
    static final int MAX_LINE = 1 << 16;
    /** Bytes of an over-long line kept for the message. */
    static final int PREVIEW = 200;

    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private int start;
    private int end;
    private boolean tooLong;
    private long tooLongBytes;

    LineInput(InputStream in) {
        this.in = in;
    }

    byte[] buf() {
        return buf;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** Whether the current line was longer than {@link #MAX_LINE}; then only its first {@link #PREVIEW} bytes are kept. */
    boolean tooLong() {
        return tooLong;
    }

    /** The length of the over-long current line, in bytes. */
    long tooLongBytes() {
        return tooLongBytes;
    }

    /** The buffer's size: never more than {@link #MAX_LINE} + 1 bytes, however long the lines. */
    int capacity() {
        return buf.length;
    }

    /** Moves to the next line; false at the end of the input. */
    boolean next() throws IOException {
        tooLong = false;
        int scanFrom = pos;
        while (true) {
            int nl = indexOfNewline(scanFrom, limit);
            if (nl >= 0) {
                setLine(pos, nl);
                pos = nl + 1;
                return true;
            }
            if (eof) {
                if (pos < limit) {
                    setLine(pos, limit);
                    pos = limit;
                    return true;
                }
                return false;
            }
            if (limit - pos > MAX_LINE) {
                skipLongLine();
                return true;
            }
            int scanned = limit - pos;
            fill();
            scanFrom = pos + scanned;
        }
    }

    private void setLine(int from, int to) {
        start = from;
        end = to > from && buf[to - 1] == '\r' ? to - 1 : to;
    }

    /** Eight bytes at a time ("has a zero byte" on {@code word ^ 0x0a…}), then byte by byte. */
    private int indexOfNewline(int from, int to) {
        byte[] b = buf;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = TraceBytes.word(b, i) ^ 0x0a0a0a0a0a0a0a0aL;
            long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Compacts the buffer and reads more; grows it only up to {@link #MAX_LINE}. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            byte[] bigger = new byte[Math.min(buf.length * 2, MAX_LINE + 1)];
            System.arraycopy(buf, 0, bigger, 0, limit);
            buf = bigger;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    /** Keeps the first {@link #PREVIEW} bytes of the current (over-long) line and drops the rest up to its newline. */
    private void skipLongLine() throws IOException {
        tooLong = true;
        long length = limit - pos;
        // keep the preview at the buffer's start, discard the rest
        System.arraycopy(buf, pos, buf, 0, PREVIEW);
        pos = 0;
        limit = PREVIEW;
        start = 0;
        end = PREVIEW;
        while (true) {
            int n = in.read(buf, PREVIEW, buf.length - PREVIEW);
            if (n < 0) {
                eof = true;
                pos = limit;
                break;
            }
            int nl = indexOfNewline(PREVIEW, PREVIEW + n);
            if (nl >= 0) {
                length += nl - PREVIEW;
                // keep what follows the newline for the next line
                System.arraycopy(buf, nl + 1, buf, PREVIEW, PREVIEW + n - nl - 1);
                pos = PREVIEW;
                limit = PREVIEW + (PREVIEW + n - nl - 1);
                break;
            }
            length += n;
        }
        tooLongBytes = length;
    }
}
