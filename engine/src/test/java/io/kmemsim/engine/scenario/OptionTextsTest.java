package io.kmemsim.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code KEY=VALUE} options from a command line go through the scenario's binder: same rules, same messages. */
class OptionTextsTest {

    @Test
    void bind_readsEachValueAsYaml_andFillsTheRestFromTheDefaults() {
        Record r = OptionTexts.bind(FakeProviders.MixOptions.class, List.of("events=2_000", "orders=[1, 0x3]",
                "cpu-range={low: 1, high: 2}", "page-size=16K", "verbose=yes", "mode=burst-then-idle"), "test -o");

        assertThat(r).isEqualTo(new FakeProviders.MixOptions(2000, new FakeProviders.MixOptions().freeRatio(),
                FakeProviders.Mode.BURST_THEN_IDLE, List.of(1, 3), new FakeProviders.Range(1, 2), PageSize.SIZE_16K, true));
        assertThat(OptionTexts.bind(FakeProviders.BuddyOptions.class, List.of("lowmem-reserve={dma: 8}"), "x"))
                .isEqualTo(new FakeProviders.BuddyOptions(1024, new FakeProviders.BuddyOptions().watermarkScaleFactor(),
                        Map.of("dma", 8)));
    }

    @Test
    void bind_reportsEveryProblem_withTheScenarioMessages_andTheCommandAsSource() {
        InputException e = catchThrowableOfType(InputException.class, () -> OptionTexts.bind(
                FakeProviders.MixOptions.class, List.of("evnts=5", "free-ratio=lots", "orders=1,2", "no-equals"), "platform show"));

        assertThat(e.problems()).extracting(InputProblem::toString).containsExactly(
                "platform show: expected key=value: \"no-equals\"",
                "platform show: evnts: unknown key (did you mean 'events'?)",
                "platform show: events: missing required key",
                "platform show: free-ratio: expected a number: \"lots\"",
                "platform show: orders: expected a list: \"1,2\"");
    }

    @Test
    void bind_sameMessageAsAScenarioFile_forTheSameMistake() {
        ScenarioLoader loader = new ScenarioLoader(FakeProviders.lookup());
        InputException fromFile = catchThrowableOfType(InputException.class, () -> loader.parse("""
                kernel: "6.1"
                platform: rock5b-plus-8g
                page-allocator: { id: buddy, options: { min-free-kbytes: 99999999999 } }
                workload: { id: mix, options: { events: 1 } }
                """, "s.yaml", "s", ScenarioLoader.Format.YAML, List.of()));
        InputException fromCli = catchThrowableOfType(InputException.class, () -> OptionTexts.bind(
                FakeProviders.BuddyOptions.class, List.of("min-free-kbytes=99999999999"), "cli"));

        assertThat(fromCli.problems().get(0).message()).isEqualTo(fromFile.problems().get(0).message())
                .isEqualTo("expected an integer in [-2147483648, 2147483647]: 99999999999");
    }
}
