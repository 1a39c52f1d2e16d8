package io.kmemsim.engine.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmemsim.engine.run.RunResult;
import io.kmemsim.engine.run.Simulation;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test validator catches what the schema forbids, so the schema tests can fail. */
class SchemaSubsetTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode schema;
    private ObjectNode valid;

    @BeforeEach
    void writeARealResult() throws IOException {
        schema = ResultsWriterTest.schema();
        ResultsRecorder recorder = new ResultsRecorder();
        RunResult result = new Simulation(ResultsFixtures.scenario()).observer(recorder).run();
        ResultsWriter.write(dir, recorder, result);
        valid = (ObjectNode) MAPPER.readTree(dir.resolve("results.json").toFile());
    }

    @Test
    void realResult_isValid() {
        assertThat(SchemaSubset.validate(schema, valid)).isEmpty();
    }

    @Test
    void missingRequiredKey_isReported() {
        valid.remove("run");

        assertThat(SchemaSubset.validate(schema, valid)).containsExactly("$: missing required key run");
    }

    @Test
    void wrongType_unknownKey_enumAndMinimum_areReported() {
        ((ObjectNode) valid.get("scenario")).put("seed", "eleven");
        ((ObjectNode) valid.get("pages")).put("stolen", 1);
        valid.put("schema", "kmemsim-results/2");
        ((ObjectNode) valid.get("run")).put("events", -1);

        assertThat(SchemaSubset.validate(schema, valid)).containsExactlyInAnyOrder(
                "$.scenario.seed: expected type \"integer\" but was STRING",
                "$.pages.stolen: key not allowed",
                "$.schema: \"kmemsim-results/2\" is not one of [\"kmemsim-results/1\"]",
                "$.run.events: -1 is below the minimum 0");
    }

    @Test
    void counterThatIsNotAnInteger_isReportedThroughAdditionalProperties() {
        ((ObjectNode) valid.get("counters").get("page-allocator")).put("nr_free_pages", 1.5);

        assertThat(SchemaSubset.validate(schema, valid))
                .containsExactly("$.counters.page-allocator.nr_free_pages: expected type \"integer\" but was NUMBER");
    }

    @Test
    void schemaUsingAnUnsupportedKeyword_isRefused() throws IOException {
        JsonNode s = MAPPER.readTree("{\"type\": \"object\", \"patternProperties\": {}}");

        assertThatThrownBy(() -> SchemaSubset.validate(s, valid))
                .hasMessageContaining("patternProperties");
    }
}
