package io.kmemsim.engine.slabinfo;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.api.slab.SlubOrder;

/**
 * Recomputes a SLUB {@code /proc/slabinfo} row's objects per slab and pages per slab from its
 * {@code <objsize>} and the machine's CPU count (mm/slub.c: calculate_order(), calc_slab_order() (6.1)), and its space and loss as the
 * kernel's {@code slabinfo} tool counts them (tools/vm/slabinfo.c: report() (6.1)).
 *
 * <p>Notes:
 * <ul>
 *   <li>{@code <objsize>} is the stride {@code s->size} (mm/slab_common.c: cache_show(), print_slabinfo_header() (6.1): the kernel prints {@code size}, not
 *       {@code object_size}), which already includes the free pointer of caches with a constructor or
 *       TYPESAFE_BY_RCU and any slub_debug metadata, so no layout is re-derived: mm/slub.c: calculate_order(), calc_slab_order() (6.1) says the order and
 *       objects per slab follow from the stride and the present-CPU count alone (checked on real 6.1
 *       boots).</li>
 *   <li>Assumed boot options: {@code slub_min_order=0}, {@code slub_max_order=3}, {@code slub_min_objects=0}.
 *       A cache made with a different order (boot options, or a non-4K-page kernel whose largest order
 *       differs from {@link io.kmemsim.api.kernel.PageOrders}) shows as DIFF.</li>
 *   <li>Space and loss: space = slabs × pages per slab × page size; loss = space − active objects ×
 *       objsize. The tool multiplies by {@code object_size}, which the file does not carry; with the
 *       stride the loss leaves out padding and metadata inside each stride. Efficiency = active objects ×
 *       objsize × 100 / space (100 when there are no slabs).</li>
 * </ul>
 *
 * @param row            the file's row
 * @param objPerSlab     computed objects per slab
 * @param pagesPerSlab   computed pages per slab (0 when no order fits)
 * @param match          computed values equal the file's
 * @param spaceBytes     memory held by the cache's slabs
 * @param lossBytes      space not covered by active objects' strides
 * @param efficiency     percent of space used by active objects' strides
 */
public record SlubGeometryCheck(CacheInfo row, int objPerSlab, int pagesPerSlab, boolean match, long spaceBytes,
                                long lossBytes, long efficiency) {

    /**
     * Checks one row.
     *
     * @param kernel        picks the {@code calculate_order} algorithm (6.8 changed it)
     * @param cpus          present CPUs of the machine the file came from
     * @param pageShift     {@code PAGE_SHIFT}
     * @param buddyMaxOrder the largest buddy order (inclusive)
     */
    public static SlubGeometryCheck of(CacheInfo row, KernelVersion kernel, int cpus, int pageShift, int buddyMaxOrder) {
        int minObjects = SlubOrder.minObjects(cpus, 0);
        int order = SlubOrder.calculateOrder(kernel, row.objSize(), minObjects, 0, SlubOrder.DEFAULT_MAX_ORDER,
                buddyMaxOrder, pageShift);
        int objs = order < 0 ? 0 : SlubOrder.orderObjects(order, row.objSize(), pageShift);
        int pagesPerSlab = order < 0 ? 0 : 1 << order;
        boolean match = objs == row.objPerSlab() && pagesPerSlab == row.pagesPerSlab();
        long space = row.numSlabs() * row.pagesPerSlab() << pageShift;
        long used = row.activeObjs() * row.objSize();
        long efficiency = space == 0 ? 100 : used * 100 / space;
        return new SlubGeometryCheck(row, objs, pagesPerSlab, match, space, space - used, efficiency);
    }

    /**
     * The slabinfo tool's scaled size ({@code store_size}, tools/vm/slabinfo.c: report() (6.1)): above 10^9 divided by 10^8 with
     * {@code G}, above 10^6 by 10^5 with {@code M}, above 1000 by 100 with {@code K}, and then a decimal
     * point before the last digit ({@code 40960 → 40.9K}); small values print as they are.
     */
    public static String scaled(long value) {
        long divisor;
        char unit;
        if (value > 1_000_000_000L) {
            divisor = 100_000_000L;
            unit = 'G';
        } else if (value > 1_000_000L) {
            divisor = 100_000L;
            unit = 'M';
        } else if (value > 1000L) {
            divisor = 100L;
            unit = 'K';
        } else {
            return Long.toString(value);
        }
        String digits = Long.toString(value / divisor);
        return digits.substring(0, digits.length() - 1) + "." + digits.charAt(digits.length() - 1) + unit;
    }
}
