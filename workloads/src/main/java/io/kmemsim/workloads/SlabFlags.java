package io.kmemsim.workloads;

import java.util.Locale;

/**
 * {@code SLAB_*} cache-creation flags by name, with the kernel's 6.1 bit values (the values
 * {@link io.kmemsim.api.slab.CacheSpec} and CACHE_CREATE events carry; include/linux/slab.h: SLAB_HWCACHE_ALIGN (6.1)).
 */
final class SlabFlags {

    static final long RECLAIM_ACCOUNT = 0x20000L;

    private static final String[] NAMES = {"CONSISTENCY_CHECKS", "RED_ZONE", "POISON", "HWCACHE_ALIGN", "CACHE_DMA",
        "CACHE_DMA32", "STORE_USER", "RECLAIM_ACCOUNT", "PANIC", "TYPESAFE_BY_RCU", "MEM_SPREAD", "TRACE",
        "DEBUG_OBJECTS", "NOLEAKTRACE", "FAILSLAB", "ACCOUNT", "NO_USER_FLAGS", "SKIP_KFENCE"};
    private static final long[] VALUES = {0x100L, 0x400L, 0x800L, 0x2000L, 0x4000L,
        0x8000L, 0x10000L, RECLAIM_ACCOUNT, 0x40000L, 0x80000L, 0x100000L, 0x200000L,
        0x400000L, 0x800000L, 0x2000000L, 0x4000000L, 0x10000000L, 0x20000000L};

    private SlabFlags() {
    }

    /**
     * Parses {@code NAME|NAME…} (with or without the {@code SLAB_} prefix, any case; empty for none).
     *
     * @throws IllegalArgumentException naming the unknown flag
     */
    static long parse(String text) {
        long flags = 0;
        if (text.isBlank()) {
            return 0;
        }
        for (String part : text.split("\\|", -1)) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            if (name.startsWith("SLAB_")) {
                name = name.substring(5);
            }
            flags |= value(name, part);
        }
        return flags;
    }

    private static long value(String name, String part) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return VALUES[i];
            }
        }
        throw new IllegalArgumentException("unknown slab flag \"" + part.trim() + "\"; known: SLAB_"
                + String.join(", SLAB_", NAMES));
    }
}
