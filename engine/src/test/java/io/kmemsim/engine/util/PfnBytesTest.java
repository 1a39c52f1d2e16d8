package io.kmemsim.engine.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PfnBytesTest {

    @Test
    @DisplayName("sets and gets agree with a map, for PFNs near 0, in far chunks, beyond the direct range and negative")
    void agreesWithAMap() {
        SplittableRandom r = new SplittableRandom(3);
        PfnBytes t = new PfnBytes();
        Map<Long, Integer> ref = new HashMap<>();
        long[] bases = {0, 0x40000, 0x8_8000_0000L >>> 12, (1L << 36) - 8, 1L << 36, (1L << 52) - 100, -5};
        for (int i = 0; i < 200_000; i++) {
            long pfn = bases[r.nextInt(bases.length)] + r.nextInt(64);
            int v = r.nextInt(4) == 0 ? 0 : r.nextInt(1, 128);
            assertThat(t.get(pfn)).as("pfn %d before set", pfn).isEqualTo(ref.getOrDefault(pfn, 0));
            t.set(pfn, v);
            if (v == 0) {
                ref.remove(pfn);
            } else {
                ref.put(pfn, v);
            }
        }
        ref.forEach((pfn, v) -> assertThat(t.get(pfn)).isEqualTo(v));
        assertThat(t.get(12345)).isZero();
        assertThat(t.get((1L << 40) + 7)).isZero();
    }

    @Test
    @DisplayName("swap returns the value get would have and leaves what set would, everywhere; swapping 0 where nothing was set leaves it unset")
    void swap_isGetThenSet() {
        SplittableRandom r = new SplittableRandom(4);
        PfnBytes t = new PfnBytes();
        Map<Long, Integer> ref = new HashMap<>();
        long[] bases = {0, 0x40000, 0x8_8000_0000L >>> 12, (1L << 36) - 8, 1L << 36, (1L << 52) - 100, -5};
        for (int i = 0; i < 200_000; i++) {
            long pfn = bases[r.nextInt(bases.length)] + r.nextInt(64);
            int v = r.nextInt(3) == 0 ? 0 : r.nextInt(1, 128);
            assertThat(t.swap(pfn, v)).as("pfn %d", pfn).isEqualTo(ref.getOrDefault(pfn, 0));
            if (v == 0) {
                ref.remove(pfn);
            } else {
                ref.put(pfn, v);
            }
        }
        ref.forEach((pfn, v) -> assertThat(t.get(pfn)).isEqualTo(v));
        PfnBytes empty = new PfnBytes();
        assertThat(empty.swap(1L << 30, 0)).isZero();
        assertThat(empty.get(1L << 30)).isZero();
        assertThatThrownBy(() -> empty.swap(1, 128)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesOutOfRange_refused() {
        PfnBytes t = new PfnBytes();
        assertThatThrownBy(() -> t.set(1, 128)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.set(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
