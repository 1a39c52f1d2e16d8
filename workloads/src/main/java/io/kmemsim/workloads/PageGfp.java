package io.kmemsim.workloads;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.plugin.ProviderContext;

/**
 * The gfp masks the page workloads use for each migrate type (include/linux/gfp_types.h: GFP_KERNEL (6.1); include/linux/gfp.h: gfp_migratetype() (6.1)),
 * and the parsing of migrate-type and order keys of weight tables.
 *
 * <ul>
 *   <li>unmovable: {@code GFP_KERNEL} (kernel data), or {@code GFP_ATOMIC} of the scenario kernel
 *       (0xa20 up to 6.2, 0x820 from 6.3) for the atomic share;</li>
 *   <li>movable: {@code GFP_HIGHUSER_MOVABLE} (anonymous and page-cache pages);</li>
 *   <li>reclaimable: {@code GFP_KERNEL | __GFP_RECLAIMABLE} (what slab pages of reclaimable caches
 *       such as dentries are allocated with).</li>
 * </ul>
 * Orders above 0 add {@code __GFP_COMP}: the kernel's multi-page users (slab, folios, THP) ask for
 * compound pages.
 */
final class PageGfp {

    static final int UNMOVABLE = 0;
    static final int MOVABLE = 1;
    static final int RECLAIMABLE = 2;

    private PageGfp() {
    }

    /** Maps {@code unmovable}, {@code movable}, {@code reclaimable} to 0, 1, 2. */
    static int parseMigrateType(String key) {
        return switch (key) {
            case "unmovable" -> UNMOVABLE;
            case "movable" -> MOVABLE;
            case "reclaimable" -> RECLAIMABLE;
            default -> throw new IllegalArgumentException(
                    "migrate type must be unmovable, movable or reclaimable: " + key);
        };
    }

    /** An order key in [0, largest order of the scenario's kernel and page size]. */
    static int parseOrder(String key, int maxOrder) {
        int order;
        try {
            order = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("order must be an integer: " + key, e);
        }
        return PageOrders.checkOrder(order, maxOrder);
    }

    /** The gfp of a non-atomic allocation of {@code migrateType} and {@code order}. */
    static int of(int migrateType, int order) {
        int gfp = switch (migrateType) {
            case UNMOVABLE -> Gfp.GFP_KERNEL;
            case MOVABLE -> Gfp.GFP_HIGHUSER_MOVABLE;
            case RECLAIMABLE -> Gfp.GFP_KERNEL | Gfp.RECLAIMABLE;
            default -> throw new IllegalArgumentException("migrate type must be 0, 1 or 2: " + migrateType);
        };
        return order > 0 ? gfp | Gfp.COMP : gfp;
    }

    /** The scenario's {@code GFP_ATOMIC}, with {@code __GFP_COMP} above order 0. */
    static int atomic(KernelVersion kernel, int order) {
        int gfp = Gfp.gfpAtomic(kernel);
        return order > 0 ? gfp | Gfp.COMP : gfp;
    }

    /** The largest buddy order of the scenario (include/linux/mmzone.h: MAX_ORDER (6.1); arch/arm64/Kconfig: ARCH_FORCE_MAX_ORDER (6.1)). */
    static int maxOrder(ProviderContext context) {
        KernelConfig config = context.kernelConfig();
        return PageOrders.maxOrder(context.kernel(), config);
    }

    /** Pages of RAM the platform has: the sum of its banks divided by the page size. */
    static long memoryPages(ProviderContext context) {
        long bytes = 0;
        for (var bank : context.platform().banks()) {
            bytes += bank.size();
        }
        return bytes / context.kernelConfig().pageSize().bytes();
    }
}
