package io.kmemsim.slub;

import io.kmemsim.api.kernel.KernelVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SLUB's report text (mm/slub.c: slab_err(), print_trailer() (6.1)): rule lines, the {@code BUG} header with the taint string,
 * {@code FIX} lines, hex dumps, the kunit error counter (lib/slub_kunit.c: slab_errors (6.1)) and the taint state. Reports are
 * collected, never printed.
 *
 * <p>Notes:
 * <ul>
 *   <li>A report is everything one allocator operation printed for one slab (an allocation check, a free
 *       check, the validation of one slab, a cache shutdown), as one string of {@code \n}-terminated
 *       lines.</li>
 *   <li>Taint: {@code Not tainted} until the first report has been printed; then {@code Tainted: } and
 *       the 19 flag positions, {@code B} (bad page) at position 6 and, in era D where reports WARN,
 *       {@code W} at position 10.</li>
 *   <li>Call traces and the WARN splat are not produced: the reference gives no format for them.</li>
 * </ul>
 */
final class SlubReporter {

    static final String EQUALS = "=".repeat(77);
    static final String DASHES = "-".repeat(77);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    final SlubReportEra era;
    final KernelVersion kernel;
    private final List<String> reports = new ArrayList<>();
    private boolean taintBadPage;
    private boolean taintWarn;
    private int errors;

    SlubReporter(KernelVersion kernel) {
        this.kernel = kernel;
        this.era = SlubReportEra.of(kernel);
    }

    /** The taint text as {@code print_tainted()} gives it. */
    String taint() {
        if (!taintBadPage && !taintWarn) {
            return "Not tainted";
        }
        char[] flags = "G                  ".toCharArray();
        if (taintBadPage) {
            flags[5] = 'B';
        }
        if (taintWarn) {
            flags[9] = 'W';
        }
        return "Tainted: " + new String(flags);
    }

    /** {@code add_taint(TAINT_BAD_PAGE)}, and the WARN's {@code W} in era D. */
    void addTaint() {
        taintBadPage = true;
        if (era == SlubReportEra.D) {
            taintWarn = true;
        }
    }

    /** {@code slab_bug}: the header of a report. */
    void bug(StringBuilder out, String cacheName, String reason) {
        out.append(EQUALS).append('\n');
        out.append("BUG ").append(cacheName).append(" (").append(taint()).append("): ").append(reason).append('\n');
        out.append(DASHES).append('\n').append('\n');
    }

    /** {@code slab_fix}: a {@code FIX} line, counted as a kunit error. */
    void fix(StringBuilder out, String cacheName, String action) {
        out.append("FIX ").append(cacheName).append(": ").append(action).append('\n');
        errors++;
    }

    /** An informational line ({@code INFO: } prefixed in era A). */
    void info(StringBuilder out, String line) {
        if (era == SlubReportEra.A) {
            out.append("INFO: ");
        }
        out.append(line).append('\n');
    }

    void countError() {
        errors++;
    }

    /** Ends an operation: keeps its text as one report when it printed anything. */
    void emit(StringBuilder out) {
        if (out.length() > 0) {
            reports.add(out.toString());
            out.setLength(0);
        }
    }

    /** A raw kernel pointer as {@code %p} prints it with hashing off: 16 lowercase hex digits. */
    static String ptr(long address) {
        char[] c = new char[16];
        for (int i = 15; i >= 0; i--) {
            c[i] = HEX[(int) (address & 0xf)];
            address >>>= 4;
        }
        return new String(c);
    }

    /**
     * {@code print_section} / {@code print_hex_dump(DUMP_PREFIX_ADDRESS, 16, 1, ascii)}: rows of 16 bytes,
     * {@code <label><address>: <hex>} padded to column 49, then the ASCII column.
     */
    static void hexDump(StringBuilder out, String label, long address, byte[] mem, int from, int length) {
        for (int row = 0; row < length; row += 16) {
            int n = Math.min(16, length - row);
            StringBuilder line = new StringBuilder(66);
            for (int j = 0; j < n; j++) {
                int b = mem[from + row + j] & 0xff;
                if (j > 0) {
                    line.append(' ');
                }
                line.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
            }
            while (line.length() < 49) {
                line.append(' ');
            }
            for (int j = 0; j < n; j++) {
                int b = mem[from + row + j] & 0xff;
                line.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
            out.append(label).append(ptr(address + row)).append(": ").append(line).append('\n');
        }
    }

    /** The reports so far, oldest first. */
    List<String> reports() {
        return Collections.unmodifiableList(reports);
    }

    void clearReports() {
        reports.clear();
    }

    /** The kunit {@code slab_errors} count (lib/slub_kunit.c: slab_errors (6.1)). */
    int errors() {
        return errors;
    }

    void resetErrors() {
        errors = 0;
    }
}
