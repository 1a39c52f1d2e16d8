package io.kmemsim.engine.scenario;

import io.kmemsim.engine.fuzz.FuzzOracle;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays {@code src/test/resources/fuzz-corpus/scenario/}: scenarios that once crashed the loader (or that
 * the issues reported), each held to {@link FuzzOracle}. Add a file to add a case; no code change needed.
 */
class ScenarioCorpusTest {

    private final ScenarioLoader loader = new ScenarioLoader(FakeProviders.lookup());

    @TestFactory
    Stream<DynamicTest> everyCorpusScenario_loadsOrGivesANamedInputError() {
        return FuzzOracle.corpus("scenario").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> FuzzOracle.check(() -> loader.load(file, List.of()), List.of(file.toString(), "--set"))));
    }

    /** The corpus as paths, for other modules' end-to-end replays. */
    static List<Path> files() {
        return FuzzOracle.corpus("scenario");
    }
}
