package io.kmemsim.api.slab;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import org.apiguardian.api.API;

/**
 * SLUB's slab-order arithmetic as pure functions (mm/slub.c: calculate_order(), calc_slab_order() (6.1)): {@code order_objects},
 * the automatic {@code slub_min_objects} and {@code calculate_order} in its two versions (6.1 – 6.7 and
 * 5.10, and the simplified 6.8+ one). The SLUB plugin and the {@code /proc/slabinfo} checker share it.
 *
 * <p>Notes:
 * <ul>
 *   <li>Inputs are the stride {@code size} (what {@code /proc/slabinfo} prints as {@code <objsize>},
 *       mm/slab_common.c: cache_show(), print_slabinfo_header() (6.1)), the boot options {@code slub_min_order}, {@code slub_max_order} (default
 *       {@link #DEFAULT_MAX_ORDER}) and {@code slub_min_objects} (0 = automatic), the buddy allocator's
 *       largest order and the page shift.</li>
 *   <li>Both algorithms test the same waste rule: an order is good for a fraction {@code f} when
 *       {@code (PAGE_SIZE << order) mod size <= (PAGE_SIZE << order) / f}. They agree for every stride up to
 *       8 KiB; for some large strides they differ (e.g. 10928 bytes with one CPU: order 2 before 6.8,
 *       order 3 from 6.8).</li>
 *   <li>{@link #minObjects} uses the present-CPU count; kernels before about 5.11 used
 *       {@code nr_cpu_ids}, which is the same number on a machine without hot-pluggable CPUs.</li>
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class SlubOrder {

    /** {@code MAX_OBJS_PER_PAGE}: the slab's 15-bit object count. */
    public static final int MAX_OBJS_PER_PAGE = 32767;

    /** The default {@code slub_max_order}: {@code PAGE_ALLOC_COSTLY_ORDER} = 3. */
    public static final int DEFAULT_MAX_ORDER = 3;

    private SlubOrder() {
    }

    /** True when {@code kernel} uses the simplified 6.8+ {@code calculate_order}. */
    public static boolean newAlgorithm(KernelVersion kernel) {
        return kernel.has(Feature.SLUB_ORDER_SIMPLIFIED);
    }

    /** {@code order_objects(order, size)}: whole strides of {@code size} bytes in a block of {@code order}. */
    public static int orderObjects(int order, int size, int pageShift) {
        checkSize(size);
        return (int) ((1L << (pageShift + order)) / size);
    }

    /**
     * The {@code min_objects} of mm/slub.c: calculate_order(), calc_slab_order() (6.1): {@code slubMinObjects} when non-zero, else
     * {@code 4 × (fls(cpus) + 1)} (1 CPU → 8, 2–3 → 12, 4–7 → 16, 8–15 → 20, …).
     *
     * @param cpus           present CPUs, at least 1
     * @param slubMinObjects the {@code slub_min_objects=} boot option, 0 when not given
     */
    public static int minObjects(int cpus, int slubMinObjects) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be >= 1: " + cpus);
        }
        if (slubMinObjects < 0) {
            throw new IllegalArgumentException("slub_min_objects must be >= 0: " + slubMinObjects);
        }
        if (slubMinObjects != 0) {
            return slubMinObjects;
        }
        int fls = 32 - Integer.numberOfLeadingZeros(cpus);
        return 4 * (fls + 1);
    }

    /**
     * {@code calculate_order} (mm/slub.c: calculate_order(), calc_slab_order() (6.1)) with the algorithm of {@code kernel}.
     *
     * @return the slab order, or −1 when no order up to {@code buddyMaxOrder} holds one object
     */
    public static int calculateOrder(KernelVersion kernel, int size, int minObjects, int slubMinOrder,
                                     int slubMaxOrder, int buddyMaxOrder, int pageShift) {
        return calculateOrder(newAlgorithm(kernel), size, minObjects, slubMinOrder, slubMaxOrder, buddyMaxOrder,
                pageShift);
    }

    /**
     * {@code calculate_order} (mm/slub.c: calculate_order(), calc_slab_order() (6.1)): the 6.8+ algorithm when {@code newAlgorithm}, else the 6.1 – 6.7 one
     * (also 5.10's).
     *
     * @param size          the stride, {@code > 0}
     * @param minObjects    {@link #minObjects} for the machine
     * @param slubMinOrder  {@code slub_min_order} (default 0)
     * @param slubMaxOrder  {@code slub_max_order} (default 3), at least {@code slubMinOrder}
     * @param buddyMaxOrder the largest buddy order (inclusive)
     * @param pageShift     {@code PAGE_SHIFT}
     * @return the slab order, or −1 when no order up to {@code buddyMaxOrder} holds one object
     */
    public static int calculateOrder(boolean newAlgorithm, int size, int minObjects, int slubMinOrder,
                                     int slubMaxOrder, int buddyMaxOrder, int pageShift) {
        checkSize(size);
        if (slubMinOrder < 0 || slubMaxOrder < slubMinOrder) {
            throw new IllegalArgumentException("slub orders must satisfy 0 <= min <= max: min " + slubMinOrder
                    + ", max " + slubMaxOrder);
        }
        return newAlgorithm
                ? orderNew(size, minObjects, slubMinOrder, slubMaxOrder, buddyMaxOrder, pageShift)
                : orderOld(size, minObjects, slubMinOrder, slubMaxOrder, buddyMaxOrder, pageShift);
    }

    private static int orderNew(int size, int minObjects, int slubMinOrder, int slubMaxOrder, int buddyMax, int shift) {
        int maxObjects = Math.max(orderObjects(slubMaxOrder, size, shift), 1);
        int mo = Math.min(minObjects, maxObjects);
        int minOrder = Math.max(slubMinOrder, KmallocClasses.getOrder((long) mo * size, shift));
        if (orderObjects(minOrder, size, shift) > MAX_OBJS_PER_PAGE) {
            return KmallocClasses.getOrder((long) size * MAX_OBJS_PER_PAGE, shift) - 1;
        }
        for (int fraction = 16; fraction >= 2; fraction /= 2) {
            int order = firstOrderWithin(size, minOrder, slubMaxOrder, fraction, shift);
            if (order <= slubMaxOrder) {
                return order;
            }
        }
        int order = KmallocClasses.getOrder(size, shift);
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
            return KmallocClasses.getOrder((long) size * MAX_OBJS_PER_PAGE, shift) - 1;
        }
        int start = Math.max(slubMinOrder, KmallocClasses.getOrder((long) minObjects * size, shift));
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

    private static void checkSize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("slab stride must be > 0: " + size);
        }
    }
}
