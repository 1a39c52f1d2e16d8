package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every example in scenarios/ loads and runs (shortened), so the documented commands keep working. */
class ScenariosFolderTest {

    private static final Path FOLDER = Path.of("..", "scenarios");

    @TestFactory
    Stream<DynamicTest> everyScenario_runs() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(FOLDER)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String text = Files.readString(f);
            boolean replay = text.contains("id: trace");
            boolean sweep = text.lines().anyMatch(l -> l.startsWith("axes:"));
            Cli cli = sweep
                    ? Cli.run("sweep", f.toString(), "--set", "workload.options.events=2000", "-o",
                            Files.createTempDirectory("kmemsim-sweep-").toString(), "-q")
                    : replay
                    ? Cli.run("run", f.toString(), "--no-results", "-q") // its trace path resolves against scenarios/
                    : Cli.run("run", f.toString(), "--set", "workload.options.events=2000", "--no-results", "-q");
            assertThat(cli.status()).as(f + ": " + cli.err()).isZero();
        }));
    }
}
