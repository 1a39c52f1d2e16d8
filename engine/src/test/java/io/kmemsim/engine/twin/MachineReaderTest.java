package io.kmemsim.engine.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.engine.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine a bundle's own files describe (fixtures/bundles: real Debian 6.1 kernels under QEMU). */
class MachineReaderTest {

    private static final Path BUNDLES = Path.of("..", "fixtures", "bundles");

    @TempDir
    Path tmp;

    @Test
    void arm64_versionFromDebianUname_cpus_bankAndCmaFromDmesg_sysctls() {
        Machine m = MachineReader.read(Bundle.open(BUNDLES.resolve("arm64-1G-2cpu-sysctl")));
        assertThat(m.arch()).isEqualTo("arm64");
        assertThat(m.kernel()).isEqualTo(KernelVersion.parse("6.1.192"));
        assertThat(m.cpus()).isEqualTo(2);
        assertThat(m.config().cma()).isTrue();
        assertThat(m.config().zoneDevice()).isFalse();
        assertThat(m.banks()).containsExactly(new MemoryBank(0, 0x40000000L, 1L << 30));
        assertThat(m.cmaBytes()).isEqualTo(64L << 20);
        assertThat(m.sysctls()).containsEntry("min_free_kbytes", "16384").containsEntry("watermark_scale_factor", "50");
        ZoneinfoPlatform p = new ZoneinfoPlatform(m);
        assertThat(p.zoneLimitPfn(ZoneType.DMA)).hasValue(0x40000 + 262144);
        assertThat(p.zoneLimitPfn(ZoneType.NORMAL)).hasValue(0x40000 + 262144);
    }

    @Test
    void amd64_hasHolesBetweenBanks_andThreeZoneLimits() {
        Machine m = MachineReader.read(Bundle.open(BUNDLES.resolve("amd64-2G-4cpu")));
        assertThat(m.arch()).isEqualTo("x86_64");
        assertThat(m.config().cma()).isFalse();
        assertThat(m.banks()).hasSizeGreaterThan(1);
        assertThat(m.banks().get(0).base()).isEqualTo(0x1000);
        ZoneinfoPlatform p = new ZoneinfoPlatform(m);
        assertThat(p.zoneLimitPfn(ZoneType.DMA)).hasValue(4096);
        assertThat(p.zoneLimitPfn(ZoneType.DMA32)).hasValue(4096 + 520154);
    }

    @Test
    void badUnameAndNproc_areInputProblemsNamingTheFile() throws IOException {
        Path b = tmp.resolve("b");
        Files.createDirectories(b);
        try (var files = Files.list(BUNDLES.resolve("arm64-1G-2cpu-sysctl"))) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, b.resolve(f.getFileName()));
                }
            }
        }
        Files.writeString(b.resolve("nproc.txt"), "four\n");
        assertThatThrownBy(() -> MachineReader.read(Bundle.open(b))).isInstanceOf(InputException.class)
                .hasMessageContaining("nproc.txt").hasMessageContaining("'four'");
        Files.writeString(b.resolve("uname.txt"), "Linux (none) 6.1.0 #1 SMP riscv64\n");
        assertThatThrownBy(() -> MachineReader.read(Bundle.open(b))).isInstanceOf(InputException.class)
                .hasMessageContaining("uname.txt").hasMessageContaining("neither aarch64 nor x86_64");
    }

    /**
     * A real two-node zoneinfo (amd64 4 GiB, {@code numa=fake=2}, 6.1.0-57: node 1 holds DMA32 above 2 GiB and Normal)
     * is refused with the file, the line of the first node-1 zone with memory and what is unsupported.
     */
    @Test
    void twoNumaNodes_areRefusedNamingTheFileLineAndNode() throws IOException {
        Path b = tmp.resolve("numa");
        Files.createDirectories(b);
        try (var files = Files.list(BUNDLES.resolve("amd64-1G-2cpu"))) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, b.resolve(f.getFileName()));
                }
            }
        }
        Files.copy(Path.of("src", "test", "resources", "twin", "zoneinfo-numa-fake-2.txt"), b.resolve("zoneinfo.before.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> MachineReader.read(Bundle.open(b))).isInstanceOf(InputException.class)
                .hasMessageContaining("zoneinfo.before.txt:191").hasMessageContaining("Node 1, zone DMA32")
                .hasMessageContaining("2 NUMA nodes").hasMessageContaining("not supported");
    }
}
