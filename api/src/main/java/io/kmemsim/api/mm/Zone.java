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

    /**
     * The pcp {@code high_min} of {@code cpu} (6.7+ auto-tuning lower bound; zoneinfo prints it from
     * 6.13, mm/page_alloc.c: zone_batchsize() (6.1); mm/vmstat.c: zoneinfo_show_print() (6.1)). By default {@link #pcpHigh}, which is right for
     * an allocator whose {@code high} is fixed; an allocator that auto-tunes overrides it.
     */
    default int pcpHighMin(int cpu) {
        return pcpHigh(cpu);
    }

    /**
     * The pcp {@code high_max} of {@code cpu} (6.7+ auto-tuning upper bound; zoneinfo prints it from
     * 6.13). By default {@link #pcpHigh}, as for {@link #pcpHighMin}.
     */
    default int pcpHighMax(int cpu) {
        return pcpHigh(cpu);
    }

    /**
     * Pages of this zone given to CMA ({@code zone->cma_pages}, zoneinfo's {@code cma} line, 6.1+).
     * By default 0: right for an allocator without CMA regions; one that models CMA overrides it.
     */
    default long cmaPages() {
        return 0;
    }

    /**
     * {@code nr_reserved_highatomic}: pages in pageblocks reserved as HighAtomic (zoneinfo's
     * {@code reserved_highatomic} line, 6.19). By default 0: right for an allocator that does not
     * model the highatomic reserve; one that does overrides it.
     */
    default long reservedHighatomicPages() {
        return 0;
    }

    /**
     * How the zone's pageblocks are occupied by allocated pages of different mobility, the measure of
     * anti-fragmentation studies (e.g. "unmovable pages in x% of 2 MB blocks"): counts over the zone's
     * pageblocks, or {@link PageblockOccupancy#UNKNOWN} when the allocator does not track it.
     */
    default PageblockOccupancy pageblockOccupancy() {
        return PageblockOccupancy.UNKNOWN;
    }

    /** Bit set in a {@link #pageblockMap} byte: the pageblock holds allocated pages of both mobilities. */
    int PAGEBLOCK_MIXED = 1 << 3;

    /** Bit set in a {@link #pageblockMap} byte: no page of the pageblock is allocated. */
    int PAGEBLOCK_FREE = 1 << 4;

    /** Bit set in a {@link #pageblockMap} byte: an allocated page's migrate type differs from the pageblock's. */
    int PAGEBLOCK_TYPE_MISMATCH = 1 << 5;

    /**
     * Bit set in a {@link #pageblockMap} byte: the pageblock lies in a sparsemem section without RAM (a hole
     * inside the zone span), which the kernel has no memmap for and {@code /proc/pagetypeinfo} does not count
     * (6.1 {@code mm/vmstat.c: pagetypeinfo_showblockcount_print()}). Since 0.2.
     */
    int PAGEBLOCK_HOLE = 1 << 6;

    /**
     * The zone's pageblocks, one byte each from the pageblock holding {@link #startPfn()} to the one holding
     * its last spanned PFN: bits 0–2 the pageblock's {@link io.kmemsim.api.kernel.MigrateType} ordinal, then
     * {@link #PAGEBLOCK_MIXED}, {@link #PAGEBLOCK_FREE}, {@link #PAGEBLOCK_TYPE_MISMATCH} and {@link #PAGEBLOCK_HOLE}. Pages on per-CPU
     * lists count as free. Walks the zone's pages: for sampling, not for a hot path.
     *
     * @return the map, or an empty array when the allocator does not track it (the default)
     */
    default byte[] pageblockMap() {
        return new byte[0];
    }
}
