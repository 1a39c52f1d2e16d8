package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shipped {@code kmemsim-capture} for real: inside the real-kernel bench ({@code run.sh -w}, arm64
 * Debian 6.1 under QEMU, 1 GiB, 2 CPUs), then checks the bundle it wrote and compares it with the bench's own
 * files and trace of the same boot. It takes 1–2.5 minutes, so it runs only when asked:
 * {@code mvn -o -pl cli -am test -Dtest=CaptureBenchTest -Dsurefire.failIfNoSpecifiedTests=false -Dkmemsim.qemu=true}
 * (or env {@code KMEMSIM_QEMU=true}). {@code -Dkmemsim.qemu.out=DIR} keeps the run in DIR;
 * {@code -Dkmemsim.capture.fixture=DIR} also writes the committed fixture's form of it to DIR;
 * {@code -Dkmemsim.qemu.arch=amd64} boots the x86-64 kernel instead.
 * The bench is {@code ../shared/oracle} next to the repository (or env {@code KMEMSIM_ORACLE}); QEMU runs are
 * serialised with {@code flock /tmp/qemu.lock} when flock exists.
 */
class CaptureBenchTest {

    static final String HOW = "run it with: mvn -o -pl cli -am test -Dtest=CaptureBenchTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dkmemsim.qemu=true";

    @TempDir
    Path dir;

    @Test
    void captureInsideTheBench_bundleMatchesTheBenchsOwnRecord() throws Exception {
        assumeTrue(Boolean.getBoolean("kmemsim.qemu") || "true".equals(System.getenv("KMEMSIM_QEMU")),
                "skipped: boots a real arm64 kernel under QEMU for 1-2.5 min; " + HOW);
        Path oracle = oracle();
        assumeTrue(oracle != null, "skipped: no real-kernel bench (../shared/oracle next to the repository, or env"
                + " KMEMSIM_ORACLE naming the directory with run.sh)");
        String arch = System.getProperty("kmemsim.qemu.arch", "arm64");
        String qemu = arch.equals("amd64") ? "qemu-system-x86_64" : "qemu-system-aarch64";
        assumeTrue(CaptureScriptTest.onPath(qemu).isPresent(), "skipped: " + qemu + " is not installed"
                + " (apt-get install " + (arch.equals("amd64") ? "qemu-system-x86" : "qemu-system-arm") + ")");

        Path wrapper = dir.resolve("capture-wrapper.sh");
        Files.writeString(wrapper, wrapper());
        String keep = System.getProperty("kmemsim.qemu.out");
        Path run = keep == null || keep.isBlank() ? dir.resolve("capture-" + arch + "-1G") : Path.of(keep).toAbsolutePath();
        List<String> cmd = new ArrayList<>();
        if (CaptureScriptTest.onPath("flock").isPresent()) {
            cmd.addAll(List.of("flock", "/tmp/qemu.lock"));
        }
        cmd.addAll(List.of(oracle.resolve("run.sh").toString(), "-a", arch, "-m", "1G", "-s", "2",
                "-w", wrapper.toString(), run.toString()));
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(20, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done && p.exitValue() == 0).as("run.sh finished; its log:\n" + Files.readString(log)).isTrue();
        assertThat(Files.readString(run.resolve("capture_status.txt")).trim())
                .as("kmemsim-capture's exit status; its output:\n" + Files.readString(run.resolve("capture_run.txt")))
                .isEqualTo("0");

        Path bundle = run.resolve("capture");
        CaptureBundleChecks.checkBundle(bundle);
        CaptureBundleChecks.checkAgainstBench(bundle, run, run.resolve("trace.txt"));   // trace.txt or trace.txt.gz
        // the snapshots and the trace line up: at most a few pages moved between the before snapshot and
        // tracing on (the committed fixture's run: 0)
        assertThat(Math.abs(CaptureBundleChecks.balanceResidual(bundle))).isLessThanOrEqualTo(8);
        long free = CaptureBundleChecks.buddyFree(bundle.resolve("buddyinfo.after.txt"));
        assertThat(Math.abs(CaptureBundleChecks.kpageflagsVsBuddyinfo(bundle))).isLessThanOrEqualTo(free / 200);

        String fixture = System.getProperty("kmemsim.capture.fixture");
        if (fixture != null && !fixture.isBlank()) {
            CaptureBundleChecks.writeFixture(run, Path.of(fixture));
        }
    }

    /** The bench wrapper with the shipped script in it. */
    static String wrapper() throws IOException {
        String template;
        try (InputStream in = CaptureBenchTest.class.getResourceAsStream("/capture/bench-wrapper.sh")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String script = new String(CaptureCommand.script(), StandardCharsets.UTF_8);
        assertThat(script).doesNotContain("KMEMSIM_CAPTURE_EOF");
        return template.replace("@KMEMSIM_CAPTURE_SCRIPT@\n", script.endsWith("\n") ? script : script + "\n");
    }

    static Path oracle() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("KMEMSIM_ORACLE");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        Path root = Path.of("..").toAbsolutePath().normalize();   // the repository (tests run in cli/)
        candidates.add(root.resolveSibling("shared").resolve("oracle"));
        if (root.getParent() != null) {
            candidates.add(root.getParent().resolveSibling("shared").resolve("oracle"));   // a worktree under wt/
        }
        return candidates.stream().filter(c -> Files.isExecutable(c.resolve("run.sh"))).findFirst().orElse(null);
    }
}
