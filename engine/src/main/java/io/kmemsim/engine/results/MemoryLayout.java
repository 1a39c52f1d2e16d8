package io.kmemsim.engine.results;

import java.util.List;

/**
 * The page allocator's geometry, read when the run starts.
 *
 * @param pageSizeBytes  {@code PAGE_SIZE} of the platform's kernel configuration
 * @param maxOrder       the largest order (inclusive)
 * @param pageblockOrder {@code pageblock_order}
 * @param zones          the configured zones, populated or not, in the allocator's order
 */
record MemoryLayout(long pageSizeBytes, int maxOrder, int pageblockOrder, List<ZoneLayout> zones) {

    MemoryLayout {
        zones = List.copyOf(zones);
    }

    /**
     * One zone.
     *
     * @param node     node id
     * @param name     the kernel's zone name
     * @param startPfn {@code zone_start_pfn}
     * @param spanned  pages spanned
     * @param present  pages present
     * @param managed  pages managed by the buddy allocator
     */
    record ZoneLayout(int node, String name, long startPfn, long spanned, long present, long managed) {
    }
}
