package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * gfp_flags as kernels 2.6.32 … 5.0 print them, read into the 5.1+ bit values. The strings are written
 * from the kernels' tables: include/trace/events/gfpflags.h (2.6.32–4.5, show_gfp_flags) and
 * include/trace/events/mmflags.h (4.6+, __def_gfpflag_names); bit values from include/linux/gfp.h of
 * each version.
 */
class GfpHistoryTest {

    private static KernelVersion k(String v) {
        return KernelVersion.parse(v);
    }

    @Test
    @DisplayName("2.6.32 (gfpflags.h): names without underscores, GFP_NOWAIT for 0, __GFP_WAIT meaning both reclaims")
    void v2_6_32_names() {
        KernelVersion v = k("2.6.32");
        assertThat(Gfp.parse("GFP_KERNEL", v)).isEqualTo(Gfp.GFP_KERNEL);
        assertThat(Gfp.parse("GFP_HIGHUSER_MOVABLE|GFP_ZERO", v)).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.ZERO);
        assertThat(Gfp.parse("GFP_KERNEL|GFP_NOWARN|GFP_REPEAT|GFP_COMP", v))
                .isEqualTo(Gfp.GFP_KERNEL | Gfp.NOWARN | Gfp.RETRY_MAYFAIL | Gfp.COMP);
        // 0 printed GFP_NOWAIT: such an allocation woke kswapd, as GFP_NOWAIT does from 4.4
        assertThat(Gfp.parse("GFP_NOWAIT", v)).isEqualTo(Gfp.KSWAPD_RECLAIM);
        // GFP_ATOMIC was __GFP_HIGH alone: read as 4.4's GFP_ATOMIC
        assertThat(Gfp.parse("GFP_ATOMIC", v)).isEqualTo(Gfp.HIGH | Gfp.ATOMIC | Gfp.KSWAPD_RECLAIM);
        assertThat(Gfp.parse("GFP_HIGH|GFP_COLD|GFP_NOTRACK", v)).isEqualTo(Gfp.HIGH | Gfp.ATOMIC | Gfp.KSWAPD_RECLAIM);
        assertThat(Gfp.parse("GFP_TEMPORARY", v)).isEqualTo(Gfp.GFP_KERNEL | Gfp.RECLAIMABLE);
    }

    @Test
    @DisplayName("3.x hex in the WAIT-era layout: 0xd0 is GFP_KERNEL, 0x2040d0 adds NOTRACK and COMP; NO_KSWAPD clears kswapd")
    void v3_hex() {
        KernelVersion v = k("3.10");
        assertThat(Gfp.parse("0xd0", v)).isEqualTo(Gfp.GFP_KERNEL);
        assertThat(Gfp.parse("0x2040d0", v)).isEqualTo(Gfp.GFP_KERNEL | Gfp.COMP);
        assertThat(Gfp.parse("208", v)).isEqualTo(Gfp.GFP_KERNEL);
        // GFP_TRANSHUGE of 2.6.38–4.3 carries __GFP_NO_KSWAPD
        assertThat(Gfp.parse("GFP_TRANSHUGE", v) & Gfp.KSWAPD_RECLAIM).isZero();
        assertThat(Gfp.parse("GFP_KERNEL|GFP_NO_KSWAPD", v)).isEqualTo(Gfp.DIRECT_RECLAIM | Gfp.IO | Gfp.FS);
        assertThat(Gfp.parse("GFP_KERNEL|GFP_KMEMCG", k("3.10"))).isEqualTo(Gfp.GFP_KERNEL_ACCOUNT);
    }

    @Test
    @DisplayName("4.4–4.9: __GFP_ names, __GFP_REPEAT and __GFP_COLD, GFP_KERNEL = 0x24000c0")
    void v4_9() {
        KernelVersion v = k("4.9");
        assertThat(Gfp.parse("GFP_HIGHUSER_MOVABLE|__GFP_COLD", v)).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE);
        assertThat(Gfp.parse("GFP_KERNEL|__GFP_REPEAT|__GFP_NOTRACK", v)).isEqualTo(Gfp.GFP_KERNEL | Gfp.RETRY_MAYFAIL);
        assertThat(Gfp.parse("0x24000c0", v)).isEqualTo(Gfp.GFP_KERNEL);
        assertThat(Gfp.parse("0x24201ca", v)).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE);
        assertThat(Gfp.parse("GFP_TRANSHUGE", v)).isEqualTo(Gfp.GFP_TRANSHUGE);
    }

    @Test
    @DisplayName("4.10–4.14: GFP_KERNEL = 0x14000c0; 4.13 prints __GFP_RETRY_MAYFAIL and refuses __GFP_REPEAT")
    void v4_14() {
        assertThat(Gfp.parse("0x14000c0", k("4.14"))).isEqualTo(Gfp.GFP_KERNEL);
        assertThat(Gfp.parse("GFP_KERNEL|__GFP_RETRY_MAYFAIL", k("4.13"))).isEqualTo(Gfp.GFP_KERNEL | Gfp.RETRY_MAYFAIL);
        assertThat(Gfp.parse("GFP_KERNEL|__GFP_REPEAT", k("4.12"))).isEqualTo(Gfp.GFP_KERNEL | Gfp.RETRY_MAYFAIL);
        assertThatThrownBy(() -> Gfp.parse("GFP_KERNEL|__GFP_REPEAT", k("4.13")))
                .hasMessageContaining("__GFP_REPEAT is printed by kernels 2.6.32–4.12, not by kernel 4.13");
    }

    @Test
    @DisplayName("4.18–5.0 (\"mm: save two stranding bit in gfp_mask\"): GFP_KERNEL = 0x6000c0, GFP_ATOMIC = 0x480020, "
            + "GFP_HIGHUSER_MOVABLE = 0x6200ca")
    void v4_19() {
        KernelVersion v = k("4.19");
        assertThat(Gfp.parse("0x6000c0", v)).isEqualTo(Gfp.GFP_KERNEL);
        assertThat(Gfp.parse("0x480020", v)).isEqualTo(Gfp.HIGH | Gfp.ATOMIC | Gfp.KSWAPD_RECLAIM);
        assertThat(Gfp.parse("0x6200ca", v)).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE);
        assertThat(Gfp.parse("none", v)).isZero();
        assertThatThrownBy(() -> Gfp.parse("GFP_KERNEL|__GFP_COLD", v))
                .hasMessageContaining("__GFP_COLD is printed by kernels 2.6.32–4.14, not by kernel 4.19");
    }

    @Test
    @DisplayName("4.15–4.17: __GFP_COLD and __GFP_NOTRACK gone, their bits left empty; GFP_HIGHUSER_MOVABLE still 0x14200ca "
            + "(gfp.h of 4.17 before \"mm: save two stranding bit\"; OOM reports of 4.15.0-rc8 and 4.16.0)")
    void v4_15_stranded() {
        for (String v : new String[] {"4.15", "4.16", "4.17"}) {
            assertThat(Gfp.parse("0x14200ca", k(v))).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE);
            assertThat(Gfp.parse("0x14000c0", k(v))).isEqualTo(Gfp.GFP_KERNEL);
            assertThatThrownBy(() -> Gfp.parse("0x14000c0|0x100", k(v))).hasMessageContaining("gfp bit 0x100")
                    .hasMessageContaining("not a flag of kernel " + v);
            assertThatThrownBy(() -> Gfp.parse("0x200000", k(v))).hasMessageContaining("gfp bit 0x200000");
        }
        // the same values in 4.18 (the bits packed) and 4.14 (COLD still there)
        assertThat(Gfp.parse("0x14000c0|0x100", k("4.14"))).isEqualTo(Gfp.GFP_KERNEL);
        assertThatThrownBy(() -> Gfp.parse("0x14000c0", k("4.18"))).hasMessageContaining("gfp bit 0x1000000");
        assertThat(Gfp.parse("0x6200ca", k("4.18"))).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE);
    }

    @Test
    @DisplayName("5.0 is the last packed layout, 5.1 has \"mm: shuffle GFP_* flags\": GFP_KERNEL 0x6000c0 then 0xcc0")
    void v5_0_v5_1() {
        assertThat(Gfp.parse("0x6000c0", k("5.0"))).isEqualTo(Gfp.GFP_KERNEL);
        assertThat(Gfp.parse("0xcc0", k("5.1"))).isEqualTo(Gfp.GFP_KERNEL);
        // 0xcc0 in 5.0's layout is __GFP_IO|__GFP_FS|__GFP_RETRY_MAYFAIL|__GFP_NOFAIL, not GFP_KERNEL
        assertThat(Gfp.parse("0xcc0", k("5.0"))).isEqualTo(Gfp.IO | Gfp.FS | Gfp.RETRY_MAYFAIL | Gfp.NOFAIL);
        assertThat(Gfp.format(Gfp.GFP_KERNEL, k("5.0"))).isEqualTo("GFP_KERNEL");
        assertThat(Gfp.format(Gfp.GFP_KERNEL | Gfp.ATOMIC, k("5.0"))).isEqualTo("GFP_KERNEL|__GFP_ATOMIC");
    }

    @Test
    @DisplayName("each version prints its own names: what a version printed reads and prints back the same")
    void formatRoundTrips() {
        String[][] printed = {
            {"2.6.32", "GFP_HIGHUSER_MOVABLE|GFP_ZERO"},
            {"2.6.32", "GFP_NOWAIT"},
            {"3.10", "GFP_KERNEL|GFP_NO_KSWAPD"},
            {"3.10", "GFP_KERNEL|GFP_NOWARN|GFP_REPEAT|GFP_COMP"},
            {"3.10", "GFP_ATOMIC"},
            {"3.10", "GFP_TRANSHUGE"},
            {"4.4", "GFP_KERNEL|GFP_NOWARN"},
            {"4.9", "GFP_KERNEL|__GFP_REPEAT"},
            {"4.9", "GFP_TRANSHUGE"},
            {"4.9", "none"},
            {"4.16", "GFP_HIGHUSER_MOVABLE|__GFP_ZERO"},
            {"4.19", "GFP_KERNEL|__GFP_RETRY_MAYFAIL"},
            {"4.19", "GFP_NOWAIT|__GFP_NOWARN"},
            {"5.0", "GFP_KERNEL_ACCOUNT|__GFP_ZERO"},
        };
        for (String[] p : printed) {
            KernelVersion v = k(p[0]);
            assertThat(Gfp.format(Gfp.parse(p[1], v), v)).as(p[0] + " " + p[1]).isEqualTo(p[1]);
        }
        // a 3.10 value of __GFP_WAIT|__GFP_FS: GFP_NOIO was __GFP_WAIT alone, and GFP_FS is not in 3.10's table,
        // so its bit prints in hex, as __print_flags does
        assertThat(Gfp.format(Gfp.parse("0x90", k("3.10")), k("3.10"))).isEqualTo("GFP_NOIO|0x80");
    }

    @Test
    @DisplayName("an old name read as a new kernel names the kernels that print it; a typo gets the nearest name")
    void didYouMean() {
        assertThatThrownBy(() -> Gfp.parse("GFP_KERNEL|__GFP_WAIT", k("6.1")))
                .hasMessageContaining("__GFP_WAIT is printed by kernels 2.6.32–4.3, not by kernel 6.1")
                .hasMessageContaining("--kernel");
        assertThatThrownBy(() -> Gfp.parse("GFP_ZERO", k("6.1")))
                .hasMessageContaining("GFP_ZERO is printed by kernels 2.6.32 and later, not by kernel 6.1");
        assertThatThrownBy(() -> Gfp.parse("GFP_KERNEL|__GFP_NOWRAN", k("6.12")))
                .hasMessageContaining("unknown gfp flag \"__GFP_NOWRAN\" for kernel 6.12")
                .hasMessageContaining("did you mean __GFP_NOWARN?");
        assertThatThrownBy(() -> Gfp.parse("GFP_KERNAL", k("3.10")))
                .hasMessageContaining("did you mean GFP_KERNEL?");
    }

    @Test
    @DisplayName("values wider than 32 bits are refused, not wrapped; bits a version does not have are named")
    void noWrap() {
        assertThatThrownBy(() -> Gfp.parse("0x100000cc0", k("6.1"))).hasMessageContaining("wider than 32 bits");
        assertThatThrownBy(() -> Gfp.parse("0x100000000", k("3.10"))).hasMessageContaining("wider than 32 bits");
        assertThatThrownBy(() -> Gfp.parse("0x2000000", k("3.10"))).hasMessageContaining("gfp bit 0x2000000")
                .hasMessageContaining("kernel 3.10");
        assertThat(Gfp.parse("3264", k("6.1"))).isEqualTo(Gfp.GFP_KERNEL);
    }
}
