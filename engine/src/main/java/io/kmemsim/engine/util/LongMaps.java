package io.kmemsim.engine.util;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

/**
 * The engine's primitive {@code long → long} maps (handle tables, live sets): fastutil's
 * {@link Long2LongOpenHashMap}, chosen over Agrona's {@code Long2LongHashMap} and the engine's former
 * hand-written map by {@code bench/.../libs/MapBenchmark} (docs/performance.md, "Libraries").
 *
 * <p>Use only the primitive methods ({@code get(long)}, {@code put(long, long)}, {@code remove(long)},
 * {@code containsKey(long)}): they neither box nor allocate; the table allocates only when it grows. Every
 * {@code long} may be a key and every {@code long} a value; absent keys read as the map's missing value (its
 * fastutil {@code defaultReturnValue}), so a caller that may store that value asks {@code containsKey}.
 * Removal shifts entries back (no tombstones), so lookups do not slow down with churn.
 */
public final class LongMaps {

    /** At most half full, as the hand-written map was: short probe runs for the loop's lookups. */
    private static final float LOAD_FACTOR = 0.5f;

    private LongMaps() {
    }

    /**
     * A new empty map.
     *
     * @param expected     entries expected (the table starts large enough for them)
     * @param missingValue what {@code get} and {@code remove} return for an absent key
     */
    public static Long2LongOpenHashMap create(int expected, long missingValue) {
        if (expected < 0) {
            throw new IllegalArgumentException("expected must be >= 0: " + expected);
        }
        Long2LongOpenHashMap m = new Long2LongOpenHashMap(expected, LOAD_FACTOR);
        m.defaultReturnValue(missingValue);
        return m;
    }
}
