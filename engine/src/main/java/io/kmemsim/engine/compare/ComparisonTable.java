package io.kmemsim.engine.compare;

import io.kmemsim.engine.plugin.PluginKind;
import java.util.ArrayList;
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
            + "page_bytes,events,seed" + pluginColumns()
            + ",pgscan_kswapd,pgsteal_kswapd,pgscan_direct,pgsteal_direct,allocstall,oom_kill";

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
                .append(anyReclaim(results) ? " | pgscan kswapd | pgsteal kswapd | pgscan direct | pgsteal direct | allocstall | oom kills" : "")
                .append(" |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|").append(anyReclaim(results) ? "---:|---:|---:|---:|---:|---:|" : "")
                .append('\n');
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
                            r.freePagesInPageblocks() * r.pageBytes() / MIB, percent(r.freeInPageblocksShare())));
            if (anyReclaim(results)) {
                VariantResult.Reclaim c = r.reclaim();
                for (long v : new long[] {c.pgscanKswapd(), c.pgstealKswapd(), c.pgscanDirect(), c.pgstealDirect(),
                    c.allocstall(), c.oomKills()}) {
                    sb.append(" | ").append(c.known() ? Long.toString(v) : "n/a");
                }
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    /** True when some result reported reclaim counters (the reclaim columns are shown then). */
    static boolean anyReclaim(List<VariantResult> results) {
        return results.stream().anyMatch(r -> r.reclaim().known());
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
                    .append(r.pageBytes()).append(',').append(r.events()).append(',').append(r.seed());
            for (PluginKind kind : PluginKind.values()) {
                VariantResult.PluginUse use = r.plugin(kind.label()).orElse(null);
                sb.append(',').append(use == null ? "" : quote(use.id()))
                        .append(',').append(use == null ? "" : quote(use.version()))
                        .append(',').append(use == null ? "" : quote(use.source()));
            }
            VariantResult.Reclaim c = r.reclaim();
            for (long v : new long[] {c.pgscanKswapd(), c.pgstealKswapd(), c.pgscanDirect(), c.pgstealDirect(),
                c.allocstall(), c.oomKills()}) {
                sb.append(',').append(c.known() ? Long.toString(v) : "");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pluginColumns() {
        StringBuilder sb = new StringBuilder();
        for (PluginKind kind : PluginKind.values()) {
            String k = kind.label().replace('-', '_');
            sb.append(',').append(k).append("_id,").append(k).append("_version,").append(k).append("_source");
        }
        return sb.toString();
    }

    /**
     * The comparison as a researcher reads it: one row per variant with the mean of each measure over its
     * seeds, {@code ±} the half-width of the 95 % confidence interval when there are several, and the
     * difference from the {@code baseline} variant's mean in parentheses (percentage points for shares);
     * then a second table naming the plugins (id, version, source) each variant ran, for the kinds in
     * which the variants differ (fallback and compaction when none differ). Ends in a newline.
     *
     * @throws IllegalArgumentException when no summary is named {@code baseline}
     */
    public static String summary(List<VariantSummary> summaries, String baseline) {
        VariantSummary base = summaries.stream().filter(v -> v.variant().name().equals(baseline)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant named " + baseline));
        VariantResult first = base.runs().get(0);
        List<VariantResult> all = summaries.stream().flatMap(v -> v.runs().stream()).toList();
        List<VariantSummary.Measure> measures = VariantSummary.measures(first.order(), first.pageblockOrder(), anyReclaim(all));
        StringBuilder sb = new StringBuilder("| variant | seeds |");
        StringBuilder rule = new StringBuilder("|---|---:|");
        for (VariantSummary.Measure m : measures) {
            sb.append(' ').append(m.title()).append(" |");
            rule.append("---:|");
        }
        sb.append('\n').append(rule).append('\n');
        for (VariantSummary v : summaries) {
            boolean isBase = v == base;
            sb.append("| ").append(v.variant().name().replace("|", "\\|")).append(isBase ? " (baseline)" : "")
                    .append(" | ").append(v.runs().size()).append(" |");
            for (VariantSummary.Measure m : measures) {
                Estimate e = v.estimate(m);
                sb.append(' ').append(cell(m, e, isBase ? null : base.estimate(m))).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n').append(pluginTable(summaries));
        return sb.toString();
    }

    private static String cell(VariantSummary.Measure m, Estimate e, Estimate base) {
        if (e.n() == 0) {
            return "n/a";
        }
        double scale = m.share() ? 100 : 1;
        boolean integral = !m.share() && e.n() == 1 && e.mean() == Math.rint(e.mean());
        String value = integral ? String.format(Locale.ROOT, "%d", (long) e.mean())
                : String.format(Locale.ROOT, "%.1f", e.mean() * scale);
        if (e.n() > 1) {
            value += String.format(Locale.ROOT, " ± %.1f", e.halfWidth() * scale);
        }
        if (m.share()) {
            value += " %";
        }
        if (base != null && base.n() > 0) {
            double delta = (e.mean() - base.mean()) * scale;
            String format = m.share() ? " (%+.1f pp)" : integral && base.mean() == Math.rint(base.mean()) ? " (%+.0f)" : " (%+.1f)";
            value += String.format(Locale.ROOT, format, delta);
        }
        return value;
    }

    /** Plugins per variant, for the kinds in which the variants differ (fallback and compaction otherwise). */
    private static String pluginTable(List<VariantSummary> summaries) {
        List<PluginKind> kinds = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            long distinct = summaries.stream().map(v -> v.runs().get(0).plugin(kind.label())).distinct().count();
            if (distinct > 1) {
                kinds.add(kind);
            }
        }
        if (kinds.isEmpty()) {
            kinds = List.of(PluginKind.FALLBACK_POLICY, PluginKind.COMPACTION_POLICY);
        }
        StringBuilder sb = new StringBuilder("| variant |");
        StringBuilder rule = new StringBuilder("|---|");
        for (PluginKind kind : kinds) {
            sb.append(' ').append(kind.label()).append(" |");
            rule.append("---|");
        }
        sb.append('\n').append(rule).append('\n');
        for (VariantSummary v : summaries) {
            sb.append("| ").append(v.variant().name().replace("|", "\\|")).append(" |");
            for (PluginKind kind : kinds) {
                sb.append(' ').append(v.runs().get(0).plugin(kind.label())
                        .map(u -> u.id() + " " + u.version() + " (" + u.source() + ")").orElse("none")).append(" |");
            }
            sb.append('\n');
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
