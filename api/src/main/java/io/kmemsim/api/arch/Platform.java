package io.kmemsim.api.arch;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.ZoneType;
import java.util.List;
import java.util.OptionalLong;
import org.apiguardian.api.API;

/**
 * A machine's memory map as the kernel derives it at boot: RAM banks per node, reserved ranges, the
 * zone limits, CMA, and the CPU count. Immutable; created by a {@link io.kmemsim.api.plugin.PlatformProvider}.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Platform {

    /** The preset's id, e.g. {@code rock5b-plus-8g}. */
    String name();

    /** Number of CPUs. */
    int cpus();

    /** The kernel configuration facts of this platform's kernels (page size, zones, CMA, …). */
    KernelConfig kernelConfig();

    /** RAM banks in ascending address order, non-overlapping. */
    List<MemoryBank> banks();

    /** Boot-time reservations in ascending address order (CMA included when it has a fixed place). */
    List<ReservedRange> reserved();

    /**
     * The exclusive upper PFN bound of {@code zone} ({@code max_zone_pfns[]}), for DMA, DMA32 and
     * Normal; empty when the zone is not configured. A zone whose bound equals the one below it is empty.
     */
    OptionalLong zoneLimitPfn(ZoneType zone);

    /**
     * The parts of {@link #reserved()} that the kernel hands to the page allocator late in boot, after the
     * zone watermarks and pcp sizes were computed: the {@code __init} sections ({@code free_initmem}, "Freeing
     * unused kernel memory"), the initrd ({@code free_initrd_mem}), and on x86 the image gaps. Their pages are
     * reserved while the watermarks are set up (6.1: {@code init_per_zone_wmark_min} at postcore_initcall and
     * the THP {@code set_recommended_min_free_kbytes} at subsys_initcall) and managed afterwards
     * ({@code mm/page_alloc.c: free_reserved_area()}, 6.1). Each range lies inside a range of
     * {@link #reserved()}; empty by default.
     */
    default List<ReservedRange> releasedAfterInit() {
        return List.of();
    }

    /** Bytes of CMA the kernel reserves (0 for none). */
    default long cmaBytes() {
        return 0;
    }

    /**
     * Whether the kernel defers struct-page initialisation to after boot ({@code CONFIG_DEFERRED_STRUCT_PAGE_INIT}):
     * it decides how many pages the boot {@code Memory:} line counts as available (mm/mm_init.c:
     * mem_init_print_info() (6.1) prints before the deferred pages are freed). Distribution kernels (Debian) set it,
     * so true by default; Rockchip's vendor (BSP) kernels for the RK3588 do not.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default boolean deferredStructPageInit() {
        return true;
    }

    /**
     * Whether {@link #reserved()} holds only what the firmware and the device tree reserve, so that a run
     * boots with the kernel's own memblock reservations added (kernel image, memmap, linear-map page tables,
     * percpu, early hash tables, swiotlb, device tree: the engine's boot model, checked against real boot
     * logs' {@code Memory:} lines). A board preset says yes; a platform that lists every reserved range
     * itself (a twin rebuilt from a real boot log, a test machine) keeps the default, no.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default boolean kernelBootReservationsModelled() {
        return false;
    }

    /** The CPU core type of {@code cpu} for cost tables (e.g. {@code cortex-a76}); "generic" by default. */
    default String coreType(int cpu) {
        return "generic";
    }
}
