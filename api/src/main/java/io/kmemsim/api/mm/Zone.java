package io.kmemsim.api.mm;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import org.apiguardian.api.API;

/**
 * A read-only view of one zone of a {@link PageAllocator}, with the quantities the kernel's
 * {@code /proc} files print. Values are live: they reflect the allocator at the time of the call.
 * Only the host's thread calls it.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Zone {

    /** The node id (0 for a single-node machine). */
    int node();

    /** The zone type. */
    ZoneType type();

    /** The kernel's name, e.g. {@code "Normal"}. */
    default String name() {
        return type().printedName();
    }

    /** First PFN of the zone's span ({@code zone_start_pfn}); 0 for an empty zone. */
    long startPfn();

    /** Pages spanned, holes included. */
    long spannedPages();

    /** Pages present (spanned minus holes). */
    long presentPages();

    /** Pages managed by the buddy allocator (present minus boot-time reservations). */
    long managedPages();

    /** True when the zone has managed pages ({@code populated_zone}). */
    default boolean populated() {
        return managedPages() > 0;
    }

    /** {@code NR_FREE_PAGES}: pages on the buddy free lists (pages on per-CPU lists are not free). */
    long freePages();

    /** {@code free_area[order].nr_free}: free blocks of this order, all migrate types. */
    long freeBlocks(int order);

    /** Free blocks of this order on the list of migrate type {@code mt}. */
    long freeBlocks(int order, MigrateType mt);

    /** The watermark at {@code level} in pages, without boost ({@code _watermark[]}). */
    long watermark(WatermarkLevel level);

    /** The current watermark boost in pages. */
    long watermarkBoost();

    /**
     * {@code lowmem_reserve[upper]}: pages this zone keeps back from allocations whose highest
     * usable zone has index {@code upperZoneIndex} (position among the configured zones).
     */
    long lowmemReserve(int upperZoneIndex);

    /** The migrate type of the pageblock containing {@code pfn} (a PFN inside this zone's span). */
    MigrateType pageblockType(long pfn);

    /** Pageblocks of this zone (whole or partial) whose type is {@code mt}. */
    long pageblocks(MigrateType mt);

    /** Pages currently on the per-CPU lists of {@code cpu}. */
    int pcpCount(int cpu);

    /** The per-CPU {@code high} limit of {@code cpu}. */
    int pcpHigh(int cpu);

    /** The per-CPU {@code batch} size. */
    int pcpBatch();
}
