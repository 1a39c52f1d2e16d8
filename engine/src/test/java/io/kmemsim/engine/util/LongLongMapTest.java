package io.kmemsim.engine.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongLongMapTest {

    @Test
    void get_returnsTheMissingValue_forAbsentKeys() {
        LongLongMap m = new LongLongMap(4, -1);
        assertThat(m.get(5)).isEqualTo(-1);
        assertThat(m.remove(5)).isEqualTo(-1);
        assertThat(m.containsKey(5)).isFalse();
    }

    @Test
    void put_replacesAndReturnsThePreviousValue() {
        LongLongMap m = new LongLongMap(4, -1);
        assertThat(m.put(5, 50)).isEqualTo(-1);
        assertThat(m.put(5, 51)).isEqualTo(50);
        assertThat(m.get(5)).isEqualTo(51);
        assertThat(m.size()).isEqualTo(1);
    }

    @Test
    void theFreeSlotKey_isAnOrdinaryKey() {
        LongLongMap m = new LongLongMap(4, -1);
        m.put(LongLongMap.FREE_KEY, 9);
        m.put(0, 1);
        assertThat(m.get(LongLongMap.FREE_KEY)).isEqualTo(9);
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.remove(LongLongMap.FREE_KEY)).isEqualTo(9);
        assertThat(m.containsKey(LongLongMap.FREE_KEY)).isFalse();
        assertThat(m.get(0)).isEqualTo(1);
    }

    @Test
    void randomOperations_agreeWithHashMap() {
        SplittableRandom rng = new SplittableRandom(3);
        LongLongMap m = new LongLongMap(2, Long.MIN_VALUE);
        Map<Long, Long> oracle = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            long key = rng.nextInt(5000) - 100L;
            int op = rng.nextInt(3);
            if (op == 0) {
                long v = rng.nextLong();
                assertEquals(oracle.getOrDefault(key, Long.MIN_VALUE), m.put(key, v));
                oracle.put(key, v);
            } else if (op == 1) {
                Long old = oracle.remove(key);
                assertEquals(old == null ? Long.MIN_VALUE : old, m.remove(key));
            } else {
                assertEquals(oracle.getOrDefault(key, Long.MIN_VALUE), m.get(key));
            }
            assertEquals(oracle.size(), m.size());
        }
        for (Map.Entry<Long, Long> e : oracle.entrySet()) {
            assertThat(m.get(e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void clear_emptiesTheMap() {
        LongLongMap m = new LongLongMap(0, -1);
        for (long k = 0; k < 100; k++) {
            m.put(k * 4096, k);
        }
        m.clear();
        assertThat(m.size()).isZero();
        assertThat(m.get(4096)).isEqualTo(-1);
    }
}
