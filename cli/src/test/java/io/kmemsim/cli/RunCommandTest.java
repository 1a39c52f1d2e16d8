package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.testkit.plugin.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    @Test
    void run_defaultScenarioPrintsSummary() {
        Cli r = Cli.run("run", "--set", "workload.options.events=20000", "--set", "object-cache.id=slub");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("scenario   default (kernel 6.1, seed 1)", "page-allocator", "buddy", "events     20000",
                "page allocations by order", "wall time");
    }

    @Test
    void run_quietPrintsNothing() {
        Cli r = Cli.run("run", "--quiet", "--set", "workload.options.events=1000", "--set", "object-cache.id=slub");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void scenarioWithErrors_isInputErrorListingEveryProblem(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, """
                kernel: "6.1"
                platform:
                  id: rock5b-plus-8g
                page-allocator:
                  id: no-such-allocator
                workload:
                  id: mix
                colour: blue
                """);
        Cli r = Cli.run("run", file.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith(file.toString()))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(r.err()).contains("no-such-allocator", "colour");
        assertThat(r.errHasStackTrace()).isFalse();
    }

    @Test
    void missingScenarioFile_isInputError(@TempDir Path tmp) {
        Cli r = Cli.run("run", tmp.resolve("absent.yaml").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("absent.yaml", "no such scenario file");
    }

    @Test
    void pluginWhoseCreateThrows_failsWithStatus1NamingPluginAndOperation(@TempDir Path tmp) throws IOException {
        Path plugins = Files.createDirectory(tmp.resolve("plugins"));
        PluginJarBuilder.plugin("exploding")
                .source("exploding.ExplodingProvider", FailingPlugin.provider("exploding-wl",
                        "throw new IllegalStateException(\"the workload refuses to start\");"))
                .service(WorkloadProvider.class, "exploding.ExplodingProvider")
                .build(plugins);
        Path scenario = tmp.resolve("explode.yaml");
        Files.writeString(scenario, """
                kernel: "6.1"
                platform:
                  id: arm64-virt
                page-allocator:
                  id: buddy
                workload:
                  id: exploding-wl
                """);

        Cli r = Cli.run("--plugins-dir", plugins.toString(), "run", scenario.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("exploding-wl", "create", "the workload refuses to start");
        assertThat(r.errHasStackTrace()).isFalse();

        Cli verbose = Cli.run("--plugins-dir", plugins.toString(), "run", scenario.toString(), "--verbose");
        assertThat(verbose.status()).isEqualTo(1);
        assertThat(verbose.errHasStackTrace()).isTrue();
    }
}
