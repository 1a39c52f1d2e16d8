package io.kmemsim.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks and reads the input files a user names (a scenario, a start snapshot), turning every way a file
 * can be wrong into an {@link InputException} naming it: missing, a directory, a device or pipe, not
 * readable, larger than the cap for its kind (a file read whole is capped, so {@code /dev/zero} or a
 * 3 GB file cannot exhaust the heap), or not UTF-8 (with the byte offset and the line of the first bad
 * byte).
 */
public final class InputFiles {

    /** The cap on a file read whole into memory unless the caller says otherwise: 16 MiB. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;

    private InputFiles() {
    }

    /**
     * Fails unless {@code file} is an existing, readable regular file of at most {@code maxBytes}.
     *
     * @param what what the file is, for messages (e.g. {@code "scenario"}, {@code "buddyinfo"})
     * @param key  the scenario key that named it, or {@code ""}
     * @throws InputException naming the file and what is wrong
     */
    public static void requireReadable(Path file, String what, String key, long maxBytes) {
        String source = file.toString();
        if (!Files.exists(file)) {
            throw problem(source, key, "no such " + what + " file");
        }
        if (Files.isDirectory(file)) {
            throw problem(source, key, "is a directory, not a " + what + " file");
        }
        if (!Files.isRegularFile(file)) {
            throw problem(source, key, "is not a regular file (a device, pipe or socket); a " + what
                    + " must be a file");
        }
        if (!Files.isReadable(file)) {
            throw problem(source, key, "cannot be read: permission denied");
        }
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw problem(source, key, String.format(Locale.ROOT, "is %,d bytes; a %s file is at most %,d bytes",
                        size, what, maxBytes));
            }
        } catch (IOException e) {
            throw problem(source, key, "cannot be read: " + reason(e));
        }
    }

    /**
     * Reads {@code file} whole as UTF-8 after {@link #requireReadable} (a leading byte-order mark is dropped).
     *
     * @throws InputException naming the file, and for bad bytes the line and byte offset
     */
    public static String readUtf8(Path file, String what, String key, long maxBytes) {
        requireReadable(file, what, key, maxBytes);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        } catch (IOException e) {
            throw problem(file.toString(), key, "cannot be read: " + reason(e));
        }
        if (bytes.length > maxBytes) {
            throw problem(file.toString(), key, "is larger than " + maxBytes + " bytes, the most a " + what + " file may be");
        }
        return decodeUtf8(bytes, file.toString(), key);
    }

    /**
     * Decodes {@code bytes} as UTF-8 (a leading byte-order mark dropped).
     *
     * @throws InputException at the line of the first malformed byte, giving its offset and value
     */
    public static String decodeUtf8(byte[] bytes, String source, String key) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new InputException(new InputProblem(source, line, offset - lineStart + 1, key, String.format(
                    Locale.ROOT, "not UTF-8 text: byte 0x%02X at byte offset %d cannot start or continue a UTF-8"
                    + " character (save the file as UTF-8)", bytes[offset] & 0xff, offset)));
        }
        try {
            r = decoder.flush(out);
            if (r.isError()) {
                r.throwException();
            }
        } catch (CharacterCodingException e) {
            throw problem(source, key, "not UTF-8 text: it ends inside a character");
        }
        out.flip();
        String s = out.toString();
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? "input/output error" : e.getMessage();
    }

    private static InputException problem(String source, String key, String message) {
        return new InputException(new InputProblem(source, 0, 0, key, message));
    }
}
