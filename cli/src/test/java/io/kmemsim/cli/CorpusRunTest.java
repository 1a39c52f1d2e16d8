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
 * Replays the engine's scenario regression corpus ({@code engine/src/test/resources/fuzz-corpus/scenario/})
 * end to end, with the real plugins: {@code kmemsim run FILE} exits 0, 1 or 2 without a stack trace, and an
 * input error names the file (or the file it points at).
 */
class CorpusRunTest {

    private static final Path CORPUS = Path.of("..", "engine", "src", "test", "resources", "fuzz-corpus", "scenario");

    @TestFactory
    Stream<DynamicTest> everyCorpusScenario_runsOrFailsCleanly() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Cli r = Cli.run("run", f.toString(), "--no-results", "-q", "--set", "run.check-invariants-every=0");
            assertThat(r.status()).as(r.err()).isBetween(0, 2);
            assertThat(r.errHasStackTrace()).as(r.err()).isFalse();
            assertThat(r.err()).doesNotContain("Exception", "java.lang.");
            if (r.status() == 2) {
                assertThat(r.err()).as(r.err()).containsAnyOf(f.toString(), f.toAbsolutePath().getParent().toString(), "/dev/zero");
            }
        }));
    }
}
