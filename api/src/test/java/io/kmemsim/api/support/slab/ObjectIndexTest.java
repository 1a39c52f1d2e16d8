package io.kmemsim.api.support.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ObjectIndexTest {

    /** Every stride a slab cache can have against offsets up to the largest slab (order 10 of 64 KiB pages). */
    @Test
    void divideMatchesIntegerDivision() {
        SplittableRandom r = new SplittableRandom(17);
        StringBuilder wrong = new StringBuilder();
        for (int size = 3; size <= 1 << 16; size++) {
            long rec = ObjectIndex.reciprocal(size);
            for (int k = 0; k < 44; k++) {
                int off = switch (k) {
                    case 0 -> Integer.MAX_VALUE;
                    case 1 -> size - 1;
                    case 2 -> size;
                    case 3 -> 0;
                    default -> k < 24 ? r.nextInt(1 << 26) : (r.nextInt(1 << 10) * size + (k & 1) * (size - 1)) & Integer.MAX_VALUE;
                };
                if (ObjectIndex.divide(off, rec) != off / size && wrong.length() < 200) {
                    wrong.append(off).append(" / ").append(size).append(" = ").append(ObjectIndex.divide(off, rec)).append("; ");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void largeStridesAndEdges() {
        for (int size : new int[] {3, 7, 24, 88, 192, 4095, 4096, 10928, 1 << 22, (1 << 22) + 8, Integer.MAX_VALUE}) {
            long rec = ObjectIndex.reciprocal(size);
            for (int q = 0; q < 64 && (long) q * size <= Integer.MAX_VALUE; q++) {
                int at = q * size;
                assertThat(ObjectIndex.divide(at, rec)).isEqualTo(q);
                if (at > 0) {
                    assertThat(ObjectIndex.divide(at - 1, rec)).isEqualTo(q - 1);
                }
            }
        }
        assertThatThrownBy(() -> ObjectIndex.reciprocal(2)).isInstanceOf(IllegalArgumentException.class);
    }
}
