package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden cases worked by hand from include/linux/gfp_types.h: GFP_KERNEL (6.1); include/linux/gfp.h: gfp_migratetype(), gfp_zone() (6.1); include/trace/events/mmflags.h: show_gfp_flags() (6.1). */
class GfpTest {

    private static final KernelVersion V5_10 = KernelVersion.parse("5.10");
    private static final KernelVersion V6_1 = KernelVersion.parse("6.1");
    private static final KernelVersion V6_6 = KernelVersion.parse("6.6");
    private static final KernelVersion V6_8 = KernelVersion.parse("6.8");
    private static final KernelVersion V6_12 = KernelVersion.parse("6.12");

    @ParameterizedTest(name = "{0} on {1} prints {2}")
    @CsvSource(delimiter = ';', value = {
        "0xcc0;    6.12; GFP_KERNEL",
        "0xc00;    6.12; GFP_NOIO",
        "0x2dc0;   6.12; GFP_KERNEL|__GFP_ZERO|__GFP_NOWARN",
        "0x2dc0;   6.8;  GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO",
        "0x2820;   6.6;  GFP_ATOMIC|__GFP_NOWARN",
        "0x2800;   6.8;  GFP_NOWAIT",
        "0x2800;   6.6;  GFP_NOWAIT|__GFP_NOWARN",
        "0x1c24ca; 6.1;  GFP_TRANSHUGE",
        "0x140dca; 6.12; GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP",
        "0x140dca; 6.8;  GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO",
        "0xa20;    6.1;  GFP_ATOMIC",
        "0x0;      6.1;  none",
        "0x4000000; 6.12; 0x4000000",
        "0x4000cc0; 6.12; GFP_KERNEL|0x4000000",
        "0x400cc0; 5.10; GFP_KERNEL_ACCOUNT",
    })
    void format_matchesFtrace(String hex, String version, String expected) {
        int gfp = Integer.decode(hex);
        KernelVersion v = KernelVersion.parse(version);
        assertThat(Gfp.format(gfp, v)).isEqualTo(expected);
        assertThat(Gfp.parse(expected, v)).isEqualTo(gfp);
    }

    @Test
    @DisplayName("__GFP_ATOMIC exists in 6.1 and 5.10 but not in 6.6")
    void atomic_existsOnlyUpTo62() {
        assertThat(Gfp.gfpAtomic(V6_1)).isEqualTo(0xa20);
        assertThat(Gfp.gfpAtomic(V6_6)).isEqualTo(0x820);
        assertThat(Gfp.format(0x220, V5_10)).isEqualTo("__GFP_HIGH|__GFP_ATOMIC");
        assertThatThrownBy(() -> Gfp.parse("__GFP_ATOMIC", V6_6)).hasMessageContaining("__GFP_ATOMIC");
    }

    @Test
    void zerotags_isNamedFrom61Only() {
        assertThat(Gfp.format(0x800000, V6_1)).isEqualTo("__GFP_ZEROTAGS");
        assertThat(Gfp.format(0x800000, V5_10)).isEqualTo("0x800000");
    }

    @Test
    void migrateType_followsMobilityBits() {
        assertThat(Gfp.migrateType(Gfp.GFP_KERNEL)).isEqualTo(MigrateType.UNMOVABLE);
        assertThat(Gfp.migrateType(Gfp.GFP_HIGHUSER_MOVABLE)).isEqualTo(MigrateType.MOVABLE);
        assertThat(Gfp.migrateType(Gfp.GFP_KERNEL | Gfp.RECLAIMABLE)).isEqualTo(MigrateType.RECLAIMABLE);
        assertThatThrownBy(() -> Gfp.migrateType(Gfp.MOVABLE | Gfp.RECLAIMABLE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zone_followsGfpZoneTable() {
        KernelConfig x86 = KernelConfig.X86_64_DISTRO;
        assertThat(Gfp.zone(Gfp.GFP_KERNEL, x86)).isEqualTo(ZoneType.NORMAL);
        assertThat(Gfp.zone(Gfp.GFP_HIGHUSER, x86)).isEqualTo(ZoneType.NORMAL);
        assertThat(Gfp.zone(Gfp.GFP_HIGHUSER_MOVABLE, x86)).isEqualTo(ZoneType.MOVABLE);
        assertThat(Gfp.zone(Gfp.GFP_TRANSHUGE, x86)).isEqualTo(ZoneType.MOVABLE);
        assertThat(Gfp.zone(Gfp.GFP_DMA32, x86)).isEqualTo(ZoneType.DMA32);
        assertThat(Gfp.zone(Gfp.GFP_DMA, x86)).isEqualTo(ZoneType.DMA);
        assertThat(Gfp.zone(Gfp.MOVABLE, x86)).isEqualTo(ZoneType.NORMAL);
        KernelConfig noDma32 = new KernelConfig(PageSize.SIZE_4K, true, false, false, true, true, true);
        assertThat(Gfp.zone(Gfp.GFP_DMA32, noDma32)).isEqualTo(ZoneType.NORMAL);
        assertThatThrownBy(() -> Gfp.zone(Gfp.DMA | Gfp.DMA32, x86)).hasMessageContaining("invalid gfp zone");
    }

    @Test
    void parse_rejectsUnknownName() {
        assertThatThrownBy(() -> Gfp.parse("GFP_KERNEL|__GFP_BOGUS", V6_12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("__GFP_BOGUS");
    }
}
