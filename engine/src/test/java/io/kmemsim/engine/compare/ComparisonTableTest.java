package io.kmemsim.engine.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.mm.PageblockOccupancy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    // 512 pageblocks of a 1 GiB board (262144 pages of 4 KiB); 65536 free pages in whole pageblocks = 256 MiB
    private static final VariantResult LINUX = new VariantResult(
            Variant.parse("linux+linux: fallback.id=linux,compaction.id=linux"), 9, 9, 300, 100,
            new PageblockOccupancy(512, 64, 32, 8), 31, 1051, 59117, 70000, 65536, 262144, 4096, 600000);
    private static final VariantResult UNKNOWN = new VariantResult(
            Variant.parse("a|b:"), 9, 9, 0, 0, PageblockOccupancy.UNKNOWN, 0, 0, 0, 0, 0, 262144, 4096, 10);

    @Test
    void markdown_showsCountsWithTheirShares() {
        assertThat(ComparisonTable.markdown(List.of(LINUX, UNKNOWN))).isEqualTo("""
                | variant | order-9 success | mixed pageblocks | pageblocks with unmovable | type mismatch | fallbacks | compact stalls | pages migrated | free in order >= 9 |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|
                | linux+linux | 300 / 400 (75.0 %) | 32 / 512 (6.3 %) | 64 / 512 (12.5 %) | 8 / 512 (1.6 %) | 31 | 1051 | 59117 | 256.0 MiB (25.0 %) |
                | a\\|b | n/a | n/a | n/a | n/a | 0 | 0 | 0 | 0.0 MiB (0.0 %) |
                """);
    }

    @Test
    void csv_quotesOverridesAndLeavesUnknownsEmpty() {
        assertThat(ComparisonTable.csv(List.of(LINUX, UNKNOWN))).isEqualTo(ComparisonTable.CSV_HEADER + "\n"
                + "linux+linux,\"fallback.id=linux,compaction.id=linux\",9,300,100,0.750000,512,32,64,8,0.062500,0.125000,"
                + "0.015625,31,1051,59117,70000,65536,262144,4096,600000,0" + ",".repeat(3 * io.kmemsim.engine.plugin.PluginKind.values().length)
                + ",,,,,," + "\n"
                + "a|b,,9,0,0,,,,,,,,,0,0,0,0,0,262144,4096,10,0" + ",".repeat(3 * io.kmemsim.engine.plugin.PluginKind.values().length)
                + ",,,,,," + "\n");
    }

    @Test
    void reclaimColumns_fromTheVmstatCounters_shownWhenARunReclaimed() {
        java.util.Map<String, Long> vmstat = java.util.Map.of("pgscan_kswapd", 938_713L, "pgsteal_kswapd", 938_000L,
                "pgscan_direct", 53_511L, "pgsteal_direct", 53_000L, "allocstall_movable", 271L, "allocstall_normal", 4L,
                "oom_kill", 1L);
        VariantResult.Reclaim c = VariantResult.Reclaim.of(vmstat);
        assertThat(c).isEqualTo(new VariantResult.Reclaim(938_713, 53_511, 938_000, 53_000, 275, 1));
        assertThat(VariantResult.Reclaim.of(java.util.Map.of("nr_free_pages", 5L))).isEqualTo(VariantResult.Reclaim.NONE);
        assertThat(VariantResult.Reclaim.of(java.util.Map.of("nr_inactive_file", 5L)))
                .as("LRU lists without a reclaim policy: nothing reclaimed").isEqualTo(new VariantResult.Reclaim(0, 0, 0, 0, 0, 0));
        VariantResult reclaimed = new VariantResult(Variant.parse("linux: reclaim.id=linux"), 9, 9, 10, 0,
                new PageblockOccupancy(512, 64, 32, 8), 0, 0, 0, 70000, 65536, 262144, 4096, 600000, 15, List.of(), c);
        VariantResult none = new VariantResult(Variant.parse("none: reclaim.id=none"), 9, 9, 10, 0,
                new PageblockOccupancy(512, 64, 32, 8), 0, 0, 0, 70000, 65536, 262144, 4096, 600000, 15, List.of());
        String md = ComparisonTable.markdown(List.of(reclaimed, none));
        assertThat(md.lines().findFirst().orElseThrow()).endsWith("| pgscan kswapd | pgsteal kswapd | pgscan direct | pgsteal direct | allocstall | oom kills |");
        assertThat(md).contains("| 938713 | 938000 | 53511 | 53000 | 275 | 1 |\n").contains("| n/a | n/a | n/a | n/a | n/a | n/a |\n");
        assertThat(ComparisonTable.csv(List.of(reclaimed, none)).lines().toList().get(1)).endsWith(",938713,938000,53511,53000,275,1");
        assertThat(ComparisonTable.markdown(List.of(none))).doesNotContain("pgscan");
        String summary = ComparisonTable.summary(VariantSummary.of(List.of(reclaimed, none)), "linux");
        assertThat(summary).contains("| pgscan kswapd |").contains("| oom kills |");
        assertThat(ComparisonTable.summary(VariantSummary.of(List.of(none)), "none")).doesNotContain("pgscan");
    }

    private static VariantResult run(String variant, long seed, long successes, long extfrag, String fallback, String source) {
        return new VariantResult(Variant.parse(variant), 9, 9, successes, 100 - successes, new PageblockOccupancy(512, 64, 32, 8),
                extfrag, 0, 0, 70000, 65536, 262144, 4096, 600000, seed,
                List.of(new VariantResult.PluginUse("fallback", fallback, "1.0.0", source),
                        new VariantResult.PluginUse("compaction", "linux", "0.1.0", "classpath")));
    }

    @Test
    void summary_showsMeanAndConfidenceOverSeeds_deltasFromTheBaseline_andThePluginsUsed() {
        List<VariantResult> runs = List.of(
                run("linux: fallback.id=linux", 1, 70, 10, "linux", "classpath"),
                run("linux: fallback.id=linux", 2, 80, 20, "linux", "classpath"),
                run("linux: fallback.id=linux", 3, 90, 30, "linux", "classpath"),
                run("eager: fallback.id=claim-threshold", 1, 90, 40, "claim-threshold", "/p/claim.jar"),
                run("eager: fallback.id=claim-threshold", 2, 90, 40, "claim-threshold", "/p/claim.jar"),
                run("eager: fallback.id=claim-threshold", 3, 90, 40, "claim-threshold", "/p/claim.jar"));
        String table = ComparisonTable.summary(VariantSummary.of(runs), "linux");
        // success 70, 80, 90 %: mean 80, sd 10, t(2) = 4.303 -> 4.303 * 10 / sqrt(3) = 24.8 pp
        assertThat(table).startsWith("""
                | variant | seeds | order-9 success | mixed pageblocks | pageblocks with unmovable | type mismatch | fallbacks | compact stalls | pages migrated | free in order >= 9 |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                | linux (baseline) | 3 | 80.0 ± 24.8 % | 6.3 ± 0.0 % | 12.5 ± 0.0 % | 1.6 ± 0.0 % | 20.0 ± 24.8 | 0.0 ± 0.0 | 0.0 ± 0.0 | 25.0 ± 0.0 % |
                | eager | 3 | 90.0 ± 0.0 % (+10.0 pp) | 6.3 ± 0.0 % (+0.0 pp) | 12.5 ± 0.0 % (+0.0 pp) | 1.6 ± 0.0 % (+0.0 pp) | 40.0 ± 0.0 (+20.0) | 0.0 ± 0.0 (+0.0) | 0.0 ± 0.0 (+0.0) | 25.0 ± 0.0 % (+0.0 pp) |

                | variant | fallback |
                |---|---|
                | linux | linux 1.0.0 (classpath) |
                | eager | claim-threshold 1.0.0 (/p/claim.jar) |
                """);
    }

    @Test
    void summary_ofOneSeed_showsPlainValuesAndIntegerDeltas() {
        String table = ComparisonTable.summary(VariantSummary.of(List.of(
                run("a:", 5, 75, 31, "linux", "classpath"), run("b:", 5, 50, 40, "linux", "classpath"))), "b");
        assertThat(table).contains("| a | 1 | 75.0 % (+25.0 pp) |", "| 31 (-9) |", "| b (baseline) | 1 | 50.0 % |")
                .contains("| variant | fallback | compaction |");
    }

    @Test
    void estimate_usesStudentsT() {
        Estimate e = Estimate.of(List.of(1.0, 2.0, 3.0, Double.NaN));
        assertThat(e.n()).isEqualTo(3);
        assertThat(e.mean()).isEqualTo(2.0);
        assertThat(e.halfWidth()).isCloseTo(4.303 / Math.sqrt(3), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Estimate.of(List.of(7.0)).halfWidth()).isZero();
        assertThat(Estimate.of(List.of(Double.NaN)).n()).isZero();
        assertThat(Estimate.t95(5)).isEqualTo(2.571);
        assertThat(Estimate.t95(1000)).isEqualTo(1.960);
    }
}
