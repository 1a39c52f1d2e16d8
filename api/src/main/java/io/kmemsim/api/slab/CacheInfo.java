package io.kmemsim.api.slab;

import org.apiguardian.api.API;

/**
 * One row of {@code /proc/slabinfo} (version 2.1), as the allocator reports it.
 *
 * @param name          cache name
 * @param activeObjs    objects in use
 * @param numObjs       objects in all slabs
 * @param objSize       object size as slabinfo prints it
 * @param objPerSlab    objects per slab
 * @param pagesPerSlab  pages per slab
 * @param limit         SLAB tunable (0 for SLUB)
 * @param batchCount    SLAB tunable (0 for SLUB)
 * @param sharedFactor  SLAB tunable (0 for SLUB)
 * @param activeSlabs   slabs in use
 * @param numSlabs      all slabs
 * @param sharedAvail   SLAB shared array objects (0 for SLUB)
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CacheInfo(String name, long activeObjs, long numObjs, int objSize, int objPerSlab, int pagesPerSlab,
                        int limit, int batchCount, int sharedFactor, long activeSlabs, long numSlabs,
                        long sharedAvail) {
}
