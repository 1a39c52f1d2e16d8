package io.kmemsim.engine.run;

/**
 * What the loop counted of page events.
 *
 * @param allocated    PAGE_ALLOC events the allocator satisfied
 * @param failed       PAGE_ALLOC events it could not ({@code NO_PAGE})
 * @param freed        PAGE_FREE events of live handles
 * @param unknownFrees PAGE_FREE events whose handle was not live (never allocated, failed or freed)
 * @param migrated     live blocks the allocator moved (compaction) and the loop followed
 */
public record PageTotals(long allocated, long failed, long freed, long unknownFrees, long migrated) {
}
