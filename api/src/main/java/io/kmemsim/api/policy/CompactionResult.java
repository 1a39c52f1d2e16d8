package io.kmemsim.api.policy;

import org.apiguardian.api.API;

/** The outcome of a compaction attempt, after the kernel's {@code enum compact_result}. */
@API(status = API.Status.STABLE, since = "0.1")
public enum CompactionResult {
    /** Compaction was not attempted (e.g. no compaction policy, or order not costly). */
    NOT_ATTEMPTED,
    /** Deferred: recent attempts at this order failed ({@code compact_defer_shift}). */
    DEFERRED,
    /** Not suitable: watermarks too low or the fragmentation index says reclaim would be better. */
    SKIPPED,
    /** The scanners met without making a block of the requested order. */
    COMPLETE,
    /** Stopped early (async contention, or the work budget ran out). */
    PARTIAL_SKIPPED,
    /** A free block of the requested order now exists. */
    SUCCESS
}
