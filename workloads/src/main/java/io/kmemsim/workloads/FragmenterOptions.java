package io.kmemsim.workloads;

import io.kmemsim.api.plugin.Doc;

/**
 * Options of the {@code fragmenter} workload (docs/workloads.md). Fractions are of the platform's RAM
 * in pages (the sum of its banks).
 *
 * @param events                events in the stream, ticks included
 * @param tickEvery             every this many events one is a TICK
 * @param nsPerEvent            simulated nanoseconds per event
 * @param unmovableFraction     long-lived unmovable pages to hold, as a fraction of RAM
 * @param unmovableOrderWeights order distribution of the unmovable allocations
 * @param unmovableTurnover     per-event probability that one long-lived unmovable block is freed
 * @param movableOrderWeights   order distribution of the movable allocations
 * @param fillFraction          a fill phase ends when live pages reach this fraction of RAM
 * @param drainFraction         a drain phase ends when live pages fall to this fraction of RAM
 * @param churnRate             share of events that go against the phase's direction
 * @param phases                fill/drain cycles before steady churn
 * @param mapUserPages          movable blocks are mapped into user address spaces
 * @param processes             user address spaces (mapping ids 1..processes)
 * @param execFraction          share of mapped movable order-0 pages mapped executable
 * @param dmaFraction           share of unmovable blocks that are DMA buffers
 * @param dmaDirections         {@code to-device|from-device|bidirectional:weight,…}
 * @param dmaPartialFraction    share of DMA buffers that are part of their block
 */
public record FragmenterOptions(
        @Doc("events in the stream, ticks included (default 2000000)") long events,
        @Doc("every this many events one is a TICK (default 1000, >= 2)") int tickEvery,
        @Doc("simulated nanoseconds per event (default 1000)") long nsPerEvent,
        @Doc("long-lived unmovable pages to hold, as a fraction of RAM in [0, fill-fraction] (default 0.05)") double unmovableFraction,
        @Doc("order distribution of unmovable allocations as order:weight,... (default 0:90,1:5,2:3,3:2, illustrative)") String unmovableOrderWeights,
        @Doc("per-event probability that one long-lived unmovable block is freed (replaced in the next fill), in [0, 1] (default 0.001)") double unmovableTurnover,
        @Doc("order distribution of movable allocations as order:weight,... (default 0:1)") String movableOrderWeights,
        @Doc("a fill phase ends when live pages reach this fraction of RAM, in (0, 1] (default 0.9)") double fillFraction,
        @Doc("a drain phase ends when live pages fall to this fraction of RAM, in [0, fill-fraction) (default 0.3)") double drainFraction,
        @Doc("share of events that go against the phase (a free while filling, an allocation while draining), in [0, 0.5) (default 0.2)") double churnRate,
        @Doc("fill/drain cycles before steady churn at the reached level, >= 1 (default 3)") int phases,
        @Doc("movable blocks are anonymous memory: each is mapped by a write PAGE_FAULT into one of processes address spaces after its allocation and unmapped (MUNMAP) before its free (default true)") boolean mapUserPages,
        @Doc("user address spaces (mapping ids 1..processes) the mapped blocks are spread over uniformly, in [1, 65536] (default 8)") int processes,
        @Doc("share of mapped movable order-0 pages that are page-cache text, mapped with EXEC_MAP (user-executable) instead of a write fault, in [0, 1] (default 0.05, illustrative)") double execFraction,
        @Doc("share of unmovable blocks that are streaming DMA buffers: DMA_MAP after the allocation, DMA_UNMAP before the free, in [0, 1] (default 0.02, illustrative)") double dmaFraction,
        @Doc("DMA direction mix as to-device|from-device|bidirectional:weight,... (default to-device:45,from-device:45,bidirectional:10, illustrative)") String dmaDirections,
        @Doc("share of DMA buffers that are a random byte range inside the block instead of all of it, in [0, 1] (default 0.25, illustrative)") double dmaPartialFraction) {

    /** The defaults. */
    public FragmenterOptions() {
        this(2_000_000, 1000, 1000, 0.05, "0:90,1:5,2:3,3:2", 0.001, "0:1", 0.9, 0.3, 0.2, 3,
                true, 8, 0.05, 0.02, ArchSettings.DEFAULT_DIRECTIONS, 0.25);
    }
}
