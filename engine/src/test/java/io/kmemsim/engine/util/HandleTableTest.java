package io.kmemsim.engine.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HandleTableTest {

    @Test
    @DisplayName("put, get, remove and containsKey agree with a map over churn, growth, clustered and extreme keys")
    void agreesWithAMap() {
        SplittableRandom r = new SplittableRandom(17);
        HandleTable t = new HandleTable(4);
        Map<Long, Long> ref = new HashMap<>();
        // PFN-like runs (aligned, consecutive), far PFNs, the free-slot sentinel, negative and -1 handles
        long[] bases = {0, 0x40000, 1L << 36, Long.MIN_VALUE, Long.MAX_VALUE - 600, -600};
        for (int i = 0; i < 60_000; i++) {
            long key = bases[r.nextInt(bases.length)] + (r.nextInt(512) << r.nextInt(4));
            int op = r.nextInt(10);
            Long expected = ref.get(key);
            long was = expected == null ? HandleTable.MISSING : expected;
            if (op < 5) {
                long v = r.nextLong(Long.MAX_VALUE);
                assertThat(t.put(key, v)).as("put %d", key).isEqualTo(was);
                ref.put(key, v);
            } else if (op < 8) {
                assertThat(t.remove(key)).as("remove %d", key).isEqualTo(was);
                ref.remove(key);
            } else {
                assertThat(t.get(key)).as("get %d", key).isEqualTo(was);
                assertThat(t.containsKey(key)).isEqualTo(expected != null);
            }
            assertThat(t.size()).isEqualTo(ref.size());
        }
        for (Map.Entry<Long, Long> e : ref.entrySet()) {
            assertThat(t.get(e.getKey())).isEqualTo(e.getValue());
        }
        Map<Long, Long> seen = new HashMap<>();
        t.forEach((k, v) -> {
            assertThat(seen.put(k, v)).as("key %d seen twice", k).isNull();
            return 0;
        });
        assertThat(seen).isEqualTo(ref);
    }

    @Test
    @DisplayName("a table grown from 8 slots to 262,144 entries, then emptied, finds nothing and keeps no entry")
    void growsAndEmpties() {
        HandleTable t = new HandleTable(0);
        int n = 1 << 18;
        long wrong = 0;
        for (long k = 0; k < n; k++) {
            wrong += t.put(k << 12, k) == HandleTable.MISSING ? 0 : 1;
        }
        assertThat(t.size()).isEqualTo(n);
        for (long k = 0; k < n; k++) {
            wrong += t.get(k << 12) == k ? 0 : 1;
        }
        for (long k = 0; k < n; k++) {
            wrong += t.remove(k << 12) == k ? 0 : 1;
        }
        assertThat(wrong).as("puts, gets and removes that returned the wrong value").isZero();
        assertThat(t.size()).isZero();
        assertThat(t.get(0)).isEqualTo(HandleTable.MISSING);
        int[] left = {0};
        t.forEach((k, v) -> left[0]++);
        assertThat(left[0]).isZero();
    }

    @Test
    @DisplayName("a negative value or expected size is refused")
    void refusesNegatives() {
        assertThatThrownBy(() -> new HandleTable(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HandleTable(4).put(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
