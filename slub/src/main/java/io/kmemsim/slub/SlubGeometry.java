package io.kmemsim.slub;

import io.kmemsim.api.slab.CacheAlignment;
import io.kmemsim.api.slab.KmallocClasses;
import io.kmemsim.api.slab.SlabFlags;

/**
 * SLUB's cache geometry as pure functions: the object layout ({@code calculate_sizes}, 
 * mm/slub.c: calculate_sizes() (6.1)), the slab order ({@code calculate_order}, mm/slub.c: calculate_order(), calc_slab_order() (6.1)) and the derived limits (mm/slub.c: kmem_cache_open(), set_cpu_partial() (6.1)).
 */
final class SlubGeometry {

    /** {@code MAX_OBJS_PER_PAGE}: the slab's 15-bit object count. */
    static final int MAX_OBJS_PER_PAGE = 32767;
    /** {@code MIN_PARTIAL}. */
    static final int MIN_PARTIAL = 5;
    /** {@code MAX_PARTIAL}. */
    static final int MAX_PARTIAL = 10;

    private static final int W = CacheAlignment.WORD;

    private SlubGeometry() {
    }

    /**
     * The layout of one object's stride.
     *
     * @param objectSize the object size
     * @param size       the stride
     * @param inuse      offset of the metadata (end of object plus right red zone)
     * @param offset     free pointer offset in the stride (after the left red zone)
     * @param redLeftPad the left red zone
     */
    record Layout(int objectSize, int size, int inuse, int offset, int redLeftPad) {

        /** True when the free pointer lies outside the object ({@code offset >= inuse}). */
        boolean freePointerOutside() {
            return offset >= inuse;
        }
    }

    /**
     * {@code calculate_sizes} (mm/slub.c: calculate_sizes() (6.1)) for object size {@code o}, flags and the computed alignment.
     * KASAN metadata (step 6) and {@code slub_debug=O} (step 11) are not modelled.
     */
    static Layout calculateSizes(SlubRules rules, int o, long flags, int align, boolean ctor, boolean kmalloc) {
        boolean redZone = (flags & SlabFlags.RED_ZONE) != 0;
        boolean storeUser = (flags & SlabFlags.STORE_USER) != 0;
        boolean rcu = (flags & SlabFlags.TYPESAFE_BY_RCU) != 0;
        boolean poison = (flags & SlabFlags.POISON) != 0;
        int s = CacheAlignment.alignUp(o, W);
        if (redZone && s == o) {
            s += W;
        }
        int inuse = s;
        int offset;
        boolean origTracked = kmalloc && storeUser && rules.origSizeBytes() > 0;
        if (rcu || poison || ctor || (redZone && o < W) || (rules.freeptrOutsideOrig() && redZone && origTracked)) {
            offset = s;
            s += W;
        } else {
            offset = ((o / 2) / W) * W;
        }
        if (storeUser) {
            s += 2 * rules.trackSize();
            if (origTracked) {
                s += rules.origSizeBytes();
            }
        }
        int redLeftPad = 0;
        if (redZone) {
            s += W;
            redLeftPad = CacheAlignment.alignUp(W, align);
            s += redLeftPad;
        }
        return new Layout(o, CacheAlignment.alignUp(s, align), inuse, offset, redLeftPad);
    }

    /** {@code order_objects}: whole strides in a block of {@code order}. */
    static int orderObjects(int order, int size, int pageShift) {
        return (int) ((1L << (pageShift + order)) / size);
    }

    /** The default {@code slub_min_objects}: {@code 4 × (fls(cpus) + 1)} (mm/slub.c: calculate_order(), calc_slab_order() (6.1)). */
    static int minObjects(int cpus, int slubMinObjects) {
        if (slubMinObjects != 0) {
            return slubMinObjects;
        }
        int fls = 32 - Integer.numberOfLeadingZeros(cpus);
        return 4 * (fls + 1);
    }

    /**
     * {@code calculate_order} (mm/slub.c: calculate_order(), calc_slab_order() (6.1)): the 6.8+ algorithm or the 6.1–6.7 one (also 5.10's) by
     * {@code rules}. Returns −1 when no order up to {@code buddyMaxOrder} holds one object.
     */
    static int calculateOrder(SlubRules rules, int size, int minObjects, int slubMinOrder, int slubMaxOrder,
                              int buddyMaxOrder, int pageShift) {
        return rules.newOrderAlgorithm()
                ? orderNew(size, minObjects, slubMinOrder, slubMaxOrder, buddyMaxOrder, pageShift)
                : orderOld(size, minObjects, slubMinOrder, slubMaxOrder, buddyMaxOrder, pageShift);
    }

