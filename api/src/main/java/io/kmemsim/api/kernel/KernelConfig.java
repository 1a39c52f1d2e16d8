package io.kmemsim.api.kernel;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The kernel configuration facts that change what the allocator keeps and what its files print.
 * A platform supplies the defaults of its distribution kernels (Debian's arm64 6.1 has CMA and no
 * ZONE_DEVICE; its amd64 6.1 has ZONE_DEVICE and no CMA: include/linux/mmzone.h: enum migratetype, enum zone_type (6.1)).
 *
 * @param pageSize        the base page size
 * @param zoneDma         CONFIG_ZONE_DMA
 * @param zoneDma32       CONFIG_ZONE_DMA32
 * @param zoneDevice      CONFIG_ZONE_DEVICE (an always-empty zone printed in zoneinfo)
 * @param cma             CONFIG_CMA (adds the CMA migrate type)
 * @param hugetlb         CONFIG_HUGETLB_PAGE (decides pageblock_order)
 * @param transparentHugepage CONFIG_TRANSPARENT_HUGEPAGE
 */
@API(status = API.Status.STABLE, since = "0.1")
public record KernelConfig(PageSize pageSize, boolean zoneDma, boolean zoneDma32, boolean zoneDevice,
                           boolean cma, boolean hugetlb, boolean transparentHugepage) {

    /** Debian's arm64 distribution kernel with 4K pages: DMA, DMA32, Normal, Movable; CMA on. */
    public static final KernelConfig ARM64_DISTRO = new KernelConfig(PageSize.SIZE_4K, true, true, false, true, true, true);

    /** Debian's amd64 distribution kernel: DMA, DMA32, Normal, Movable, Device; CMA off. */
    public static final KernelConfig X86_64_DISTRO = new KernelConfig(PageSize.SIZE_4K, true, true, true, false, true, true);

    public KernelConfig {
        java.util.Objects.requireNonNull(pageSize, "pageSize");
    }

    /** This configuration with another page size. */
    public KernelConfig withPageSize(PageSize size) {
        return new KernelConfig(size, zoneDma, zoneDma32, zoneDevice, cma, hugetlb, transparentHugepage);
    }

    /** The configured zones in the kernel's order; their positions are the kernel's zone indices. */
    public List<ZoneType> zones() {
        List<ZoneType> zones = new ArrayList<>(5);
        if (zoneDma) {
            zones.add(ZoneType.DMA);
        }
        if (zoneDma32) {
            zones.add(ZoneType.DMA32);
        }
        zones.add(ZoneType.NORMAL);
        zones.add(ZoneType.MOVABLE);
        if (zoneDevice) {
            zones.add(ZoneType.DEVICE);
        }
        return List.copyOf(zones);
    }

    /** {@code MAX_NR_ZONES}: the number of configured zones (the length of zoneinfo's protection tuple). */
    public int maxNrZones() {
        return zones().size();
    }

    /** The number of migrate types: 6 with CMA, 5 without. */
    public int migrateTypeCount() {
        return MigrateType.count(cma);
    }
}
