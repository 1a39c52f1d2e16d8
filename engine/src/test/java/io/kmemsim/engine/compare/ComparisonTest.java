package io.kmemsim.engine.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.mm.PageblockOccupancy;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Comparison} over the testkit's one-zone board: 4096 pages (16 MiB) from PFN 0x40000, all in
 * Normal, max order 10, pageblock order 9; the reference allocator places blocks first-fit and never
 * refuses while a free aligned run exists.
 */
class ComparisonTest {

    private static final String BASE = """
            kernel: "6.1"
            seed: 5
            platform: one-zone
            page-allocator: counted
            workload:
              id: orders
              options:
                orders: [9, 9]
            """;

    private final ScenarioLoader loader = new ScenarioLoader(CompareProviders.lookup());
    private final List<List<String>> loaded = new ArrayList<>();

    private Comparison comparison(String... common) {
        return new Comparison(overrides -> {
            loaded.add(overrides);
            return loader.parse(BASE, "base.yaml", "base", ScenarioLoader.Format.YAML, overrides);
        }, List.of(common));
    }

    @Test
    void eachVariant_runsTheBaseWithItsOverrides_andReadsTheEndState() {
        List<VariantResult> seen = new ArrayList<>();
        List<VariantResult> results = comparison().run(List.of(
                Variant.parse("base:"),
                Variant.parse("full: workload.options.orders=[9,9,9,9,9,9,9,9,9,4], page-allocator.options.extfrag=3,"
                        + " page-allocator.options.stalls=2, page-allocator.options.migrated=17")), -1, seen::add);

        assertThat(seen).isEqualTo(results);
        VariantResult base = results.get(0);
        // two order-9 blocks = 1024 of 4096 pages taken; 3072 left, all in order >= 9 blocks
        assertThat(base.order()).isEqualTo(9);
        assertThat(base.pageblockOrder()).isEqualTo(9);
        assertThat(base.successes()).isEqualTo(2);
        assertThat(base.failures()).isZero();
        assertThat(base.successRate()).isEqualTo(1.0);
        assertThat(base.freePages()).isEqualTo(3072);
        assertThat(base.freePagesInPageblocks()).isEqualTo(3072);
        assertThat(base.managedPages()).isEqualTo(4096);
        assertThat(base.freeInPageblocksShare()).isEqualTo(0.75);
        assertThat(base.pageBytes()).isEqualTo(4096);
        assertThat(base.events()).isEqualTo(2);
        assertThat(base.extfragEvents()).isZero();
        // the reference allocator does not track occupancy
        assertThat(base.occupancy()).isEqualTo(PageblockOccupancy.UNKNOWN);
        assertThat(base.pageblockShare(1)).isNaN();

        VariantResult full = results.get(1);
        // eight order-9 blocks fill all 4096 pages: the ninth and the order-4 request fail
        assertThat(full.successes()).isEqualTo(8);
        assertThat(full.failures()).isEqualTo(1);
        assertThat(full.successRate()).isEqualTo(8 / 9.0);
        assertThat(full.freePages()).isZero();
        assertThat(full.freePagesInPageblocks()).isZero();
        assertThat(full.extfragEvents()).isEqualTo(3);
        assertThat(full.compactStall()).isEqualTo(2);
        assertThat(full.pagesMigrated()).isEqualTo(17);
        assertThat(full.variant().overrides()).hasSize(4);
    }

    @Test
    void commonOverrides_comeBeforeEachVariantsOwn() {
        comparison("seed=9", "workload.options.orders=[4]").run(List.of(
                Variant.parse("a:"), Variant.parse("b: workload.options.orders=[9]")), -1, r -> { });

        assertThat(loaded).containsExactly(List.of("seed=9", "workload.options.orders=[4]"),
                List.of("seed=9", "workload.options.orders=[4]", "workload.options.orders=[9]"));
    }

    @Test
    void chosenOrder_isCountedInsteadOfThePageblockOrder() {
        VariantResult r = comparison().run(List.of(Variant.parse("small: workload.options.orders=[4,4,9]")), 4,
                x -> { }).get(0);

        assertThat(r.order()).isEqualTo(4);
        assertThat(r.successes()).isEqualTo(2);
        assertThat(r.requests()).isEqualTo(2);
    }

    @Test
    void orderAboveTheLargest_isAnInputErrorNamingTheRange() {
        assertThatThrownBy(() -> comparison().run(List.of(Variant.parse("a:")), 11, r -> { }))
                .isInstanceOf(InputException.class)
                .hasMessage("--order: order must be in [0, 10] (the largest order of kernel 6.1 with this page size): 11");
    }

    @Test
    void wrongOverride_isReportedBeforeAnyVariantRuns() {
        List<VariantResult> seen = new ArrayList<>();
        assertThatThrownBy(() -> comparison().run(List.of(Variant.parse("a:"),
                Variant.parse("b: workload.options.oders=[1]")), -1, seen::add))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("workload.options.oders");
        assertThat(seen).isEmpty();
    }

    @Test
    void repeatedVariantName_isRefused() {
        assertThatThrownBy(() -> comparison().run(List.of(Variant.parse("a:"), Variant.parse("a: seed=2")), -1, r -> { }))
                .isInstanceOf(InputException.class)
                .hasMessage("--variant: variant name used twice: a");
    }

    @Test
    void sameSeed_givesTheSameResults() {
        List<Variant> twice = List.of(Variant.parse("x: workload.options.orders=[0,3,9]"),
                Variant.parse("y: workload.options.orders=[0,3,9]"));
        List<VariantResult> r = comparison().run(twice, -1, x -> { });

        assertThat(r.get(0)).usingRecursiveComparison().ignoringFields("variant").isEqualTo(r.get(1));
    }

    @Test
    void seeds_runEachVariantWithConsecutiveSeeds_andThreadsDoNotChangeTheResults() {
        List<Variant> variants = List.of(Variant.parse("x: workload.options.orders=[0,3,9]"), Variant.parse("y: workload.options.orders=[9,9,9]"));
        List<VariantResult> serial = comparison().run(variants, -1, 3, 1, x -> { });
        List<VariantResult> seen = new ArrayList<>();
        List<VariantResult> parallel = comparison().run(variants, -1, 3, 4, seen::add);

        assertThat(serial).extracting(r -> r.variant().name() + "@" + r.seed())
                .containsExactly("x@5", "x@6", "x@7", "y@5", "y@6", "y@7");
        assertThat(parallel).isEqualTo(serial);
        assertThat(seen).isEqualTo(parallel);
        assertThat(serial.get(0).plugins()).extracting(VariantResult.PluginUse::kind)
                .containsExactly("platform", "page-allocator", "workload");
        assertThat(serial.get(0).plugin("workload").orElseThrow().source()).isEqualTo("classpath");
    }

    @Test
    void seedsBelowOne_isAnInputError() {
        assertThatThrownBy(() -> comparison().run(List.of(Variant.parse("a:")), -1, 0, 1, r -> { }))
                .isInstanceOf(InputException.class).hasMessage("--seeds: seeds must be >= 1: 0");
    }
}
