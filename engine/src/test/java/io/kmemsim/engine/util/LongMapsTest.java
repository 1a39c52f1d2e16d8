package io.kmemsim.engine.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongMapsTest {

    @Test
    void absentKeys_readAsTheMissingValue_andEveryLongIsAKeyAndAValue() {
        Long2LongOpenHashMap m = LongMaps.create(4, -1);
        assertThat(m.get(7)).isEqualTo(-1);
        assertThat(m.remove(7)).isEqualTo(-1);
        for (long k : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertThat(m.put(k, -1)).isEqualTo(-1);
            assertThat(m.containsKey(k)).isTrue();
            assertThat(m.put(k, k)).isEqualTo(-1);
            assertThat(m.get(k)).isEqualTo(k);
        }
        assertThat(m.size()).isEqualTo(4);
        assertThat(m.remove(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(m.containsKey(Long.MIN_VALUE)).isFalse();
        assertThat(m.size()).isEqualTo(3);
    }

    @Test
    void churn_agreesWithAHashMap_throughGrowthAndRemovals() {
        Long2LongOpenHashMap m = LongMaps.create(0, Long.MIN_VALUE);
        Map<Long, Long> ref = new HashMap<>();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long k = r.nextInt(5000) * 512L; // PFN-like keys that share their low bits
            if (r.nextBoolean()) {
                Long old = ref.put(k, (long) i);
                assertThat(m.put(k, i)).isEqualTo(old == null ? Long.MIN_VALUE : old);
            } else {
                Long old = ref.remove(k);
                assertThat(m.remove(k)).isEqualTo(old == null ? Long.MIN_VALUE : old);
            }
        }
        assertThat(m.size()).isEqualTo(ref.size());
        ref.forEach((k, v) -> assertThat(m.get((long) k)).isEqualTo(v));
    }

    @Test
    void negativeExpectedSize_isRefused() {
        assertThatThrownBy(() -> LongMaps.create(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
