package io.kmemsim.buddy;

import io.kmemsim.api.plugin.Doc;
import java.util.List;

/**
 * Options of the {@code buddy} page allocator: the kernel tunables that change its arithmetic
 * (docs/kernel-facts.md#sysctl-defaults). A negative number means "the kernel's default".
 *
 * @param minFreeKbytes              {@code vm.min_free_kbytes}; −1 = computed as the kernel does (mm/page_alloc.c: init_per_zone_wmark_min() (6.1))
 * @param watermarkScaleFactor       {@code vm.watermark_scale_factor}, 1/10000 of managed pages (mm/page_alloc.c: __setup_per_zone_wmarks() (6.1))
 * @param watermarkBoostFactor       {@code vm.watermark_boost_factor}, 1/10000 of the high watermark (mm/page_alloc.c: boost_watermark() (6.1))
 * @param percpuPagelistHighFraction {@code vm.percpu_pagelist_high_fraction} (5.10: {@code percpu_pagelist_fraction}); 0 or ≥ 8
 * @param lowmemReserveRatio         {@code vm.lowmem_reserve_ratio}, one value per configured zone; empty = defaults
 * @param movablecoreMb              {@code movablecore=} in MiB: the top of memory forms ZONE_MOVABLE; 0 = none
 */
public record BuddyOptions(
        @Doc("vm.min_free_kbytes in kB; -1 = the kernel's computed default") long minFreeKbytes,
        @Doc("vm.watermark_scale_factor in 1/10000 of managed pages (default 10)") int watermarkScaleFactor,
        @Doc("vm.watermark_boost_factor in 1/10000 of the high watermark (default 15000; 0 = no boost)") int watermarkBoostFactor,
        @Doc("vm.percpu_pagelist_high_fraction (5.10: percpu_pagelist_fraction); 0 or >= 8") int percpuPagelistHighFraction,
        @Doc("vm.lowmem_reserve_ratio, one value per configured zone; empty = kernel defaults") List<Integer> lowmemReserveRatio,
        @Doc("movablecore= in MiB: the top of memory becomes ZONE_MOVABLE; 0 = empty Movable zone") long movablecoreMb) {

    public BuddyOptions {
        lowmemReserveRatio = lowmemReserveRatio == null ? List.of() : List.copyOf(lowmemReserveRatio);
    }

    /** The kernel's defaults. */
    public BuddyOptions() {
        this(-1, 10, 15000, 0, List.of(), 0);
    }

    /** Checks the ranges, naming the option and the value; {@code maxScale} is the kernel's (Watermarks.maxScaleFactor). */
    void validate(int maxScale) {
        if (watermarkScaleFactor < 1 || watermarkScaleFactor > maxScale) {
            throw new IllegalArgumentException("watermarkScaleFactor must be in [1, " + maxScale + "]: " + watermarkScaleFactor);
        }
        if (watermarkBoostFactor < 0) {
            throw new IllegalArgumentException("watermarkBoostFactor must be >= 0: " + watermarkBoostFactor);
        }
        if (percpuPagelistHighFraction != 0 && percpuPagelistHighFraction < 8) {
            throw new IllegalArgumentException("percpuPagelistHighFraction must be 0 or >= 8: " + percpuPagelistHighFraction);
        }
        if (movablecoreMb < 0) {
            throw new IllegalArgumentException("movablecoreMb must be >= 0: " + movablecoreMb);
        }
        if (minFreeKbytes < -1) {
            throw new IllegalArgumentException("minFreeKbytes must be >= 0 (or -1 for the default): " + minFreeKbytes);
        }
    }
}
