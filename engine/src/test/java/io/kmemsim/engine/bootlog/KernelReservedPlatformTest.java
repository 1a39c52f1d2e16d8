package io.kmemsim.engine.bootlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelReservedPlatformTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private static FixedPlatform rock5b8g() {
        return new FixedPlatform(KernelConfig.ARM64_DISTRO).limits(4 * GIB, 4 * GIB).cpus(8)
                .bank(0x0020_0000L, 0xEFFF_FFFFL).bank(0x1_0000_0000L, 0x1_FFFF_FFFFL).bank(0x2_F000_0000L, 0x2_FFFF_FFFFL)
                .reserve("cma", 0xEC00_0000L, 64 * MIB, false);
    }

    @Test
    void addsTheKernelsReservations_keepsThePlatformsOwn_andReleasesTheInitSection() {
        FixedPlatform base = rock5b8g();
        KernelVersion k = KernelVersion.parse("6.1.192");
        Platform p = KernelReservedPlatform.of(base, k);
        List<String> names = p.reserved().stream().map(ReservedRange::name).toList();
        assertThat(names).contains("cma", "kernel image", "memmap", "linear map page tables", "percpu",
                "early hash tables", "swiotlb", "device tree", BootReservations.OTHER);
        assertThat(p.reserved()).isSortedAccordingTo(java.util.Comparator.comparingLong(ReservedRange::base));
        ReservedRange memmap = p.reserved().stream().filter(r -> r.name().equals("memmap")).findFirst().orElseThrow();
        assertThat(memmap.size()).as("64 present sections × 2 MiB").isEqualTo(64 * 2 * MIB);
        ReservedRange image = p.reserved().stream().filter(r -> r.name().equals("kernel image")).findFirst().orElseThrow();
        assertThat(p.releasedAfterInit()).singleElement().satisfies(init -> {
            assertThat(init.name()).isEqualTo("init section");
            assertThat(init.size()).isEqualTo(6464 * 1024L);
            assertThat(init.base()).isBetween(image.base(), image.end() - init.size() + 1);
        });
        long added = 0;
        for (ReservedRange r : p.reserved()) {
            added += r.size() / 4096;
        }
        long memInit = BootReservations.of(BootLog.presetInputs(base, k)).pagesAtMemInit();
        assertThat(added).isEqualTo(memInit);
        assertThat(p.banks()).isEqualTo(base.banks());
        assertThat(p.cmaBytes()).isEqualTo(base.cmaBytes());
    }
}
