package io.kmemsim.buddy;

import io.kmemsim.api.kernel.LowmemReserve;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.MinFreeKbytes;
import io.kmemsim.api.kernel.PcpSizing;
import io.kmemsim.api.kernel.Watermarks;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.WatermarkLevel;
import java.util.List;

/**
 * The zone tunables computed at boot: {@code min_free_kbytes} (§5.1), watermarks (§5.2),
 * {@code lowmem_reserve} (§5.3), pcp batch/high (§6.2), and {@code page_group_by_mobility_disabled}
 * (§4.8). The formulas are the api's kernel arithmetic ({@link MinFreeKbytes}, {@link Watermarks},
 * {@link LowmemReserve}, {@link PcpSizing}); this class only feeds them the zones.
 */
final class Tunables {

    /** {@code CONFIG_PCP_BATCH_SCALE_MAX} default (§1.6). */
    static final int PCP_BATCH_SCALE_MAX = 5;

    private final BuddyPageAllocator a;
    private final BuddyOptions options;
    long minFreeKbytes;
    int watermarkBoostFactor;

    Tunables(BuddyPageAllocator a, BuddyOptions options) {
        this.a = a;
        this.options = options;
        this.watermarkBoostFactor = options.watermarkBoostFactor();
    }

    /** Boot-time setup: mobility grouping, min_free_kbytes, watermarks, reserves, pcp sizes. */
    void setupAll() {
        ZoneType[] types = new ZoneType[a.zones.length];
        long[] managed = new long[a.zones.length];
        for (BuddyZone z : a.zones) {
            types[z.index] = z.type;
            managed[z.index] = z.managed;
        }
        a.groupingDisabled = a.fallbackPolicy != null && mobilityDisabled(managed);
        minFreeKbytes = options.minFreeKbytes() >= 0 ? options.minFreeKbytes()
                : MinFreeKbytes.defaultValue(a.kernel, types, managed, a.config.pageSize(),
                        a.config.transparentHugepage(), a.pbo, options.watermarkScaleFactor());
        long[] min = new long[types.length];
        long[] low = new long[types.length];
        long[] high = new long[types.length];
        long[] promo = new long[types.length];
        Watermarks.computeInto(a.kernel, minFreeKbytes, options.watermarkScaleFactor(), types, managed,
                a.config.pageSize(), min, low, high, promo);
        long[][] reserve = LowmemReserve.compute(a.kernel, managed, ratios());
        for (BuddyZone z : a.zones) {
            z.watermark[WatermarkLevel.MIN.ordinal()] = min[z.index];
            z.watermark[WatermarkLevel.LOW.ordinal()] = low[z.index];
            z.watermark[WatermarkLevel.HIGH.ordinal()] = high[z.index];
            z.watermark[WatermarkLevel.PROMO.ordinal()] = promo[z.index];
            z.lowmemReserve = reserve[z.index].clone();
        }
        setupPcp();
    }

    /**
     * §4.8: grouping is off when the pages usable by GFP_HIGHUSER_MOVABLE (managed pages of every zone up
     * to Movable; the watermarks are still 0 when the zonelists are built) are fewer than
     * {@code pageblock_nr_pages * MIGRATE_TYPES}.
     */
    private boolean mobilityDisabled(long[] managed) {
        long total = 0;
        for (BuddyZone z : a.zones) {
            if (z.type != ZoneType.DEVICE) {
                total += managed[z.index];
            }
        }
        return total < (1L << a.pbo) * MigrateType.count(a.cmaConfigured);
    }

    private int[] ratios() {
        List<Integer> given = options.lowmemReserveRatio();
        if (given.isEmpty()) {
            return LowmemReserve.defaultRatios(a.config);
        }
        if (given.size() != a.zones.length) {
            throw new IllegalArgumentException("lowmemReserveRatio must have one value per configured zone ("
                    + a.zones.length + "): " + given);
        }
        int[] r = new int[given.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = given.get(i);
        }
        return r;
    }

    /** §6.2: batch and high of every zone; 6.7+ keeps the live high at 0 until a CPU uses the zone. */
    void setupPcp() {
        for (BuddyZone z : a.zones) {
            if (z.managed == 0) {
                continue;
            }
            PcpSizing.PcpLimits limits = PcpSizing.compute(a.kernel, z.managed,
                    z.watermark[WatermarkLevel.LOW.ordinal()] + z.boost, a.cpus,
                    options.percpuPagelistHighFraction(), a.config.pageSize());
            z.pcpBatch = limits.batch();
            z.pcpHighMin = limits.highMin();
            z.pcpHighMax = limits.highMax();
            for (int cpu = 0; cpu < a.cpus; cpu++) {
                z.pcpHigh[cpu] = a.rules.pcpAutoTune ? 0 : limits.high();
            }
        }
    }

    /** §4.11 {@code boost_watermark}; returns true when the boost was raised. */
    boolean boostWatermark(BuddyZone z) {
        long pbn = 1L << a.pbo;
        if (watermarkBoostFactor == 0 || pbn * 4 > z.managed) {
            return false;
        }
        long high = z.watermark[WatermarkLevel.HIGH.ordinal()];
        long maxBoost = (high / 10000) * watermarkBoostFactor + (high % 10000) * watermarkBoostFactor / 10000;
        if (maxBoost == 0) {
            return false;
        }
        maxBoost = Math.max(pbn, maxBoost);
        z.boost = Math.min(z.boost + pbn, maxBoost);
        return true;
    }
}
