package io.kmemsim.slab;

import io.kmemsim.api.slab.CacheAlignment;
import io.kmemsim.api.slab.SlabFlags;
import java.util.function.IntUnaryOperator;

/**
 * SLAB's cache geometry as pure functions (mm/slab.c: set_free_obj(), cache_estimate(), __kmem_cache_create(), enable_cpucache() (6.1)): the buffer size, the
 * placement of the free-index array, objects per slab and order ({@code calculate_slab_order}),
 * colouring and the per-CPU tunables ({@code enable_cpucache}). CONFIG_DEBUG_SLAB is off: no red zones,
 * no last-user word, no poisoning, no statistics-driven limit cap.
 *
 * <p>Notes:
 * <ul>
 *   <li>Index type ({@code freelist_idx_t}): 1 byte when {@code PAGE_SIZE >> 8 <= SLAB_OBJ_MIN_SIZE}, else
 *       2 bytes. {@code SLAB_OBJ_MIN_SIZE = min(KMALLOC_MIN_SIZE, 16)} is 16 for every modelled
 *       architecture (SLAB's KMALLOC_MIN_SIZE is at least 32), so 4K pages use bytes (at most 255 objects
 *       per slab) and 16K/64K pages shorts (at most 65535).</li>
 *   <li>{@code cache_estimate}: with the array off the slab or inside an object {@code num = B / size};
 *       on the slab {@code num = B / (size + idx)}; the left-over is the remainder.</li>
 *   <li>Placement is tried in the kernel's order: inside a free object (no constructor, not
 *       TYPESAFE_BY_RCU, {@code num × idx <= object_size}), off the slab (not NOLEAKTRACE; the kmalloc
 *       cache for the array exists, is not itself off-slab, and its stride is at most half of this
 *       cache's; chosen only when the left-over is smaller than the array), on the slab.</li>
 * </ul>
 */
final class SlabGeometry {

    /** {@code BYTES_PER_WORD}. */
    static final int W = CacheAlignment.WORD;
    /** {@code SLAB_OBJ_MIN_SIZE} for every modelled build. */
    static final int SLAB_OBJ_MIN_SIZE = 16;
    /** Returned by the freelist-cache lookup when no usable kmalloc cache holds the array. */
    static final int NO_FREELIST_CACHE = -1;

    /** Where a slab keeps its free-index array (mm/slab.c: set_free_obj(), cache_init_objs() (6.1)). */
    enum Placement {
        /** Inside one free object ({@code CFLGS_OBJFREELIST_SLAB}). */
        OBJFREELIST,
        /** In a separate kmalloc object ({@code CFLGS_OFF_SLAB}). */
        OFF_SLAB,
        /** At the end of the slab. */
        ON_SLAB
    }

    /**
     * A cache's geometry.
     *
     * @param size         the buffer size (stride), what /proc/slabinfo prints
     * @param align        the alignment
     * @param colourOff    the colour step in bytes
     * @param colour       the number of colour steps
     * @param placement    where the free-index array lives
     * @param num          objects per slab
     * @param order        the slab order ({@code gfporder})
     * @param leftOver     bytes left over in a slab
     * @param idxSize      bytes per free-index entry
     * @param freelistSize {@code num × idxSize}
     */
    record Geometry(int size, int align, int colourOff, int colour, Placement placement, int num, int order,
                    int leftOver, int idxSize, int freelistSize) {
    }

    /** One {@code cache_estimate} / {@code calculate_slab_order} result. */
    record Estimate(int num, int order, int leftOver) {
    }

    private SlabGeometry() {
    }

    /** Bytes per free-index entry for {@code pageShift} (mm/slab.c: set_free_obj(), cache_init_objs() (6.1)). */
    static int idxSize(int pageShift) {
        return ((1 << pageShift) >> 8) <= SLAB_OBJ_MIN_SIZE ? 1 : 2;
    }

    /** {@code SLAB_OBJ_MAX_NUM}: 255 with byte indices, 65535 with shorts. */
    static int maxObjects(int idxSize) {
        return (1 << (8 * idxSize)) - 1;
    }

