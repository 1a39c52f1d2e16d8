package io.kmemsim.buddy;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageOrders;

/**
 * The version-dependent rules of the buddy allocator, decided once per run from the kernel's
 * {@link Feature} table (versions, backports and origins live there; a bare series is judged on the
 * newest point release kmemsim describes). Fields are copied into plain booleans for the hot paths.
 */
final class KernelRules {

    final KernelVersion kernel;
    final int maxOrder;
    final int pageblockOrder;
    /** {@code SECTION_SIZE_BITS - PAGE_SHIFT}: pages per sparsemem section, as a shift. */
    final int sectionShift;
    /** mm/page_alloc.c: __free_one_page() (6.1) c: 6.1+ refuses merges above PBO between different types unless both are mergeable; 5.10 only refuses ISOLATE mixes. */
    final boolean mergeNeedsMergeableTypes;
    /** mm/page_alloc.c: __free_one_page() (6.1) e: a merge re-types the buddy's pageblock to the freed type (6.10+; listed as 6.12+). */
    final boolean retypeBuddyOnMerge;
    /** mm/page_alloc.c: __free_one_page() (6.1) e: every pageblock of the buddy is re-typed (6.19, 6.12.65+); else only the first. */
    final boolean retypeAllBuddyPageblocks;
    /** mm/page_alloc.c: __free_one_page() (6.1): split_large_buddy on the non-pcp free path (6.10+). */
    final boolean splitLargeBuddy;
    /** mm/page_alloc.c: free_pcppages_bulk(), get_pfnblock_migratetype() (6.1): the pcp drain re-reads the pageblock type (6.10+; listed 6.12+) instead of the cached type. */
    final boolean pcpRereadTypeAtDrain;
    /** include/linux/mmzone.h: struct per_cpu_pages (6.1): orders cached on pcp lists beyond 0 (5.13+, i.e. 6.1+). */
    final boolean pcpHighOrders;
    /** include/linux/mmzone.h: struct per_cpu_pages (6.1): number of pcp lists per CPU and zone: 3 (5.10), 13 (6.1.0–6.1.96, 6.2–6.8), 14 (6.1.97+, 6.10+). */
    final int pcpLists;
    /** mm/page_alloc.c: zone_batchsize(), zone_highsize() (6.1)/mm/page_alloc.c: free_unref_page_commit(), free_pcppages_bulk() (6.1): pcp high auto-tuned between high_min and high_max (6.7+). */
    final boolean pcpAutoTune;
    /** mm/page_alloc.c: free_unref_page_commit(), free_pcppages_bulk() (6.1): free_factor growth capped at CONFIG_PCP_BATCH_SCALE_MAX (6.1.104+, 6.7+). */
    final boolean pcpScaleCap;
    /** include/trace/events/kmem.h: TRACE_EVENT(mm_page_alloc) (6.1): mm_page_alloc_zone_locked comes from __rmqueue_smallest (6.1+) rather than __rmqueue (5.10). */
    final boolean zoneLockedFromSmallest;
    /** mm/internal.h: ALLOC_WMARK_MASK (6.1): the ALLOC_* rework (6.3+, 6.1.116+). */
    final boolean allocFlagsReworked;
    /** mm/internal.h: ALLOC_WMARK_MASK (6.1)/mm/page_alloc.c: reserve_highatomic_pageblock(), unreserve_highatomic_pageblock() (6.1): ALLOC_HIGHATOMIC needs __GFP_HIGH (≈6.17, 6.12.54+, 6.1.157+). */
    final boolean highatomicNeedsGfpHigh;
    /** mm/page_alloc.c: __rmqueue() (6.1): alloc flags that allow the last-resort HIGHATOMIC try: 0 (5.10, 6.1.0–6.1.115), OOM (6.4–6.8), OOM|NON_BLOCK (6.10+, 6.1.116+). */
    final int highatomicLastResortMask;
    /** mm/page_alloc.c: reserve_highatomic_pageblock(), unreserve_highatomic_pageblock() (6.1): reserve limit ALIGN(managed/100, PBN), none below PBN (6.8+); else managed/100 + PBN. */
    final boolean highatomicAlignedLimit;
    /** mm/page_alloc.c: reserve_highatomic_pageblock(), unreserve_highatomic_pageblock() (6.1): 6.12+ reserves all pageblocks of an allocation of order ≥ PBO and counts 2^order. */
    final boolean highatomicWholeAllocation;
    /** mm/page_alloc.c: __zone_watermark_ok() (6.1): the unusable highatomic pages are nr_free_highatomic (6.10+; listed 6.12+) rather than nr_reserved_highatomic. */
    final boolean unusableFreeHighatomic;
    /** mm/page_alloc.c: __zone_watermark_ok() (6.1): zone_watermark_fast's order-0 shortcut clamps at 0 (6.1+). */
    final boolean fastCheckClamped;
    /** mm/page_alloc.c: __zone_watermark_ok() (6.1): the boosted-min retry tests __GFP_ATOMIC (5.10, all 6.1.y) rather than ALLOC_MIN_RESERVE (6.4+). */
    final boolean boostRetryByGfpAtomic;
    /** mm/page_alloc.c: boost_watermark() (6.1): clearing ZONE_BOOSTED_WATERMARK needs ALLOC_KSWAPD in the request (6.5+). */
    final boolean boostedWakeNeedsKswapd;
    /** mm/page_alloc.c: get_page_from_freelist() (6.1): the ZONE_BELOW_HIGH test (6.7+). */
    final boolean belowHighFlag;
    /** include/linux/mmzone.h: struct free_area (6.1): NR_FREE_PAGES_BLOCKS exists (6.15+; read 6.18). */
    final boolean freePagesBlocks;

