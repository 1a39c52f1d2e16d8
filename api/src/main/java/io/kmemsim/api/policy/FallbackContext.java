package io.kmemsim.api.policy;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.Zone;
import org.apiguardian.api.API;

/**
 * The page allocator's side of a fallback: the request, read access to the zone's free lists and
 * pageblocks, and the list operations a {@link FallbackPolicy} may ask for. Each operation does the
 * kernel's list work exactly (tail or head placement, counters, {@code expand}) so that policies never
 * touch allocator state directly.
 *
 * <p>Valid only during {@link FallbackPolicy#fallback}. PFNs passed in must be the head of a free
 * block the context reported (operations check and throw {@link IllegalArgumentException} otherwise).
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface FallbackContext {

    // ---- the request ----

    /** The scenario's kernel version (policies that follow the kernel choose their era from it). */
    KernelVersion kernel();

    /** The zone being allocated from. */
    Zone zone();

    /** The requested order. */
    int order();

    /** The requested migrate type (one of the three pcp types). */
    MigrateType requested();

    /** True when only whole pageblocks may be taken ({@code ALLOC_NOFRAGMENT}, fast path). */
    boolean noFragment();

    /** True when the allocator's request may wake kswapd ({@code ALLOC_KSWAPD}); boosting then flags the zone. */
    boolean kswapdAllowed();

    /** {@code pageblock_order}. */
    int pageblockOrder();

    /** The largest order kept (inclusive). */
    int maxOrder();

    /** True when mobility grouping is disabled ({@code page_group_by_mobility_disabled}). */
    boolean mobilityGroupingDisabled();

    // ---- reading ----

    /** The PFN of the head of the free list ({@code order}, {@code mt}), or −1 when the list is empty. */
    long headBlock(int order, MigrateType mt);

    /** The migrate type of the pageblock containing {@code pfn}. */
    MigrateType pageblockType(long pfn);

    /** True when the whole pageblock containing {@code pfn} lies inside the zone. */
    boolean pageblockInZone(long pfn);

    /** Pages in free buddy blocks inside the pageblock containing {@code pfn}. */
    int freePagesInPageblock(long pfn);

    /** Allocated pages in the pageblock containing {@code pfn} that are movable (allocated as MOVABLE, not pinned). */
    int movablePagesInPageblock(long pfn);

    // ---- acting ----

    /**
     * Takes the free block at {@code pfn} of {@code blockOrder}, splits it down to {@link #order()}
     * and puts the remainders on the lists of {@code remainderType}. The pageblock type is unchanged.
     *
     * @return {@code pfn}
     */
    long takeBlock(long pfn, int blockOrder, MigrateType remainderType);

    /**
     * For a block of order {@code >= pageblockOrder()}: re-types every pageblock it covers to the
     * requested type, takes it and splits it with remainders on the requested type's lists.
     *
     * @return {@code pfn}
     */
    long claimWholeBlock(long pfn, int blockOrder);

    /**
     * Moves every free block inside the pageblock containing {@code pfn} to the tail of
     * {@code to}'s list of its order ({@code move_freepages_block}).
     *
     * @return the number of pages moved
     */
    int moveFreePagesOfPageblock(long pfn, MigrateType to);

    /** Moves the single free block at {@code pfn} to the tail of {@code to}'s list of its order. */
    void moveBlock(long pfn, int blockOrder, MigrateType to);

    /** Sets the type of the pageblock containing {@code pfn} (stored as UNMOVABLE when grouping is disabled). */
    void setPageblockType(long pfn, MigrateType mt);

    /**
     * {@code __rmqueue_smallest(order(), mt)}: takes the head of the smallest non-empty list of
     * {@code mt} at or above the requested order and splits it.
     *
     * @return the PFN, or −1
     */
    long allocateSmallest(MigrateType mt);

    /** Boosts the zone's watermark as the kernel does on a fragmenting fallback (no-op when boosting is off). */
    void boostWatermark();

    /**
     * Records a fallback ({@code mm_page_alloc_extfrag} and the extfrag counter) for the block at
     * {@code pfn} of {@code fallbackOrder} taken from {@code fallbackType}; call it once per
     * fallback, after any claim, as the kernel does.
     */
    void recordFallback(long pfn, int fallbackOrder, MigrateType fallbackType);
}
