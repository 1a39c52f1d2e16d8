package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmemsim.engine.results.ResultsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results directory and {@code --trace-out} under signals, with the CLI as a child process: after
 * SIGTERM, SIGINT or SIGKILL at any moment the results directory is the old complete one or the new
 * complete one — never a mix — and no temporary remains (after SIGKILL, once the next run has started).
 *
 * <p>A directory is identified by its contents: every file but {@code results.json} must equal, byte for
 * byte, the same file of a reference run with the same seed (seed 1 for the old run, 5 for the new), and
 * {@code results.json} must name that seed.
 */
class SignalTest {

    private static final String[] SHORT = {"--set", "workload.options.events=20000", "--set", "object-cache.id=slub", "-q"};
    private static final String[] LONG = {"--set", "workload.options.events=400000000", "--set", "object-cache.id=slub", "-q"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path references;

    static Map<String, String> seed1;
    static Map<String, String> seed5;

    @TempDir
    Path work;

    @BeforeAll
    static void referenceRuns() throws IOException {
        seed1 = contents(runInProcess(references.resolve("seed1"), 1));
        seed5 = contents(runInProcess(references.resolve("seed5"), 5));
        assertThat(seed1.get("buddyinfo")).as("the two seeds must give different files").isNotEqualTo(seed5.get("buddyinfo"));
    }

    private static Path runInProcess(Path out, int seed) {
        Cli r = Cli.run(args("run", SHORT, "--set", "seed=" + seed, "--out", out.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        return out;
    }

    private static String[] args(String command, String[] common, String... more) {
        return Stream.of(new String[] {command}, common, more).flatMap(Stream::of).toArray(String[]::new);
    }

    @Test
    void sigterm_whileTheResultsDirectoryIsCommitted_leavesTheNewCompleteDirectory_andNoTemporary() throws Exception {
        Path out = runInProcess(work.resolve("out"), 1);
        ChildCli child = ChildCli.start(work, List.of(ResultsWriter.COMMIT_DELAY_PROPERTY + "=3000"),
                args("run", SHORT, "--set", "seed=5", "--out", out.toString()));

        awaitTemporary(child, "out", true);
        child.signal("TERM");
        int status = child.waitFor(60);

        assertThat(status).as(child.err()).isNotZero();
        assertThat(child.err()).doesNotContain("\tat ");
        assertThat(seedOf(out)).as("the commit under way completes before the hook removes temporaries").isEqualTo(5);
        assertThat(contents(out)).isEqualTo(seed5);
        assertThat(temporaries()).isEmpty();
    }

    @Test
    void sigint_duringTheRun_keepsTheOldCompleteDirectory_andRemovesTheTraceTemporary() throws Exception {
        Path out = runInProcess(work.resolve("out"), 1);
        Path trace = work.resolve("run.trace");
        ChildCli child = ChildCli.start(work, List.of(),
                args("run", LONG, "--set", "seed=5", "--out", out.toString(), "--trace-out", trace.toString()));

        awaitTemporary(child, "run.trace", false);
        child.signal("INT");
        int status = child.waitFor(60);

        assertThat(status).as(child.err()).isNotZero();
        assertThat(child.err()).doesNotContain("\tat ").contains("temporary");
        assertThat(seedOf(out)).isEqualTo(1);
        assertThat(contents(out)).isEqualTo(seed1);
        assertThat(trace).doesNotExist();
        assertThat(temporaries()).isEmpty();
    }

    @Test
    void sigterm_duringTheRun_ofAFreshDirectory_writesNoDirectoryAtAll() throws Exception {
        Path out = work.resolve("fresh");
        ChildCli child = ChildCli.start(work, List.of(),
                args("run", LONG, "--out", out.toString(), "--trace-out", work.resolve("t.trace").toString()));

        awaitTemporary(child, "t.trace", false);
        child.signal("TERM");
        child.waitFor(60);

        assertThat(out).doesNotExist();
        assertThat(temporaries()).isEmpty();
    }

    @Test
    void sigkill_whileCommitting_leavesTemporariesThatTheNextRunRemoves() throws Exception {
        Path out = runInProcess(work.resolve("out"), 1);
        ChildCli child = ChildCli.start(work, List.of(ResultsWriter.COMMIT_DELAY_PROPERTY + "=20000"),
                args("run", SHORT, "--set", "seed=5", "--out", out.toString()));
        awaitTemporary(child, "out", true);
        child.signal("KILL");
        child.waitFor(60);
        assertThat(temporaries()).as("SIGKILL cannot be caught: the temporary stays").isNotEmpty();
        assertThat(seedOf(out)).isEqualTo(1);

        runInProcess(out, 5);

        assertThat(temporaries()).isEmpty();
        assertThat(contents(out)).isEqualTo(seed5);
    }

    @Test
    void resultsFiles_honourTheUmask() throws Exception {
        Path out = runInProcess(work.resolve("out"), 1);
        int umask = umask();

        Set<PosixFilePermission> expectedFile = permissions(0666 & ~umask);
        Set<PosixFilePermission> expectedDir = permissions(0777 & ~umask);
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(expectedDir);
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).isEqualTo(expectedFile);
            }
        }
    }

    /** Waits until a temporary sibling of {@code name} exists in the work directory (holding results.json when asked). */
    private void awaitTemporary(ChildCli child, String name, boolean withResultsJson) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("the child ended before the moment to signal: " + child.err()).isTrue();
            Optional<Path> tmp = temporaries().stream().filter(p -> p.getFileName().toString().startsWith("." + name + ".kmemsim-tmp-")).findFirst();
            if (tmp.isPresent() && (withResultsJson ? Files.exists(tmp.get().resolve("results.json"))
                    : Files.exists(tmp.get()) && Files.size(tmp.get()) > 0)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no temporary for " + name + " appeared: " + child.err());
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(p -> p.getFileName().toString().contains(".kmemsim-")
                    || p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static int seedOf(Path dir) throws IOException {
        return JSON.readTree(dir.resolve("results.json").toFile()).at("/scenario/seed").asInt();
    }

    /** The files of {@code dir} by name, with {@code results.json} blanked (its wall time differs). */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                files.put(f.getFileName().toString(), f.getFileName().toString().equals("results.json")
                        ? "" : Files.readString(f));
            }
        }
        return files;
    }

    private static int umask() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "umask").start();
        String s = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return Integer.parseInt(s, 8);
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder sb = new StringBuilder();
        String rwx = "rwx";
        for (int bit = 8; bit >= 0; bit--) {
            sb.append((mode & (1 << bit)) != 0 ? rwx.charAt(2 - bit % 3) : '-');
        }
        return PosixFilePermissions.fromString(sb.toString());
    }
}
