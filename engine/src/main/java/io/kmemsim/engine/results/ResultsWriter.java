package io.kmemsim.engine.results;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmemsim.engine.run.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a run's results directory (docs/results.md): the start snapshots, the end snapshots,
 * {@code timeseries.csv}, and last {@code results.json}, each file atomically ({@link AtomicFiles}). Since
 * {@code results.json} is written last, every file it names exists when it does. A failure while writing
 * leaves no partial file and keeps the files written before it. Existing files of the same names are
 * replaced; other files in the directory are left alone.
 *
 * <p>Only this class writes; the {@link ResultsRecorder} holds what is written in memory.
 */
public final class ResultsWriter {

    /** The results file. */
    public static final String RESULTS_FILE = "results.json";

    /** The time-series file. */
    public static final String TIMESERIES_FILE = "timeseries.csv";

    /** The class-path resource of the JSON Schema of {@code results.json}. */
    public static final String SCHEMA_RESOURCE = "io/kmemsim/engine/results/results.schema.json";

    private static final ObjectWriter JSON = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private ResultsWriter() {
    }

    /**
     * Writes the results of a run that finished.
     *
     * @param dir      the output directory (created with its parents when missing)
     * @param recorder the recorder that observed the run
     * @param result   what {@link io.kmemsim.engine.run.Simulation#run()} returned
     * @return the files written, in the order written ({@code results.json} last)
     * @throws IllegalStateException when the recorder did not see the run start and finish
     * @throws IOException           naming the file that could not be written
     */
    public static List<Path> write(Path dir, ResultsRecorder recorder, RunResult result) throws IOException {
        Objects.requireNonNull(result, "result");
        requireStarted(recorder);
        if (!recorder.ended() || recorder.failure().isPresent()) {
            throw new IllegalStateException("the recorder did not see the run finish; use writeFailed for a failed run");
        }
        return writeAll(dir, recorder, result, null, result.wallNanos());
    }

    /**
     * Writes the results of a run that failed after it started: what was simulated up to the failure, the
     * snapshots that could still be taken, and the failure.
     *
     * @param dir       the output directory (created with its parents when missing)
     * @param recorder  the recorder that observed the run (its {@code failed} may or may not have been called)
     * @param failure   what {@link io.kmemsim.engine.run.Simulation#run()} threw
     * @param wallNanos the wall time the caller measured for building and running, for reporting only
     * @return the files written, in the order written ({@code results.json} last)
     * @throws IllegalStateException when the recorder did not see the run start
     * @throws IOException           naming the file that could not be written
     */
    public static List<Path> writeFailed(Path dir, ResultsRecorder recorder, Throwable failure, long wallNanos)
            throws IOException {
        Objects.requireNonNull(failure, "failure");
        requireStarted(recorder);
        if (wallNanos < 0) {
            throw new IllegalArgumentException("wallNanos must be >= 0: " + wallNanos);
        }
        return writeAll(dir, recorder, null, failure, wallNanos);
    }

    private static void requireStarted(ResultsRecorder recorder) {
        Objects.requireNonNull(recorder, "recorder");
        if (!recorder.hasStarted()) {
            throw new IllegalStateException("the recorder did not see the run start: there is nothing to write"
                    + " (was it given to Simulation.observer?)");
        }
    }

    private static List<Path> writeAll(Path dir, ResultsRecorder recorder, RunResult result, Throwable failure,
                                       long wallNanos) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        List<String> startFiles = writeTexts(dir, recorder.startSnapshots(), written);
        List<String> endFiles = writeTexts(dir, recorder.endSnapshots(), written);
        if (recorder.series() != null) {
            written.add(AtomicFiles.write(dir, TIMESERIES_FILE, utf8(recorder.series().toCsv())));
        }
        ObjectNode json = ResultsJson.of(recorder, result, failure, wallNanos, startFiles, endFiles);
        written.add(AtomicFiles.write(dir, RESULTS_FILE, utf8(JSON.writeValueAsString(json) + "\n")));
        return List.copyOf(written);
    }

    private static List<String> writeTexts(Path dir, Map<String, String> files, List<Path> written)
            throws IOException {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            written.add(AtomicFiles.write(dir, f.getKey(), utf8(f.getValue())));
            names.add(f.getKey());
        }
        return names;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
