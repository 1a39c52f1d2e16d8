package io.kmemsim.workloads;

import io.kmemsim.api.plugin.Doc;

/**
 * Options of the {@code thp} workload (docs/workloads.md).
 *
 * @param events                   events in the stream, ticks included
 * @param tickEvery                every this many events one is a TICK
 * @param nsPerEvent               simulated nanoseconds per event
 * @param burstSize                THP allocations per burst
 * @param burstInterval            events from the start of one burst to the start of the next
 * @param order                    THP order; −1 for the PMD order of the page size
 * @param defrag                   {@code /sys/kernel/mm/transparent_hugepage/defrag} setting
 * @param madvised                 the faulting VMA has {@code MADV_HUGEPAGE}
 * @param freeThps                 THPs are freed later (geometric lifetime)
 * @param thpMeanLifetime          mean THP lifetime in events
 * @param fallbackPages            order-0 pages allocated after a failed THP
 * @param backgroundOrderWeights   order distribution of the background
 * @param backgroundMigrateWeights migrate-type mix of the background
 * @param backgroundMeanLifetime   mean lifetime in events of a background block
 * @param mapUserPages             movable blocks are mapped into user address spaces
 * @param processes                user address spaces (mapping ids 1..processes)
 * @param execFraction             share of mapped movable order-0 pages mapped executable
 * @param dmaFraction              share of unmovable blocks that are DMA buffers
 * @param dmaDirections            {@code to-device|from-device|bidirectional:weight,…}
 * @param dmaPartialFraction       share of DMA buffers that are part of their block
 */
public record ThpOptions(
        @Doc("events in the stream, ticks included (default 2000000)") long events,
        @Doc("every this many events one is a TICK (default 1000, >= 2)") int tickEvery,
        @Doc("simulated nanoseconds per event (default 1000)") long nsPerEvent,
        @Doc("THP allocations per burst, > 0 (default 64)") int burstSize,
        @Doc("events from the start of one burst to the start of the next, >= burst-size (default 20000)") long burstInterval,
        @Doc("THP order; -1 = HPAGE_PMD_ORDER of the page size: 9 on 4K, 11 on 16K, 13 on 64K (default -1)") int order,
        @Doc("transparent_hugepage/defrag setting that picks the gfp: always, defer, defer+madvise, madvise, never (default madvise)") String defrag,
        @Doc("the faulting VMA is MADV_HUGEPAGE (default false)") boolean madvised,
        @Doc("THPs are freed again after a geometric lifetime (default true)") boolean freeThps,
        @Doc("mean THP lifetime in events when free-thps, > 0 (default 50000)") long thpMeanLifetime,
        @Doc("order-0 movable pages allocated after each failed THP, >= 0 (default 1: the faulting base page)") int fallbackPages,
        @Doc("background order distribution as order:weight,... (default 0:85,1:7,2:4,3:4, illustrative)") String backgroundOrderWeights,
        @Doc("background migrate-type mix (default unmovable:15,movable:75,reclaimable:10, illustrative)") String backgroundMigrateWeights,
        @Doc("mean lifetime of a background block in events, > 0 (default 50000)") long backgroundMeanLifetime,
        @Doc("movable blocks are anonymous memory: each is mapped by a write PAGE_FAULT into one of processes address spaces after its allocation and unmapped (MUNMAP) before its free (default true)") boolean mapUserPages,
        @Doc("user address spaces (mapping ids 1..processes) the mapped blocks are spread over uniformly, in [1, 65536] (default 8)") int processes,
        @Doc("share of mapped movable order-0 pages that are page-cache text, mapped with EXEC_MAP (user-executable) instead of a write fault, in [0, 1] (default 0.05, illustrative)") double execFraction,
        @Doc("share of unmovable blocks that are streaming DMA buffers: DMA_MAP after the allocation, DMA_UNMAP before the free, in [0, 1] (default 0.02, illustrative)") double dmaFraction,
        @Doc("DMA direction mix as to-device|from-device|bidirectional:weight,... (default to-device:45,from-device:45,bidirectional:10, illustrative)") String dmaDirections,
        @Doc("share of DMA buffers that are a random byte range inside the block instead of all of it, in [0, 1] (default 0.25, illustrative)") double dmaPartialFraction) {

    /** The defaults. */
    public ThpOptions() {
        this(2_000_000, 1000, 1000, 64, 20_000, -1, "madvise", false, true, 50_000, 1,
                "0:85,1:7,2:4,3:4", "unmovable:15,movable:75,reclaimable:10", 50_000,
                true, 8, 0.05, 0.02, ArchSettings.DEFAULT_DIRECTIONS, 0.25);
    }
}
