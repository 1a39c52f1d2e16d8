package io.kmemsim.workloads;

import io.kmemsim.api.workload.Event;

/**
 * The validated arch-event options of a page workload (docs/workloads.md, "Arch events"): whether
 * movable blocks are mapped into user address spaces, into how many, which share of mapped order-0
 * pages are executable page-cache text, and which share of unmovable blocks are streaming DMA buffers
 * (with their direction mix and the share that maps only part of the block).
 *
 * @param mapUserPages       movable blocks are mapped (PAGE_FAULT) after allocation and unmapped (MUNMAP) before free
 * @param processes          user address spaces, mapping ids {@code 1..processes}
 * @param execFraction       share of mapped movable order-0 pages mapped executable (EXEC_MAP) instead
 * @param dmaFraction        share of unmovable blocks that are DMA buffers (DMA_MAP / DMA_UNMAP)
 * @param dmaDirections      the direction distribution, keyed by {@link Event#DMA_TO_DEVICE} …
 * @param dmaPartialFraction share of DMA buffers that are a byte range inside the block, not all of it
 */
record ArchSettings(boolean mapUserPages, int processes, double execFraction, double dmaFraction,
                    WeightTable dmaDirections, double dmaPartialFraction) {

    /** The most user address spaces: the RK3588's 16-bit ASIDs (arch/arm64/include/asm/memory.h: PAGE_OFFSET, VMEMMAP_START (6.1)). */
    static final int MAX_PROCESSES = 1 << 16;

    /** The default direction mix (illustrative, not measured): network and block I/O both ways, few bidirectional buffers. */
    static final String DEFAULT_DIRECTIONS = "to-device:45,from-device:45,bidirectional:10";

    /** No arch events at all. */
    static final ArchSettings OFF = new ArchSettings(false, 1, 0, 0,
            WeightTable.of(new int[] {Event.DMA_BIDIRECTIONAL}, new double[] {1}), 0);

    /** Validates the options, naming each in kebab case after {@code where}. */
    static ArchSettings of(String where, boolean mapUserPages, int processes, double execFraction,
                           double dmaFraction, String dmaDirections, double dmaPartialFraction) {
        Checks.inRange(where, "processes", processes, 1, MAX_PROCESSES);
        Checks.inRange(where, "exec-fraction", execFraction, 0.0, 1.0);
        Checks.inRange(where, "dma-fraction", dmaFraction, 0.0, 1.0);
        WeightTable directions = WeightTable.parse(where, "dma-directions", dmaDirections, ArchSettings::parseDirection);
        Checks.inRange(where, "dma-partial-fraction", dmaPartialFraction, 0.0, 1.0);
        return new ArchSettings(mapUserPages, processes, execFraction, dmaFraction, directions, dmaPartialFraction);
    }

    /** True when the settings can produce an arch event. */
    boolean enabled() {
        return mapUserPages || dmaFraction > 0;
    }

    /** {@code to-device}, {@code from-device}, {@code bidirectional} as the kernel's {@code enum dma_data_direction} numbers them. */
    static int parseDirection(String key) {
        return switch (key) {
            case "to-device" -> Event.DMA_TO_DEVICE;
            case "from-device" -> Event.DMA_FROM_DEVICE;
            case "bidirectional" -> Event.DMA_BIDIRECTIONAL;
            default -> throw new IllegalArgumentException(
                    "direction must be to-device, from-device or bidirectional: " + key);
        };
    }
}
