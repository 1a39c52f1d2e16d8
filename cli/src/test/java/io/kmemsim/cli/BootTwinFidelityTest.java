package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.engine.procfs.Zoneinfo;
import io.kmemsim.engine.twin.boot.BootTwin;
import io.kmemsim.engine.procfs.ZoneinfoParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The boot twin against the real kernel: each committed bench bundle's simulated boot zoneinfo equals its
 * {@code zoneinfo.boot.txt} field for field (docs/fidelity-boot.md). Lives in cli because it boots the real
 * buddy allocator, which is on this module's test class path.
 */
class BootTwinFidelityTest {

    private static final Path BUNDLES = Path.of("..", "fixtures", "bundles");

    @ParameterizedTest
    @ValueSource(strings = {"arm64-2G-4cpu-kpf", "arm64-1G-2cpu-sysctl", "arm64-3G-6cpu", "amd64-2G-4cpu",
        "amd64-4G-4cpu-kpf", "arm64-1536M-3cpu-shuffle-sysctl", "amd64-1G-2cpu",
        // mem=1536M below QEMU's 2 GiB: x86 moved the initrd from above the limit (Allocated new RAMDISK)
        "amd64-2G-2cpu-mem1536M", "amd64-2G-2cpu-nr-hugepages32",
        // boot records only (fixtures/README.md): arm64 with a Normal zone above 4 GiB, where init_pg_dir's
        // five pages decide how the reservations split between DMA and Normal
        "../boot/arm64-4G-8cpu-slubdebug",
        // amd64 with the kernel image below 4 GiB and a Normal zone (8 GiB 8 CPUs under KASLR; 6 GiB nokaslr): x86's
        // used .brk area (17 pages) lies beside the image, in DMA32 (5 and 13 fields differed)
        "../boot/amd64-8G-8cpu", "../boot/amd64-6G-2cpu-nokaslr"})
    void bootZoneinfo_matchesTheRealBootZoneinfoFieldForField(String run) throws IOException {
        Path dir = BUNDLES.resolve(run);
        BootTwin twin = BootTwin.fromBundle(dir);
        Zoneinfo simulated = ZoneinfoParser.parse(new BufferedReader(new StringReader(twin.bootZoneinfo())), "simulated");
        Zoneinfo real;
        try (BufferedReader r = Files.newBufferedReader(dir.resolve("zoneinfo.boot.txt"))) {
            real = ZoneinfoParser.parse(r, "zoneinfo.boot.txt");
        }
        assertThat(fields(simulated)).isEqualTo(fields(real));
    }

    @ParameterizedTest
    @ValueSource(strings = {"arm64-3G-6cpu", "amd64-2G-4cpu"})
    void withoutIomemAndKernelConfig_theSameFields(String run, @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path dir = BUNDLES.resolve(run);
        for (String n : List.of("dmesg.txt", "nproc.txt", "uname.txt", "sysctl_vm_all.txt")) {
            Files.copy(dir.resolve(n), tmp.resolve(n));
        }
        Zoneinfo full = ZoneinfoParser.parse(new BufferedReader(new StringReader(BootTwin.fromBundle(dir).bootZoneinfo())), "full");
        Zoneinfo lean = ZoneinfoParser.parse(new BufferedReader(new StringReader(BootTwin.fromBundle(tmp).bootZoneinfo())), "lean");
        assertThat(fields(lean)).isEqualTo(fields(full));
    }

    @org.junit.jupiter.api.Test
    void aSysctlTheAllocatorRefuses_isAnInputErrorNamingTheFile(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path dir = BUNDLES.resolve("arm64-2G-4cpu-kpf");
        for (String n : List.of("dmesg.txt", "nproc.txt", "uname.txt")) {
            Files.copy(dir.resolve(n), tmp.resolve(n));
        }
        Files.writeString(tmp.resolve("sysctl_vm_all.txt"), "watermark_scale_factor = 5000\n");
        BootTwin twin = BootTwin.fromBundle(tmp);
        org.assertj.core.api.Assertions.assertThatThrownBy(twin::bootZoneinfo)
                .isInstanceOf(io.kmemsim.engine.InputException.class)
                .hasMessageContaining("sysctl_vm_all.txt").hasMessageContaining("5000");
    }

    /** The fields the kernel derives at boot, one line per zone and field. */
    private static List<String> fields(Zoneinfo z) {
        List<String> out = new ArrayList<>();
        for (Zoneinfo.ZoneEntry e : z.zones()) {
            String p = "node " + e.node() + " " + e.zone().printedName() + " ";
            out.add(p + "spanned " + e.spanned());
            out.add(p + "present " + e.present());
            out.add(p + "managed " + e.managed());
            out.add(p + "cma " + e.cma());
            out.add(p + "min " + (e.min() - e.boostOrZero()));
            out.add(p + "low " + (e.low() - e.boostOrZero()));
            out.add(p + "high " + (e.high() - e.boostOrZero()));
            out.add(p + "protection " + e.protection());
            for (Zoneinfo.Pageset s : e.pagesets()) {
                out.add(p + "cpu " + s.cpu() + " high " + s.high() + " batch " + s.batch());
            }
        }
        return out;
    }
}
