package io.kmemsim.api.kernel;

import org.apiguardian.api.API;

/**
 * The largest buddy order and {@code pageblock_order} for a kernel version and configuration
 * (include/linux/mmzone.h: MAX_ORDER, PAGE_ALLOC_COSTLY_ORDER (6.1); include/linux/pageblock-flags.h: pageblock_order (6.1); arm64 defaults of {@code ARCH_FORCE_MAX_ORDER}).
 *
 * <p>Orders here are always the largest order kept, inclusive ("MAXO"): 10 on 4K pages in every
 * version, whatever the kernel called its macro.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PageOrders {

    /** {@code PAGE_ALLOC_COSTLY_ORDER}: orders above it are "costly" (all versions). */
    public static final int COSTLY_ORDER = 3;

    private PageOrders() {
    }

    /**
     * The largest order the buddy allocator keeps (inclusive) with the default
     * {@code ARCH_FORCE_MAX_ORDER}: 10 on 4K; on 16K 11 (5.10 without THP: 10); on 64K 13
     * (5.10 without THP: 10).
     */
    public static int maxOrder(KernelVersion kernel, KernelConfig config) {
        boolean old = !kernel.has(Feature.MAX_ORDER_BY_PAGE_SIZE);
        return switch (config.pageSize()) {
            case SIZE_4K -> 10;
            case SIZE_16K -> old && !config.transparentHugepage() ? 10 : 11;
            case SIZE_64K -> old && !config.transparentHugepage() ? 10 : 13;
        };
    }

    /**
     * {@code pageblock_order} with the default Kconfig: with HUGETLB it is the huge page order
     * (5.10: unclamped; 6.1+: clamped to the largest order); with only THP it is the PMD order from
     * 6.10 on and the largest order before; with neither, the largest order.
     */
    public static int pageblockOrder(KernelVersion kernel, KernelConfig config) {
        int max = maxOrder(kernel, config);
        int huge = config.pageSize().hugetlbOrder();
        if (config.hugetlb()) {
            return kernel.has(Feature.PAGEBLOCK_ORDER_CLAMPED) ? Math.min(huge, max) : huge;
        }
        if (config.transparentHugepage() && kernel.has(Feature.PAGEBLOCK_ORDER_THP)) {
            return Math.min(huge, max);
        }
        return max;
    }

    /** Checks {@code 0 <= order <= maxOrder}, with the message "order must be in [0, max]: order". */
    public static int checkOrder(int order, int maxOrder) {
        if (order < 0 || order > maxOrder) {
            throw new IllegalArgumentException("order must be in [0, " + maxOrder + "]: " + order);
        }
        return order;
    }
}
