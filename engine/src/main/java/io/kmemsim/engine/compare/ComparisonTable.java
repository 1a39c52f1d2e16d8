package io.kmemsim.engine.compare;

import java.util.List;
import java.util.Locale;

/**
 * Writes comparison results as a markdown table (for people and docs) or CSV (for plots). Shares are
 * of all pageblocks (occupancy) or of managed memory (free memory in whole pageblocks); a measure that
 * cannot be computed (no allocation of the order, occupancy not tracked) is {@code n/a} in markdown and
 * empty in CSV.
 */
public final class ComparisonTable {

    /** The CSV header, one column per field of {@link #csv}. */
    public static final String CSV_HEADER = "variant,overrides,order,alloc_success,alloc_failure,success_rate,"
            + "pageblocks,mixed,with_unmovable,type_mismatch,mixed_share,with_unmovable_share,type_mismatch_share,"
            + "extfrag_events,compact_stall,pgmigrate_success,free_pages,free_pages_pageblock_order,managed_pages,"
            + "page_bytes,events";

    private static final double MIB = 1 << 20;

    private ComparisonTable() {
    }

    /** A GitHub-flavoured markdown table, one row per result, ending in a newline. */
    public static String markdown(List<VariantResult> results) {
        StringBuilder sb = new StringBuilder();
        int order = results.isEmpty() ? 0 : results.get(0).order();
        int pbo = results.isEmpty() ? 0 : results.get(0).pageblockOrder();
        sb.append("| variant | order-").append(order).append(" success | mixed pageblocks | pageblocks with unmovable")
                .append(" | type mismatch | fallbacks | compact stalls | pages migrated | free in order >= ").append(pbo)
                .append(" |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (VariantResult r : results) {
            sb.append("| ").append(r.variant().name().replace("|", "\\|"))
                    .append(" | ").append(ratio(r.successes(), r.requests(), r.successRate()))
                    .append(" | ").append(blocks(r, r.occupancy().mixed()))
                    .append(" | ").append(blocks(r, r.occupancy().withUnmovable()))
                    .append(" | ").append(blocks(r, r.occupancy().typeMismatch()))
                    .append(" | ").append(r.extfragEvents())
                    .append(" | ").append(r.compactStall())
                    .append(" | ").append(r.pagesMigrated())
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f MiB (%s)",
                            r.freePagesInPageblocks() * r.pageBytes() / MIB, percent(r.freeInPageblocksShare())))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String ratio(long part, long whole, double share) {
        return whole == 0 ? "n/a" : part + " / " + whole + " (" + percent(share) + ")";
    }

    private static String blocks(VariantResult r, long part) {
        long all = r.occupancy().pageblocks();
        return all < 0 ? "n/a" : ratio(part, all, r.pageblockShare(part));
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    /** CSV with {@link #CSV_HEADER} and one line per result (RFC 4180 quoting), ending in a newline. */
    public static String csv(List<VariantResult> results) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (VariantResult r : results) {
            boolean known = r.occupancy().pageblocks() >= 0;
            sb.append(quote(r.variant().name())).append(',')
                    .append(quote(String.join(",", r.variant().overrides()))).append(',')
                    .append(r.order()).append(',').append(r.successes()).append(',').append(r.failures()).append(',')
                    .append(number(r.successRate())).append(',')
                    .append(known ? r.occupancy().pageblocks() : "").append(',')
                    .append(known ? r.occupancy().mixed() : "").append(',')
                    .append(known ? r.occupancy().withUnmovable() : "").append(',')
                    .append(known ? r.occupancy().typeMismatch() : "").append(',')
                    .append(number(r.pageblockShare(r.occupancy().mixed()))).append(',')
                    .append(number(r.pageblockShare(r.occupancy().withUnmovable()))).append(',')
                    .append(number(r.pageblockShare(r.occupancy().typeMismatch()))).append(',')
                    .append(r.extfragEvents()).append(',').append(r.compactStall()).append(',')
                    .append(r.pagesMigrated()).append(',').append(r.freePages()).append(',')
                    .append(r.freePagesInPageblocks()).append(',').append(r.managedPages()).append(',')
                    .append(r.pageBytes()).append(',').append(r.events()).append('\n');
        }
        return sb.toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
