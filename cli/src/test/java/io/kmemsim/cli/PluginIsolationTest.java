package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmemsim.api.plugin.CompactionPolicyProvider;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.testkit.plugin.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad plugin never takes the host down: a directory holding one good plugin and one jar per way a
 * plugin can be broken still lists and runs the good one, and lists each broken one under "refused
 * plugins" with its reason; a plugin that fails at run time is blamed by name even when another plugin
 * called it.
 */
class PluginIsolationTest {

    @TempDir
    static Path plugins;

    @BeforeAll
    static void brokenPlugins() throws IOException {
        workload("good", "good-wl", "a good workload", "NoOptions.class").build(plugins);
        workload("badid", "Bad_Id", "bad id", "NoOptions.class").build(plugins);
        workload("dup", "mix", "a second mix", "NoOptions.class").build(plugins);
        workload("descr", "descr-wl", null, "NoOptions.class").build(plugins);
        workload("opts", "opts-wl", "options type throws", "null").build(plugins);
        workload("future", "future-wl", "needs a newer api", "NoOptions.class").requires(">=99.0.0").build(plugins);
        PluginJarBuilder.plugin("noclass").service(WorkloadProvider.class, "noclass.Missing").build(plugins);
        Files.write(plugins.resolve("garbage.jar"), new byte[] {1, 2, 3, 4});
        Files.write(plugins.resolve("zipped.zip"), new byte[] {'P', 'K', 5, 6});
        PluginJarBuilder.plugin("bomb")
                .source("bomb.BombProvider", """
                        package bomb;

                        import io.kmemsim.api.plugin.CompactionPolicyProvider;
                        import io.kmemsim.api.plugin.NoOptions;
                        import io.kmemsim.api.plugin.ProviderContext;
                        import io.kmemsim.api.policy.*;

                        public final class BombProvider implements CompactionPolicyProvider<NoOptions> {
                            @Override public String id() { return "bomb"; }
                            @Override public String description() { return "throws on the first tick"; }
                            @Override public Class<NoOptions> optionsType() { return NoOptions.class; }
                            @Override public CompactionPolicy create(NoOptions o, ProviderContext c) {
                                return new CompactionPolicy() {
                                    public CompactionResult compactDirect(int order, int gfp, CompactPriority p, CompactionContext x) {
                                        return CompactionResult.NOT_ATTEMPTED;
                                    }
                                    public void onTick(long now, CompactionContext x) {
                                        throw new IllegalStateException("kcompactd fell over");
                                    }
                                    public void compactNode(CompactionContext x) {
                                    }
                                };
                            }
                        }
                        """)
                .service(CompactionPolicyProvider.class, "bomb.BombProvider")
                .build(plugins);
    }

    private static PluginJarBuilder workload(String pkg, String id, String description, String optionsType) {
        String cls = Character.toUpperCase(pkg.charAt(0)) + pkg.substring(1) + "Provider";
        String describe = description == null ? "throw new IllegalStateException(\"no words\");" : "return \"" + description + "\";";
        return PluginJarBuilder.plugin(pkg)
                .source(pkg + "." + cls, """
                        package %s;

                        import io.kmemsim.api.plugin.NoOptions;
                        import io.kmemsim.api.plugin.ProviderContext;
                        import io.kmemsim.api.workload.Workload;
                        import io.kmemsim.api.plugin.WorkloadProvider;

                        public final class %s implements WorkloadProvider<NoOptions> {
                            @Override public String id() { return "%s"; }
                            @Override public String description() { %s }
                            @Override public Class<NoOptions> optionsType() { return %s; }
                            @Override public Workload create(NoOptions options, ProviderContext context) {
                                return new Workload() {
                                    int left = 3;
                                    public boolean next(io.kmemsim.api.workload.Event e) {
                                        return left-- > 0 && e.pageAlloc(100 + left, 0, 0, 0) != null;
                                    }
                                };
                            }
                        }
                        """.formatted(pkg, cls, id, describe, optionsType))
                .service(WorkloadProvider.class, pkg + "." + cls);
    }

    @Test
    void pluginsList_listsTheGoodPlugin_andRefusesEveryBrokenJar_withItsReason() {
        Cli r = Cli.run("--plugins-dir", plugins.toString(), "plugins", "list");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.errHasStackTrace()).isFalse();
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).startsWith("workload").contains("good-wl"));
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).startsWith("compaction").contains("bomb"));
        String refused = r.out().substring(r.out().indexOf("refused plugins:"));
        assertThat(refused).contains("badid", "must match [a-z0-9][a-z0-9.-]*: 'Bad_Id'");
        assertThat(refused).contains("dup", "'mix' is already provided by the classpath");
        assertThat(refused).contains("descr", "description", "no words");
        assertThat(refused).contains("opts", "optionsType() returned null");
        assertThat(refused).contains("future", "requires kmemsim api >=99.0.0");
        assertThat(refused).contains("noclass", "garbage.jar", "zipped.zip", "jars (*.jar) only");
        assertThat(refused.lines().filter(l -> !l.isBlank()).count()).as(refused).isGreaterThanOrEqualTo(9);
    }

    @Test
    void theGoodPlugin_runs_despiteTheBrokenOnes() {
        Cli r = Cli.run("--plugins-dir", plugins.toString(), "run", "--set", "workload={id: good-wl}",
                "--set", "object-cache.id=slub");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: plugin", "Bad_Id");
        assertThat(r.out()).contains("good-wl");
    }

    @Test
    void aCompactionPolicyThrowingInOnTick_isBlamedByName_notTheAllocatorThatCalledIt(@TempDir Path out) throws IOException {
        Cli r = Cli.run("--plugins-dir", plugins.toString(), "run", "--set", "compaction.id=bomb",
                "--set", "object-cache.id=slub", "--set", "workload.options.events=200000", "--out", out.toString());

        assertThat(r.status()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("compaction plugin 'bomb' failed in onTick", "kcompactd fell over")
                .doesNotContain("'buddy'");
        assertThat(r.errHasStackTrace()).isFalse();
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.at("/status").asText()).isEqualTo("failed");
        assertThat(json.at("/failure/providerId").asText()).isEqualTo("bomb");
        assertThat(json.at("/failure/operation").asText()).isEqualTo("onTick");
    }
}
