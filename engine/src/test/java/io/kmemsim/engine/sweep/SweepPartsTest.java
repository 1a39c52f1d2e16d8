package io.kmemsim.engine.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmemsim.engine.InputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The spec reader, the grid, the metrics and the statistics of a sweep, without running anything. */
class SweepPartsTest {

    @Test
    void grid_isTheProductOfTheAxesTimesSeeds_lessExclusions_lastAxisFastest() {
        SweepSpec spec = SweepSpecReader.parse("""
                set: [workload.options.events=1000]
                axes:
                  kernel: ["5.10", "6.1"]
                  workload.options.rate: { from: 0.5, to: 1.5, step: 0.5 }
                exclude:
                  - { kernel: "5.10", workload.options.rate: "1" }
                seeds: [7, 9]
                """, "s.yaml", "s", null);
        List<SweepPoint> points = SweepPlan.points(spec);
        assertThat(spec.axes().get(1).values()).containsExactly("0.5", "1", "1.5");
        assertThat(points).hasSize((2 * 3 - 1) * 2);
        assertThat(points.get(0).overrides()).containsExactly("workload.options.events=1000", "kernel=5.10",
                "workload.options.rate=0.5", "seed=7");
        assertThat(points.get(1).seed()).isEqualTo(9);
        assertThat(points.get(2).axisValues()).containsExactly("5.10", "1.5");
        assertThat(points).extracting(SweepPoint::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void seedsAsACount_areOneToN_andDefaultsAreTheComparisonMeasures() {
        SweepSpec spec = SweepSpecReader.parse("seeds: 3\n", "s.yaml", "s", null);
        assertThat(spec.seeds()).containsExactly(1L, 2L, 3L);
        assertThat(spec.metrics()).isEqualTo(Metric.defaults());
        assertThat(SweepPlan.points(spec)).hasSize(3);
    }

    @Test
    void everyProblemAtOnce_withLineColumnAndKey() {
        assertThatThrownBy(() -> SweepSpecReader.parse("""
                axes:
                  kernel: []
                  seed: [1, 1]
                exclude:
                  - { fallback.id: linux }
                order: 99
                """, "bad.yaml", "bad", null))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("bad.yaml:2:11: axes.kernel: an axis needs at least one value")
                .hasMessageContaining("bad.yaml:3:9: axes.seed: an axis value is repeated")
                .hasMessageContaining("bad.yaml:5:20: exclude.fallback.id: not an axis of this sweep")
                .hasMessageContaining("bad.yaml:6:8: order: an integer in [0, 20]: 99");
    }

    @Test
    void metrics_readResultsJson_builtInsPathsSelectorsAndDottedCounterNames() throws Exception {
        JsonNode results = new ObjectMapper().readTree("""
                {"memory": {"pageblockOrder": 9},
                 "pages": {"failed": 4},
                 "allocationsByOrder": [{"order": 0, "success": 10, "failure": 0}, {"order": 9, "success": 3, "failure": 1}],
                 "pageblockOccupancy": {"total": {"tracked": true, "pageblocks": 8, "mixed": 2, "withUnmovable": 1}},
                 "counters": {"page-allocator": {"kmemsim_extfrag_events": 5}, "arch": {"arm64.cycles": 1234}}}
                """);
        assertThat(Metric.of("success-rate").evaluate(results, -1)).isEqualTo(0.75);
        assertThat(Metric.of("success-rate(0)").evaluate(results, -1)).isEqualTo(1.0);
        assertThat(Metric.of("success-rate").evaluate(results, 3)).isNaN();
        assertThat(Metric.of("mixed-share").evaluate(results, -1)).isEqualTo(0.25);
        assertThat(Metric.of("fallbacks").evaluate(results, -1)).isEqualTo(5);
        assertThat(Metric.of("compact-stall").evaluate(results, -1)).isZero();
        assertThat(Metric.of("allocationsByOrder[order=9].failure").evaluate(results, -1)).isEqualTo(1);
        assertThat(Metric.of("counters.arch.arm64.cycles").evaluate(results, -1)).isEqualTo(1234);
        assertThat(Metric.of("counters.slab.nothing").evaluate(results, -1)).isZero();
        assertThatThrownBy(() -> Metric.of("pages.nothing").evaluate(results, -1))
                .hasMessage("results.json has no pages.nothing");
        assertThat(Metric.check("bad metric!")).startsWith("not a metric");
    }

    @Test
    void statistics_meanSampleSdAndStudentT95() {
        SweepPoint p = new SweepPoint(0, List.of(), 1, List.of(), "h");
        List<PointResult> runs = List.of(
                new PointResult(p, true, "", new double[] {1}, List.of(), 0, false),
                new PointResult(p, true, "", new double[] {2}, List.of(), 0, false),
                new PointResult(p, true, "", new double[] {3}, List.of(), 0, false),
                new PointResult(p, true, "", new double[] {Double.NaN}, List.of(), 0, false),
                new PointResult(p, false, "boom", new double[] {100}, List.of(), 0, false));
        double[] s = SweepTables.stats(runs, 0);
        assertThat(s[0]).isEqualTo(3);
        assertThat(s[1]).isEqualTo(2.0);
        assertThat(s[2]).isEqualTo(1.0);
        // t(0.975, 2) = 4.302653 (any t table); half width 4.302653 / sqrt(3)
        assertThat(s[3]).isCloseTo(2 - 2.484138, within(1e-5));
        assertThat(s[4]).isCloseTo(2 + 2.484138, within(1e-5));
        assertThat(SweepTables.number(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(SweepTables.number(42.0)).isEqualTo("42");
        assertThat(SweepTables.number(Double.NaN)).isEmpty();
    }
}
