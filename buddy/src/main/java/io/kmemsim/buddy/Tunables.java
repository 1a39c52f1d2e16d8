package io.kmemsim.buddy;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.LowmemReserve;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.MinFreeKbytes;
import io.kmemsim.api.kernel.PcpSizing;
import io.kmemsim.api.kernel.Watermarks;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.WatermarkLevel;
import java.util.List;

/**
 * The zone tunables computed at boot: {@code min_free_kbytes} (mm/page_alloc.c: init_per_zone_wmark_min() (6.1)), watermarks (mm/page_alloc.c: __setup_per_zone_wmarks() (6.1)),
 * {@code lowmem_reserve} (mm/page_alloc.c: setup_per_zone_lowmem_reserve() (6.1)), pcp batch/high (mm/page_alloc.c: zone_batchsize(), zone_highsize() (6.1)), and {@code page_group_by_mobility_disabled}
 * (mm/page_alloc.c: build_all_zonelists() (6.1)). The formulas are the api's kernel arithmetic ({@link MinFreeKbytes}, {@link Watermarks},
 * {@link LowmemReserve}, {@link PcpSizing}); this class only feeds them the zones.
 */
final class Tunables {

    /** {@code CONFIG_PCP_BATCH_SCALE_MAX} default (include/linux/compaction.h: compact_gap() (6.1); mm/internal.h: ALLOC_WMARK_MASK (6.1)). */
    static final int PCP_BATCH_SCALE_MAX = 5;

    private final BuddyPageAllocator a;
    private final BuddyOptions options;
    long minFreeKbytes;
    int watermarkBoostFactor;
    /** The {@code vm.watermark_scale_factor} the current watermarks were computed with. */
    private int scaleFactor;
    /** The {@code vm.percpu_pagelist_high_fraction} the current pcp sizes were computed with. */
    private int pcpFraction;

    Tunables(BuddyPageAllocator a, BuddyOptions options) {
        this.a = a;
        this.options = options;
        this.watermarkBoostFactor = options.watermarkBoostFactor();
        this.scaleFactor = options.watermarkScaleFactor();
        this.pcpFraction = options.percpuPagelistHighFraction();
    }

    /** Boot-time setup: mobility grouping, min_free_kbytes, watermarks, reserves, pcp sizes. */
    void setupAll() {
        long[] managed = managed();
        a.lists.groupingDisabled = a.fallbackPolicy != null && mobilityDisabled(managed);
        minFreeKbytes = options.minFreeKbytes() >= 0 ? options.minFreeKbytes() : defaultMinFreeKbytes(managed);
        watermarks(managed);
        reserves(managed, ratios());
        setupPcp();
    }

    /**
     * The boot half of a machine whose platform releases memory after init ({@code Platform.releasedAfterInit}):
     * everything from the kernel's own defaults and the managed pages of that moment, as
     * {@code init_per_zone_wmark_min} (postcore) and the THP {@code set_recommended_min_free_kbytes} (subsys)
     * compute them in 6.1 ({@code mm/page_alloc.c}, {@code mm/khugepaged.c}) — the sysctls of the options are
     * written later, by user space, and applied by {@link #afterLateRelease()}.
     */
    void setupAtBoot() {
        long[] managed = managed();
        a.lists.groupingDisabled = a.fallbackPolicy != null && mobilityDisabled(managed);
        scaleFactor = Watermarks.DEFAULT_SCALE_FACTOR;
        pcpFraction = 0;
        minFreeKbytes = defaultMinFreeKbytes(managed);
        watermarks(managed);
        reserves(managed, LowmemReserve.defaultRatios(a.config));
        setupPcp();
    }

