package io.kmemsim.engine.util;

import java.util.function.LongBinaryOperator;

/**
 * The event loop's handle → live block map: {@code long} keys to non-negative {@code long} values, open
 * addressing with linear probing over ONE array in which each slot is a key and its value side by side, so a
 * probe touches one cache line where a map with separate key and value arrays (fastutil's) touches two. The
 * hash is one multiplication by 2^64/φ with the top bits taken (Fibonacci hashing): PFN-like keys (runs of
 * consecutive or power-of-two-aligned numbers, spread over a machine) land in different slots. At most half
 * full; removal shifts the following entries back (no tombstones), so lookups do not slow down with churn. Every
 * {@code long} may be a key; values must be {@code >= 0} (a live block); absent keys read as {@link #MISSING}.
 * Nothing is allocated except when the table grows. Not thread-safe.
 */
public final class HandleTable {

    /** What {@link #get}, {@link #put} and {@link #remove} return for an absent key. */
    public static final long MISSING = -1;

    /** The key that marks an empty slot; that key itself is kept outside the table. */
    private static final long FREE = Long.MIN_VALUE;
    private static final long PHI = 0x9E3779B97F4A7C15L;

    /** {@code key, value} pairs: slot {@code i} is {@code table[2i], table[2i + 1]}. */
    private long[] table;
    /** Slots - 1 (a power of two). */
    private int mask;
    /** 64 - log2(slots): the shift that takes a hash's top bits. */
    private int shift;
    private int size;
    /** The value of key {@link #FREE}, {@link #MISSING} when it is absent. */
    private long freeKeyValue = MISSING;

    /** A table for {@code expected} entries before it grows. */
    public HandleTable(int expected) {
        if (expected < 0) {
            throw new IllegalArgumentException("expected must be >= 0: " + expected);
        }
        int slots = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        allocate(slots);
    }

    private void allocate(int slots) {
        table = new long[slots * 2];
        java.util.Arrays.fill(table, FREE);
        mask = slots - 1;
        shift = 64 - Integer.numberOfTrailingZeros(slots);
    }

    private int slot(long key) {
        return (int) ((key * PHI) >>> shift);
    }

    /** Entries in the table. */
    public int size() {
        return size + (freeKeyValue != MISSING ? 1 : 0);
    }

    /** The value of {@code key}, {@link #MISSING} when absent. */
    public long get(long key) {
        if (key == FREE) {
            return freeKeyValue;
        }
        long[] t = table;
        int m = mask;
        for (int i = slot(key); ; i = (i + 1) & m) {
            long k = t[2 * i];
            if (k == key) {
                return t[2 * i + 1];
            }
            if (k == FREE) {
                return MISSING;
            }
        }
    }

    /** Whether {@code key} is present. */
    public boolean containsKey(long key) {
        return get(key) != MISSING;
    }

    /**
     * Maps {@code key} to {@code value} ({@code >= 0}).
     *
     * @return the value it had, {@link #MISSING} when it was absent
     */
    public long put(long key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("value must be >= 0: " + value);
        }
        if (key == FREE) {
            long old = freeKeyValue;
            freeKeyValue = value;
            return old;
        }
        long[] t = table;
        int m = mask;
        for (int i = slot(key); ; i = (i + 1) & m) {
            long k = t[2 * i];
            if (k == key) {
                long old = t[2 * i + 1];
                t[2 * i + 1] = value;
                return old;
            }
            if (k == FREE) {
                t[2 * i] = key;
                t[2 * i + 1] = value;
                if (++size > (m + 1) >>> 1) {
                    grow();
                }
                return MISSING;
            }
        }
    }

    /** Removes {@code key}; returns its value, {@link #MISSING} when it was absent. */
    public long remove(long key) {
        if (key == FREE) {
            long old = freeKeyValue;
            freeKeyValue = MISSING;
            return old;
        }
        long[] t = table;
        int m = mask;
        for (int i = slot(key); ; i = (i + 1) & m) {
            long k = t[2 * i];
            if (k == key) {
                long old = t[2 * i + 1];
                size--;
                shiftBack(i);
                return old;
            }
            if (k == FREE) {
                return MISSING;
            }
        }
    }

    /** Empties slot {@code gap}, moving back each following entry of the run whose home slot it would skip. */
    private void shiftBack(int gap) {
        long[] t = table;
        int m = mask;
        int i = (gap + 1) & m;
        while (true) {
            long k = t[2 * i];
            if (k == FREE) {
                break;
            }
            int home = slot(k);
            // the entry at i may move to gap when gap lies cyclically in [home, i)
            if (((i - home) & m) >= ((i - gap) & m)) {
                t[2 * gap] = k;
                t[2 * gap + 1] = t[2 * i + 1];
                gap = i;
            }
            i = (i + 1) & m;
        }
        t[2 * gap] = FREE;
        t[2 * gap + 1] = 0;
    }

    private void grow() {
        long[] old = table;
        allocate((mask + 1) * 2);
        long[] t = table;
        int m = mask;
        for (int j = 0; j < old.length; j += 2) {
            long k = old[j];
            if (k != FREE) {
                int i = slot(k);
                while (t[2 * i] != FREE) {
                    i = (i + 1) & m;
                }
                t[2 * i] = k;
                t[2 * i + 1] = old[j + 1];
            }
        }
    }

    /** Calls {@code action} with every key and its value (the operator's result is ignored); in no set order. */
    public void forEach(LongBinaryOperator action) {
        if (freeKeyValue != MISSING) {
            action.applyAsLong(FREE, freeKeyValue);
        }
        long[] t = table;
        for (int j = 0; j < t.length; j += 2) {
            if (t[j] != FREE) {
                action.applyAsLong(t[j], t[j + 1]);
            }
        }
    }
}
