package io.kmemsim.engine.results;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmemsim.engine.run.RunResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes a run's results directory (docs/results.md): the start snapshots, the end snapshots,
 * {@code timeseries.csv}, and last {@code results.json}.
 *
 * <p>The directory is replaced as a whole, never file by file: everything is written into a temporary
 * sibling directory ({@link Temporaries}), which is then renamed into place; a previous directory of the
 * same name is parked under a temporary name for the moment between the two renames and then deleted.
 * Readers therefore see the old complete directory or the new complete one, never a mix. A failure, a
 * SIGINT or SIGTERM (through the CLI's shutdown hook) before the rename leaves the old directory as it
 * was and no temporary; a SIGKILL at any moment leaves temporaries that the next run in the same parent
 * directory recognises and removes (restoring the old directory if it was parked). Because the old
 * directory is replaced whole, an existing non-empty directory that is not a results directory (has no
 * {@code results.json}) is refused ({@link #checkTarget}) rather than deleted.
 *
 * <p>Files and directories are created honouring the umask (0644 and 0755 under umask 022). Only this
 * class writes; the {@link ResultsRecorder} holds what is written in memory.
 */
public final class ResultsWriter {

    /** The results file. */
    public static final String RESULTS_FILE = "results.json";

    /** The time-series file. */
    public static final String TIMESERIES_FILE = "timeseries.csv";

    /** The system property of {@link #pauseForSignalTests()}. */
    public static final String COMMIT_DELAY_PROPERTY = "kmemsim.test.commitDelayMillis";

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
        return write(dir, recorder, result, Map.of());
    }

    /**
     * As {@link #write(Path, ResultsRecorder, RunResult)}, with more files (name to bytes, e.g. another observer's
     * {@code zoneseries.json}) written into the same directory before it is committed, so they appear with the
     * rest or not at all.
     */
    public static List<Path> write(Path dir, ResultsRecorder recorder, RunResult result, Map<String, byte[]> extras)
            throws IOException {
        Objects.requireNonNull(result, "result");
        requireStarted(recorder);
        if (!recorder.ended() || recorder.failure().isPresent()) {
            throw new IllegalStateException("the recorder did not see the run finish; use writeFailed for a failed run");
        }
        return writeAll(dir, recorder, result, null, result.wallNanos(), extras);
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
        return writeFailed(dir, recorder, failure, wallNanos, Map.of());
    }

    /** As {@link #writeFailed(Path, ResultsRecorder, Throwable, long)}, with more files committed with the rest. */
    public static List<Path> writeFailed(Path dir, ResultsRecorder recorder, Throwable failure, long wallNanos,
                                         Map<String, byte[]> extras) throws IOException {
        Objects.requireNonNull(failure, "failure");
        requireStarted(recorder);
        if (wallNanos < 0) {
            throw new IllegalArgumentException("wallNanos must be >= 0: " + wallNanos);
        }
        return writeAll(dir, recorder, null, failure, wallNanos, extras);
    }

    private static void requireStarted(ResultsRecorder recorder) {
        Objects.requireNonNull(recorder, "recorder");
        if (!recorder.hasStarted()) {
            throw new IllegalStateException("the recorder did not see the run start: there is nothing to write"
                    + " (was it given to Simulation.observer?)");
        }
    }

    /**
     * Why {@code dir} cannot be (re)placed by a results directory, if it cannot: it exists and is not a
     * directory; it is the current directory or one of its parents, the home directory or the root; or it
     * is a non-empty directory without a {@code results.json} of this writer's schema (kmemsim replaces a
     * results directory as a whole and will not delete a directory of other files).
     */
    public static Optional<String> checkTarget(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("exists and is not a directory; the results directory must be a new or a results directory");
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("user.home", "/")).toAbsolutePath().normalize();
        if (cwd.startsWith(target) || target.equals(home) || target.getParent() == null) {
            return Optional.of("is the current directory, one of its parents, the home directory or the root;"
                    + " kmemsim replaces its results directory as a whole, so name a directory of its own");
        }
        try (Stream<Path> entries = Files.list(target)) {
            List<Path> all = entries.toList();
            if (all.isEmpty()) {
                return Optional.empty();
            }
            if (!isKmemsimResults(target.resolve(RESULTS_FILE))) {
                return Optional.of("is not a kmemsim results directory (it holds files but no kmemsim " + RESULTS_FILE
                        + "); kmemsim replaces its results directory as a whole, so choose another directory");
            }
        } catch (IOException e) {
            return Optional.of("cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Whether {@code file} is a {@code results.json} this writer wrote (its first bytes name the schema). */
    private static boolean isKmemsimResults(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(256), StandardCharsets.UTF_8);
            return head.contains("\"schema\": \"kmemsim-results/");
        }
    }

    private static List<Path> writeAll(Path dir, ResultsRecorder recorder, RunResult result, Throwable failure,
                                       long wallNanos, Map<String, byte[]> extras) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Optional<String> problem = checkTarget(target);
        if (problem.isPresent()) {
            throw new IOException(dir + " " + problem.get());
        }
        Path tmp = Temporaries.newDirectory(target);
        try {
            return Temporaries.commit(target, () -> {
                List<String> written = new ArrayList<>();
                List<String> startFiles = writeTexts(tmp, recorder.startSnapshots(), written);
                List<String> endFiles = writeTexts(tmp, recorder.endSnapshots(), written);
                if (recorder.series() != null) {
                    writeFile(tmp, TIMESERIES_FILE, utf8(recorder.series().toCsv()), written);
                }
                for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(extras).entrySet()) {
                    writeFile(tmp, e.getKey(), e.getValue(), written);
                }
                ObjectNode json = ResultsJson.of(recorder, result, failure, wallNanos, startFiles, endFiles);
                writeFile(tmp, RESULTS_FILE, utf8(JSON.writeValueAsString(json) + "\n"), written);
                pauseForSignalTests();
                replace(tmp, target);
                return written.stream().map(dir::resolve).toList();
            });
        } finally {
            Temporaries.discard(tmp);
        }
    }

    /**
     * Sleeps {@value #COMMIT_DELAY_PROPERTY} milliseconds (default 0) between writing the files and the
     * rename, so that the CLI's signal tests can send a signal while a results directory is being
     * committed. Not for users.
     */
    private static void pauseForSignalTests() {
        long millis = Long.getLong(COMMIT_DELAY_PROPERTY, 0);
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Renames {@code tmp} to {@code target}, replacing a directory there (parked, then deleted). */
    private static void replace(Path tmp, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            Temporaries.committed(tmp);
            return;
        }
        Path parked = Temporaries.parkingName(target);
        Files.move(target, parked, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.move(parked, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
        Temporaries.committed(tmp);
        Temporaries.deleteTree(parked);
    }

    private static List<String> writeTexts(Path dir, Map<String, String> files, List<String> written)
            throws IOException {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            writeFile(dir, f.getKey(), utf8(f.getValue()), written);
            names.add(f.getKey());
        }
        return names;
    }

    private static void writeFile(Path dir, String name, byte[] bytes, List<String> written) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve(name), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            out.write(bytes);
        }
        written.add(name);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
