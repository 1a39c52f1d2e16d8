package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.plugin.Provider;
import io.kmemsim.engine.bootlog.KernelReservedPlatform;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.testkit.support.TestProviderContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real buddy allocator boots on a preset wrapped with the kernel's reservations, and so does every preset run. */
class KernelReservedPresetTest {

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static <T> T create(PluginRegistry reg, PluginKind kind, String id, TestProviderContext ctx) throws Exception {
        Provider<?, Record> p = (Provider<?, Record>) reg.require(kind, id).provider();
        Record options = p.optionsType().getConstructor().newInstance();
        return (T) p.create(options, ctx);
    }

    @Test
    void rock5bPlus8g_bootsWithTheKernelsManagedPages() throws Exception {
        KernelVersion k = KernelVersion.parse("6.1.192");
        try (PluginRegistry reg = PluginRegistry.fromClasspath(getClass().getClassLoader())) {
            Platform preset = create(reg, PluginKind.PLATFORM, "rock5b-plus-8g", TestProviderContext.builder().kernel(k).build());
            Platform wrapped = KernelReservedPlatform.of(preset, k);
            PageAllocator plain = create(reg, PluginKind.PAGE_ALLOCATOR, "buddy",
                    TestProviderContext.builder().kernel(k).platform(preset).build());
            PageAllocator booted = create(reg, PluginKind.PAGE_ALLOCATOR, "buddy",
                    TestProviderContext.builder().kernel(k).platform(wrapped).build());
            booted.checkInvariants();
            long added = 0;
            for (ReservedRange r : wrapped.reserved()) {
                if (!preset.reserved().contains(r)) {
                    added += r.size() / 4096;
                }
            }
            long init = wrapped.releasedAfterInit().get(0).size() / 4096;
            long managedPlain = plain.zones().stream().mapToLong(Zone::managedPages).sum();
            long managedBooted = booted.zones().stream().mapToLong(Zone::managedPages).sum();
            assertThat(managedBooted).isEqualTo(managedPlain - added + init);
            assertThat(added * 4).as("KiB reserved by the kernel, near the real 8 GB log's 284008K less its firmware")
                    .isBetween(150_000L, 300_000L);
        }
    }

    @Test
    void presetRun_bootsWithTheKernelsReservations_otherPlatformsAsTheyAre() throws Exception {
        KernelVersion k = KernelVersion.parse("6.1");
        try (PluginRegistry reg = PluginRegistry.fromClasspath(getClass().getClassLoader())) {
            Platform preset = create(reg, PluginKind.PLATFORM, "rock5b-plus-4g", TestProviderContext.builder().kernel(k).build());
            Platform wrapped = KernelReservedPlatform.of(preset, k);
            PageAllocator plain = create(reg, PluginKind.PAGE_ALLOCATOR, "buddy",
                    TestProviderContext.builder().kernel(k).platform(preset).build());
            PageAllocator booted = create(reg, PluginKind.PAGE_ALLOCATOR, "buddy",
                    TestProviderContext.builder().kernel(k).platform(wrapped).build());
            long managedPlain = plain.zones().stream().mapToLong(Zone::managedPages).sum();
            long managedBooted = booted.zones().stream().mapToLong(Zone::managedPages).sum();
            assertThat(managedBooted).isLessThan(managedPlain);

            Path yaml = tmp.resolve("preset.yaml");
            Files.writeString(yaml, "name: preset\nkernel: \"6.1\"\nseed: 1\nplatform: rock5b-plus-4g\npage-allocator: buddy\n"
                    + "workload:\n  id: churn\n  options:\n    events: 2000\n");
            Path out = tmp.resolve("out");
            Cli r = Cli.run("run", yaml.toString(), "--quiet", "--out", out.toString());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(managedSum(out.resolve("zoneinfo"))).isEqualTo(managedBooted);
            // the preset asks for the kernel's reservations; the wrapped platform has them already; a platform
            // that lists its own reserved memory (arm64-virt) boots as it is
            assertThat(preset.kernelBootReservationsModelled()).isTrue();
            assertThat(wrapped.kernelBootReservationsModelled()).isFalse();
            assertThat(KernelReservedPlatform.forRun(wrapped, k)).isSameAs(wrapped);
            assertThat(KernelReservedPlatform.forRun(preset, k).reserved()).isEqualTo(wrapped.reserved());
            Platform virt = create(reg, PluginKind.PLATFORM, "arm64-virt", TestProviderContext.builder().kernel(k).build());
            assertThat(virt.kernelBootReservationsModelled()).isFalse();
            assertThat(KernelReservedPlatform.forRun(virt, k)).isSameAs(virt);
        }
    }

    private static long managedSum(Path zoneinfo) throws IOException {
        long sum = 0;
        for (String line : Files.readAllLines(zoneinfo)) {
            String t = line.trim();
            if (t.startsWith("managed ")) {
                sum += Long.parseLong(t.substring("managed ".length()).trim());
            }
        }
        return sum;
    }
}
