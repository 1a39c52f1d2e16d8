package io.kmemsim.engine.procfs;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * A line reader over a {@code /proc} file that knows its name and line number, for precise errors.
 *
 * <p>It reads what people paste, not only what the kernel printed: {@code #} comment lines and blank
 * lines are skipped, mail quoting ({@code > } at the start) is removed, tabs and no-break spaces count as
 * spaces. Bytes that are not UTF-8 text, or NUL bytes, stop reading with {@code file:line}.
 */
final class LineSource {

    private final BufferedReader reader;
    private final String source;
    private int lineNo;
    private String pushedBack;

    LineSource(BufferedReader reader, String source) {
        this.reader = reader;
        this.source = source;
    }

    /** The next line without its terminator (comments and blank lines skipped, pasting undone), or null at the end. */
    String next() {
        if (pushedBack != null) {
            String l = pushedBack;
            pushedBack = null;
            lineNo++;
            return l;
        }
        while (true) {
            String l;
            try {
                l = readLine();
            } catch (IOException e) {
                throw new InputException(new InputProblem(source, lineNo + 1, 0, "",
                        "unreadable bytes: this is not UTF-8 text (" + e.getMessage() + ")"));
            }
            if (l == null) {
                return null;
            }
            lineNo++;
            l = unpaste(l);
            String t = l.strip();
            if (t.isEmpty() || t.charAt(0) == '#') {
                continue;
            }
            return l;
        }
    }

    private final StringBuilder line = new StringBuilder();

    /**
     * One line, never longer than {@link #MAX_LINE}: a NUL byte or an over-long line stops at once, so a
     * huge binary file is never read whole.
     */
    private String readLine() throws IOException {
        line.setLength(0);
        int c;
        while ((c = reader.read()) >= 0) {
            if (c == '\n') {
                int n = line.length();
                return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
            }
            if (c == 0xfffd) {
                throw errorAt(lineNo + 1, "", "unreadable bytes at column " + (line.length() + 1)
                        + ": this is not UTF-8 text");
            }
            if (c == 0) {
                throw errorAt(lineNo + 1, "", "NUL byte at column " + (line.length() + 1) + ": this is not text");
            }
            if (line.length() >= MAX_LINE) {
                throw errorAt(lineNo + 1, "", "line longer than " + MAX_LINE
                        + " characters; a /proc line is at most a few thousand");
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    /** Longest line accepted (zoneinfo's protection tuple of many nodes is the longest real line). */
    static final int MAX_LINE = 1 << 16;

    /** Removes mail quoting and turns tabs and no-break spaces into spaces. */
    static String unpaste(String l) {
        int i = 0;
        while (i < l.length() && (l.charAt(i) == '>' || l.charAt(i) == ' ' && i > 0 && l.charAt(i - 1) == '>')) {
            i++;
        }
        String s = i > 0 ? l.substring(i) : l;
        if (s.indexOf('\t') >= 0 || s.indexOf('\u00a0') >= 0) {
            s = s.replace('\t', ' ').replace('\u00a0', ' ');
        }
        return s;
    }

    /** Gives the last line back so the next {@link #next()} returns it again. */
    void pushBack(String line) {
        pushedBack = line;
        lineNo--;
    }

    int lineNo() {
        return lineNo;
    }

    String source() {
        return source;
    }

    /** An input error at the current line. */
    InputException error(String key, String message) {
        return new InputException(new InputProblem(source, lineNo, 0, key, message));
    }

    /** An input error at a given line. */
    InputException errorAt(int line, String key, String message) {
        return new InputException(new InputProblem(source, line, 0, key, message));
    }

    /** Parses a non-negative decimal ({@code %lu}); a value past 2^63 − 1 is an error, never a wrap. */
    long unsigned(String token, String key) {
        if (token.isEmpty()) {
            throw error(key, "expected a non-negative decimal number: \"" + token + "\"");
        }
        long v = 0;
        for (int i = 0; i < token.length(); i++) {
            int d = token.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw error(key, "expected a non-negative decimal number: \"" + shown(token) + "\"");
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw error(key, "value " + shown(token) + " does not fit in 64 bits");
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static String shown(String token) {
        return token.length() > 64 ? token.substring(0, 64) + "…" : token;
    }

    /** Parses a signed decimal ({@code %ld}). */
    long signed(String token, String key) {
        return token.startsWith("-") ? -unsigned(token.substring(1), key) : unsigned(token, key);
    }
}
