package io.kmemsim.engine.results;

import io.kmemsim.api.slab.CacheInfo;
import java.util.List;

/**
 * Renders {@code /proc/slabinfo} version 2.1 (mm/slab_common.c: cache_show(), print_slabinfo_header() (6.1), the same format for SLAB and SLUB in
 * every version the reference covers, 5.10 – 6.19) from {@link io.kmemsim.api.slab.ObjectCache#slabinfo()}
 * rows, in the order given (the allocator's contract is the kernel's order: newest cache first).
 *
 * <p>Format (data, reproduced exactly): the two header lines
 * <pre>
 * slabinfo - version: 2.1
 * # name            &lt;active_objs&gt; &lt;num_objs&gt; &lt;objsize&gt; &lt;objperslab&gt; &lt;pagesperslab&gt; : tunables &lt;limit&gt; &lt;batchcount&gt; &lt;sharedfactor&gt; : slabdata &lt;active_slabs&gt; &lt;num_slabs&gt; &lt;sharedavail&gt;
 * </pre>
 * then per row {@code "%-17s %6lu %6lu %6u %4u %4d"}, {@code " : tunables %4u %4u %4u"},
 * {@code " : slabdata %6lu %6lu %6lu"} and a newline. SLAB's {@code (statistics)} variant is not rendered.
 */
public final class SlabinfoRenderer {

    /** The first header line. */
    public static final String VERSION_LINE = "slabinfo - version: 2.1";

    /** The column line ({@code # name} followed by exactly 12 spaces). */
    public static final String COLUMN_LINE = "# name            <active_objs> <num_objs> <objsize> <objperslab>"
            + " <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
            + " <num_slabs> <sharedavail>";

    private SlabinfoRenderer() {
    }

    /** The whole file. */
    public static String render(List<CacheInfo> rows) {
        StringBuilder sb = new StringBuilder(256 + rows.size() * 112);
        sb.append(VERSION_LINE).append('\n').append(COLUMN_LINE).append('\n');
        for (CacheInfo row : rows) {
            appendRow(sb, row);
        }
        return sb.toString();
    }

    /** Appends one row and its newline. */
    public static void appendRow(StringBuilder sb, CacheInfo r) {
        sb.append(r.name());
        pad(sb, r.name().length(), 17);
        right(sb.append(' '), r.activeObjs(), 6);
        right(sb.append(' '), r.numObjs(), 6);
        right(sb.append(' '), Integer.toUnsignedLong(r.objSize()), 6);
        right(sb.append(' '), Integer.toUnsignedLong(r.objPerSlab()), 4);
        right(sb.append(' '), Integer.toString(r.pagesPerSlab()), 4);
        sb.append(" : tunables");
        right(sb.append(' '), Integer.toUnsignedLong(r.limit()), 4);
        right(sb.append(' '), Integer.toUnsignedLong(r.batchCount()), 4);
        right(sb.append(' '), Integer.toUnsignedLong(r.sharedFactor()), 4);
        sb.append(" : slabdata");
        right(sb.append(' '), r.activeSlabs(), 6);
        right(sb.append(' '), r.numSlabs(), 6);
        right(sb.append(' '), r.sharedAvail(), 6);
        sb.append('\n');
    }

    /** {@code %Nlu} / {@code %Nu}: an unsigned value right-aligned in {@code width} columns, never truncated. */
    private static void right(StringBuilder sb, long v, int width) {
        right(sb, Long.toUnsignedString(v), width);
    }

    private static void right(StringBuilder sb, String s, int width) {
        pad(sb, s.length(), width);
        sb.append(s);
    }

    private static void pad(StringBuilder sb, int length, int width) {
        for (int i = length; i < width; i++) {
            sb.append(' ');
        }
    }
}
