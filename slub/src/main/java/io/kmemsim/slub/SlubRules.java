package io.kmemsim.slub;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;

/**
 * The SLUB rules that change with the kernel version, decided once per run (mm/slub.c: kmem_cache_open() (6.1)).
 *
 * @param newOrderAlgorithm   6.8+: the simplified {@code calculate_order} (mm/slub.c: calculate_order(), calc_slab_order() (6.1))
 * @param cpuPartialFrozen    up to 6.7: slabs on a cpu partial list are frozen (include/linux/slub_def.h: struct kmem_cache (6.1))
 * @param cpuPartialLoop      6.8+: the slow path loops over the cpu partial list and does not count
 *                            ALLOC_REFILL for a slab taken from it (mm/slub.c: ___slab_alloc() (6.1))
 * @param cpuPartialBySlabs   5.16+: the cpu partial limit counts slabs ({@code cpu_partial_slabs}); 5.10
 *                            counts free objects against {@code cpu_partial} (mm/slub.c: kmem_cache_open(), set_cpu_partial() (6.1))
 * @param trackSize           {@code sizeof(struct track)}: 32 with stack depot (5.17+), 152 before (mm/slub.c: calculate_sizes() (6.1))
 * @param origSizeBytes       the original-size word of U-debugged kmalloc caches: none in 5.10, 4 bytes
 *                            up to 6.12.74, 8 bytes from 6.12.75 and 6.13 (mm/slub.c: calculate_sizes() (6.1))
 * @param freeptrOutsideOrig  ≈6.11+: a red-zoned kmalloc cache with original-size tracking keeps the free
 *                            pointer outside the object (mm/slub.c: calculate_sizes() (6.1); kmemsim applies it from 6.11)
 * @param compAlways          the slab gfp always carries {@code __GFP_COMP}; 5.10 and 6.1 only when the
 *                            preferred order is above 0 (mm/slub.c: calculate_sizes() (6.1); the reference names 6.1 only,
 *                            kmemsim assumes 6.6 and later set it always)
 * @param reclaimMask         {@code GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK}: the caller's gfp bits a slab
 *                            allocation keeps (mm/slub.c: alloc_slab_page() (6.1); mm/slab.c: kmem_getpages() (6.1)); includes {@code __GFP_ATOMIC} while it exists
 *                            (up to 6.2; not in the reference's list, from the 6.1 source)
 */
record SlubRules(boolean newOrderAlgorithm, boolean cpuPartialFrozen, boolean cpuPartialLoop,
                 boolean cpuPartialBySlabs, int trackSize, int origSizeBytes, boolean freeptrOutsideOrig,
                 boolean compAlways, int reclaimMask) {

    static final int GFP_KEEP = Gfp.RECLAIM | Gfp.HIGH | Gfp.IO | Gfp.FS | Gfp.NOWARN | Gfp.RETRY_MAYFAIL
            | Gfp.NOFAIL | Gfp.NORETRY | Gfp.MEMALLOC | Gfp.NOMEMALLOC | Gfp.HARDWALL | Gfp.THISNODE;

    static SlubRules of(KernelVersion k) {
        int orig;
        if (!k.has(Feature.SLUB_ORIG_SIZE)) {
            orig = 0;
        } else if (k.has(Feature.SLUB_ORIG_SIZE_8_BYTES)) {
            orig = 8;
        } else {
            orig = 4;
        }
        boolean unfrozen = k.has(Feature.SLUB_PARTIAL_UNFROZEN);
        return new SlubRules(k.has(Feature.SLUB_ORDER_SIMPLIFIED), !unfrozen, unfrozen, k.has(Feature.SLUB_PARTIAL_BY_SLABS),
                k.has(Feature.SLUB_STACK_DEPOT_TRACK) ? 32 : 152, orig, k.has(Feature.SLUB_FREEPTR_OUTSIDE_ORIG),
                k.has(Feature.SLUB_COMP_ALWAYS),
                k.hasGfpAtomic() ? GFP_KEEP | Gfp.ATOMIC : GFP_KEEP);
    }
}
