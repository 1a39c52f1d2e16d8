package io.kmemsim.buddy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.MigrateType;

/**
 * The kernel's {@code ALLOC_*} flags (mm/internal.h: ALLOC_WMARK_MASK (6.1)) and the two places that build
 * them: the fast path and {@code gfp_to_alloc_flags} of the slow path, per version.
 *
 * <p>Bit 0x10 is ALLOC_HARDER up to 6.2 (and 6.1.0–6.1.115) and ALLOC_NON_BLOCK after; bit 0x20 is
 * ALLOC_HIGH / ALLOC_MIN_RESERVE. The CPUSET bit is kept for fidelity but has no effect here.
 */
final class AllocFlags {

    static final int WMARK_MIN = 0;
    static final int WMARK_LOW = 1;
    static final int WMARK_HIGH = 2;
    static final int WMARK_MASK = 3;
    static final int NO_WATERMARKS = 0x04;
    static final int OOM = 0x08;
    /** ALLOC_HARDER (≤6.2, 6.1.0–6.1.115) / ALLOC_NON_BLOCK (6.3+, 6.1.116+). */
    static final int NON_BLOCK = 0x10;
    /** ALLOC_HIGH / ALLOC_MIN_RESERVE: equals __GFP_HIGH. */
    static final int MIN_RESERVE = 0x20;
    static final int CPUSET = 0x40;
    static final int CMA = 0x80;
    static final int NOFRAGMENT = 0x100;
    static final int HIGHATOMIC = 0x200;
    /** Equals __GFP_KSWAPD_RECLAIM. */
    static final int KSWAPD = 0x800;
    static final int RESERVES = NON_BLOCK | MIN_RESERVE | HIGHATOMIC | OOM;
    private static final int MOVABLE = MigrateType.MOVABLE.ordinal();

    private AllocFlags() {
    }

    /** Fast-path flags (mm/internal.h: ALLOC_WMARK_MASK (6.1); mm/page_alloc.c: prepare_alloc_pages() (6.1)): low watermark, KSWAPD bit, CMA for MOVABLE ({@code mt} is a migrate type ordinal). NOFRAGMENT is added by the caller. */
    static int fastPath(int gfp, int mt, boolean cmaConfigured) {
        int flags = WMARK_LOW | (gfp & Gfp.KSWAPD_RECLAIM);
        if (cmaConfigured && mt == MOVABLE) {
            flags |= CMA;
        }
        return flags;
    }

    /** {@code gfp_to_alloc_flags} (mm/internal.h: ALLOC_WMARK_MASK (6.1)) for the version's rules; RT tasks are not modelled. */
    static int slowPath(int gfp, int order, MigrateType mt, KernelRules rules, boolean cmaConfigured) {
        int flags = WMARK_MIN | CPUSET | (gfp & (Gfp.HIGH | Gfp.KSWAPD_RECLAIM));
        if (!rules.allocFlagsReworked) {
            if ((gfp & Gfp.ATOMIC) != 0 && (gfp & Gfp.NOMEMALLOC) == 0) {
                flags |= NON_BLOCK;
                flags &= ~CPUSET;
            }
        } else if ((gfp & Gfp.DIRECT_RECLAIM) == 0) {
            if ((gfp & Gfp.NOMEMALLOC) == 0) {
                flags |= NON_BLOCK;
                if (order > 0 && (!rules.highatomicNeedsGfpHigh || (gfp & Gfp.HIGH) != 0)) {
                    flags |= HIGHATOMIC;
                }
            }
            if ((flags & MIN_RESERVE) != 0) {
                flags &= ~CPUSET;
            }
        }
        if (cmaConfigured && mt == MigrateType.MOVABLE) {
            flags |= CMA;
        }
        return flags;
    }

    /** True when the request may take HIGHATOMIC blocks first and reserve new ones (mm/page_alloc.c: __rmqueue(), reserve_highatomic_pageblock() (6.1)). */
    static boolean highatomicFirst(int flags, int order, KernelRules rules) {
        if (rules.allocFlagsReworked) {
            return (flags & HIGHATOMIC) != 0;
        }
        return order > 0 && (flags & NON_BLOCK) != 0;
    }

    /** True when the caller has reserve rights, so highatomic pages are usable (mm/page_alloc.c: __zone_watermark_ok() (6.1)). */
    static boolean hasReserveRights(int flags, KernelRules rules) {
        return rules.allocFlagsReworked ? (flags & RESERVES) != 0 : (flags & (NON_BLOCK | OOM)) != 0;
    }

    /** True when HIGHATOMIC lists count as usable in the order check of mm/page_alloc.c: __zone_watermark_ok() (6.1). */
    static boolean mayUseHighatomicList(int flags, KernelRules rules) {
        return rules.allocFlagsReworked ? (flags & (HIGHATOMIC | OOM)) != 0 : (flags & (NON_BLOCK | OOM)) != 0;
    }

    /** mm/page_alloc.c: __zone_watermark_ok() (6.1): the mark lowered for the caller's reserve rights. */
    static long reduceMin(long mark, int flags, KernelRules rules) {
        long min = mark;
        if (!rules.allocFlagsReworked) {
            if ((flags & MIN_RESERVE) != 0) {
                min -= min / 2;
            }
            if ((flags & (NON_BLOCK | OOM)) != 0) {
                min -= (flags & OOM) != 0 ? min / 2 : min / 4;
            }
            return min;
        }
        if ((flags & RESERVES) != 0) {
            if ((flags & MIN_RESERVE) != 0) {
                min -= min / 2;
                if ((flags & NON_BLOCK) != 0) {
                    min -= min / 4;
                }
            }
            if ((flags & OOM) != 0) {
                min -= min / 2;
            }
        }
        return min;
    }

    /**
     * {@code gfp_zone()} for every combination of the four zone modifier bits ({@code GFP_ZONEMASK}), as
     * an index into the configured zones ({@code zoneIndexOfType}; −1 for a zone not configured), and
     * {@code invalid} for the combinations {@code gfp_zone()} refuses.
     */
    static int[] zoneIndexOfGfp(KernelConfig config, int[] zoneIndexOfType, int invalid) {
        int[] table = new int[Gfp.ZONEMASK + 1];
        for (int bits = 0; bits <= Gfp.ZONEMASK; bits++) {
            int zone;
            try {
                zone = zoneIndexOfType[Gfp.zone(bits, config).ordinal()];
            } catch (IllegalArgumentException refused) {
                zone = invalid;
            }
            table[bits] = zone;
        }
        return table;
    }
}
