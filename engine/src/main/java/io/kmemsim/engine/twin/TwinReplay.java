package io.kmemsim.engine.twin;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.engine.util.LongMaps;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replays a bundle's page events into a twin's allocator.
 *
 * <p>Exact mode follows the kernel event by event (6.1 {@code mm/page_alloc.c}):
 * <ul>
 *   <li>{@code mm_page_alloc_zone_locked} with {@code percpu_refill=1} for a pcp order: the block leaves the
 *       buddy lists for the CPU's per-CPU list ({@code rmqueue_bulk}); otherwise the next
 *       {@code mm_page_alloc} of it cuts it from the buddy lists.</li>
 *   <li>{@code mm_page_alloc}: the block at the trace's PFN is allocated, from a per-CPU list when it is on one.</li>
 *   <li>{@code mm_page_free}: pcp orders go onto the freeing CPU's list with no drain of their own
 *       ({@code free_unref_page}); other orders merge into the buddy lists ({@code __free_pages_ok}).
 *       A free of a block allocated before the trace returns its pages.</li>
 *   <li>{@code mm_page_pcpu_drain}: the block moves from its per-CPU list to the buddy lists
 *       ({@code free_pcppages_bulk}).</li>
 *   <li>{@code mm_page_alloc_extfrag} with {@code change_ownership=1}: the pageblock takes the allocation's
 *       type ({@code steal_suitable_fallback}); every pageblock of the fallback block when it is a pageblock or
 *       larger ({@code change_pageblock_range}).</li>
 *   <li>A free whose block the trace next takes from the buddy lists went there directly
 *       ({@link PageEvents#freesToBuddy}).</li>
 * </ul>
 * Policy mode gives the simulated allocator each traced allocation's order, gfp and CPU and lets it
 * choose; frees follow the handle. Events the twin cannot apply are counted by reason.
 */
final class TwinReplay {

    private static final MigrateType[] TYPES = MigrateType.values();
    private static final long TICK_NANOS = 100_000_000L;

    private final PageAllocator a;
    private final PageEvents ev;
    private final StartState start;
    private final int cpus;
    private final boolean cma;
    private final Map<String, Long> notReplayed = new LinkedHashMap<>();
    long traced;
    long replayed;

    TwinReplay(PageAllocator a, PageEvents ev, StartState start, Machine machine) {
        this.a = a;
        this.ev = ev;
        this.start = start;
        this.cpus = machine.cpus();
        this.cma = machine.config().cma();
    }

    Map<String, Long> notReplayed() {
        return notReplayed;
    }

    private void reason(String r) {
        notReplayed.merge(r, 1L, Long::sum);
    }

    private int cpu(int i) {
        return Math.floorMod(ev.cpu[i], cpus);
    }

    /** Exact replay; {@code live} holds the blocks allocated at the start (PFN → order). */
    void exact(Long2LongOpenHashMap live) {
        boolean[] toBuddy = ev.freesToBuddy(start::pcpOrder);
        int pbo = a.pageblockOrder();
        for (int i = 0; i < ev.size; i++) {
            long pfn = ev.pfn[i];
            int o = ev.order[i];
            if (pfn < 0 || o < 0 || o > a.maxOrder()) {
                if (ev.type[i] == PageEvents.ALLOC) {
                    reason(pfn < 0 ? "mm_page_alloc failed in the kernel (no page)" : "order above the twin's maximum");
                }
                continue;
            }
            switch (ev.type[i]) {
                case PageEvents.ZONE_LOCKED -> {
                    if (ev.arg[i] == 1 && start.pcpOrder(o) && !a.pcpRefillAt(pfn, o, cpu(i))) {
                        reason("mm_page_alloc_zone_locked: block not free in the twin");
                    }
                }
                case PageEvents.ALLOC -> {
                    traced++;
                    if (live.containsKey(pfn)) {
                        reason("mm_page_alloc: block already allocated in the twin (a free was not traced)");
                        continue;
                    }
                    if (a.allocateAt(pfn, o, ev.gfp[i], cpu(i)) == PageAllocator.NO_PAGE) {
                        reason("mm_page_alloc: block not free in the twin");
                    } else {
                        replayed++;
                        live.put(pfn, o);
                    }
                }
                case PageEvents.FREE -> {
                    if (free(live, pfn, o, i) && toBuddy[i]) {
                        a.pcpDrainAt(pfn, o);
                    }
                }
                case PageEvents.DRAIN -> {
                    if (!a.pcpDrainAt(pfn, o)) {
                        reason("mm_page_pcpu_drain: block not on a per-CPU list in the twin");
                    }
                }
                case PageEvents.EXTFRAG -> {
                    if (ev.arg[i] == 1) {
                        int blocks = 1 << Math.max(0, ev.fallbackOrder[i] - pbo);
                        for (int b = 0; b < blocks; b++) {
                            a.setPageblockType(pfn + ((long) b << pbo), type(ev.mt[i]));
                        }
                    }
                }
                default -> {
                }
            }
        }
    }

    /** Returns whether the block was freed. */
    private boolean free(Long2LongOpenHashMap live, long pfn, int o, int i) {
        long have = live.get(pfn);
        if (have == o) {
            live.remove(pfn);
            a.freeTraced(pfn, o, cpu(i));
            return true;
        } else if (have > o) {
            reason("mm_page_free: part of a larger allocation (split_page) freed on its own");
        } else if (have >= 0) {
            reason("mm_page_free: order larger than allocated");
        } else {
            reason("mm_page_free: block not allocated in the twin (allocated without a trace event)");
        }
        return false;
    }

    private MigrateType type(int traceMt) {
        if (!cma && traceMt == 4) {
            return MigrateType.ISOLATE;
        }
        return traceMt >= 0 && traceMt < TYPES.length ? TYPES[traceMt] : MigrateType.MOVABLE;
    }

    /** Policy replay; {@code preAllocated} holds the blocks allocated at the start (PFN → order). */
    void policy(Long2LongOpenHashMap preAllocated) {
        Long2LongOpenHashMap handles = LongMaps.create(1 << 14, -1);
        long nextTick = -1;
        for (int i = 0; i < ev.size; i++) {
            long t = ev.time[i];
            if (nextTick < 0) {
                nextTick = (t / TICK_NANOS + 1) * TICK_NANOS;
            } else if (t >= nextTick) {
                a.tick(t / TICK_NANOS * TICK_NANOS);
                nextTick = (t / TICK_NANOS + 1) * TICK_NANOS;
            }
            long pfn = ev.pfn[i];
            int o = ev.order[i];
            if (ev.type[i] == PageEvents.ALLOC) {
                if (pfn < 0) {
                    reason("mm_page_alloc failed in the kernel (no page)");
                    continue;
                }
                traced++;
                if (o > a.maxOrder()) {
                    reason("order above the twin's maximum");
                    continue;
                }
                if (handles.containsKey(pfn)) {
                    long old = handles.remove(pfn);
                    a.free(old >>> 5, (int) (old & 31), cpu(i));
                    reason("mm_page_alloc: PFN still live in the trace (a free was not traced)");
                }
                long sim = a.allocate(o, ev.gfp[i], cpu(i));
                if (sim == PageAllocator.NO_PAGE) {
                    reason("mm_page_alloc: the simulated allocator found no block");
                } else {
                    replayed++;
                    handles.put(pfn, sim << 5 | o);
                }
            } else if (ev.type[i] == PageEvents.FREE && pfn >= 0) {
                long h = handles.remove(pfn);
                if (h >= 0) {
                    a.free(h >>> 5, (int) (h & 31), cpu(i));
                } else if (preAllocated.get(pfn) == o) {
                    preAllocated.remove(pfn);
                    a.free(pfn, o, cpu(i));
                } else {
                    reason("mm_page_free: block not allocated in the twin (allocated without a trace event)");
                }
            }
        }
    }
}
