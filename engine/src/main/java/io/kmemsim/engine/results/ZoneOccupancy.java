package io.kmemsim.engine.results;

import io.kmemsim.api.mm.PageblockOccupancy;

/**
 * One populated zone's pageblock occupancy at the end of a run.
 *
 * @param node      node id
 * @param zone      the kernel's zone name
 * @param occupancy the counts, {@link PageblockOccupancy#UNKNOWN} when the allocator does not track them
 */
record ZoneOccupancy(int node, String zone, PageblockOccupancy occupancy) {
}
