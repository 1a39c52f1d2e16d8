package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmemsim twin} on the committed real-kernel bundles (fixtures/bundles, Debian 6.1.192 under QEMU):
 * the twin must land on the kernel's own end state.
 */
class TwinCommandTest {

    private static final Path BUNDLES = Path.of("..", "fixtures", "bundles");

    @TempDir
    Path tmp;

    private JsonNode twin(String bundle, String mode) throws IOException {
        Path out = tmp.resolve(bundle + "-" + mode);
        Cli r = Cli.run("twin", BUNDLES.resolve(bundle).toString(), "--mode", mode, "-o", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("end buddyinfo (real vs twin): distance");
        return new ObjectMapper().readTree(out.resolve("twin.json").toFile());
    }

    @Test
    void exact_withKpageflags_endsOnTheKernelsBuddyinfo() throws IOException {
        JsonNode j = twin("arm64-2G-4cpu-kpf", "exact");
        assertThat(j.at("/replay/success_percent").asDouble()).isGreaterThanOrEqualTo(99.5);
        // kpageflags names every free page, the trace names every change: the end buddyinfo is the kernel's
        assertThat(j.at("/after/difference_pages").asLong()).isZero();
        // the compacted distance of every bundle: TwinCompactedFidelityTest
        assertThat(j.at("/compacted/distance_percent").isNumber()).isTrue();
        assertThat(j.at("/machine/kernel").asText()).isEqualTo("6.1.192");
        assertThat(j.at("/machine/cma/base").asText()).isEqualTo("0xb9a00000");
        Path out = tmp.resolve("arm64-2G-4cpu-kpf-exact");
        assertThat(Files.readString(out.resolve("buddyinfo")))
                .isEqualTo(Files.readString(BUNDLES.resolve("arm64-2G-4cpu-kpf/buddyinfo.after.txt")));
        assertThat(out.resolve("pagetypeinfo")).exists();
        assertThat(out.resolve("buddyinfo.compacted")).exists();
        // the boot twin from the same bundle's boot log: every compared field of zoneinfo.boot is the kernel's
        assertThat(out.resolve("zoneinfo.boot")).exists();
        assertThat(j.at("/start_state/zoneinfo.boot.fields_compared").asLong()).isGreaterThan(30);
        assertThat(j.at("/start_state/zoneinfo.boot.fields_differing").asLong()).isZero();
    }

    @Test
    void exactAndPolicy_withoutKpageflags_meetTheGoals() throws IOException {
        JsonNode exact = twin("arm64-1G-2cpu-sysctl", "exact");
        assertThat(exact.at("/replay/success_percent").asDouble()).isGreaterThanOrEqualTo(99.5);
        assertThat(exact.at("/after/distance_percent").asDouble()).isLessThan(0.5);
        JsonNode policy = twin("arm64-1G-2cpu-sysctl", "policy");
        assertThat(policy.at("/after/distance_percent").asDouble()).isLessThan(1.5);
        assertThat(policy.at("/after/distance_percent").asDouble()).isGreaterThan(exact.at("/after/distance_percent").asDouble());
    }

    @Test
    void missingFiles_exit2_nameEachFile_andWriteNothing() throws IOException {
        Path bundle = tmp.resolve("partial");
        Files.createDirectories(bundle);
        for (String f : List.of("buddyinfo.before.txt", "pagetypeinfo.before.txt", "zoneinfo.before.txt", "uname.txt")) {
            Files.copy(BUNDLES.resolve("arm64-1G-2cpu-sysctl").resolve(f), bundle.resolve(f));
        }
        Path out = tmp.resolve("out");
        Cli r = Cli.run("twin", bundle.toString(), "-o", out.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("trace.txt: missing").contains("buddyinfo.after.txt: missing")
                .contains("nproc.txt: missing");
        assertThat(r.errHasStackTrace()).isFalse();
        assertThat(out).doesNotExist();
    }

    @Test
    void badFile_exit2_namesFileAndLine_andKeepsTheOldOutput() throws IOException {
        Path bundle = tmp.resolve("bad");
        Files.createDirectories(bundle);
        try (var files = Files.list(BUNDLES.resolve("arm64-1G-2cpu-sysctl"))) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, bundle.resolve(f.getFileName()));
                }
            }
        }
        Files.writeString(bundle.resolve("buddyinfo.before.txt"), Files.readString(bundle.resolve("buddyinfo.before.txt"))
                .replace("zone      DMA", "zone   Normal"));
        Files.writeString(bundle.resolve("pagetypeinfo.before.txt"), Files.readString(bundle.resolve("pagetypeinfo.before.txt"))
                .replace("zone      DMA", "zone   Normal"));
        Cli zone = Cli.run("twin", bundle.toString(), "-o", tmp.resolve("out-zone").toString());
        assertThat(zone.status()).isEqualTo(2);
        assertThat(zone.err()).contains("buddyinfo.before.txt").contains("zone Normal").contains("zoneinfo.before.txt");
        Files.copy(BUNDLES.resolve("arm64-1G-2cpu-sysctl/buddyinfo.before.txt"), bundle.resolve("buddyinfo.before.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(BUNDLES.resolve("arm64-1G-2cpu-sysctl/pagetypeinfo.before.txt"), bundle.resolve("pagetypeinfo.before.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(bundle.resolve("buddyinfo.after.txt"), "Node 0, zone      DMA     12 x\n");
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep"), "old");
        Cli r = Cli.run("twin", bundle.toString(), "-o", out.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("buddyinfo.after.txt:1");
        assertThat(r.errHasStackTrace()).isFalse();
        assertThat(Files.readString(out.resolve("keep"))).isEqualTo("old");
    }
}
