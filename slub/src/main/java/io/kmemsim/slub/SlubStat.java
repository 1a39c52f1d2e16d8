package io.kmemsim.slub;

import java.util.Locale;

/**
 * The 26 {@code CONFIG_SLUB_STATS} counters of 6.1 and 6.12, in the kernel's order (include/linux/slub_def.h: enum stat_item (6.1)).
 * Their names are the sysfs file names ({@link #fileName()}), e.g. {@code alloc_fastpath}.
 *
 * <p>The simulation is single-threaded, so the two cmpxchg failure counters never move; they are
 * listed so that every kernel name exists.
 */
enum SlubStat {
    ALLOC_FASTPATH, ALLOC_SLOWPATH, FREE_FASTPATH, FREE_SLOWPATH, FREE_FROZEN, FREE_ADD_PARTIAL,
    FREE_REMOVE_PARTIAL, ALLOC_FROM_PARTIAL, ALLOC_SLAB, ALLOC_REFILL, ALLOC_NODE_MISMATCH, FREE_SLAB,
    CPUSLAB_FLUSH, DEACTIVATE_FULL, DEACTIVATE_EMPTY, DEACTIVATE_TO_HEAD, DEACTIVATE_TO_TAIL,
    DEACTIVATE_REMOTE_FREES, DEACTIVATE_BYPASS, ORDER_FALLBACK, CMPXCHG_DOUBLE_CPU_FAIL, CMPXCHG_DOUBLE_FAIL,
    CPU_PARTIAL_ALLOC, CPU_PARTIAL_FREE, CPU_PARTIAL_NODE, CPU_PARTIAL_DRAIN;

    /** The number of counters. */
    static final int COUNT = values().length;

    private static final SlubStat[] VALUES = values();

    private final String fileName = name().toLowerCase(Locale.ROOT);

    /** The sysfs file name, e.g. {@code cpu_partial_alloc}. */
    String fileName() {
        return fileName;
    }

    static SlubStat of(int ordinal) {
        return VALUES[ordinal];
    }
}
