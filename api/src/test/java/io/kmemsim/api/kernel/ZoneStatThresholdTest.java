package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ZoneStatThresholdTest {

    /**
     * mm/vmstat.c: zoneinfo_show_print() (6.1): 4 CPUs, 750000 pages: 2 * fls(4) * (1 + fls(750000 >> 15 = 22)) = 2 * 3 * 6 = 36.
     * 8 CPUs, 3900000 pages: 2 * 4 * (1 + fls(119) = 8) = 64. 128 CPUs: 2 * 8 * 8 = 128 → capped at 125.
     * A zone below 128 MiB: 2 * fls(4) * (1 + 0) = 6.
     */
    @Test
    void normal_section9_3() {
        assertThat(ZoneStatThreshold.normal(4, 750000, PageSize.SIZE_4K)).isEqualTo(36);
        assertThat(ZoneStatThreshold.normal(8, 3900000, PageSize.SIZE_4K)).isEqualTo(64);
        assertThat(ZoneStatThreshold.normal(128, 3900000, PageSize.SIZE_4K)).isEqualTo(125);
        assertThat(ZoneStatThreshold.normal(4, 3840, PageSize.SIZE_4K)).isEqualTo(6);
    }
}
