package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.LowmemReserve;
import io.kmemsim.api.kernel.MinFreeKbytes;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.kernel.Watermarks;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.trace.TraceListener;
import io.kmemsim.testkit.support.TestPlatforms;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Memory released after init ({@link Platform#releasedAfterInit()}): watermarks and pcp sizes come from the
 * managed pages before the release, protection from those after it (6.1.192 behaviour), and a written
 * sysctl recomputes from the final managed pages.
 */
class LateReleaseTest {

    private static final long MIB = Machines.MIB;
    private static final KernelVersion K61 = KernelVersion.parse("6.1.192");
    private static final ZoneType[] TYPES = {ZoneType.DMA32, ZoneType.NORMAL, ZoneType.MOVABLE};

    /** {@link Machines#twoZones()} plus an 8 MiB "init" reservation in Normal that is released after init. */
    private static Platform withLateRelease() {
        Platform base = TestPlatforms.builder("test-late", Machines.TWO_ZONES, 2)
                .bank(new MemoryBank(0, 0, 32 * MIB))
                .bank(new MemoryBank(0, 40 * MIB, 32 * MIB))
                .reserve(new ReservedRange("kernel", MIB, MIB, false))
                .reserve(new ReservedRange("init", 44 * MIB, 8 * MIB, false))
                .limit(ZoneType.DMA32, (16 * MIB) >> 12)
                .limit(ZoneType.NORMAL, (72 * MIB) >> 12)
                .build();
        return new Platform() {
            @Override public String name() { return base.name(); }
            @Override public int cpus() { return base.cpus(); }
            @Override public KernelConfig kernelConfig() { return base.kernelConfig(); }
            @Override public List<MemoryBank> banks() { return base.banks(); }
            @Override public List<ReservedRange> reserved() { return base.reserved(); }
            @Override public OptionalLong zoneLimitPfn(ZoneType zone) { return base.zoneLimitPfn(zone); }
            @Override public List<ReservedRange> releasedAfterInit() {
                return List.of(new ReservedRange("init", 44 * MIB, 8 * MIB, false));
            }
        };
    }

    private static Zone zone(BuddyPageAllocator a, ZoneType t) {
        return a.zones().stream().filter(z -> z.type() == t).findFirst().orElseThrow();
    }

    @Test
    void releasedPages_areManagedAndFree_butTheWatermarksKeepTheBootValues() {
        BuddyPageAllocator a = Machines.create(withLateRelease(), "6.1.192");
        a.checkInvariants();
        long[] boot = {3840, 12288 - 2048, 0};
        long[] last = {3840, 12288, 0};
        assertThat(zone(a, ZoneType.NORMAL).managedPages()).isEqualTo(12288);
        assertThat(zone(a, ZoneType.NORMAL).freePages()).isEqualTo(12288);
        long minFree = MinFreeKbytes.defaultValue(K61, TYPES, boot, PageSize.SIZE_4K, true, 9, 10);
        Watermarks.ZoneWatermarks[] expected = Watermarks.compute(K61, minFree, 10, TYPES, boot, PageSize.SIZE_4K);
        Watermarks.ZoneWatermarks[] recomputed = Watermarks.compute(K61, minFree, 10, TYPES, last, PageSize.SIZE_4K);
        assertThat(expected[0].min()).isNotEqualTo(recomputed[0].min());
        assertThat(zone(a, ZoneType.DMA32).watermark(WatermarkLevel.MIN)).isEqualTo(expected[0].min());
        assertThat(zone(a, ZoneType.NORMAL).watermark(WatermarkLevel.LOW)).isEqualTo(expected[1].low());
        long[][] reserve = LowmemReserve.compute(K61, last, LowmemReserve.defaultRatios(Machines.TWO_ZONES));
        assertThat(zone(a, ZoneType.DMA32).lowmemReserve(1)).isEqualTo(reserve[0][1]).isEqualTo(12288 / 256);
        assertThat(zone(a, ZoneType.NORMAL).pcpHigh(0)).isEqualTo((int) Math.max(expected[1].low() / 2, 4));
    }

    @Test
    void aWrittenMinFreeKbytes_recomputesFromTheFinalManagedPages() {
        BuddyOptions written = new BuddyOptions(4096, 10, 15000, 0, List.of(), 0);
        BuddyPageAllocator a = Machines.create(withLateRelease(), "6.1.192", null, TraceListener.NONE, written);
        long[] last = {3840, 12288, 0};
        Watermarks.ZoneWatermarks[] expected = Watermarks.compute(K61, 4096, 10, TYPES, last, PageSize.SIZE_4K);
        assertThat(zone(a, ZoneType.DMA32).watermark(WatermarkLevel.MIN)).isEqualTo(expected[0].min());
        assertThat(zone(a, ZoneType.NORMAL).watermark(WatermarkLevel.HIGH)).isEqualTo(expected[1].high());
        a.checkInvariants();
    }
}
