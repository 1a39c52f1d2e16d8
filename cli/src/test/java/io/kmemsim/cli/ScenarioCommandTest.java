package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code kmemsim scenario schema}: a JSON Schema from the installed plugins' options. */
class ScenarioCommandTest {

    private static JsonNode schema() throws IOException {
        Cli r = Cli.run("scenario", "schema");
        assertThat(r.status()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void schema_describesEveryKeyAndThePluginsOptionsWithTheirConstraints() throws IOException {
        JsonNode s = schema();
        assertThat(s.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(s.get("properties").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("name", "kernel", "seed", "cpus", "platform", "page-allocator", "object-cache", "arch", "reclaim",
                        "fallback", "compaction", "workload", "run");
        JsonNode compaction = s.at("/$defs/compaction/anyOf");
        assertThat(compaction.get(0).get("enum")).extracting(JsonNode::asText).contains("linux", "none");
        JsonNode linux = null;
        for (JsonNode form : compaction.get(1).get("oneOf")) {
            if (form.at("/properties/id/const").asText().equals("linux")) {
                linux = form.at("/properties/options/properties");
            }
        }
        assertThat(linux).isNotNull();
        assertThat(linux.at("/proactiveness/minimum").asInt()).isZero();
        assertThat(linux.at("/proactiveness/maximum").asInt()).isEqualTo(100);
        assertThat(linux.at("/proactiveness/default").asInt()).isEqualTo(20);
        assertThat(linux.at("/kcompactd-period-ms/exclusiveMinimum").asInt()).isZero();
        assertThat(linux.at("/extfrag-threshold/description").asText()).contains("vm.extfrag_threshold");
        assertThat(s.at("/$defs/fallback/anyOf/2/type").asText()).isEqualTo("null");
    }

    @Test
    void everyShippedScenario_namesOnlyIdsTheSchemaKnows() throws IOException {
        JsonNode s = schema();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(Path.of("../scenarios"))) {
            list.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            JsonNode scenario = new YAMLMapper().readTree(f.toFile());
            for (String kind : List.of("platform", "page-allocator", "object-cache", "arch", "fallback", "compaction", "workload")) {
                JsonNode c = scenario.get(kind);
                if (c == null || c.isNull()) {
                    continue;
                }
                String id = c.isTextual() ? c.asText() : c.get("id").asText();
                assertThat(s.at("/$defs/" + kind + "/anyOf/0/enum")).as("%s: %s", f, kind).extracting(JsonNode::asText).contains(id);
            }
        }
    }
}
