package io.kmemsim.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UserVaTest {

    @Test
    @DisplayName("ranges are aligned to their size, start at 1 GiB and do not overlap")
    void ranges_alignedAndDisjoint() {
        UserVa va = new UserVa(2, 12, 10);
        assertThat(va.allocate(0, 0)).isEqualTo(UserVa.BASE);
        assertThat(va.allocate(0, 9)).isEqualTo(UserVa.BASE + (2L << 20));
        assertThat(va.allocate(0, 0)).isEqualTo(UserVa.BASE + (4L << 20));
        assertThat(va.allocate(0, 2)).isEqualTo(UserVa.BASE + (4L << 20) + (16L << 10));
        assertThat(va.allocate(1, 9)).as("each address space has its own range").isEqualTo(UserVa.BASE);
    }

    @Test
    @DisplayName("a released range is reused first, for the same order only")
    void released_reusedForSameOrder() {
        UserVa va = new UserVa(1, 12, 10);
        long a = va.allocate(0, 3);
        long b = va.allocate(0, 3);
        va.release(0, 3, a);
        assertThat(va.allocate(0, 2)).isNotEqualTo(a);
        assertThat(va.allocate(0, 3)).isEqualTo(a);
        assertThat(va.allocate(0, 3)).isGreaterThan(b);
    }

    @Test
    @DisplayName("addresses stay below 2^36 on 16K pages (the smallest VA_BITS, arch/arm64/Kconfig: ARM64_VA_BITS (6.1)); then -1")
    void exhausted_returnsMinusOne() {
        UserVa va = new UserVa(1, 14, 11);
        long size = 32L << 20;
        long expected = ((1L << 36) - UserVa.BASE) / size;
        long n = 0;
        long last = 0;
        for (long a = va.allocate(0, 11); a >= 0; a = va.allocate(0, 11)) {
            n++;
            last = a;
        }
        assertThat(n).isEqualTo(expected);
        assertThat(last + size).isEqualTo(1L << 36).isEqualTo(va.limit());
        assertThat(UserVa.smallestVaBits(12)).isEqualTo(39);
        assertThat(UserVa.smallestVaBits(16)).isEqualTo(42);
    }
}
