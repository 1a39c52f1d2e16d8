package io.kmemsim.api.mm;

import io.kmemsim.api.stats.HasCounters;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A physical page allocator for one node: hands out and takes back blocks of {@code 2^order} pages,
 * named by their first PFN.
 *
 * <p>Contract:
 * <ul>
 *   <li>Only the host's thread calls it; CPUs are arguments, not threads. Calls are deterministic:
 *       the same sequence gives the same PFNs.</li>
 *   <li>The caller guarantees {@code 0 <= order <= maxOrder()} and {@code 0 <= cpu < cpus};
 *       violations throw {@link IllegalArgumentException} naming the rule and the value.</li>
 *   <li>Running out of memory is a return value ({@link #NO_PAGE}), not an exception.</li>
 *   <li>Misuse — freeing a block that is not allocated, with the wrong order, or outside the node —
 *       throws {@link PageAllocatorMisuseException} naming the rule, the PFN and the order.</li>
 *   <li>Blocks are aligned: a block of order {@code o} starts at a PFN that is a multiple of {@code 2^o}.</li>
 * </ul>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface PageAllocator extends HasCounters {

    /** Returned by {@link #allocate} when no block could be found. */
    long NO_PAGE = -1L;

    /**
     * Allocates a block of {@code 2^order} pages for a request with {@code gfp} flags made on {@code cpu}.
     *
     * @return the first PFN of the block, or {@link #NO_PAGE}
     */
    long allocate(int order, int gfp, int cpu);

    /**
     * Frees a block previously returned by {@link #allocate} (or {@link #allocateAt}) with the same order.
     */
    void free(long pfn, int order, int cpu);

    /**
     * Allocates exactly the block at {@code pfn}, for replaying a real machine's trace. Only offered
     * by allocators that declare {@link Capability#PLACE_AT_PFN}.
     *
     * @return {@code pfn}, or {@link #NO_PAGE} when that block is not free
     */
    default long allocateAt(long pfn, int order, int gfp, int cpu) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot place allocations at a PFN");
    }

    /**
     * Rebuilds the allocator's state from a real machine's snapshot: the free blocks per zone and
     * order (and migrate type and pageblock types when known) as the snapshot lists them, everything
     * else allocated. Only offered by allocators that declare {@link Capability#IMPORT_SNAPSHOT}.
     *
     * @throws IllegalArgumentException when the snapshot does not fit this allocator's zones (names
     *         the zone and what does not fit)
     */
    default void importFreeAreas(FreeAreaSnapshot snapshot) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot import a /proc snapshot");
    }

    /**
     * Rebuilds the allocator's state from a real machine's page state with positions (a digital twin's
     * start). Only offered by allocators that declare {@link Capability#IMPORT_PAGE_STATE}.
     *
     * @throws IllegalArgumentException when a block or setting does not fit (names the PFN or zone)
     */
    default void importPageState(PageStateImage image) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot import a page state");
    }

    /**
     * The kernel took the free block at {@code pfn} out of the buddy lists onto {@code cpu}'s per-CPU list
     * ({@code mm_page_alloc_zone_locked} with {@code percpu_refill=1}). Only with {@link Capability#TRACED_PCP}.
     *
     * @return false when that block is not free here
     */
    default boolean pcpRefillAt(long pfn, int order, int cpu) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot follow traced per-CPU lists");
    }

    /**
     * The kernel moved the per-CPU block at {@code pfn} back to the buddy lists ({@code mm_page_pcpu_drain}).
     * Only with {@link Capability#TRACED_PCP}.
     *
     * @return false when that block is not on a per-CPU list here
     */
    default boolean pcpDrainAt(long pfn, int order) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot follow traced per-CPU lists");
    }

    /**
     * Frees an allocated block as the kernel's trace shows it: an order the per-CPU lists take goes onto
     * {@code cpu}'s list without draining (the trace's own {@code mm_page_pcpu_drain} events drain), any other
     * order to the buddy lists. Only with {@link Capability#TRACED_PCP}.
     */
    default void freeTraced(long pfn, int order, int cpu) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot follow traced per-CPU lists");
    }

    /**
     * Sets the migrate type of the pageblock containing {@code pfn} ({@code mm_page_alloc_extfrag} with
     * {@code change_ownership=1}) and, where the allocator groups pages by mobility, moves the free blocks that
     * start in that pageblock to the new type's lists, as the kernel's claim does (6.1 mm/page_alloc.c:
     * steal_suitable_fallback(): move_to_free_list() / move_freepages_block()). Only with
     * {@link Capability#TRACED_PCP}.
     */
    default void setPageblockType(long pfn, io.kmemsim.api.kernel.MigrateType type) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot set pageblock types");
    }

    /**
     * Frees up to {@code pages} pages of {@code cpu}'s per-CPU lists of {@code zone} to the buddy lists as the
     * kernel's bulk free does (6.1 mm/page_alloc.c: free_pcppages_bulk(): list by list round robin, starting at
     * the order-0 movable list, each list from its tail), for a twin rebuilding
     * untraced work from a bundle's counts. Only with {@link Capability#TRACED_PCP}.
     *
     * @return the pages freed (fewer when the lists hold fewer)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default int pcpFreeBulk(io.kmemsim.api.kernel.ZoneType zone, int cpu, int pages) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot follow traced per-CPU lists");
    }

    /**
     * Moves up to {@code pages} order-0 pages of {@code type} from {@code zone}'s buddy lists onto {@code cpu}'s
     * per-CPU list as the kernel's refill does (6.1 mm/page_alloc.c: rmqueue_bulk() → __rmqueue(): the smallest
     * free block of the type first, split, then the fallback types), for a twin rebuilding untraced work. Only
     * with {@link Capability#TRACED_PCP}.
     *
     * @return the pages moved (fewer when the zone has no more free pages of that type or its fallbacks)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default int pcpRefill(io.kmemsim.api.kernel.ZoneType zone, int cpu, int pages, io.kmemsim.api.kernel.MigrateType type) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot follow traced per-CPU lists");
    }

    /**
     * Compacts every zone of the node through the compaction policy, as writing 1 to
     * {@code /proc/sys/vm/compact_memory} does. Only with {@link Capability#COMPACT_MEMORY}.
     */
    default void compactMemory() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot compact memory on request");
    }

    /**
     * {@link #compactMemory()} written from {@code cpu}: the per-CPU lists of that CPU take the step's order-0 frees
     * (migrated source pages, unused isolated pages: 6.1 mm/page_alloc.c free_unref_page_commit() on the running
     * CPU). By default the CPU is not modelled and this is {@link #compactMemory()}.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default void compactMemory(int cpu) {
        compactMemory();
    }

    /** What this allocator can do beyond the required operations. */
    default java.util.Set<Capability> capabilities() {
        return java.util.EnumSet.noneOf(Capability.class);
    }

    /** The largest order kept (inclusive): 10 on 4K pages. */
    int maxOrder();

    /** {@code pageblock_order}. */
    int pageblockOrder();

    /** The zones of the node in the kernel's order, configured ones only (populated or not). */
    List<? extends Zone> zones();

    /** Returns every page held on per-CPU lists to the buddy free lists. */
    void drainPerCpuLists();

    /**
     * Simulated cycles the allocator's own work has cost so far, from its cost model (list operations,
     * splits, merges, per-CPU list work); the arch hooks' cycles are separate. 0 for an allocator without
     * a cost model. The host takes the difference around each allocation as its latency.
     */
    default long cycles() {
        return 0;
    }

    /** Periodic work at simulated time {@code nowNanos} (e.g. kcompactd wakeups via the compaction policy). */
    default void tick(long nowNanos) {
    }

    /** Registers the listener told when a live block moves (compaction); replaces any earlier one. */
    default void setMigrationListener(MigrationListener listener) {
    }

    /**
     * Puts the block just allocated at {@code pfn} on an LRU list: {@code pageFlags} are the PAGE_ALLOC
     * event's {@link io.kmemsim.api.workload.Event#PAGE_FILE}, {@code PAGE_ANON}, {@code PAGE_DIRTY} and
     * owner bits. Only for allocators that declare {@link Capability#RECLAIM}; by default nothing.
     */
    default void lruAdd(long pfn, int order, long pageFlags) {
    }

    /** The live block at {@code pfn} was used again ({@code write}: dirtied); ages it on its LRU list. */
    default void pageAccessed(long pfn, boolean write) {
    }

    /** Writes back every dirty page cache page ({@code sync}). */
    default void writeback() {
    }

    /**
     * {@code register_shrinker}: the reclaim policy calls {@code shrinker} from {@code shrink_slab}. Only for
     * allocators that declare {@link Capability#RECLAIM}; by default ignored. Since 0.2.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default void registerShrinker(io.kmemsim.api.reclaim.Shrinker shrinker) {
    }

    /** Registers the listener told when reclaim or the OOM killer frees a live block; replaces any earlier one. */
    default void setReclaimListener(ReclaimListener listener) {
    }

    /**
     * Sets the narrator told every rule the allocator applies from now on, or removes it with {@code null}.
     * Only offered by allocators that declare {@link Capability#NARRATION}; narration is for small runs
     * ({@code kmemsim explain}), and costs one null check per step when no narrator is set.
     */
    default void setNarrator(Narrator narrator) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot narrate its steps");
    }

    /**
     * Checks every internal invariant (free lists consistent, counts match, no overlap, no unmerged
     * free buddies where merging was allowed, pageblock types valid).
     *
     * @throws IllegalStateException describing the first broken invariant
     */
    void checkInvariants();

    /** Optional abilities an allocator declares, rather than callers probing with {@code instanceof}. */
    @API(status = API.Status.STABLE, since = "0.1")
    enum Capability {
        /** {@link #allocateAt} works (exact trace replay). */
        PLACE_AT_PFN,
        /** Live movable blocks can be migrated (compaction). */
        MIGRATION,
        /** {@link #importFreeAreas} works. */
        IMPORT_SNAPSHOT,
        /** {@link #importPageState} works. */
        IMPORT_PAGE_STATE,
        /** {@link #pcpRefillAt}, {@link #pcpDrainAt}, {@link #freeTraced} and {@link #setPageblockType} work. */
        TRACED_PCP,
        /** {@link #compactMemory} works. */
        COMPACT_MEMORY,
        /** LRU lists and reclaim: {@link #lruAdd}, {@link #pageAccessed}, {@link #writeback}, a reclaim policy. */
        RECLAIM,
        /** {@link #setNarrator} works (step-by-step narration for {@code kmemsim explain}). */
        NARRATION
    }
}
