package io.kmemsim.workloads;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.workload.Event;
import java.util.SplittableRandom;

/**
 * Page allocation and freeing with an order distribution, a migrate-type mix and a lifetime rule,
 * over one {@link LiveSet}: the body of the {@code churn} workload and the background of {@code thp}.
 *
 * <p>Notes — the lifetime rules decide, per event, whether to free (a uniformly random live block)
 * or to allocate:
 * <ul>
 *   <li>geometric, mean {@code M} events: free with probability {@code min(1, live / M)}. Each live
 *       block is then freed with probability {@code 1/M} per event, so lifetimes are geometric with
 *       mean {@code M} events, and the live count settles at {@code M/2} blocks (frees = allocations
 *       = 1/2 per event).</li>
 *   <li>live-target, {@code T} pages: free with probability {@code min(1, livePages / (2T))}; the
 *       stream balances (1/2 frees) when {@code livePages = T}.</li>
 * </ul>
 * A freed block is freed on the CPU that allocated it. Allocations and frees go through the
 * workload's {@link ArchEvents}, which adds the mapping after an allocation and the unmap before a free.
 */
final class PageChurn {

    private final LiveSet set;
    private final WeightTable orders;
    private final WeightTable migrateTypes;
    private final double atomicFraction;
    private final int cpus;
    private final double freePerBlock;
    private final double freePerPage;
    private final int[] gfpByTypeAndOrder;
    private final int[] atomicGfpByOrder;
    private final int maxOrder;
    private final ArchEvents arch;

    /**
     * @param freePerBlock 1/M for the geometric rule, else 0
     * @param freePerPage  1/(2T) for the live-target rule, else 0
     */
    PageChurn(LiveSet set, WeightTable orders, WeightTable migrateTypes, double atomicFraction, int cpus,
              double freePerBlock, double freePerPage, KernelVersion kernel, int maxOrder, ArchEvents arch) {
        this.arch = arch;
        this.set = set;
        this.orders = orders;
        this.migrateTypes = migrateTypes;
        this.atomicFraction = atomicFraction;
        this.cpus = cpus;
        this.freePerBlock = freePerBlock;
        this.freePerPage = freePerPage;
        this.maxOrder = maxOrder;
        this.gfpByTypeAndOrder = new int[3 * (maxOrder + 1)];
        this.atomicGfpByOrder = new int[maxOrder + 1];
        for (int order = 0; order <= maxOrder; order++) {
            for (int mt = 0; mt < 3; mt++) {
                gfpByTypeAndOrder[mt * (maxOrder + 1) + order] = PageGfp.of(mt, order);
            }
            atomicGfpByOrder[order] = PageGfp.atomic(kernel, order);
        }
    }

    /** One allocation or free, chosen by the lifetime rule. */
    void emit(Event into, SplittableRandom random) {
        double pFree = set.size() * freePerBlock + set.units() * freePerPage;
        if (set.size() > 0 && (set.isFull() || random.nextDouble() < pFree)) {
            free(into, random);
        } else {
            allocate(into, random);
        }
    }

    /** Allocates a block of a drawn order and migrate type. */
    void allocate(Event into, SplittableRandom random) {
        int order = orders.sample(random);
        int mt = migrateTypes.sample(random);
        int cpu = random.nextInt(cpus);
        int gfp = mt == PageGfp.UNMOVABLE && atomicFraction > 0 && random.nextDouble() < atomicFraction
                ? atomicGfpByOrder[order]
                : gfpByTypeAndOrder[mt * (maxOrder + 1) + order];
        long handle = set.add(order, cpu);
        into.pageAlloc(handle, order, gfp, cpu);
        arch.allocated(set, handle, order, mt, cpu, true);
    }

    /** Allocates one order-0 movable page (a base-page fault). */
    void allocateMovablePage(Event into, SplittableRandom random) {
        int cpu = random.nextInt(cpus);
        long handle = set.add(0, cpu);
        into.pageAlloc(handle, 0, gfpByTypeAndOrder[PageGfp.MOVABLE * (maxOrder + 1)], cpu);
        arch.allocated(set, handle, 0, PageGfp.MOVABLE, cpu, false);
    }

    /** Frees a uniformly random live block (or emits its unmap first); only called when one is live. */
    void free(Event into, SplittableRandom random) {
        freeRandom(set, arch, into, random);
    }

    /** Frees a uniformly random live block of {@code from} through {@code arch}; only called when it is not empty. */
    static void freeRandom(LiveSet from, ArchEvents arch, Event into, SplittableRandom random) {
        arch.free(from, from.randomPosition(random), into);
    }

    ArchEvents arch() {
        return arch;
    }

    LiveSet set() {
        return set;
    }
}
