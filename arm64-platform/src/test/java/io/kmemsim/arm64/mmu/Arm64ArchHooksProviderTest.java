package io.kmemsim.arm64.mmu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.plugin.ArchHooksProvider;
import io.kmemsim.api.workload.Event;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class Arm64ArchHooksProviderTest {

    @Test
    void serviceLoader_findsArm64() {
        List<String> ids = ServiceLoader.load(ArchHooksProvider.class).stream().map(p -> p.get().id()).toList();
        assertThat(ids).contains("arm64");
    }

    @Test
    void create_takesNoPageBeforeFirstUse() {
        TestProviderContext context = TestProviderContext.builder().platform(Fixtures.rk3588())
                .pageAllocator(c -> {
                    throw new AssertionError("page allocator asked for in create()");
                }).build();
        new Arm64ArchHooksProvider().create(new Arm64ArchHooksOptions(), context);
    }

    @Test
    void create_refusesBadOptionsNamingThem() {
        TestProviderContext context = TestProviderContext.on(Fixtures.rk3588());
        Arm64ArchHooksProvider p = new Arm64ArchHooksProvider();
        assertThatThrownBy(() -> p.create(Fixtures.options(47, "auto", "auto", false, false), context))
                .hasMessageContaining("vaBits").hasMessageEndingWith(": 47");
        assertThatThrownBy(() -> p.create(Fixtures.options(48, "sometimes", "auto", false, false), context))
                .hasMessage("lazyMmu must be auto, on or off: sometimes");
        assertThatThrownBy(() -> p.create(new Arm64ArchHooksOptions(48, "auto", "auto", false, false, false, "auto", true,
                "auto", Map.of("dsb_osh", 3L)), context)).hasMessageContaining("costs key must name an operation");
        assertThatThrownBy(() -> p.create(new Arm64ArchHooksOptions(48, "auto", "auto", false, false, false, "auto", true,
                "cortex-x1", Map.of()), context)).hasMessageContaining("costTable").hasMessageEndingWith(": cortex-x1");
    }

    @Test
    void costs_perCoreTypeOverridesWinOverEveryCoreKeys() {
        Fixtures.BumpAllocator pages = new Fixtures.BumpAllocator();
        Arm64ArchHooks h = Fixtures.hooks(Fixtures.rk3588(), "6.1", new Arm64ArchHooksOptions(48, "auto", "auto", false,
                false, false, "auto", true, "auto", Map.of("dc_zva", 10L, "cortex-a76:dc_zva", 1L)), pages);
        h.onPagesAllocated(0x100, 0, io.kmemsim.api.kernel.Gfp.ZERO, 0);
        assertThat(h.cycles()).as("A55 CPU 0").isEqualTo(64 * 10);
        h.onPagesAllocated(0x200, 0, io.kmemsim.api.kernel.Gfp.ZERO, 4);
        assertThat(h.cycles()).as("A76 CPU 4").isEqualTo(64 * 10 + 64);
    }

    @Test
    void misuse_isRefusedWithTheRuleAndValue() {
        Arm64ArchHooks h = Fixtures.hooks(Fixtures.rk3588(), "6.1", new Fixtures.BumpAllocator());
        assertThatThrownBy(() -> h.onEvent(new Event().pageFault(1, 0x1234, 1, 0, 0, 0)))
                .hasMessage("PAGE_FAULT address must be aligned to 0x1000: 0x1234");
        assertThatThrownBy(() -> h.onEvent(new Event().pageFault(0, 0x1000, 1, 0, 0, 0)))
                .hasMessageContaining("must be a kernel virtual address");
        assertThatThrownBy(() -> h.onEvent(new Event().dmaMap(0x1000, 64, 3, 0)))
                .hasMessageContaining("direction").hasMessageEndingWith(": 3");
        assertThatThrownBy(() -> h.onEvent(new Event().munmap(1, 0x1000, 100, 0)))
                .hasMessage("MUNMAP size must be a positive multiple of 4096: 100");
    }

    @Test
    void pageTableAllocationFailure_isCountedNotThrown() {
        Fixtures.BumpAllocator pages = new Fixtures.BumpAllocator();
        pages.exhausted = true;
        Arm64ArchHooks h = Fixtures.hooks(Fixtures.rk3588(), "6.1", pages);
        h.onEvent(new Event().pageFault(1, 0x1000, 1, 0, 0, 0));
        assertThat(Fixtures.counters(h).get("arm64.pgtable_alloc_failed")).isEqualTo(1);
        assertThat(Fixtures.counters(h).get("arm64.user_pages_mapped")).isZero();
    }

    @Test
    void faultWithoutPfn_mapsNothing() {
        Fixtures.BumpAllocator pages = new Fixtures.BumpAllocator();
        Arm64ArchHooks h = Fixtures.hooks(Fixtures.rk3588(), "6.1", pages);
        h.onEvent(new Event().pageFault(1, 0x1000, -1, 0, 0, 0));
        assertThat(Fixtures.counters(h).get("arm64.faults_without_pfn")).isEqualTo(1);
        assertThat(pages.allocations).isZero();
    }
}
