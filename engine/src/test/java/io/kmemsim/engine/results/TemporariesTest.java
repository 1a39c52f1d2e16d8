package io.kmemsim.engine.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporariesTest {

    @TempDir
    Path dir;

    /** The pid of a process that has ended (a {@code true} run to its end). */
    private static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void staleTemporariesOfADeadProcess_areRemoved() throws Exception {
        long dead = deadPid();
        Path tmpDir = Files.createDirectories(dir.resolve(".out.kmemsim-tmp-" + dead + "-1"));
        Files.writeString(tmpDir.resolve("results.json"), "{}");
        Files.writeString(dir.resolve(".run.trace.kmemsim-tmp-" + dead + "-2"), "half a trace");
        Files.createDirectories(dir.resolve("out"));

        List<Path> cleaned = Temporaries.cleanStale(dir);

        assertThat(cleaned).hasSize(2);
        assertThat(names()).containsExactly("out");
    }

    @Test
    void aParkedOldDirectory_whoseTargetIsMissing_isRestored() throws Exception {
        long dead = deadPid();
        Path parked = Files.createDirectories(dir.resolve(".out.kmemsim-old-" + dead + "-3"));
        Files.writeString(parked.resolve("results.json"), "{\"old\":true}");

        Temporaries.cleanStale(dir);

        assertThat(names()).containsExactly("out");
        assertThat(Files.readString(dir.resolve("out/results.json"))).isEqualTo("{\"old\":true}");
    }

    @Test
    void aParkedOldDirectory_whoseTargetExists_isDeleted() throws Exception {
        long dead = deadPid();
        Files.createDirectories(dir.resolve(".out.kmemsim-old-" + dead + "-3"));
        Files.createDirectories(dir.resolve("out"));

        Temporaries.cleanStale(dir);

        assertThat(names()).containsExactly("out");
    }

    @Test
    void temporariesOfLiveProcesses_andOtherFiles_areLeftAlone() throws Exception {
        long self = ProcessHandle.current().pid();
        long init = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        Files.createDirectories(dir.resolve(".out.kmemsim-tmp-" + self + "-1"));
        Files.createDirectories(dir.resolve(".out.kmemsim-tmp-" + init + "-1"));
        Files.writeString(dir.resolve(".out.kmemsim-tmp-notapid"), "");
        Files.writeString(dir.resolve("keep.tmp"), "");

        assertThat(Temporaries.cleanStale(dir)).isEmpty();
        assertThat(names()).hasSize(4);
    }

    @Test
    void newTemporaries_areSiblings_registered_andDiscarded() throws Exception {
        Path target = dir.resolve("run.trace");
        Path file = Temporaries.newFile(target);
        Path directory = Temporaries.newDirectory(dir.resolve("out"));

        assertThat(file.getParent()).isEqualTo(dir);
        assertThat(file.getFileName().toString()).startsWith(".run.trace.kmemsim-tmp-" + ProcessHandle.current().pid() + "-");
        assertThat(Temporaries.registered()).contains(file, directory);

        Temporaries.discard(file);
        Temporaries.discard(directory);

        assertThat(Temporaries.registered()).doesNotContain(file, directory);
        assertThat(names()).isEmpty();
    }

    @Test
    void commitFile_renamesOverTheTarget() throws Exception {
        Path target = Files.writeString(dir.resolve("run.trace"), "old");
        Path tmp = Temporaries.newFile(target);
        Files.writeString(tmp, "new");

        Temporaries.commitFile(tmp, target);

        assertThat(names()).containsExactly("run.trace");
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(Temporaries.registered()).doesNotContain(tmp);
    }
}
