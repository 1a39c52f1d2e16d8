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
import org.junit.jupiter.api.Test;

/** The real buddy allocator boots on a preset wrapped with the kernel's reservations. */
class KernelReservedPresetTest {

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
}