    KernelRules(KernelVersion k, KernelConfig config) {
        this.kernel = k;
        this.maxOrder = PageOrders.maxOrder(k, config);
        this.pageblockOrder = PageOrders.pageblockOrder(k, config);
        // not told the architecture: the x86_64 configurations are the ones with ZONE_DEVICE (differs before 5.12 only)
        this.sectionShift = config.pageSize().sectionSizeBits(k, !config.zoneDevice()) - config.pageSize().shift();
        this.mergeNeedsMergeableTypes = k.has(Feature.MERGE_NEEDS_MERGEABLE_TYPES);
        this.retypeBuddyOnMerge = k.has(Feature.MERGE_RETYPES_BUDDY);
        this.retypeAllBuddyPageblocks = k.has(Feature.MERGE_RETYPES_ALL_PAGEBLOCKS);
        this.splitLargeBuddy = k.has(Feature.SPLIT_LARGE_BUDDY);
        this.pcpRereadTypeAtDrain = k.has(Feature.PCP_DRAIN_REREADS_TYPE);
        this.pcpHighOrders = k.has(Feature.PCP_HIGH_ORDERS);
        this.pcpLists = !pcpHighOrders ? 3 : k.has(Feature.PCP_LIST_FOR_THP_SPLIT) ? 14 : 13;
        this.pcpAutoTune = k.has(Feature.PCP_HIGH_AUTOTUNE);
        this.pcpScaleCap = k.has(Feature.PCP_SCALE_CAP);
        this.zoneLockedFromSmallest = k.has(Feature.ZONE_LOCKED_FROM_SMALLEST);
        this.allocFlagsReworked = k.has(Feature.ALLOC_FLAGS_REWORK);
        this.highatomicNeedsGfpHigh = k.has(Feature.HIGHATOMIC_NEEDS_GFP_HIGH);
        if (k.has(Feature.HIGHATOMIC_LAST_RESORT_NON_BLOCK)) {
            this.highatomicLastResortMask = AllocFlags.OOM | AllocFlags.NON_BLOCK;
        } else {
            this.highatomicLastResortMask = allocFlagsReworked ? AllocFlags.OOM : 0;
        }
        this.highatomicAlignedLimit = k.has(Feature.HIGHATOMIC_ALIGNED_LIMIT);
        this.highatomicWholeAllocation = k.has(Feature.HIGHATOMIC_WHOLE_ALLOCATION);
        this.unusableFreeHighatomic = k.has(Feature.UNUSABLE_FREE_HIGHATOMIC);
        this.fastCheckClamped = k.has(Feature.WATERMARK_FAST_CLAMPED);
        this.boostRetryByGfpAtomic = k.has(Feature.BOOST_RETRY_BY_GFP_ATOMIC);
        this.boostedWakeNeedsKswapd = k.has(Feature.BOOSTED_WAKE_NEEDS_KSWAPD);
        this.belowHighFlag = k.has(Feature.ZONE_BELOW_HIGH);
        this.freePagesBlocks = k.has(Feature.FREE_PAGES_BLOCKS);
    }
}
