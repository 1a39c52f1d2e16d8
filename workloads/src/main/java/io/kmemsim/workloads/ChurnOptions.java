package io.kmemsim.workloads;

import io.kmemsim.api.plugin.Doc;

/**
 * Options of the {@code churn} workload (docs/workloads.md). The default weights are illustrative,
 * not measured.
 *
 * @param events             events in the stream, ticks included
 * @param tickEvery          every this many events one is a TICK
 * @param nsPerEvent         simulated nanoseconds per event
 * @param orderWeights       {@code order:weight,…}
 * @param migrateWeights     {@code unmovable|movable|reclaimable:weight,…}
 * @param atomicFraction     share of unmovable allocations made with GFP_ATOMIC
 * @param lifetime           {@code geometric} or {@code live-target}
 * @param meanLifetime       mean lifetime in events of the geometric rule
 * @param liveTarget         live pages target as a fraction of RAM for the live-target rule
 * @param mapUserPages       movable blocks are mapped into user address spaces
 * @param processes          user address spaces (mapping ids 1..processes)
 * @param execFraction       share of mapped movable order-0 pages mapped executable
 * @param dmaFraction        share of unmovable blocks that are DMA buffers
 * @param dmaDirections      {@code to-device|from-device|bidirectional:weight,…}
 * @param dmaPartialFraction share of DMA buffers that are part of their block
 */
public record ChurnOptions(
        @Doc("events in the stream, ticks included (default 2000000)") long events,
        @Doc("every this many events one is a TICK (default 1000, >= 2)") int tickEvery,
        @Doc("simulated nanoseconds per event (default 1000)") long nsPerEvent,
        @Doc("allocation order distribution as order:weight,... (default 0:80,1:8,2:5,3:5,4:1,5:0.5,6:0.3,7:0.1,8:0.05,9:0.05, illustrative)") String orderWeights,
        @Doc("migrate-type mix as unmovable|movable|reclaimable:weight,... (default unmovable:15,movable:75,reclaimable:10, illustrative)") String migrateWeights,
        @Doc("share of unmovable allocations made with the kernel's GFP_ATOMIC, in [0, 1] (default 0.05)") double atomicFraction,
        @Doc("lifetime rule: geometric (mean-lifetime) or live-target (live-target) (default geometric)") String lifetime,
        @Doc("geometric rule: mean lifetime of a block in events, > 0 (default 50000)") long meanLifetime,
        @Doc("live-target rule: live pages to hold, as a fraction of RAM in (0, 1] (default 0.5)") double liveTarget,
        @Doc("movable blocks are anonymous memory: each is mapped by a write PAGE_FAULT into one of processes address spaces after its allocation and unmapped (MUNMAP) before its free (default true)") boolean mapUserPages,
        @Doc("user address spaces (mapping ids 1..processes) the mapped blocks are spread over uniformly, in [1, 65536] (default 8)") int processes,
        @Doc("share of mapped movable order-0 pages that are page-cache text, mapped with EXEC_MAP (user-executable) instead of a write fault, in [0, 1] (default 0.05, illustrative)") double execFraction,
        @Doc("share of unmovable blocks that are streaming DMA buffers: DMA_MAP after the allocation, DMA_UNMAP before the free, in [0, 1] (default 0.02, illustrative)") double dmaFraction,
        @Doc("DMA direction mix as to-device|from-device|bidirectional:weight,... (default to-device:45,from-device:45,bidirectional:10, illustrative)") String dmaDirections,
        @Doc("share of DMA buffers that are a random byte range inside the block instead of all of it, in [0, 1] (default 0.25, illustrative)") double dmaPartialFraction) {

    /** The defaults. */
    public ChurnOptions() {
        this(2_000_000, 1000, 1000, "0:80,1:8,2:5,3:5,4:1,5:0.5,6:0.3,7:0.1,8:0.05,9:0.05",
                "unmovable:15,movable:75,reclaimable:10", 0.05, "geometric", 50_000, 0.5,
                true, 8, 0.05, 0.02, ArchSettings.DEFAULT_DIRECTIONS, 0.25);
    }
}
