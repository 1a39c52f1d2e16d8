package io.kmemsim.api.kernel;

import static io.kmemsim.api.kernel.Span.backportsOnly;
import static io.kmemsim.api.kernel.Span.before;
import static io.kmemsim.api.kernel.Span.series;
import static io.kmemsim.api.kernel.Span.since;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Every kernel behaviour kmemsim models that depends on the kernel version, in one table: its name,
 * the versions it holds for ({@link Span}: mainline releases and stable backports), one line saying
 * what it is, and where it came from. Code asks {@code kernel.has(Feature.X)} instead of comparing
 * versions, so {@code grep Feature.X} finds a rule's one definition and every user of it.
 *
 * <p>Where the exact release of a change is not known, the span starts at the first series after the
 * newest one known without it, and {@link #origin()} says so ("between 5.10 and 6.1"): kmemsim models
 * the versions it was checked against (5.10, 6.1, 6.6, 6.12, 6.18 …), not every release in between.
 * {@code kmemsim kernel features --kernel 6.1.116} prints the table for one version.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public enum Feature {

    // ---- the range kmemsim models ----
    MODEL_WATERMARK_FORMULA(Area.MODEL, since(3, 10),
            "the per-zone min/low/high formula kmemsim computes (earlier kernels are refused)",
            "mm/page_alloc.c: __setup_per_zone_wmarks() as in 3.10"),
    MODEL_ZONE_FORMULAS(Area.MODEL, since(5, 10),
            "pcp sizing, lowmem_reserve, min_free_kbytes and the zoneinfo layout as kmemsim renders them (earlier kernels are refused)",
            "5.10, the oldest series kmemsim models in full"),
    MIGRATE_CMA(Area.MODEL, since(3, 5),
            "MIGRATE_CMA exists, so a kernel with CMA has 6 migrate types (5 before)",
            "3.5 (contiguous memory allocator)"),
    MIGRATE_TYPES_4_4(Area.MODEL, since(4, 4),
            "today's migrate type order: Movable before Reclaimable, HighAtomic in place of Reserve",
            "4.4 (mm/page_alloc.c: high-order atomic reserves; include/linux/mmzone.h)"),

    // ---- gfp flags ----
    GFP_BITS_5_1(Area.GFP, since(5, 1),
            "the gfp bit layout and ftrace name table of 5.1 and later (older kernels use the version's own table)",
            "5.1 (gfp bit reorder)"),
    GFP_ATOMIC_FLAG(Area.GFP, before(6, 3),
            "__GFP_ATOMIC (0x200) exists and is part of GFP_ATOMIC",
            "removed in 6.3 with the ALLOC_* rework (include/linux/gfp_types.h)"),
    GFP_ZEROTAGS(Area.GFP, since(5, 11),
            "__GFP_ZEROTAGS and __GFP_SKIP_KASAN bits are in the gfp name table",
            "between 5.10 and 6.1 (absent in 5.10, present in 6.1)"),
    GFP_NOWAIT_NOWARN(Area.GFP, since(6, 8),
            "GFP_NOWAIT includes __GFP_NOWARN",
            "6.8 (include/linux/gfp_types.h)"),
    GFP_NAMES_BIT_ORDER(Area.GFP, since(6, 10),
            "the ftrace gfp name table lists composites, then single bits in bit order",
            "6.10 (include/trace/events/mmflags.h; read in 6.12)"),

    // ---- page orders ----
    MAX_ORDER_INCLUSIVE(Area.ORDERS, since(6, 4),
            "MAX_ORDER names the largest order itself (0..10); before it was one past the largest",
            "6.4 (MAX_ORDER redefined; include/linux/mmzone.h)"),
    MAX_PAGE_ORDER_NAME(Area.ORDERS, since(6, 8),
            "the largest order is named MAX_PAGE_ORDER",
            "6.8 (include/linux/mmzone.h)"),
    MAX_ORDER_BY_PAGE_SIZE(Area.ORDERS, since(5, 11),
            "16K and 64K kernels keep orders up to 11 and 13 even without THP (5.10: 10 without THP)",
            "between 5.10 and 6.1 (arch/arm64/Kconfig ARCH_FORCE_MAX_ORDER)"),
    PAGEBLOCK_ORDER_CLAMPED(Area.ORDERS, since(5, 11),
            "pageblock_order with HUGETLB is clamped to the largest buddy order",
            "between 5.10 and 6.1 (include/linux/pageblock-flags.h)"),
    PAGEBLOCK_ORDER_THP(Area.ORDERS, since(6, 10),
            "with THP but no HUGETLB, pageblock_order is the PMD order (before: the largest order); the THP order is the PMD order",
            "6.10 (include/linux/pageblock-flags.h)"),

    // ---- watermarks and reserves ----
    WATERMARK_SCALE_FACTOR(Area.WATERMARKS, since(4, 6),
            "vm.watermark_scale_factor exists and sets the min-low-high gap",
            "4.6 (mm/page_alloc.c: __setup_per_zone_wmarks())"),
    WATERMARK_SCALE_FACTOR_3000(Area.WATERMARKS, since(6, 1),
            "vm.watermark_scale_factor accepts up to 3000 (before: 1000)",
            "between 5.10 and 6.1 (kernel/sysctl.c, mm/page_alloc.c sysctl table)"),
    WATERMARK_PROMO(Area.WATERMARKS, since(6, 1),
            "zones have a WMARK_PROMO watermark",
            "between 5.10 and 6.1 (memory tiering; include/linux/mmzone.h)"),
    ZONEINFO_PROMO_LINE(Area.PROCFS, since(6, 12),
            "/proc/zoneinfo prints the promo watermark",
            "between 6.6 and 6.12 (mm/vmstat.c: zoneinfo_show_print())"),
    WATERMARKS_SKIP_MOVABLE(Area.WATERMARKS, since(6, 6),
            "ZONE_MOVABLE takes no share of pages_min",
            "6.6 (mm/page_alloc.c: __setup_per_zone_wmarks())"),
    LOWMEM_RESERVE_AT_LATE_INIT(Area.WATERMARKS, since(6, 1),
            "lowmem_reserve is recomputed after the init memory is freed, with the final managed pages",
            "between 5.10 and 6.1 (mm/page_alloc.c: init_per_zone_wmark_min() as a late initcall)"),
    LOWMEM_RESERVE_ZERO_FOR_EMPTY_ZONE(Area.WATERMARKS, since(6, 10).until(6, 14).fixedIn(6, 12, 19).fixedIn(6, 13, 7),
            "an empty upper zone contributes 0 to the protection of the zones below",
            "6.10 (mm/page_alloc.c: setup_per_zone_lowmem_reserve()); reverted in 6.14, 6.12.19 and 6.13.7"),

    // ---- per-cpu page lists ----
    PCP_HIGH_ORDERS(Area.PCP, since(5, 13),
            "pcp lists cache orders 1..3 and the THP order, not only order 0",
            "5.13 (mm/page_alloc.c: order_to_pindex())"),
    PCP_LIST_FOR_THP_SPLIT(Area.PCP, since(6, 10).backport(6, 1, 97),
            "one more pcp list (14 instead of 13)",
            "6.10, and 6.1.97 by backport (include/linux/mmzone.h NR_PCP_LISTS)"),
    PCP_HIGH_FROM_WATERMARK(Area.PCP, since(5, 11),
            "pcp high comes from the low watermark shared by the CPUs (zone_highsize) instead of 6 × batch",
            "between 5.10 and 6.1 (mm/page_alloc.c: zone_highsize())"),
    PCP_HIGH_AUTOTUNE(Area.PCP, since(6, 7),
            "pcp high is auto-tuned between high_min and high_max",
            "6.7 (mm/page_alloc.c: nr_pcp_high())"),
    PCP_SCALE_CAP(Area.PCP, since(6, 7).backport(6, 1, 104),
            "the pcp free batch growth is capped at CONFIG_PCP_BATCH_SCALE_MAX",
            "6.7, and 6.1.104 by backport (mm/page_alloc.c: nr_pcp_free())"),
    PCP_BATCH_AT_LEAST_ONE(Area.PCP, since(6, 19),
            "zone_batchsize() never returns 0, even for tiny zones",
            "6.19 (mm/page_alloc.c: zone_batchsize())"),
    PCP_DRAIN_REREADS_TYPE(Area.PCP, since(6, 10),
            "a pcp drain frees each page to its pageblock's current type rather than the type cached at free time",
            "6.10 (mm/page_alloc.c: free_pcppages_bulk())"),
    PERCPU_PAGELIST_HIGH_FRACTION(Area.PCP, since(5, 14),
            "the sysctl is vm.percpu_pagelist_high_fraction (before: vm.percpu_pagelist_fraction, which also set batch)",
            "5.14 (mm/page_alloc.c)"),
    ZONEINFO_PAGESET_ALIGNED(Area.PROCFS, since(6, 13),
            "/proc/zoneinfo aligns the pageset count/high/batch columns",
            "between 6.12 and 6.13 (mm/vmstat.c: zoneinfo_show_print())"),

    // ---- buddy ----
    MERGE_NEEDS_MERGEABLE_TYPES(Area.BUDDY, since(5, 11),
            "a merge above pageblock order between different types needs both types mergeable (5.10 refused only ISOLATE mixes)",
            "between 5.10 and 6.1 (mm/page_alloc.c: __free_one_page())"),
    MERGE_RETYPES_BUDDY(Area.BUDDY, since(6, 10),
            "a merge above pageblock order re-types the buddy's pageblock to the freed type",
            "6.10 (mm/page_alloc.c: __free_one_page(), freelist hygiene series)"),
    MERGE_RETYPES_ALL_PAGEBLOCKS(Area.BUDDY, since(6, 19).backport(6, 12, 65),
            "that re-typing covers every pageblock of the buddy, not only the first",
            "6.19, and 6.12.65 by backport"),
    SPLIT_LARGE_BUDDY(Area.BUDDY, since(6, 10),
            "the non-pcp free path splits a block larger than a pageblock before freeing (split_large_buddy)",
            "6.10 (mm/page_alloc.c: split_large_buddy())"),
    ZONE_LOCKED_FROM_SMALLEST(Area.TRACE, since(5, 11),
            "mm_page_alloc_zone_locked is emitted from __rmqueue_smallest (5.10: from __rmqueue)",
            "between 5.10 and 6.1 (mm/page_alloc.c)"),
    WATERMARK_FAST_CLAMPED(Area.BUDDY, since(5, 11),
            "zone_watermark_fast's order-0 shortcut clamps the free count at 0",
            "between 5.10 and 6.1 (mm/page_alloc.c: zone_watermark_fast())"),
    CMA_BYPASS_WITHOUT_ALLOC_CMA(Area.BUDDY, before(6, 2),
            "a movable request without ALLOC_CMA skips the CMA-first balancing check in __rmqueue",
            "changed in 6.2 (mm/page_alloc.c: __rmqueue())"),
    ALLOC_FLAGS_REWORK(Area.BUDDY, since(6, 3).backport(6, 1, 116),
            "the ALLOC_* rework: ALLOC_NON_BLOCK, ALLOC_MIN_RESERVE, ALLOC_HIGHATOMIC replace __GFP_ATOMIC tests",
            "6.3, and 6.1.116 by backport (mm/page_alloc.c: gfp_to_alloc_flags())"),
    HIGHATOMIC_NEEDS_GFP_HIGH(Area.BUDDY, since(6, 17).backport(6, 12, 54).backport(6, 1, 157),
            "ALLOC_HIGHATOMIC needs __GFP_HIGH in the request",
            "≈6.17, and 6.12.54 and 6.1.157 by backport (mm/page_alloc.c: gfp_to_alloc_flags())"),
    HIGHATOMIC_LAST_RESORT_NON_BLOCK(Area.BUDDY, since(6, 10).backport(6, 1, 116),
            "the last-resort HIGHATOMIC try is also allowed to ALLOC_NON_BLOCK requests (not only ALLOC_OOM)",
            "6.10, and 6.1.116 by backport (mm/page_alloc.c: rmqueue_buddy())"),
    HIGHATOMIC_ALIGNED_LIMIT(Area.BUDDY, since(6, 8),
            "the highatomic reserve limit is ALIGN(managed / 100, pageblock pages), none below one pageblock",
            "6.8 (mm/page_alloc.c: reserve_highatomic_pageblock())"),
    HIGHATOMIC_WHOLE_ALLOCATION(Area.BUDDY, since(6, 10),
            "a highatomic reservation of order ≥ pageblock order takes all its pageblocks and counts 2^order",
            "6.10 (mm/page_alloc.c: reserve_highatomic_pageblock(); read in 6.12)"),
    UNUSABLE_FREE_HIGHATOMIC(Area.BUDDY, since(6, 10),
            "the watermark check treats nr_free_highatomic (not nr_reserved_highatomic) as unusable",
            "6.10 (mm/page_alloc.c: __zone_watermark_unusable_free(); read in 6.12)"),
    BOOST_RETRY_BY_GFP_ATOMIC(Area.BUDDY, before(6, 3),
            "the boosted-min retry tests __GFP_ATOMIC rather than ALLOC_MIN_RESERVE (every 6.1.y too)",
            "changed in 6.3 (mm/page_alloc.c: zone_watermark_fast())"),
    BOOSTED_WAKE_NEEDS_KSWAPD(Area.BUDDY, since(6, 5),
            "clearing ZONE_BOOSTED_WATERMARK to wake kswapd needs ALLOC_KSWAPD in the request",
            "6.5 (mm/page_alloc.c: rmqueue())"),
    ZONE_BELOW_HIGH(Area.BUDDY, since(6, 7),
            "the ZONE_BELOW_HIGH flag is tested and set on the free path",
            "6.7 (mm/page_alloc.c: free_unref_page_commit())"),
    FREE_PAGES_BLOCKS(Area.BUDDY, since(6, 15),
            "NR_FREE_PAGES_BLOCKS counts free pages in blocks of pageblock order and above",
            "6.15 (mm/page_alloc.c: account_freepages(); read in 6.18)"),
    ZONEINFO_FREE_PAGES_BLOCKS(Area.PROCFS, since(6, 18),
            "/proc/zoneinfo prints nr_free_pages_blocks",
            "between 6.14 and 6.18 (mm/vmstat.c)"),
    ZONEINFO_HIGHATOMIC_LINES(Area.PROCFS, since(6, 19),
            "/proc/zoneinfo prints reserved_highatomic and free_highatomic",
            "6.19 (mm/vmstat.c: zoneinfo_show_print())"),
    ZONEINFO_BOOST_AND_CMA(Area.PROCFS, since(6, 1),
            "/proc/zoneinfo prints the boost and cma lines",
            "between 5.10 and 6.1 (mm/vmstat.c: zoneinfo_show_print())"),
    EXTFRAG_WIDTH_2(Area.PROCFS, since(5, 16),
            "/sys/kernel/debug/extfrag/extfrag_index pads the integer part to two columns",
            "between 5.10 and 6.1 (mm/vmstat.c: extfrag_show_print())"),

    // ---- fallback and compaction ----
    FALLBACK_NO_FRAGMENT_HIGH_ORDERS(Area.FALLBACK, before(5, 11),
            "the no-fragmentation fallback rule applies to every order, not only below pageblock order",
            "changed between 5.10 and 6.1 (mm/page_alloc.c: find_suitable_fallback())"),
    FALLBACK_STRICT_FREELISTS(Area.FALLBACK, since(6, 10),
            "free lists stay strictly by type: a claim re-types and moves a block, a steal takes one block",
            "6.10 (mm/page_alloc.c: freelist migratetype hygiene)"),
    FALLBACK_CLAIM_THEN_STEAL(Area.FALLBACK, since(6, 15).backport(6, 12, 29),
            "fallback first tries to claim a whole block from the largest order, else steals the smallest",
            "6.15, and 6.12.29 by backport (mm/page_alloc.c: __rmqueue_claim(), __rmqueue_steal())"),
    COMPACTION_FOLIOS(Area.COMPACTION, since(6, 10),
            "compaction isolates and migrates folios as whole units (before: the page-based legacy path)",
            "6.10 (mm/compaction.c: isolate_migratepages_block())"),
    COMPACTION_COSTLY_ASYNC_SKIP(Area.COMPACTION, since(6, 14),
            "async compaction of a costly order without ALLOC_CMA is skipped when order-0 pages are short",
            "6.14 (mm/compaction.c: compaction_suitable())"),
    PROACTIVE_LEEWAY(Area.COMPACTION, since(6, 18),
            "proactive compaction's thresholds are 100 − p and min(low + min(10, low / 2), 100)",
            "between 6.14 and 6.18 (mm/compaction.c: fragmentation_score_wmark())"),

    // ---- kmalloc and slab ----
    KMALLOC_CGROUP_CACHES(Area.KMALLOC, since(5, 14),
            "kmalloc-cg-* caches exist for __GFP_ACCOUNT and the kmalloc type order puts DMA after them",
            "5.14 (mm/slab_common.c; include/linux/slab.h kmalloc_type())"),
    KMALLOC_RECLAIM_BEFORE_DMA(Area.KMALLOC, since(6, 6),
            "the kmalloc type order is normal, reclaimable, dma, cgroup",
            "6.6 (include/linux/slab.h enum kmalloc_cache_type)"),
    ARM64_KMALLOC_MINALIGN_8(Area.KMALLOC, since(6, 5),
            "arm64's ARCH_KMALLOC_MINALIGN is 8 (bouncing non-coherent DMA); before it was 128",
            "6.5 (arch/arm64/include/asm/cache.h)"),
    KMALLOC_ALIGN_LOWEST_BIT(Area.KMALLOC, since(6, 12),
            "a kmalloc cache is aligned to the largest power of two dividing its size (96 → 32)",
            "by 6.12 (mm/slab_common.c: create_kmalloc_cache()); the exact release is not pinned"),
    SLAB_NO_MERGE_FLAG(Area.SLAB, since(6, 5),
            "SLAB_NO_MERGE exists and is in the never-merge mask",
            "6.5 (include/linux/slab.h)"),
    SLAB_LARGE_KMALLOC(Area.SLAB, since(6, 1),
            "SLAB serves kmalloc above the largest cache from the page allocator (large kmalloc)",
            "6.1 (mm/slab_common.c: __kmalloc_large_node())"),
    SLAB_ALLOCATOR_REMOVED(Area.SLAB, since(6, 8),
            "the SLAB allocator no longer exists (only SLUB)",
            "6.8 (CONFIG_SLAB removed)"),
    SLUB_ORDER_SIMPLIFIED(Area.SLUB, since(6, 8),
            "the simplified calculate_order",
            "6.8 (mm/slub.c: calculate_order())"),
    SLUB_PARTIAL_UNFROZEN(Area.SLUB, since(6, 8),
            "cpu partial slabs are no longer frozen; the slow path loops over the cpu partial list",
            "6.8 (mm/slub.c: ___slab_alloc())"),
    SLUB_PARTIAL_BY_SLABS(Area.SLUB, since(5, 16),
            "the cpu partial limit counts slabs (cpu_partial_slabs) instead of free objects",
            "5.16 (mm/slub.c: slub_set_cpu_partial())"),
    SLUB_STACK_DEPOT_TRACK(Area.SLUB, since(5, 17),
            "debug tracks store a stack depot handle: sizeof(struct track) 32 instead of 152",
            "5.17 (mm/slub.c struct track)"),
    SLUB_ORIG_SIZE(Area.SLUB, since(6, 1),
            "red-zoned kmalloc caches keep the requested size after the track (orig_size)",
            "6.1 (mm/slub.c: set_orig_size())"),
    SLUB_ORIG_SIZE_8_BYTES(Area.SLUB, since(6, 13).backport(6, 12, 75),
            "that orig_size word is 8 bytes (unsigned long) instead of 4",
            "6.13, and 6.12.75 by backport (mm/slub.c)"),
    SLUB_FREEPTR_OUTSIDE_ORIG(Area.SLUB, since(6, 11),
            "a red-zoned kmalloc cache with orig_size keeps the free pointer outside the object",
            "≈6.11 (mm/slub.c: calculate_sizes())"),
    SLUB_COMP_ALWAYS(Area.SLUB, since(6, 6),
            "the slab page allocation always carries __GFP_COMP",
            "by 6.6 (mm/slub.c: allocate_slab()); 5.10 and 6.1 only above order 0"),
    SLUB_KREALLOC_BY_CACHE(Area.SLUB, since(6, 13),
            "krealloc sizes the old object from its cache (and orig_size when tracked) rather than ksize",
            "6.13 (mm/slab_common.c: __do_krealloc())"),
    SLUB_KMALLOC_REDZONE(Area.SLUB, since(6, 2),
            "kmalloc red zones cover the bytes between the requested and the object size",
            "6.2 (mm/slub.c: set_orig_size() users)"),
    SLUB_ERRORS_COUNTED_6_12(Area.SLUB, since(6, 12),
            "slab_err and object count mismatches bump the error count; padding errors no longer do",
            "6.12 (mm/slub.c: slab_err(), slab_pad_check())"),
    SLUB_DEBUG_PARAM_SLAB_DEBUG(Area.SLUB, since(6, 8),
            "the boot parameter is slab_debug= (slub_debug= kept as an alias)",
            "6.8 (mm/slub.c)"),
    SLUB_REPORT_NO_INFO_PREFIX(Area.SLUB, since(5, 13),
            "corruption reports drop the INFO: prefix and print one report per failing region",
            "5.13 (mm/slub.c: print_trailer())"),
    SLUB_REPORT_EVERY_REGION(Area.SLUB, since(6, 11),
            "check_object checks every region and any failure fails the object",
            "6.11 (mm/slub.c: check_object())"),
    SLUB_REPORT_OVERWRITTEN_LINES(Area.SLUB, since(6, 15).backport(6, 12, 46),
            "reports use [<what> overwritten] lines, one Object corrupt report per object, and WARN",
            "6.15, and 6.12.46 by backport (mm/slub.c)"),

    // ---- trace formats ----
    TRACE_PFN_HEX(Area.TRACE, since(5, 11),
            "page tracepoints print pfn=0x%lx (5.10: decimal)",
            "between 5.10 and 6.1 (include/trace/events/kmem.h)"),
    TRACE_PAGE_EVENTS_RECORD_PFN(Area.TRACE, since(4, 2),
            "page tracepoints record the pfn (a failed allocation prints pfn -1 / no page); before, a struct page pointer",
            "4.2 (include/trace/events/kmem.h)"),
    TRACE_FLAGS_FIVE_COLUMNS(Area.TRACE, since(5, 13),
            "the ftrace latency-flags field has five characters (migrate-disable column)",
            "5.13 (kernel/trace/trace_output.c: trace_print_lat_fmt())"),
    TRACE_CALL_SITE_HEX_PREFIX(Area.TRACE, since(5, 4),
            "kmem tracepoints print call_site with a 0x prefix",
            "5.4 (include/trace/events/kmem.h)"),
    TRACE_KMEM_CACHE_FREE_NAME(Area.TRACE, since(5, 12),
            "kmem_cache_free prints name=",
            "5.12 (include/trace/events/kmem.h)"),
    TRACE_KMALLOC_NODE_FIELD(Area.TRACE, since(6, 1),
            "kmalloc/kmem_cache_alloc print node=",
            "6.1 (include/trace/events/kmem.h, kmalloc and kmalloc_node events unified)"),
    TRACE_ACCOUNTED_FIELD(Area.TRACE, since(5, 19),
            "kmalloc/kmem_cache_alloc print accounted=",
            "5.19 (include/trace/events/kmem.h)"),

    // ---- boot ----
    BOOT_ZEROED_UNAVAILABLE_LINE(Area.BOOT, before(5, 12),
            "the boot log prints \"Zeroed struct page in unavailable ranges\"",
            "removed in 5.12 (mm/page_alloc.c: init_unavailable_range())"),
    BOOT_LOG_6_12(Area.BOOT, since(6, 12),
            "6.12's boot lines: cma \"on node -1\", no deferred struct-page init ranges, the 6.12 kernel image sizes",
            "6.12 (mm/cma.c, mm/mm_init.c)"),
    BOOT_KERNEL_PAGES_PRESENT(Area.BOOT, since(6, 10),
            "nr_kernel_pages counts present pages (before: spanned unless holes exceed 1/16)",
            "6.10 (mm/mm_init.c: calc_nr_kernel_pages())"),
    BOOT_LOG_VERIFIED_6_1(Area.BOOT, series(6, 1),
            "the 6.1 boot log format was checked line by line against a real 6.1 kernel",
            "Debian 6.1.192 boot logs"),
    BOOT_CMA_POOL_LINE_5_10(Area.BOOT, series(5, 10),
            "5.10 prints the \"Reserved memory: created CMA memory pool\" line",
            "5.10 (kernel/dma/contiguous.c)"),

    // ---- arm64 ----
    ARM64_MODELLED(Area.ARM64, since(5, 10),
            "the arm64 platforms model 5.10 and later (earlier kernels are refused)",
            "5.10, the oldest series kmemsim models in full"),
    ROCKCHIP_BSP_5_10(Area.ARM64, series(5, 10),
            "a Rockchip BSP kernel series for the RK3588 (Radxa's 5.10)",
            "Radxa's vendor kernel"),
    ROCKCHIP_BSP_6_1(Area.ARM64, series(6, 1),
            "a Rockchip BSP kernel series for the RK3588 (Radxa's 6.1); also the series with the A55 erratum default on",
            "Radxa's vendor kernel; arch/arm64/Kconfig in 6.1"),
    ARM64_MAINLINE_RK3588(Area.ARM64, since(6, 12),
            "mainline kernels that boot the RK3588 well enough to model",
            "6.12"),
    ARM64_SECTION_SIZE_REDUCED(Area.ARM64, since(5, 12),
            "sparsemem sections are 128 MiB with 4K and 16K pages and 512 MiB with 64K (before: 1 GiB for every granule)",
            "5.12 (arch/arm64/include/asm/sparsemem.h: SECTION_SIZE_BITS 27/29, was 30)"),
    ARM64_ZONE_DMA_FROM_DT(Area.ARM64, since(5, 11),
            "ZONE_DMA's limit comes from the device tree's DMA ranges (5.10: a fixed 30-bit ZONE_DMA)",
            "between 5.10 and 6.1 (arch/arm64/mm/init.c: zone_sizes_init())"),
    ARM64_ZONE_LIMIT_6_12(Area.ARM64, since(6, 12),
            "zone limits are clamped below 4 GiB when RAM starts below it",
            "6.12 (arch/arm64/mm/init.c: max_zone_phys())"),
    ARM64_ZONE_LIMIT_6_13(Area.ARM64, since(6, 13),
            "the 6.12 clamp plus the DT special cases (all RAM above 4 GiB, limit below RAM start)",
            "6.13 (arch/arm64/mm/init.c: max_zone_phys())"),
    ARM64_DESCRIPTORS_5_0(Area.ARM64, since(5, 0),
            "the 5.x page-table descriptor software bits and MAIR indices",
            "5.0 (arch/arm64/include/asm/pgtable-hwdef.h)"),
    ARM64_DESCRIPTORS_5_16(Area.ARM64, since(5, 16),
            "the 5.16 MAIR index layout",
            "5.16 (arch/arm64/include/asm/memory.h)"),
    ARM64_DESCRIPTORS_6_10(Area.ARM64, since(6, 10),
            "PTE_PRESENT_INVALID (bit 11) and PTE_UFFD_WP at bit 58",
            "6.10 (arch/arm64/include/asm/pgtable-prot.h)"),
    ARM64_DESCRIPTORS_6_16(Area.ARM64, since(6, 16),
            "PTE_DEVMAP removed; lazy-MMU batching of kernel page-table barriers",
            "6.16 (arch/arm64/include/asm/pgtable.h)"),
    ARM64_DMA_MAP_CLEANS_ALL(Area.ARM64, since(5, 19),
            "arch_sync_dma_for_device cleans for every direction (before: FROM_DEVICE invalidated)",
            "5.19 (arch/arm64/mm/dma-mapping.c, commit c50f11c6196f)"),
    ARM64_CONTPTE(Area.ARM64, since(6, 9),
            "user folios of 16 aligned pages get the contiguous bit (CONFIG_ARM64_CONTPTE)",
            "6.9 (arch/arm64/mm/contpte.c)"),
    ARM64_A76_TLBI_SYNC(Area.ARM64, backportsOnly().backport(6, 1, 176).backport(6, 12, 94).backport(6, 18, 48),
            "the sync form of the repeat-TLBI workaround for Cortex-A76 erratum 4118414",
            "stable backports 6.1.176, 6.12.94, 6.18.48 (arch/arm64/include/asm/tlbflush.h)");

    /** What part of the kernel a feature belongs to. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum Area {
        MODEL, GFP, ORDERS, WATERMARKS, PCP, BUDDY, FALLBACK, COMPACTION, KMALLOC, SLAB, SLUB, TRACE, PROCFS, BOOT, ARM64
    }

    private final Area area;
    private final Span span;
    private final String summary;
    private final String origin;

    Feature(Area area, Span span, String summary, String origin) {
        this.area = area;
        this.span = span;
        this.summary = summary;
        this.origin = origin;
    }

    /** The part of the kernel this behaviour belongs to. */
    public Area area() {
        return area;
    }

    /** The versions the behaviour holds for. */
    public Span span() {
        return span;
    }

    /** One line saying what the behaviour is. */
    public String summary() {
        return summary;
    }

    /** The release (and kernel file or function) the behaviour came from. */
    public String origin() {
        return origin;
    }

    /** True when {@code kernel} has this behaviour. */
    public boolean in(KernelVersion kernel) {
        return span.holds(Objects.requireNonNull(kernel, "kernel"));
    }
}
