package io.kmemsim.workloads;

import io.kmemsim.api.plugin.Doc;

/**
 * Options of the {@code mix} workload (docs/workloads.md): a weighted interleaving of the other
 * workloads, each with its own options. The parts' own {@code events}, {@code tick-every},
 * {@code ns-per-event} and arch-event options ({@code map-user-pages} … {@code dma-partial-fraction})
 * are ignored: the mix's apply to the whole mix, whose parts share one set of address spaces.
 * Lifetimes and intervals in a part's options count that part's events.
 *
 * @param events             events in the stream, ticks included
 * @param tickEvery          every this many events one is a TICK
 * @param nsPerEvent         simulated nanoseconds per event
 * @param weights            {@code part:weight,…} over churn, fragmenter, thp, slab-churn, page-cache
 * @param churn              options of the churn part
 * @param fragmenter         options of the fragmenter part
 * @param thp                options of the thp part
 * @param slabChurn          options of the slab-churn part
 * @param pageCache          options of the page-cache part
 * @param mapUserPages       movable blocks of every part are mapped into user address spaces
 * @param processes          user address spaces (mapping ids 1..processes)
 * @param execFraction       share of mapped movable order-0 pages mapped executable
 * @param dmaFraction        share of unmovable blocks that are DMA buffers
 * @param dmaDirections      {@code to-device|from-device|bidirectional:weight,…}
 * @param dmaPartialFraction share of DMA buffers that are part of their block
 */
public record MixOptions(
        @Doc("events in the stream, ticks included (default 3000000)") long events,
        @Doc("every this many events one is a TICK (default 1000, >= 2)") int tickEvery,
        @Doc("simulated nanoseconds per event (default 1000)") long nsPerEvent,
        @Doc("share of events per part as part:weight,... over churn, fragmenter, thp, slab-churn, page-cache; weight 0 or no entry leaves a part out (default churn:25,fragmenter:20,thp:10,slab-churn:45)") String weights,
        @Doc("options of the churn part (default: live-target 0.15 of RAM)") ChurnOptions churn,
        @Doc("options of the fragmenter part (default: 3% unmovable, fill to 50%, drain to 15%, 2 phases, movable orders 0/2/4)") FragmenterOptions fragmenter,
        @Doc("options of the thp part (default: bursts of 32 every 20000 part events)") ThpOptions thp,
        @Doc("options of the slab-churn part (default: the slab-churn defaults)") SlabChurnOptions slabChurn,
        @Doc("options of the page-cache part: page cache reads/writes, a hot file, sync, and processes whose anonymous memory exits (default: 2 files of 256 MiB, hot 64 MiB, 2 processes of 32 MiB; weight 0 in the default weights)") PageCacheOptions pageCache,
        @Doc("movable blocks of every part are anonymous memory: each is mapped by a write PAGE_FAULT into one of processes address spaces after its allocation and unmapped (MUNMAP) before its free (default true)") boolean mapUserPages,
        @Doc("user address spaces (mapping ids 1..processes) shared by all parts, the mapped blocks spread over them uniformly, in [1, 65536] (default 8)") int processes,
        @Doc("share of mapped movable order-0 pages that are page-cache text, mapped with EXEC_MAP (user-executable) instead of a write fault, in [0, 1] (default 0.05, illustrative)") double execFraction,
        @Doc("share of unmovable blocks that are streaming DMA buffers: DMA_MAP after the allocation, DMA_UNMAP before the free, in [0, 1] (default 0.02, illustrative)") double dmaFraction,
        @Doc("DMA direction mix as to-device|from-device|bidirectional:weight,... (default to-device:45,from-device:45,bidirectional:10, illustrative)") String dmaDirections,
        @Doc("share of DMA buffers that are a random byte range inside the block instead of all of it, in [0, 1] (default 0.25, illustrative)") double dmaPartialFraction) {

    /** The defaults: a blend of all four that runs 3 million events in seconds, with arch events on. */
    public MixOptions() {
        this(3_000_000, 1000, 1000, "churn:25,fragmenter:20,thp:10,slab-churn:45",
                new ChurnOptions(0, 1000, 1000, "0:80,1:8,2:5,3:5,4:1,5:0.5,6:0.3,7:0.1,8:0.05,9:0.05",
                        "unmovable:15,movable:75,reclaimable:10", 0.05, "live-target", 50_000, 0.15,
                        true, 8, 0.05, 0.02, ArchSettings.DEFAULT_DIRECTIONS, 0.25),
                new FragmenterOptions(0, 1000, 1000, 0.03, "0:90,1:5,2:3,3:2", 0.001, "0:60,2:20,4:20",
                        0.5, 0.15, 0.2, 2, true, 8, 0.05, 0.02, ArchSettings.DEFAULT_DIRECTIONS, 0.25),
                new ThpOptions(0, 1000, 1000, 32, 20_000, -1, "madvise", false, true, 50_000, 1,
                        "0:85,1:7,2:4,3:4", "unmovable:15,movable:75,reclaimable:10", 50_000,
                        true, 8, 0.05, 0.02, ArchSettings.DEFAULT_DIRECTIONS, 0.25),
                new SlabChurnOptions(),
                new PageCacheOptions(0, 1000, 1000, 2, 256, 0.2, 64, 0.3, 50_000, 2, 32, 400_000, 0.1),
                true, 8, 0.05, 0.02, ArchSettings.DEFAULT_DIRECTIONS, 0.25);
    }
}
