package io.kmemsim.bench.libs;

import java.util.Arrays;

/**
 * The engine's hand-written primitive map as it was before it was replaced by a library (issue 18), kept
 * here only so {@link MapBenchmark} can compare it with the libraries in the same JMH run.
 *
 * <p>An open-addressing hash map from {@code long} to {@code long} with no boxing and no allocation
 * except when it grows: the handle tables of the simulation loop.
 *
 * <p>Notes:
 * <ul>
 *   <li>Keys and values live in two parallel arrays whose length is a power of two; a slot is free
 *       when its key is {@link #FREE_KEY}. That one key value is kept outside the arrays in its own
 *       field, so every {@code long} can be a key.</li>
 *   <li>Lookup is linear probing from a Fibonacci hash of the key (multiply by 2^64/φ, keep the high
 *       bits). Removal shifts later entries of the probe run back instead of leaving tombstones, so
 *       lookups never slow down with churn.</li>
 *   <li>The table doubles when it would be more than half full.</li>
 *   <li>Absent keys read as the {@code missingValue} given at construction (e.g. −1 for PFNs); a
 *       caller that may store that value uses {@link #containsKey}.</li>
 * </ul>
 */
final class HandLongLongMap {

    /** The key value that marks a free slot (stored out of line when used as a real key). */
    static final long FREE_KEY = Long.MIN_VALUE;

    private static final long PHI = 0x9E3779B97F4A7C15L;

    private final long missingValue;
    private long[] keys;
    private long[] values;
    private int shift;
    private int size;
    private boolean hasFreeKey;
    private long freeKeyValue;

    /**
     * @param expected     entries expected (the table starts large enough for them)
     * @param missingValue what {@link #get} and {@link #remove} return for an absent key
     */
    HandLongLongMap(int expected, long missingValue) {
        if (expected < 0) {
            throw new IllegalArgumentException("expected must be >= 0: " + expected);
        }
        this.missingValue = missingValue;
        int capacity = Math.max(16, Integer.highestOneBit(Math.max(1, expected) * 2 - 1) << 1);
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, FREE_KEY);
        values = new long[capacity];
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int slot(long key) {
        return (int) ((key * PHI) >>> shift);
    }

    /** The number of entries. */
    public int size() {
        return size;
    }

    /** The value of {@code key}, or the missing value. */
    public long get(long key) {
        if (key == FREE_KEY) {
            return hasFreeKey ? freeKeyValue : missingValue;
        }
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == FREE_KEY) {
                return missingValue;
            }
        }
    }

    /** True when {@code key} has a value. */
    public boolean containsKey(long key) {
        if (key == FREE_KEY) {
            return hasFreeKey;
        }
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return true;
            }
            if (k == FREE_KEY) {
                return false;
            }
        }
    }

    /** Sets {@code key} to {@code value}; returns the previous value, or the missing value. */
    public long put(long key, long value) {
        if (key == FREE_KEY) {
            long old = hasFreeKey ? freeKeyValue : missingValue;
            if (!hasFreeKey) {
                size++;
            }
            hasFreeKey = true;
            freeKeyValue = value;
            return old;
        }
        int mask = keys.length - 1;
        int i = slot(key);
        while (keys[i] != FREE_KEY) {
            if (keys[i] == key) {
                long old = values[i];
                values[i] = value;
                return old;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        if (++size > keys.length >>> 1) {
            grow();
        }
        return missingValue;
    }

    /** Removes {@code key}; returns its value, or the missing value when it had none. */
    public long remove(long key) {
        if (key == FREE_KEY) {
            if (!hasFreeKey) {
                return missingValue;
            }
            hasFreeKey = false;
            size--;
            return freeKeyValue;
        }
        int mask = keys.length - 1;
        int i = slot(key);
        while (keys[i] != key) {
            if (keys[i] == FREE_KEY) {
                return missingValue;
            }
            i = (i + 1) & mask;
        }
        long old = values[i];
        shiftBack(i, mask);
        size--;
        return old;
    }

    /** Empties slot {@code gap}, moving back later entries of its probe run that may not sit after a hole. */
    private void shiftBack(int gap, int mask) {
        int i = gap;
        while (true) {
            i = (i + 1) & mask;
            long k = keys[i];
            if (k == FREE_KEY) {
                break;
            }
            int home = slot(k);
            boolean movable = gap <= i ? (home <= gap || home > i) : (home <= gap && home > i);
            if (movable) {
                keys[gap] = k;
                values[gap] = values[i];
                gap = i;
            }
        }
        keys[gap] = FREE_KEY;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        allocate(oldKeys.length << 1);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != FREE_KEY) {
                int i = slot(k);
                while (keys[i] != FREE_KEY) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = oldValues[j];
            }
        }
    }

    /** Removes every entry (keeps the table's size). */
    public void clear() {
        Arrays.fill(keys, FREE_KEY);
        size = 0;
        hasFreeKey = false;
    }
}
