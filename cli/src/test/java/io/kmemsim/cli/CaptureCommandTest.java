package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kmemsim capture}: hands out the shipped script, byte for byte. */
class CaptureCommandTest {

    static final Path SHIPPED = Path.of("src/main/dist/kmemsim-capture");

    @TempDir
    Path dir;

    @Test
    void print_writesTheShippedScript() throws Exception {
        Cli r = Cli.run("capture", "--print");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(SHIPPED, StandardCharsets.UTF_8)).startsWith("#!/bin/sh\n");
    }

    @Test
    void out_writesAnExecutableCopy() throws Exception {
        Path file = dir.resolve("kmemsim-capture");
        Cli r = Cli.run("capture", "-o", file.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(file).hasSameBinaryContentAs(SHIPPED);
        assertThat(Files.getPosixFilePermissions(file)).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(r.out()).contains("wrote " + file, "as root");
    }

    @Test
    void out_existingFile_refusedWithExit2_leftAlone() throws Exception {
        Path file = dir.resolve("kmemsim-capture");
        Files.writeString(file, "mine\n");
        Cli r = Cli.run("capture", "-o", file.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(file.toString(), "exists already");
        assertThat(r.errHasStackTrace()).isFalse();
        assertThat(Files.readString(file)).isEqualTo("mine\n");
    }

    @Test
    void out_missingDirectory_exit2() {
        Cli r = Cli.run("capture", "-o", dir.resolve("no/such/dir/kmemsim-capture").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("does not exist");
        assertThat(r.errHasStackTrace()).isFalse();
    }

    @Test
    void printAndOut_together_usageError() {
        Cli r = Cli.run("capture", "--print", "-o", dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("mutually exclusive");
    }

    @Test
    void noOption_saysHowToUseIt() {
        Cli r = Cli.run("capture");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("kmemsim capture -o kmemsim-capture", "sudo sh kmemsim-capture", "docs/capture.md");
    }
}
