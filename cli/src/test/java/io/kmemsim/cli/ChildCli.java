package io.kmemsim.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CLI as a child process ({@code java -cp <this test's class path> io.kmemsim.cli.Main ...}), for what
 * an in-memory {@link Cli} cannot show: signals, the shutdown hook, the exit status of the JVM. stdout and
 * stderr go to files in {@code workDir}, which is also the child's working directory.
 */
final class ChildCli {

    private final Process process;
    private final Path stderr;

    private ChildCli(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /** Starts {@code kmemsim args} in {@code workDir} with the given {@code -D} system properties. */
    static ChildCli start(Path workDir, List<String> systemProperties, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        for (String p : systemProperties) {
            command.add("-D" + p);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Path out = workDir.resolve("child.out");
        Path err = workDir.resolve("child.err");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new ChildCli(p, err);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends {@code signal} (e.g. {@code TERM}, {@code INT}, {@code KILL}) with {@code kill(1)}. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Waits for the child to end (at most {@code seconds}, then it is killed and this fails); its exit status. */
    int waitFor(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the child did not end within " + seconds + " s (a hang): " + err());
        }
        return process.exitValue();
    }

    /** What the child printed on stderr so far. */
    String err() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr) : "";
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }
}
