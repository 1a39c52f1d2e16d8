package io.kmemsim.engine.slabinfo;

import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code /proc/slabinfo} version 2.1 (mm/slab_common.c: cache_show(), print_slabinfo_header() (6.1)) line by line, handing each row to a
 * callback as a {@link CacheInfo} with its line number; nothing but the current line is held.
 *
 * <p>Accepted: the header {@code slabinfo - version: 2.1} (also with SLAB's {@code " (statistics)"}),
 * the column line starting {@code # name}, then rows {@code NAME a n size o p : tunables l b s : slabdata
 * as ns sa} with any spacing, optionally followed by SLAB's {@code : globalstat …} / {@code : cpustat …}
 * groups (ignored). Blank lines are skipped. Rejected with an {@link InputException} naming file, line,
 * field and reason: another header or version, a missing column line, a row of another shape, a value
 * that is not a non-negative decimal (or does not fit its column's C type), active objects above the
 * total or active slabs above the slabs, zero objects per slab or pages per slab, and a file without rows.
 */
public final class SlabinfoParser {

    /** The version line the kernel prints. */
    public static final String VERSION_LINE = "slabinfo - version: 2.1";

    /** Receives one row. */
    @FunctionalInterface
    public interface RowConsumer {
        /** One row, found on 1-based {@code line}. */
        void row(int line, CacheInfo info);
    }

    private static final String[] FIELDS = {"active_objs", "num_objs", "objsize", "objperslab", "pagesperslab",
        "limit", "batchcount", "sharedfactor", "active_slabs", "num_slabs", "sharedavail"};

    private SlabinfoParser() {
    }

    /** Parses the whole file, streaming each row to {@code consumer}; returns the number of rows. */
    public static int parse(BufferedReader reader, String source, RowConsumer consumer) {
        int lineNo = 0;
        int rows = 0;
        try {
            String line = reader.readLine();
            lineNo++;
            if (line == null || !(line.equals(VERSION_LINE) || line.equals(VERSION_LINE + " (statistics)"))) {
                throw error(source, lineNo, "header", "expected \"" + VERSION_LINE + "\": "
                        + (line == null ? "empty file" : "\"" + line + "\""));
            }
            line = reader.readLine();
            lineNo++;
            if (line == null || !line.startsWith("# name")) {
                throw error(source, lineNo, "header", "expected the column line \"# name <active_objs> …\"");
            }
            for (line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                consumer.row(lineNo, row(line, source, lineNo));
                rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source, e);
        }
        if (rows == 0) {
            throw error(source, 0, "", "no cache rows after the header");
        }
        return rows;
    }

    /** Parses the whole file into a list (for small files and tests). */
    public static List<CacheInfo> parseAll(BufferedReader reader, String source) {
        List<CacheInfo> rows = new ArrayList<>();
        parse(reader, source, (line, info) -> rows.add(info));
        return rows;
    }

    private static CacheInfo row(String line, String source, int lineNo) {
        String[] t = line.strip().split("\\s+");
        if (t.length < 16 || !t[6].equals(":") || !t[7].equals("tunables") || !t[11].equals(":")
                || !t[12].equals("slabdata")) {
            throw error(source, lineNo, "", "expected \"NAME active num objsize objperslab pagesperslab : tunables"
                    + " limit batch shared : slabdata active_slabs num_slabs sharedavail\": \"" + line + "\"");
        }
        if (t.length > 16 && !t[16].equals(":")) {
            throw error(source, lineNo, "", "unexpected text after sharedavail: \"" + t[16] + "\"");
        }
        long[] v = new long[FIELDS.length];
        int[] at = {1, 2, 3, 4, 5, 8, 9, 10, 13, 14, 15};
        for (int i = 0; i < v.length; i++) {
            v[i] = unsigned(t[at[i]], FIELDS[i], source, lineNo, i >= 2 && i <= 7 ? 0xffffffffL : Long.MAX_VALUE);
        }
        String name = t[0];
        if (v[0] > v[1]) {
            throw error(source, lineNo, "active_objs", "active objects " + v[0] + " exceed num_objs " + v[1] + " of " + name);
        }
        if (v[8] > v[9]) {
            throw error(source, lineNo, "active_slabs", "active slabs " + v[8] + " exceed num_slabs " + v[9] + " of " + name);
        }
        if (v[2] == 0 || v[3] == 0 || v[4] == 0 || v[2] > Integer.MAX_VALUE || v[3] > Integer.MAX_VALUE
                || v[4] > Integer.MAX_VALUE) {
            throw error(source, lineNo, v[2] == 0 || v[2] > Integer.MAX_VALUE ? "objsize" : v[3] == 0 ? "objperslab" : "pagesperslab",
                    "objsize, objperslab and pagesperslab must be in [1, " + Integer.MAX_VALUE + "] for " + name);
        }
        return new CacheInfo(name, v[0], v[1], (int) v[2], (int) v[3], (int) v[4], (int) v[5], (int) v[6], (int) v[7],
                v[8], v[9], v[10]);
    }

    private static long unsigned(String token, String field, String source, int line, long max) {
        boolean digits = !token.isEmpty() && token.length() <= 19;
        for (int i = 0; digits && i < token.length(); i++) {
            digits = token.charAt(i) >= '0' && token.charAt(i) <= '9';
        }
        if (!digits) {
            throw error(source, line, field, "expected a non-negative decimal number: \"" + token + "\"");
        }
        long v = Long.parseLong(token);
        if (v > max) {
            throw error(source, line, field, "value does not fit a 32-bit unsigned column: " + token);
        }
        return v;
    }

    private static InputException error(String source, int line, String key, String message) {
        return new InputException(new InputProblem(source, line, 0, key, message));
    }
}
