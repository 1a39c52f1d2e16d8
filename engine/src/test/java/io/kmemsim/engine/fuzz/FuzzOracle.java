package io.kmemsim.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What every fuzzed input must satisfy, whatever it is: the code under test returns, or throws an
 * {@link InputException} whose every problem names a source and says what is wrong in words — no Java
 * class name, no message of unbounded length; nothing else is thrown.
 */
public final class FuzzOracle {

    /** A qualified Java class name or a JDK exception's simple name. */
    public static final Pattern CLASS_NAME =
            Pattern.compile("\\b(java|javax|jdk|sun|com|org)\\.[a-z]+\\.[A-Za-z]|\\b[A-Z][A-Za-z]*(Exception|Error)\\b");

    /** The longest message accepted: a message quoting a whole input is a bug too. */
    public static final int MAX_MESSAGE = 2_000;

    /** The root of the committed regression corpus (test resources). */
    public static final Path CORPUS = Path.of("src", "test", "resources", "fuzz-corpus");

    private FuzzOracle() {
    }

    /**
     * Runs {@code call}; passes when it returns or throws a well-formed {@link InputException} whose
     * problems' sources are all in {@code allowedSources} (a null list admits any non-blank source).
     *
     * @return the input exception, or null when {@code call} returned
     */
    public static InputException check(Supplier<?> call, List<String> allowedSources) {
        try {
            call.get();
            return null;
        } catch (InputException e) {
            for (InputProblem p : e.problems()) {
                assertThat(p.source()).as("problem source of " + p).isNotBlank();
                if (allowedSources != null) {
                    assertThat(allowedSources).as("problem source of " + p).contains(p.source());
                }
                assertThat(p.message()).as("message of " + p).isNotBlank().hasSizeLessThan(MAX_MESSAGE);
                assertThat(CLASS_NAME.matcher(withoutQuotes(p.message())).find()).as("a Java class name in: " + p).isFalse();
            }
            return e;
        }
    }

    /** {@code message} without the quoted input it repeats ("…" or '…'), which may itself look like a class name. */
    public static String withoutQuotes(String message) {
        return message.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'", "\"\"");
    }

    /** The files of corpus directory {@code kind}, sorted (empty when it has none). */
    public static List<Path> corpus(String kind) {
        Path dir = CORPUS.resolve(kind);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("README.md"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
