package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario of an experiment (scenarios/experiments/, docs/experiments/) loads and runs shortened, with the
 * variants its page documents, so the documented commands keep working.
 */
class ExperimentScenariosTest {

    private static final Path FOLDER = Path.of("..", "scenarios", "experiments");
    private static final List<List<String>> VARIANTS = List.of(
            List.of("--set", "fallback.id=linux", "--set", "compaction.id=linux"),
            List.of("--set", "fallback.id=linux", "--set", "compaction.id=none"),
            List.of("--set", "fallback=null", "--set", "compaction.id=linux"),
            List.of("--set", "fallback=null", "--set", "compaction.id=none"),
            List.of("--set", "reclaim.id=contiguity"));

    @TestFactory
    Stream<DynamicTest> everyExperimentScenario_runsShortened() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(FOLDER)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().flatMap(f -> VARIANTS.stream().map(v -> DynamicTest.dynamicTest(
                f.getFileName() + " " + String.join(" ", v), () -> {
                    List<String> args = new java.util.ArrayList<>(List.of("run", f.toString(),
                            "--set", "workload.options.events=20000", "--no-results", "-q"));
                    args.addAll(v);
                    Cli cli = Cli.run(args.toArray(String[]::new));
                    assertThat(cli.status()).as(f + ": " + cli.err()).isZero();
                })));
    }
}
