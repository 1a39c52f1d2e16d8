package io.kmemsim.engine.trace;

/**
 * Byte-level scanning for {@link TextTraceReader}: tokens, numbers that report overflow instead of
 * wrapping, pointers, timestamps, and a string table probed with byte regions. Nothing here allocates.
 */
final class TraceBytes {

    /** A hashed pointer placeholder ({@code (____ptrval____)}): a page that exists but cannot be named. */
    static final long UNKNOWN_POINTER = Long.MIN_VALUE + 7;

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Hex digit values by byte (−1: not a hex digit), so a digit costs one load instead of Character.digit. */
    private static final byte[] HEX = new byte[256];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
    }

    private TraceBytes() {
    }

    /** The value of hex digit {@code c}, or −1. */
    static int hexDigit(byte c) {
        return HEX[c & 0xff];
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    static int skipSpaces(byte[] b, int i, int n) {
        while (i < n && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** Eight bytes of {@code b} from {@code i} as a little-endian long (byte {@code i} in the low bits). */
    static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** {@link #skipSpaces}, eight bytes at a time over runs of spaces (the padding of ftrace's columns). */
    static int skipPadding(byte[] b, int i, int n) {
        for (; i + Long.BYTES <= n; i += Long.BYTES) {
            long x = word(b, i) ^ 0x2020202020202020L;
            if (x != 0) {
                i += Long.numberOfTrailingZeros(x) >>> 3;
                break;
            }
        }
        return skipSpaces(b, i, n);
    }

    /** The first {@code c} in {@code b[from, to)}, eight bytes at a time ("has a zero byte" on the word xor c…c); −1 if none. */
    static int indexOfByte(byte[] b, int from, int to, byte c) {
        long pattern = ONES * (c & 0xff);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = word(b, i) ^ pattern;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether each of the eight bytes of {@code x} is a lower-case hex digit (0-9, a-f), with no carries between bytes. */
    static boolean lowerHexWord(long x) {
        if ((x & HIGHS) != 0) {
            return false;
        }
        long atLeast0 = x + 0x5050505050505050L; // 0x80 set where byte >= '0'
        long above9 = x + 0x4646464646464646L; // 0x80 set where byte > '9'
        long atLeastA = x + 0x1f1f1f1f1f1f1f1fL; // where byte >= 'a'
        long aboveF = x + 0x1919191919191919L; // where byte > 'f'
        long hex = (atLeast0 & ~above9) | (atLeastA & ~aboveF);
        return (hex & HIGHS) == HIGHS;
    }

    static int tokenEnd(byte[] b, int i, int n) {
        while (i < n && b[i] != ' ' && b[i] != '\t') {
            i++;
        }
        return i;
    }

    static boolean allDigits(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isDigit(b[i])) {
                return false;
            }
        }
        return true;
    }

    static boolean isHexToken(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (HEX[b[i] & 0xff] < 0) {
                return false;
            }
        }
        return true;
    }

    static boolean startsWith(byte[] b, int i, int n, String what) {
        if (n - i < what.length()) {
            return false;
        }
        for (int j = 0; j < what.length(); j++) {
            if (b[i + j] != what.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    static boolean endsWith(byte[] b, int i, int n, String what) {
        return n - i >= what.length() && startsWith(b, n - what.length(), n, what);
    }

    static int indexOf(byte[] b, int from, int n, String what) {
        for (int i = from; i + what.length() <= n; i++) {
            if (startsWith(b, i, n, what)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the key {@code b[k, kEnd)} is {@code name} (compared in place). */
    static boolean regionIs(byte[] b, int k, int kEnd, String name) {
        return kEnd - k == name.length() && startsWith(b, k, kEnd, name);
    }

    /** Index of the '[' of the first "[digits]" at or after {@code from}, or −1. */
    static int cpuBracket(byte[] b, int from, int n) {
        for (int i = from; i < n; i++) {
            if (b[i] == '[') {
                int j = i + 1;
                while (j < n && isDigit(b[j])) {
                    j++;
                }
                if (j > i + 1 && j < n && b[j] == ']') {
                    return i;
                }
            }
        }
        return -1;
    }

    static boolean isTimestamp(byte[] b, int from, int to) {
        boolean digits = false;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (isDigit(c)) {
                digits = true;
            } else if (c != '.') {
                return false;
            }
        }
        return digits;
    }

    /** "secs.frac" to nanoseconds (frac of any length, first 9 digits used), or a bare counter; −1 on overflow. */
    static long parseTimestamp(byte[] b, int from, int to) {
        int dot = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == '.') {
                if (dot >= 0) {
                    return -1;
                }
                dot = i;
            }
        }
        if (dot < 0) {
            long v = checkedDec(b, from, to);
            return v < 0 ? -1 : v;
        }
        long secs = dot == from ? 0 : checkedDec(b, from, dot);
        if (secs < 0 || secs > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return -1;
        }
        long frac = 0;
        int digits = 0;
        for (int i = dot + 1; i < to && digits < 9; i++, digits++) {
            frac = frac * 10 + (b[i] - '0');
        }
        for (; digits < 9; digits++) {
            frac *= 10;
        }
        return secs * 1_000_000_000L + frac;
    }

    /** Marks a number that does not fit in 63 bits. */
    static final long TOO_BIG = Long.MIN_VALUE + 1;

    /** A non-negative decimal; {@link #TOO_BIG} when it does not fit, Long.MIN_VALUE when not a number. */
    static long checkedDec(byte[] b, int from, int to) {
        if (from >= to) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                // keep checking that the rest are digits: "99999999999999999999x" is not a number
                for (int j = i + 1; j < to; j++) {
                    if (b[j] < '0' || b[j] > '9') {
                        return Long.MIN_VALUE;
                    }
                }
                return TOO_BIG;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** "0x1f" as hex, "31" as decimal; {@link #TOO_BIG} past 63 bits, Long.MIN_VALUE when neither. */
    static long parseNumber(byte[] b, int from, int to) {
        if (to - from > 2 && b[from] == '0' && (b[from + 1] == 'x' || b[from + 1] == 'X')) {
            return parseHex(b, from + 2, to, true);
        }
        return checkedDec(b, from, to);
    }

    /** Hex digits; with {@code signedLimit}, values of 2^63 and more are {@link #TOO_BIG}. */
    static long parseHex(byte[] b, int from, int to, boolean signedLimit) {
        if (from >= to) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        int significant = 0;
        for (int i = from; i < to; i++) {
            int d = HEX[b[i] & 0xff];
            if (d < 0) {
                return Long.MIN_VALUE;
            }
            if (significant > 0 || d != 0) {
                significant++;
            }
            v = (v << 4) | d;
        }
        if (significant > 16 || signedLimit && (significant == 16 && v < 0)) {
            return TOO_BIG;
        }
        return v;
    }

    /**
     * A %p value: hex with or without 0x (64 bits, unsigned), "(null)"/"(nil)" as 0, a hashed placeholder
     * ("(____ptrval____)", 4.15+) as {@link #UNKNOWN_POINTER}; Long.MIN_VALUE when malformed.
     */
    static long parsePointer(byte[] b, int from, int to) {
        if (b[from] == '(') {
            if (regionIs(b, from, to, "(null)") || regionIs(b, from, to, "(nil)")) {
                return 0;
            }
            return regionIs(b, from, to, "(____ptrval____)") || regionIs(b, from, to, "(ptrval)") ? UNKNOWN_POINTER : Long.MIN_VALUE;
        }
        int f = to - from > 2 && b[from] == '0' && (b[from + 1] == 'x' || b[from + 1] == 'X') ? from + 2 : from;
        long v = parseHex(b, f, to, false);
        return v == TOO_BIG ? Long.MIN_VALUE : v;
    }

    /**
     * An open-addressing table from strings to ints that is probed with a region of bytes, so a hit costs
     * no String. Holds at most half its slots; when full, {@link #add} does nothing.
     */
    static final class RegionTable {
        private final String[] keys;
        private final byte[][] bytes;
        private final int[] values;
        private int size;

        RegionTable(int slots) {
            keys = new String[slots];
            bytes = new byte[slots][];
            values = new int[slots];
        }

        /** The slot holding {@code b[from, to)}, or {@code -(free slot) - 1} when it is absent. */
        int find(byte[] b, int from, int to) {
            int h = hash(b, from, to);
            int mask = keys.length - 1;
            for (int slot = h & mask; ; slot = (slot + 1) & mask) {
                byte[] k = bytes[slot];
                if (k == null) {
                    return -slot - 1;
                }
                if (k.length == to - from && java.util.Arrays.equals(b, from, to, k, 0, k.length)) {
                    return slot;
                }
            }
        }


        /**
         * A hash of {@code b[from, to)}: for eight bytes or more, the length and the first and last eight
         * bytes (two loads instead of a loop over a 30-byte gfp string); equal regions hash equal.
         */
        private static int hash(byte[] b, int from, int to) {
            int len = to - from;
            if (len >= Long.BYTES) {
                long x = word(b, from) * 0x9E3779B97F4A7C15L ^ word(b, to - Long.BYTES) * 0xC2B2AE3D27D4EB4FL ^ len;
                return (int) (x ^ (x >>> 29) ^ (x >>> 47));
            }
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + (b[i] & 0xff);
            }
            return h ^ (h >>> 16);
        }

        String key(int slot) {
            return keys[slot];
        }

        int value(int slot) {
            return values[slot];
        }

        /** Puts {@code key} into the free {@code slot} {@link #find} returned, unless the table is half full. */
        void add(int slot, String key, int value) {
            if (size < keys.length / 2) {
                keys[slot] = key;
                bytes[slot] = key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                values[slot] = value;
                size++;
            }
        }
    }
}
