package io.kmemsim.engine.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The runs of one variant (one per seed) and the estimate of each measure over them.
 *
 * @param variant the variant
 * @param runs    its runs, seeds in order (at least one)
 */
public record VariantSummary(Variant variant, List<VariantResult> runs) {

    /**
     * A measure of a run: its column title, whether it is a share (shown in percent, deltas in
     * percentage points) and how to read it.
     */
    public record Measure(String title, boolean share, ToDoubleFunction<VariantResult> read) {
    }

    public VariantSummary {
        Objects.requireNonNull(variant, "variant");
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a summary needs at least one run: " + variant.name());
        }
    }

    /** The measures of the comparison table, in column order, for success at {@code order} and pageblock order {@code pbo}. */
    public static List<Measure> measures(int order, int pbo) {
        return measures(order, pbo, false);
    }

    /** {@link #measures(int, int)}, followed by the reclaim columns when {@code reclaim}. */
    public static List<Measure> measures(int order, int pbo, boolean reclaim) {
        List<Measure> m = new ArrayList<>(basic(order, pbo));
        if (reclaim) {
            m.add(new Measure("pgscan kswapd", false, r -> reclaimValue(r, r.reclaim().pgscanKswapd())));
            m.add(new Measure("pgsteal kswapd", false, r -> reclaimValue(r, r.reclaim().pgstealKswapd())));
            m.add(new Measure("pgscan direct", false, r -> reclaimValue(r, r.reclaim().pgscanDirect())));
            m.add(new Measure("pgsteal direct", false, r -> reclaimValue(r, r.reclaim().pgstealDirect())));
            m.add(new Measure("allocstall", false, r -> reclaimValue(r, r.reclaim().allocstall())));
            m.add(new Measure("oom kills", false, r -> reclaimValue(r, r.reclaim().oomKills())));
        }
        return List.copyOf(m);
    }

    private static double reclaimValue(VariantResult r, long v) {
        return r.reclaim().known() ? v : Double.NaN;
    }

    private static List<Measure> basic(int order, int pbo) {
        return List.of(
                new Measure("order-" + order + " success", true, VariantResult::successRate),
                new Measure("mixed pageblocks", true, r -> r.pageblockShare(r.occupancy().mixed())),
                new Measure("pageblocks with unmovable", true, r -> r.pageblockShare(r.occupancy().withUnmovable())),
                new Measure("type mismatch", true, r -> r.pageblockShare(r.occupancy().typeMismatch())),
                new Measure("fallbacks", false, r -> r.extfragEvents()),
                new Measure("compact stalls", false, r -> r.compactStall()),
                new Measure("pages migrated", false, r -> r.pagesMigrated()),
                new Measure("free in order >= " + pbo, true, VariantResult::freeInPageblocksShare));
    }

    /** Groups {@code results} (as {@link Comparison#run} returns them) by variant, keeping the order. */
    public static List<VariantSummary> of(List<VariantResult> results) {
        Map<Variant, List<VariantResult>> byVariant = new LinkedHashMap<>();
        for (VariantResult r : results) {
            byVariant.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r);
        }
        List<VariantSummary> out = new ArrayList<>();
        byVariant.forEach((v, runs) -> out.add(new VariantSummary(v, runs)));
        return out;
    }

    /** The estimate of {@code measure} over the runs. */
    public Estimate estimate(Measure measure) {
        List<Double> values = new ArrayList<>(runs.size());
        for (VariantResult r : runs) {
            values.add(measure.read().applyAsDouble(r));
        }
        return Estimate.of(values);
    }
}
