package io.kmemsim.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every directory of the regression corpus has a test that replays it (so a file added to a new
 * directory cannot be silently ignored): {@code scenario} by ScenarioCorpusTest, {@code plugin-manifest}
 * by PluginJarCorpusTest. A helper adding a kind adds its directory here and its replaying test.
 */
class FuzzCorpusLayoutTest {

    @Test
    void everyCorpusDirectory_isReplayedByATest() throws IOException {
        try (Stream<Path> dirs = Files.list(FuzzOracle.CORPUS)) {
            assertThat(dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("scenario", "plugin-manifest");
        }
        assertThat(FuzzOracle.corpus("scenario")).hasSizeGreaterThanOrEqualTo(5);
        assertThat(FuzzOracle.corpus("plugin-manifest")).hasSizeGreaterThanOrEqualTo(3);
    }
}
