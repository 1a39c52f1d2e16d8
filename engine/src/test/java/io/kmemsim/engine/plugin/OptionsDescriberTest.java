package io.kmemsim.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.plugin.Doc;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.Provider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.Required;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionsDescriberTest {

    /** A sample options record: defaults from the no-argument constructor, one required option, docs. */
    public record SampleOptions(
            @Doc("events to generate") int events,
            @Required @Doc("the trace to replay") String traceFile,
            List<String> tags,
            MigrateType migrateType,
            double movableRatio,
            Long maxBytes,
            boolean verbose,
            Map<String, Integer> ordersByName,
            long[] pfns,
            String label,
            Optional<String> comment,
            NoOptions nested) {

        public SampleOptions() {
            this(1000, null, List.of("a", "b"), MigrateType.MOVABLE, 0.5, null, false,
                    Map.of("thp", 9), new long[] {1, 2}, "", Optional.empty(), new NoOptions());
        }
    }

    /** No no-argument constructor: no defaults. */
    public record NoDefaults(@Required int order, int maxPCPBatch) {
    }

    @Test
    void describe_goldenOutputForSampleRecord() {
        assertThat(OptionsDescriber.describe(SampleOptions.class)).containsExactly(
                new OptionInfo("events", "int", "1000", false, "events to generate"),
                new OptionInfo("trace-file", "string", "", true, "the trace to replay"),
                new OptionInfo("tags", "list<string>", "[a, b]", false, ""),
                new OptionInfo("migrate-type", "one of: UNMOVABLE, MOVABLE, RECLAIMABLE, HIGHATOMIC, CMA, ISOLATE",
                        "MOVABLE", false, ""),
                new OptionInfo("movable-ratio", "double", "0.5", false, ""),
                new OptionInfo("max-bytes", "long", "", false, ""),
                new OptionInfo("verbose", "boolean", "false", false, ""),
                new OptionInfo("orders-by-name", "map<string, int>", "{thp: 9}", false, ""),
                new OptionInfo("pfns", "list<long>", "[1, 2]", false, ""),
                new OptionInfo("label", "string", "\"\"", false, ""),
                new OptionInfo("comment", "string", "", false, ""),
                new OptionInfo("nested", "object", "NoOptions[]", false, ""));
    }

    @Test
    void describe_recordWithoutNoArgumentConstructorHasNoDefaults() {
        assertThat(OptionsDescriber.describe(NoDefaults.class)).containsExactly(
                new OptionInfo("order", "int", "", true, ""),
                new OptionInfo("max-pcp-batch", "int", "", false, ""));
    }

    @Test
    void describe_noOptionsIsEmpty() {
        assertThat(OptionsDescriber.describe(NoOptions.class)).isEmpty();
    }

    /** Its defaults constructor fails, as a buggy plugin's might. */
    public record Throwing(int x) {
        public Throwing() {
            this(fail());
        }

        private static int fail() {
            throw new IllegalStateException("no defaults today");
        }
    }

    @Test
    void describe_entryWhoseDefaultsConstructorThrowsIsAPluginFailure() {
        Provider<Object, Throwing> provider = new Provider<>() {
            @Override
            public String id() {
                return "thrower";
            }

            @Override
            public String description() {
                return "throws";
            }

            @Override
            public Class<Throwing> optionsType() {
                return Throwing.class;
            }

            @Override
            public Object create(Throwing options, ProviderContext context) {
                return null;
            }
        };
        ProviderEntry entry = new ProviderEntry(PluginKind.WORKLOAD, provider, "", "1", "classpath");

        assertThatThrownBy(() -> OptionsDescriber.describe(entry))
                .isInstanceOf(PluginFailureException.class)
                .hasMessageContaining("workload plugin 'thrower' failed in optionsType")
                .hasMessageContaining("no defaults today");
    }

    @Test
    void optionNames_convertComponentsToKeysAndBack() {
        assertThat(OptionNames.toKey("minFreeKbytes")).isEqualTo("min-free-kbytes");
        assertThat(OptionNames.toKey("events")).isEqualTo("events");
        assertThat(OptionNames.toKey("maxPCPBatch")).isEqualTo("max-pcp-batch");
        assertThat(OptionNames.toKey("order9Count")).isEqualTo("order9-count");
        assertThat(OptionNames.toKey("level2")).isEqualTo("level2");
        assertThat(OptionNames.toComponent("min-free-kbytes")).isEqualTo("minFreeKbytes");
        assertThat(OptionNames.toComponent("order9-count")).isEqualTo("order9Count");
        assertThat(OptionNames.toComponent("events")).isEqualTo("events");
        for (String component : List.of("minFreeKbytes", "order9Count", "watermarkScaleFactor", "a")) {
            assertThat(OptionNames.toComponent(OptionNames.toKey(component))).isEqualTo(component);
        }
    }

    @Test
    void optionNames_rejectMalformedKeys() {
        for (String bad : List.of("Min-free", "min_free", "min--free", "-min", "min-", "")) {
            assertThatThrownBy(() -> OptionNames.toComponent(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
