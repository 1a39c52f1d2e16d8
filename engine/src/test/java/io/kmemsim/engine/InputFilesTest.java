package io.kmemsim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {

    @TempDir
    Path dir;

    private static InputProblem only(Runnable r) {
        try {
            r.run();
        } catch (InputException e) {
            assertThat(e.problems()).hasSize(1);
            return e.problems().get(0);
        }
        throw new AssertionError("no InputException");
    }

    @Test
    void missingDirectoryDeviceAndTooLarge_areNamedProblems() throws IOException {
        assertThat(only(() -> InputFiles.requireReadable(dir.resolve("absent.yaml"), "scenario", "", 10)))
                .satisfies(p -> assertThat(p.toString()).contains("absent.yaml", "no such scenario file"));
        assertThat(only(() -> InputFiles.requireReadable(dir, "scenario", "", 10)).message())
                .isEqualTo("is a directory, not a scenario file");
        assertThat(only(() -> InputFiles.requireReadable(Path.of("/dev/zero"), "buddyinfo", "run.start-buddyinfo", 10)))
                .satisfies(p -> {
                    assertThat(p.source()).isEqualTo("/dev/zero");
                    assertThat(p.key()).isEqualTo("run.start-buddyinfo");
                    assertThat(p.message()).contains("not a regular file");
                });
        Path big = Files.write(dir.resolve("big"), new byte[11]);
        assertThat(only(() -> InputFiles.requireReadable(big, "scenario", "", 10)).message())
                .isEqualTo("is 11 bytes; a scenario file is at most 10 bytes");
    }

    @Test
    void aBadByte_isReportedAtItsLineAndColumn_withItsOffsetAndValue() throws IOException {
        byte[] bytes = "kernel: \"6.1\"\nname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Path f = Files.write(dir.resolve("latin1.yaml"), bytes);

        InputProblem p = only(() -> InputFiles.readUtf8(f, "scenario", "", 1000));

        assertThat(p.line()).isEqualTo(2);
        assertThat(p.column()).isEqualTo(10);
        assertThat(p.message()).isEqualTo("not UTF-8 text: byte 0xE9 at byte offset 23 cannot start or continue a UTF-8"
                + " character (save the file as UTF-8)");
    }

    @Test
    void utf8_isRead_andAByteOrderMarkDropped() throws IOException {
        Path f = Files.write(dir.resolve("ok.yaml"), "\uFEFFname: caf\u00e9\n".getBytes(StandardCharsets.UTF_8));
        assertThat(InputFiles.readUtf8(f, "scenario", "", 1000)).isEqualTo("name: caf\u00e9\n");
    }

    @Test
    void aTruncatedCharacterAtTheEnd_isAProblem() {
        byte[] bytes = {'a', (byte) 0xC3};
        assertThatThrownBy(() -> InputFiles.decodeUtf8(bytes, "x", "")).isInstanceOf(InputException.class)
                .hasMessageContaining("not UTF-8");
    }
}
