package io.kmemsim.engine.procfs;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A line reader over a {@code /proc} file that knows its name and line number, for precise errors. */
final class LineSource {

    private final BufferedReader reader;
    private final String source;
    private int lineNo;
    private String pushedBack;

    LineSource(BufferedReader reader, String source) {
        this.reader = reader;
        this.source = source;
    }

    /** The next line without its terminator, or null at the end. */
    String next() {
        if (pushedBack != null) {
            String l = pushedBack;
            pushedBack = null;
            lineNo++;
            return l;
        }
        try {
            String l = reader.readLine();
            if (l != null) {
                lineNo++;
            }
            return l;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source, e);
        }
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

    /** Parses a non-negative decimal ({@code %lu}). */
    long unsigned(String token, String key) {
        if (token.isEmpty() || token.length() > 19) {
            throw error(key, "expected a non-negative decimal number: \"" + token + "\"");
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                throw error(key, "expected a non-negative decimal number: \"" + token + "\"");
            }
        }
        return Long.parseLong(token);
    }

    /** Parses a signed decimal ({@code %ld}). */
    long signed(String token, String key) {
        return token.startsWith("-") ? -unsigned(token.substring(1), key) : unsigned(token, key);
    }
}
