package io.kmemsim.engine.twin.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.engine.bootlog.Reservation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The modelled reservations against arm64's {@code /proc/iomem}, which lists the kernel image and every
 * memblock reservation as the kernel had them at arch_initcall: an independent check of the parts
 * (the remainder constant is fitted on the same runs; the image, memmap, CMA, printk, hash, percpu and
 * page-table parts are not).
 */
class TwinReservationsTest {

    private static long iomemPages(Path run, String name) throws IOException {
        long pages = 0;
        for (String l : Files.readAllLines(run.resolve("iomem.txt"))) {
            if (l.startsWith("  ") && !l.startsWith("    ") && l.endsWith(" : " + name)) {
                String[] r = l.trim().split(" ")[0].split("-");
                pages += (Long.parseLong(r[1], 16) + 1 - Long.parseLong(r[0], 16)) / 4096;
            }
        }
        return pages;
    }

    @ParameterizedTest
    @ValueSource(strings = {"arm64-2G-4cpu-kpf", "arm64-1G-2cpu-sysctl", "arm64-3G-6cpu"})
    void arm64Image_isTheIomemKernelCodeInitAndData(String run) throws IOException {
        Path dir = Bundles.DIR.resolve(run);
        BootTwin twin = BootTwin.fromBundle(dir);
        long image = twin.reservations().stream().filter(r -> r.name().equals("kernel image")).findFirst().orElseThrow().pages(4096);
        long init = twin.releasedAfterInit().stream().filter(r -> r.name().equals("init section")).findFirst().orElseThrow().pages(4096);
        // iomem's Kernel data runs to _end, over init_pg_dir, which paging_init() gave back (5 pages)
        assertThat(image).isEqualTo(iomemPages(dir, "Kernel code") + iomemPages(dir, "Kernel data") + init - 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"arm64-2G-4cpu-kpf", "arm64-1G-2cpu-sysctl", "arm64-3G-6cpu"})
    void arm64Reservations_addUpToIomemLessInitPgDir(String run) throws IOException {
        Path dir = Bundles.DIR.resolve(run);
        BootTwin twin = BootTwin.fromBundle(dir);
        long modelled = twin.reservations().stream().mapToLong(r -> r.pages(4096)).sum();
        long iomem = iomemPages(dir, "Kernel code") + iomemPages(dir, "Kernel data") + iomemPages(dir, "reserved");
        // iomem lists init_pg_dir inside Kernel data; paging_init() freed those 5 pages before the hand-over
        assertThat(modelled).isEqualTo(iomem - 5);
        List<String> named = twin.reservations().stream().map(Reservation::name).toList();
        assertThat(named).contains("kernel image", "memmap", "cma", "printk buffer", "early hash tables", "percpu",
                "linear map page tables", "initrd", "device tree");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arm64-2G-4cpu-kpf", "arm64-1G-2cpu-sysctl", "arm64-3G-6cpu", "amd64-2G-4cpu"})
    void presetDefaultRemainder_equalsTheOneTheMemoryLineGives(String run) {
        BootTwin twin = BootTwin.fromBundle(Bundles.DIR.resolve(run));
        io.kmemsim.engine.bootlog.BootInputs in = twin.reservationInputs();
        io.kmemsim.engine.bootlog.BootInputs noLog = new io.kmemsim.engine.bootlog.BootInputs(in.arch(), in.ram(),
                in.pageBytes(), in.cpus(), in.codeK(), in.rwdataK(), in.rodataK(), in.initK(), in.bssK(),
                // a preset has no iomem, so no x86 brk range of its own: its measured remainder includes those pages
                in.fixed().stream().filter(r -> !r.name().equals("brk")).toList(),
                in.percpuPagesPerCpu(), in.earlyHashBytes(), in.logBufBytes(), in.freedK(), in.machineModel(), in.kpti(),
                in.rodataFull(), in.imageStart(), in.imageEnd(), java.util.OptionalLong.empty());
        long fromLine = io.kmemsim.engine.bootlog.BootReservations.of(in).pagesAtMemInit();
        assertThat(fromLine).isEqualTo(in.reservedTotal().getAsLong());
        assertThat(io.kmemsim.engine.bootlog.BootReservations.of(noLog).pagesAtMemInit()).isEqualTo(fromLine);
    }
}
