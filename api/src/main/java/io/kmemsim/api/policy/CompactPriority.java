package io.kmemsim.api.policy;

import org.apiguardian.api.API;

/**
 * Direct compaction priority ({@code enum compact_priority}, include/linux/compaction.h: enum compact_result (6.1)):
 * lower is harder. The allocator's slow path starts at {@link #ASYNC} and, without reclaim progress,
 * continues at {@link #SYNC_LIGHT} (mm/page_alloc.c: __alloc_pages_slowpath(), __alloc_pages() (6.1)).
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum CompactPriority {
    /** MIGRATE_SYNC_LIGHT plus whole zone, skip hints and block suitability ignored. */
    SYNC_FULL,
    /** MIGRATE_SYNC_LIGHT (the default, and the hardest for costly orders). */
    SYNC_LIGHT,
    /** MIGRATE_ASYNC (the first attempt). */
    ASYNC
}