    private static int orderNew(int size, int minObjects, int slubMinOrder, int slubMaxOrder, int buddyMax, int shift) {
        int maxObjects = Math.max(orderObjects(slubMaxOrder, size, shift), 1);
        int mo = Math.min(minObjects, maxObjects);
        int minOrder = Math.max(slubMinOrder, getOrder((long) mo * size, shift));
        if (orderObjects(minOrder, size, shift) > MAX_OBJS_PER_PAGE) {
            return getOrder((long) size * MAX_OBJS_PER_PAGE, shift) - 1;
        }
        for (int fraction = 16; fraction >= 2; fraction /= 2) {
            int order = firstOrderWithin(size, minOrder, slubMaxOrder, fraction, shift);
            if (order <= slubMaxOrder) {
                return order;
            }
        }
        int order = getOrder(size, shift);
        return order <= buddyMax ? order : -1;
    }

    private static int orderOld(int size, int minObjects, int slubMinOrder, int slubMaxOrder, int buddyMax, int shift) {
        int mo = Math.min(minObjects, orderObjects(slubMaxOrder, size, shift));
        while (mo > 1) {
            for (int fraction = 16; fraction >= 4; fraction /= 2) {
                int order = slabOrderOld(size, mo, slubMinOrder, slubMaxOrder, fraction, shift);
                if (order <= slubMaxOrder) {
                    return order;
                }
            }
            mo--;
        }
        int order = slabOrderOld(size, 1, slubMinOrder, slubMaxOrder, 1, shift);
        if (order <= slubMaxOrder) {
            return order;
        }
        order = slabOrderOld(size, 1, slubMinOrder, buddyMax, 1, shift);
        return order <= buddyMax ? order : -1;
    }

    private static int slabOrderOld(int size, int minObjects, int slubMinOrder, int maxOrder, int fraction, int shift) {
        if (orderObjects(slubMinOrder, size, shift) > MAX_OBJS_PER_PAGE) {
            return getOrder((long) size * MAX_OBJS_PER_PAGE, shift) - 1;
        }
        int start = Math.max(slubMinOrder, getOrder((long) minObjects * size, shift));
        return firstOrderWithin(size, start, maxOrder, fraction, shift);
    }

    /** The first order in [from, to] whose leftover is at most 1/fraction of the slab; to + 1 if none. */
    private static int firstOrderWithin(int size, int from, int to, int fraction, int shift) {
        int order = from;
        for (; order <= to; order++) {
            long slab = 1L << (shift + order);
            if (slab % size <= slab / fraction) {
                break;
            }
        }
        return order;
    }

    static int getOrder(long size, int pageShift) {
        return KmallocClasses.getOrder(size, pageShift);
    }

    /** {@code min_partial}: {@code clamp(ilog2(size) / 2, 5, 10)} (mm/slub.c: kmem_cache_open(), set_cpu_partial() (6.1)). */
    static int minPartial(int size) {
        int log = 31 - Integer.numberOfLeadingZeros(size);
        return Math.max(MIN_PARTIAL, Math.min(MAX_PARTIAL, log / 2));
    }

    /**
     * The nominal {@code cpu_partial} in objects (mm/slub.c: kmem_cache_open(), set_cpu_partial() (6.1)): 6/24/52/120 from 5.16, 2/6/13/30 before; 0 for
     * debug caches or without CONFIG_SLUB_CPU_PARTIAL.
     */
    static int cpuPartial(SlubRules rules, int size, int pageSize, boolean debug, boolean enabled) {
        if (debug || !enabled) {
            return 0;
        }
        boolean slabs = rules.cpuPartialBySlabs();
        if (size >= pageSize) {
            return slabs ? 6 : 2;
        }
        if (size >= 1024) {
            return slabs ? 24 : 6;
        }
        if (size >= 256) {
            return slabs ? 52 : 13;
        }
        return slabs ? 120 : 30;
    }

    /** {@code cpu_partial_slabs = DIV_ROUND_UP(2 × cpu_partial, objects per slab)} (5.16+, mm/slub.c: kmem_cache_open(), set_cpu_partial() (6.1)). */
    static int cpuPartialSlabs(int cpuPartial, int objects) {
        return (2 * cpuPartial + objects - 1) / objects;
    }
}
