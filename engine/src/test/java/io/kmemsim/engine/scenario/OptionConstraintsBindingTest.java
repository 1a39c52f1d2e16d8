package io.kmemsim.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.OneOf;
import io.kmemsim.api.plugin.Positive;
import io.kmemsim.api.plugin.Range;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.OptionInfo;
import io.kmemsim.engine.plugin.OptionsDescriber;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.ProviderEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Declared option constraints: checked by the binder at the value's own place, with every other problem. */
class OptionConstraintsBindingTest {

    public record ThresholdOptions(@Range(min = 0, max = 1) double claimThreshold, @Positive int budget,
                                   @OneOf({"auto", "eager"}) String mode, @Range(min = 0, max = 10) List<Integer> orders) {
        public ThresholdOptions() {
            this(0.5, 4, "auto", List.of(9));
        }
    }

    static final class Threshold extends FakeProviders.Stub<FallbackPolicy, ThresholdOptions>
            implements FallbackPolicyProvider<ThresholdOptions> {
        Threshold() {
            super("claim-threshold", ThresholdOptions.class);
        }
    }

    private static ScenarioLoader loader() {
        List<ProviderEntry> entries = new ArrayList<>();
        entries.add(FakeProviders.entry(PluginKind.PLATFORM, new FakeProviders.Platforms("rock5b-plus-8g")));
        entries.add(FakeProviders.entry(PluginKind.PAGE_ALLOCATOR, new FakeProviders.Buddy()));
        entries.add(FakeProviders.entry(PluginKind.WORKLOAD, new FakeProviders.Mix()));
        entries.add(FakeProviders.entry(PluginKind.FALLBACK_POLICY, new Threshold()));
        return new ScenarioLoader(ProviderLookup.of(entries));
    }

    @Test
    void valuesBreakingTheirConstraints_areReportedAtTheirOwnLine_withTheOtherProblems() {
        String text = """
                kernel: "6.1"
                platform: rock5b-plus-8g
                page-allocator: buddy
                fallback:
                  id: claim-threshold
                  options:
                    claim-threshold: 1.5
                    budget: 0
                    mode: lazy
                    orders: [3, 11]
                workload: { id: mix, options: { free-ratio: lots } }
                """;
        InputException e = catchThrowableOfType(InputException.class,
                () -> loader().parse(text, "s.yaml", "s", ScenarioLoader.Format.YAML, List.of()));

        assertThat(e.problems()).extracting(InputProblem::toString).contains(
                "s.yaml:7:22: fallback.options.claim-threshold: must be in [0, 1]: 1.5",
                "s.yaml:8:13: fallback.options.budget: must be > 0: 0",
                "s.yaml:9:11: fallback.options.mode: must be one of auto, eager: lazy",
                "s.yaml:10:17: fallback.options.orders[1]: must be in [0, 10]: 11");
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.key()).isEqualTo("workload.options.free-ratio"));
    }

    @Test
    void valuesInsideTheirConstraints_bind() {
        Scenario s = loader().parse("""
                kernel: "6.1"
                platform: rock5b-plus-8g
                page-allocator: buddy
                fallback: { id: claim-threshold, options: { claim-threshold: 1, budget: 1, mode: eager, orders: [0, 10] } }
                workload: { id: mix, options: { events: 5 } }
                """, "s.yaml", "s", ScenarioLoader.Format.YAML, List.of("fallback.options.claim-threshold=0.25"));
        ThresholdOptions o = (ThresholdOptions) s.fallback().orElseThrow().options();
        assertThat(o.claimThreshold()).isEqualTo(0.25);
        assertThat(o.mode()).isEqualTo("eager");
    }

    @Test
    void describer_showsTheConstraints() {
        assertThat(OptionsDescriber.describe(ThresholdOptions.class)).extracting(OptionInfo::constraint)
                .containsExactly("in [0, 1]", "> 0", "one of: auto, eager", "in [0, 10]");
    }
}
