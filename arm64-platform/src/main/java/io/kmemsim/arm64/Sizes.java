package io.kmemsim.arm64;

import java.util.Locale;

/**
 * Parses the sizes, addresses and ranges users write in platform options: {@code 16M}, {@code 2G},
 * {@code 0x40000000}, {@code 0x40000000-0xbfffffff} (inclusive end, as the kernel prints ranges) and
 * {@code 0x40000000+2G} (base plus size). Suffixes are binary (K = 1024); {@code KiB}/{@code KB} forms
 * are accepted. Every error names the option.
 */
final class Sizes {

    private Sizes() {
    }

    /** A size in bytes: decimal or {@code 0x} hex, with an optional K/M/G/T suffix. */
    static long parseBytes(String option, String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace("_", "");
        int shift = 0;
        for (String suffix : new String[] {"IB", "B"}) {
            if (t.endsWith(suffix) && t.length() > suffix.length() && "KMGT".indexOf(t.charAt(t.length() - suffix.length() - 1)) >= 0) {
                t = t.substring(0, t.length() - suffix.length());
                break;
            }
        }
        if (!t.isEmpty() && !t.startsWith("0X")) {
            int unit = "KMGT".indexOf(t.charAt(t.length() - 1));
            if (unit >= 0) {
                shift = 10 * (unit + 1);
                t = t.substring(0, t.length() - 1);
            }
        }
        long value = parseNumber(option, text, t);
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(option + " is too large: " + text);
        }
        return value << shift;
    }

    /** A physical address: decimal or {@code 0x} hex. */
    static long parseAddress(String option, String text) {
        return parseNumber(option, text, text.trim().toUpperCase(Locale.ROOT).replace("_", ""));
    }

    /**
     * A range as {@code [base, endExclusive)}: {@code BASE-END} with END the last byte, or
     * {@code BASE+SIZE}.
     */
    static long[] parseRange(String option, String text) {
        String t = text.trim();
        int plus = t.indexOf('+');
        int minus = t.indexOf('-');
        long base;
        long endExclusive;
        if (plus > 0) {
            base = parseAddress(option, t.substring(0, plus));
            endExclusive = base + parseBytes(option, t.substring(plus + 1));
        } else if (minus > 0) {
            base = parseAddress(option, t.substring(0, minus));
            endExclusive = parseAddress(option, t.substring(minus + 1)) + 1;
        } else {
            throw new IllegalArgumentException(option + " must be a range like 0x40000000-0xbfffffff or 0x40000000+2G: " + text);
        }
        if (endExclusive <= base) {
            throw new IllegalArgumentException(option + " must end after it starts: " + text);
        }
        return new long[] {base, endExclusive};
    }

    private static long parseNumber(String option, String original, String t) {
        try {
            long v = t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number like 16M, 2G or 0x40000000: " + original, e);
        }
    }

    /** {@code 0x} and the address in lower-case hex, for messages. */
    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
