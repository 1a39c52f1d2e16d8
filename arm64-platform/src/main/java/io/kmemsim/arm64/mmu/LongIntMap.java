package io.kmemsim.arm64.mmu;

import java.util.Arrays;

/**
 * An open-addressing {@code long → int} map with linear probing and backward-shift deletion; no
 * object per entry. Keys may be any value but {@link #EMPTY_KEY}; a missing key reads as −1.
 */
final class LongIntMap {

    static final long EMPTY_KEY = Long.MIN_VALUE;

    private long[] keys;
    private int[] values;
    private int size;

    LongIntMap(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity) * 2 - 1);
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(keys, EMPTY_KEY);
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    int get(long key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
            if (keys[i] == EMPTY_KEY) {
                return -1;
            }
        }
    }

    void put(long key, int value) {
        if (key == EMPTY_KEY) {
            throw new IllegalArgumentException("key must not be Long.MIN_VALUE");
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != EMPTY_KEY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY_KEY) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    void remove(long key) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == EMPTY_KEY) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = EMPTY_KEY;
        size--;
        for (int j = (i + 1) & mask; keys[j] != EMPTY_KEY; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                keys[j] = EMPTY_KEY;
                i = j;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY_KEY);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY_KEY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