    /**
     * {@code __kmem_cache_create} steps 2 – 7 (mm/slab.c: __kmem_cache_create() (6.1)) without debugging.
     *
     * @param objectSize       the object size
     * @param align            the alignment from {@code calculate_alignment} (mm/slab_common.c: calculate_alignment() (6.1))
     * @param flags            the cache flags (debug flags already dropped)
     * @param ctor             the cache has a constructor
     * @param cacheLineSize    {@code cache_line_size()}
     * @param slabMaxOrder     {@code slab_max_order}
     * @param kmallocMaxOrder  the largest order tried ({@code KMALLOC_MAX_ORDER}, bounded by the buddy maximum)
     * @param pageShift        {@code PAGE_SHIFT}
     * @param freelistCache    for an off-slab array of {@code n} bytes: the stride of the memory that would
     *                         hold it, or {@link #NO_FREELIST_CACHE} when no usable cache exists
     * @return the geometry, or null when nothing fits ({@code -E2BIG})
     */
    static Geometry create(int objectSize, int align, long flags, boolean ctor, int cacheLineSize, int slabMaxOrder,
                           int kmallocMaxOrder, int pageShift, IntUnaryOperator freelistCache) {
        int a = Math.max(W, align);
        int size = CacheAlignment.alignUp(objectSize, W);
        int colourOff = Math.max(cacheLineSize, a);
        size = CacheAlignment.alignUp(size, a);
        int idx = idxSize(pageShift);
        if (idx == 1 && size < SLAB_OBJ_MIN_SIZE) {
            size = CacheAlignment.alignUp(SLAB_OBJ_MIN_SIZE, a);
        }
        boolean reclaim = (flags & SlabFlags.RECLAIM_ACCOUNT) != 0;
        if (!ctor && (flags & SlabFlags.TYPESAFE_BY_RCU) == 0) {
            Estimate e = slabOrder(size, Placement.OBJFREELIST, reclaim, slabMaxOrder, kmallocMaxOrder, pageShift,
                    freelistCache);
            if (e.num() > 0 && (long) e.num() * idx <= objectSize) {
                return geometry(size, a, colourOff, Placement.OBJFREELIST, e, idx);
            }
        }
        if ((flags & SlabFlags.NOLEAKTRACE) == 0) {
            Estimate e = slabOrder(size, Placement.OFF_SLAB, reclaim, slabMaxOrder, kmallocMaxOrder, pageShift,
                    freelistCache);
            if (e.num() > 0 && e.leftOver() < e.num() * idx) {
                return geometry(size, a, colourOff, Placement.OFF_SLAB, e, idx);
            }
        }
        Estimate e = slabOrder(size, Placement.ON_SLAB, reclaim, slabMaxOrder, kmallocMaxOrder, pageShift,
                freelistCache);
        return e.num() > 0 ? geometry(size, a, colourOff, Placement.ON_SLAB, e, idx) : null;
    }

    private static Geometry geometry(int size, int align, int colourOff, Placement p, Estimate e, int idx) {
        return new Geometry(size, align, colourOff, e.leftOver() / colourOff, p, e.num(), e.order(), e.leftOver(), idx,
                e.num() * idx);
    }

    /** {@code cache_estimate} (mm/slab.c: cache_estimate(), calculate_slab_order() (6.1)). */
    static Estimate estimate(int order, int size, Placement placement, int pageShift) {
        long bytes = 1L << (pageShift + order);
        int unit = placement == Placement.ON_SLAB ? size + idxSize(pageShift) : size;
        return new Estimate((int) (bytes / unit), order, (int) (bytes % unit));
    }

    /**
     * {@code calculate_slab_order} (mm/slab.c: cache_estimate(), calculate_slab_order() (6.1)): the first acceptable order from 0, continuing while the
     * left-over exceeds 1/8 of the slab, up to {@code slab_max_order} (one order only for
     * SLAB_RECLAIM_ACCOUNT); stops before an order whose object count exceeds the index type.
     */
    static Estimate slabOrder(int size, Placement placement, boolean reclaimAccount, int slabMaxOrder,
                              int kmallocMaxOrder, int pageShift, IntUnaryOperator freelistCache) {
        int idx = idxSize(pageShift);
        Estimate best = new Estimate(0, 0, 0);
        for (int order = 0; order <= kmallocMaxOrder; order++) {
            Estimate e = estimate(order, size, placement, pageShift);
            if (e.num() == 0) {
                continue;
            }
            if (e.num() > maxObjects(idx)) {
                break;
            }
            if (placement == Placement.OFF_SLAB) {
                int holder = freelistCache.applyAsInt(e.num() * idx);
                if (holder == NO_FREELIST_CACHE || holder > size / 2) {
                    continue;
                }
            }
            best = e;
            if (reclaimAccount || order >= slabMaxOrder || (long) e.leftOver() * 8 <= (1L << (pageShift + order))) {
                break;
            }
        }
        return best;
    }

    /**
     * The per-CPU array limit of {@code enable_cpucache} (mm/slab.c: enable_cpucache() (6.1)) by buffer size: more than 128 KiB → 1,
     * more than a page → 8, more than 1 KiB → 24, more than 256 bytes → 54, else 120.
     */
    static int limit(int size, int pageSize) {
        if (size > 131072) {
            return 1;
        }
        if (size > pageSize) {
            return 8;
        }
        if (size > 1024) {
            return 24;
        }
        return size > 256 ? 54 : 120;
    }

    /** The batch count: {@code (limit + 1) / 2} (mm/slab.c: enable_cpucache() (6.1)). */
    static int batchcount(int limit) {
        return (limit + 1) / 2;
    }

    /** The shared factor: 8 for buffers of at most a page on a machine with more than one CPU, else 0 (mm/slab.c: enable_cpucache() (6.1)). */
    static int sharedFactor(int size, int pageSize, int cpus) {
        return size <= pageSize && cpus > 1 ? 8 : 0;
    }

    /** {@code free_limit} of the node: {@code (1 + CPUs of the node) × batchcount + num} (mm/slab.c: enable_cpucache() (6.1)). */
    static long freeLimit(int cpus, int batchcount, int num) {
        return (1L + cpus) * batchcount + num;
    }
}
