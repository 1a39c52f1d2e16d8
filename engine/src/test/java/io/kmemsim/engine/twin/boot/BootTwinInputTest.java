package io.kmemsim.engine.twin.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.engine.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootTwinInputTest {

    private static final Path RUN = Bundles.DIR.resolve("arm64-2G-4cpu-kpf");

    @TempDir
    Path dir;

    private void copy(String... names) throws IOException {
        for (String n : names) {
            Files.copy(RUN.resolve(n), dir.resolve(n));
        }
    }

    @Test
    void missingDmesg_namesTheFileAndWhyItIsNeeded() throws IOException {
        copy("uname.txt", "nproc.txt", "sysctl_vm_all.txt");
        assertThatThrownBy(() -> BootTwin.fromBundle(dir)).isInstanceOf(InputException.class)
                .hasMessageContaining("dmesg.txt").hasMessageContaining("missing");
    }

    @Test
    void dmesgWithoutZoneRanges_namesTheBlock() throws IOException {
        copy("uname.txt", "nproc.txt", "sysctl_vm_all.txt");
        List<String> lines = Files.readAllLines(RUN.resolve("dmesg.txt")).stream()
                .filter(l -> !l.contains("Zone ranges") && !l.matches(".*\\]   (DMA|DMA32|Normal) .*")).toList();
        Files.write(dir.resolve("dmesg.txt"), lines);
        assertThatThrownBy(() -> BootTwin.fromBundle(dir)).isInstanceOf(InputException.class)
                .hasMessageContaining("dmesg.txt").hasMessageContaining("Zone ranges");
    }

    @Test
    void badNodeRange_namesTheLine() throws IOException {
        copy("uname.txt", "nproc.txt", "sysctl_vm_all.txt");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(RUN.resolve("dmesg.txt")));
        int at = lines.indexOf(lines.stream().filter(l -> l.contains("Early memory node ranges")).findFirst().orElseThrow());
        lines.set(at + 1, "[    0.000000]   node   0: [mem 0x40000000]");
        Files.write(dir.resolve("dmesg.txt"), lines);
        assertThatThrownBy(() -> BootTwin.fromBundle(dir)).isInstanceOf(InputException.class)
                .hasMessageContaining("dmesg.txt:" + (at + 2)).hasMessageContaining("[mem 0xSTART-0xEND]");
    }

    @Test
    void nprocNotANumber_isRefused() throws IOException {
        copy("uname.txt", "dmesg.txt", "sysctl_vm_all.txt");
        Files.writeString(dir.resolve("nproc.txt"), "four\n");
        assertThatThrownBy(() -> BootTwin.fromBundle(dir)).isInstanceOf(InputException.class)
                .hasMessageContaining("nproc.txt:1").hasMessageContaining("\"four\"");
    }

    @Test
    void gzippedFiles_areReadLikePlainOnes() throws IOException {
        copy("uname.txt", "nproc.txt", "sysctl_vm_all.txt");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("dmesg.txt.gz")))) {
            out.write(Files.readString(RUN.resolve("dmesg.txt")).getBytes(StandardCharsets.UTF_8));
        }
        BootTwin twin = BootTwin.fromBundle(dir);
        assertThat(twin.kernelVersion().toString()).isEqualTo("6.1.192");
        assertThat(twin.cpus()).isEqualTo(4);
        assertThat(twin.platform().banks()).hasSize(1);
    }

    @Test
    void movablecore_readFromTheCommandLineWithMemparseSuffixesAndPercent() {
        assertThat(MovableZone.parse("console=ttyS0 rdinit=/init movablecore=1G", "movablecore", 12))
                .isEqualTo(new MovableZone.Core(262144, 0));
        assertThat(MovableZone.parse("movablecore=512M", "movablecore", 12)).isEqualTo(new MovableZone.Core(131072, 0));
        assertThat(MovableZone.parse("movablecore=2097152K quiet", "movablecore", 12).pages()).isEqualTo(524288);
        assertThat(MovableZone.parse("movablecore=0x40000000", "movablecore", 12).pages()).isEqualTo(262144);
        assertThat(MovableZone.parse("movablecore=1G movablecore=256M", "movablecore", 12).pages()).isEqualTo(65536);
        assertThat(MovableZone.parse("console=ttyAMA0 kernelcore=1G", "movablecore", 12)).isEqualTo(MovableZone.Core.NONE);
        assertThat(MovableZone.parse("console=ttyAMA0 kernelcore=1G", "kernelcore", 12).pages()).isEqualTo(262144);
        assertThat(MovableZone.parse("movablecore=10%", "movablecore", 12)).isEqualTo(new MovableZone.Core(0, 10));
        assertThat(MovableZone.parse("kernelcore=50% movablecore=1G", "kernelcore", 12)).isEqualTo(new MovableZone.Core(0, 50));
        assertThat(MovableZone.parse("kernelcore=mirror", "kernelcore", 12)).isEqualTo(MovableZone.Core.NONE);
        assertThat(MovableZone.parse("movablecore=abc", "movablecore", 12)).isEqualTo(MovableZone.Core.NONE);
        assertThat(MovableZone.parse("", "movablecore", 12)).isEqualTo(MovableZone.Core.NONE);
    }
}
