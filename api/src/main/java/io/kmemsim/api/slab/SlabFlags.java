package io.kmemsim.api.slab;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import org.apiguardian.api.API;

/**
 * The {@code SLAB_*} cache flags as {@link CacheSpec#flags()} carries them: the kernel's 6.1 bit values
 * (include/linux/slab.h: SLAB_HWCACHE_ALIGN (6.1)), plus the flag sets the allocators test them against.
 *
 * <p>Kernels from 6.9 number the flags from an enum, so their bit positions differ; kmemsim keeps the
 * 6.1 values as its own encoding for every version. {@link #NO_MERGE} (6.5+) has no 6.1 value; the
 * reference gives none either, so kmemsim uses the free bit {@code 0x1000000} (believed to be 6.5's
 * value; it is only an encoding here).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class SlabFlags {

    /** Debug 'F': consistency checks on every alloc/free. */
    public static final long CONSISTENCY_CHECKS = 0x100L;
    /** Debug 'Z': red zones around objects. */
    public static final long RED_ZONE = 0x400L;
    /** Debug 'P': poison free objects. */
    public static final long POISON = 0x800L;
    /** Marks the kmalloc caches (original-size tracking with 'U'). */
    public static final long KMALLOC = 0x1000L;
    /** Align objects to the cache line (with the halving rule of mm/slab_common.c: calculate_alignment() (6.1)). */
    public static final long HWCACHE_ALIGN = 0x2000L;
    /** Pages from ZONE_DMA. */
    public static final long CACHE_DMA = 0x4000L;
    /** Pages from ZONE_DMA32. */
    public static final long CACHE_DMA32 = 0x8000L;
    /** Debug 'U': record alloc/free tracks. */
    public static final long STORE_USER = 0x10000L;
    /** Pages {@code __GFP_RECLAIMABLE}, counted as reclaimable. */
    public static final long RECLAIM_ACCOUNT = 0x20000L;
    /** Panic when creation fails. */
    public static final long PANIC = 0x40000L;
    /** Slab pages freed after an RCU grace period; free pointer kept outside the object. */
    public static final long TYPESAFE_BY_RCU = 0x80000L;
    /** cpuset spreading (SLAB only). */
    public static final long MEM_SPREAD = 0x100000L;
    /** Debug 'T': log every alloc/free. */
    public static final long TRACE = 0x200000L;
    /** Skip the debugobjects free check. */
    public static final long DEBUG_OBJECTS = 0x400000L;
    /** No kmemleak tracking. */
    public static final long NOLEAKTRACE = 0x800000L;
    /** Never merge this cache (6.5+); see the class comment for the value. */
    public static final long NO_MERGE = 0x1000000L;
    /** Fault-injection target (debug 'A'). */
    public static final long FAILSLAB = 0x2000000L;
    /** memcg-account every object. */
    public static final long ACCOUNT = 0x4000000L;
    /** KASAN internal. */
    public static final long KASAN = 0x8000000L;
    /** Ignore slub_debug boot options for this cache. */
    public static final long NO_USER_FLAGS = 0x10000000L;
    /** Never hand out kfence objects. */
    public static final long SKIP_KFENCE = 0x20000000L;

    /** SLUB's debug flags ({@code SLAB_DEBUG_FLAGS}): any of them makes a debug cache (include/linux/slab.h: SLAB_HWCACHE_ALIGN (6.1); mm/slub.c: alloc_debug_processing() (6.1)). */
    public static final long DEBUG_FLAGS = RED_ZONE | POISON | STORE_USER | TRACE | CONSISTENCY_CHECKS;

    /** Flags two caches must share to be merged ({@code SLAB_MERGE_SAME}, mm/slab_common.c: find_mergeable(), slab_unmergeable() (6.1)). */
    public static final long MERGE_SAME = RECLAIM_ACCOUNT | CACHE_DMA | CACHE_DMA32 | ACCOUNT;

    private SlabFlags() {
    }

    /**
     * The flags that forbid merging ({@code SLAB_NEVER_MERGE}, mm/slab_common.c: find_mergeable(), slab_unmergeable() (6.1)) in {@code kernel}: the debug
     * flags that change the layout, TYPESAFE_BY_RCU, NOLEAKTRACE, FAILSLAB, and NO_MERGE from 6.5.
     */
    public static long neverMerge(KernelVersion kernel) {
        long mask = RED_ZONE | POISON | STORE_USER | TRACE | TYPESAFE_BY_RCU | NOLEAKTRACE | FAILSLAB;
        return kernel.has(Feature.SLAB_NO_MERGE_FLAG) ? mask | NO_MERGE : mask;
    }

    /** True when {@code flags} make a SLUB debug cache (mm/slub.c: alloc_debug_processing(), free_debug_processing() (6.1)). */
    public static boolean isDebug(long flags) {
        return (flags & DEBUG_FLAGS) != 0;
    }
}
