package io.kmemsim.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scenario tree is the YAML parser's own nodes; what that changes and what it must not. */
class NodesTest {

    private final ScenarioLoader loader = new ScenarioLoader(FakeProviders.lookup());

    private List<String> problems(String text, ScenarioLoader.Format format) {
        InputException e = catchThrowableOfType(InputException.class,
                () -> loader.parse(text, "s", "s", format, List.of()));
        return e == null ? List.of() : e.problems().stream().map(InputProblem::toString).toList();
    }

    @Test
    void yaml_booleansAndQuotedScalars_keepTheirYamlMeaning() {
        Scenario s = loader.parse("""
                kernel: 6.1
                platform: rock5b-plus-8g
                page-allocator: buddy
                workload: { id: mix, options: { events: 3, verbose: on } }
                """, "s", "s", ScenarioLoader.Format.YAML, List.of());
        assertThat(((FakeProviders.MixOptions) s.workload().options()).verbose()).isTrue();
        assertThat(problems("""
                kernel: "6.1"
                platform: rock5b-plus-8g
                page-allocator: buddy
                workload: { id: mix, options: { events: "3", verbose: "true" } }
                """, ScenarioLoader.Format.YAML)).containsExactly(
                "s:4:41: workload.options.events: expected an integer: \"3\"",
                "s:4:55: workload.options.verbose: expected true or false: \"true\"");
    }

    @Test
    void yaml_aSelfReferringAlias_isAnErrorNotAHang() {
        assertThat(problems("""
                kernel: "6.1"
                platform: rock5b-plus-8g
                page-allocator: buddy
                workload: { id: mix, options: &o { events: 3, orders: *o } }
                """, ScenarioLoader.Format.YAML)).containsExactly(
                "s:4:31: workload.options.orders: expected a list: a mapping"); // at the anchored node
    }

    @Test
    void yaml_aNonScalarKey_andASecondDocument_areReportedAtTheirMarks() {
        assertThat(problems("""
                kernel: "6.1"
                ? [a, b]
                : 1
                ---
                x: 1
                """, ScenarioLoader.Format.YAML)).contains(
                "s:2:3: a key must be a single value, not a list",
                "s:4:1: a scenario holds one document; found more after the first");
    }

    @Test
    void json_tabsAndTheSlashEscape_areRead_withJsonPositions() {
        Scenario s = loader.parse("{\n\t\"name\":\t\"a\\/b\",\n\t\"kernel\": \"6.1\", \"platform\": \"rock5b-plus-8g\",\n"
                + "\t\"page-allocator\": \"buddy\", \"workload\": {\"id\": \"mix\", \"options\": {\"events\": 4}}}",
                "s.json", "s", ScenarioLoader.Format.JSON, List.of());
        assertThat(s.name()).isEqualTo("a/b");
        assertThat(s.workload().origin()).isEqualTo(new Origin("s.json", 4, 48));
        assertThat(problems("{\"kernel\": \"6.1\", \"kernel\": \"6.12\"}", ScenarioLoader.Format.JSON))
                .contains("s:1:19: kernel: duplicate key (first given at line 1)");
    }
}