    /**
     * After the late frees raised {@code managed}:
     * <ul>
     *   <li>protection ({@code lowmem_reserve}) from the final managed pages: what a real Debian 6.1.192 amd64
     *       boot shows (DMA protection 1913 = final DMA32 managed / 256, where the managed pages of
     *       postcore_initcall give 1904), although the 6.1 source computes it only at postcore; taken for 6.1
     *       and later. 5.10 keeps the boot value, except when the ratio sysctl is written;</li>
     *   <li>a written {@code vm.min_free_kbytes} or {@code vm.watermark_scale_factor} (an option that differs from
     *       the kernel's own value: writing the same value would also recompute, but a snapshot cannot tell) runs {@code setup_per_zone_wmarks} again with the final managed pages, which also
     *       recomputes pcp batch and high ({@code zone_pcp_update}); a written
     *       {@code vm.percpu_pagelist_high_fraction} recomputes pcp batch and high only.</li>
     * </ul>
     */
    void afterLateRelease() {
        long[] managed = managed();
        int[] ratios = ratios();
        boolean ratiosWritten = !java.util.Arrays.equals(ratios, LowmemReserve.defaultRatios(a.config));
        if (a.kernel.has(Feature.LOWMEM_RESERVE_AT_LATE_INIT) || ratiosWritten) {
            reserves(managed, ratios);
        }
        boolean minWritten = options.minFreeKbytes() >= 0 && options.minFreeKbytes() != minFreeKbytes;
        boolean wmarks = minWritten || options.watermarkScaleFactor() != Watermarks.DEFAULT_SCALE_FACTOR;
        if (wmarks) {
            minFreeKbytes = minWritten ? options.minFreeKbytes() : minFreeKbytes;
            scaleFactor = options.watermarkScaleFactor();
            watermarks(managed);
        }
        if (wmarks || options.percpuPagelistHighFraction() != 0) {
            pcpFraction = options.percpuPagelistHighFraction();
            setupPcp();
        }
    }

    private long[] managed() {
        long[] managed = new long[a.zones.length];
        for (BuddyZone z : a.zones) {
            managed[z.index] = z.managed;
        }
        return managed;
    }

    private ZoneType[] types() {
        ZoneType[] types = new ZoneType[a.zones.length];
        for (BuddyZone z : a.zones) {
            types[z.index] = z.type;
        }
        return types;
    }

    private long defaultMinFreeKbytes(long[] managed) {
        return MinFreeKbytes.defaultValue(a.kernel, types(), managed, a.config.pageSize(),
                a.config.transparentHugepage(), a.pbo, scaleFactor);
    }

    private void watermarks(long[] managed) {
        ZoneType[] types = types();
        long[] min = new long[types.length];
        long[] low = new long[types.length];
        long[] high = new long[types.length];
        long[] promo = new long[types.length];
        Watermarks.computeInto(a.kernel, minFreeKbytes, scaleFactor, types, managed,
                a.config.pageSize(), min, low, high, promo);
        for (BuddyZone z : a.zones) {
            z.watermark[WatermarkLevel.MIN.ordinal()] = min[z.index];
            z.watermark[WatermarkLevel.LOW.ordinal()] = low[z.index];
            z.watermark[WatermarkLevel.HIGH.ordinal()] = high[z.index];
            z.watermark[WatermarkLevel.PROMO.ordinal()] = promo[z.index];
            z.refreshFastFloor();
        }
    }

    private void reserves(long[] managed, int[] ratios) {
        long[][] reserve = LowmemReserve.compute(a.kernel, managed, ratios);
        for (BuddyZone z : a.zones) {
            z.lowmemReserve = reserve[z.index].clone();
            z.refreshFastFloor();
        }
    }

    /**
     * mm/page_alloc.c: build_all_zonelists() (6.1): grouping is off when the pages usable by GFP_HIGHUSER_MOVABLE (managed pages of every zone up
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

    /** mm/page_alloc.c: zone_batchsize(), zone_highsize() (6.1): batch and high of every zone; 6.7+ keeps the live high at 0 until a CPU uses the zone. */
    void setupPcp() {
        for (BuddyZone z : a.zones) {
            if (z.managed == 0) {
                continue;
            }
            PcpSizing.PcpLimits limits = PcpSizing.compute(a.kernel, z.managed,
                    z.watermark[WatermarkLevel.LOW.ordinal()] + z.boost, a.cpus,
                    pcpFraction, a.config.pageSize());
            z.pcpBatch = limits.batch();
            z.pcpHighMin = limits.highMin();
            z.pcpHighMax = limits.highMax();
            for (int cpu = 0; cpu < a.cpus; cpu++) {
                z.pcpHigh[cpu] = a.rules.pcpAutoTune ? 0 : limits.high();
            }
        }
    }

    /** mm/page_alloc.c: boost_watermark() (6.1) {@code boost_watermark}; returns true when the boost was raised. */
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
        z.refreshFastFloor();
        return true;
    }
}
