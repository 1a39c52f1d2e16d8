package io.kmemsim.api.trace;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import org.apiguardian.api.API;

/**
 * Receives the kernel tracepoint events a simulated component emits, with the fields the kernel's
 * {@code kmem} tracepoints print (include/trace/events/kmem.h: TRACE_EVENT(mm_page_alloc) (6.1), include/trace/events/kmem.h: TRACE_EVENT(kmalloc) (6.1)). Used to write a
 * run's trace in ftrace text form and to count events. All methods default to doing nothing.
 *
 * <p>Called on the host's thread, in simulation order; implementations must not call back into the
 * component that emits.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface TraceListener {

    /** A listener that records nothing. */
    TraceListener NONE = new TraceListener() {
    };

    /** {@code mm_page_alloc}; {@code pfn} −1 for a failed allocation. */
    default void pageAlloc(long pfn, int order, MigrateType mt, int gfp, int cpu) {
    }

    /** {@code mm_page_free}. */
    default void pageFree(long pfn, int order, int cpu) {
    }

    /** {@code mm_page_alloc_zone_locked}. */
    default void pageAllocZoneLocked(long pfn, int order, MigrateType mt, boolean percpuRefill, int cpu) {
    }

    /** {@code mm_page_pcpu_drain}. */
    default void pagePcpuDrain(long pfn, int order, MigrateType mt, int cpu) {
    }

    /** {@code mm_page_alloc_extfrag}. */
    default void pageAllocExtfrag(long pfn, int allocOrder, int fallbackOrder, int pageblockOrder,
                                  MigrateType allocType, MigrateType fallbackType, boolean fragmenting,
                                  boolean changeOwnership, int cpu) {
    }

    /** {@code kmalloc}: {@code bytesReq} asked, {@code bytesAlloc} given; {@code ptr} 0 on failure. */
    default void kmalloc(long callSite, long ptr, long bytesReq, long bytesAlloc, int gfp, int cpu) {
    }

    /** {@code kfree} ({@code ptr} 0 for {@code kfree(NULL)}). */
    default void kfree(long callSite, long ptr, int cpu) {
    }

    /** {@code kmem_cache_alloc}. */
    default void kmemCacheAlloc(long callSite, long ptr, long bytesReq, long bytesAlloc, int gfp, String cacheName, int cpu) {
    }

    /** {@code kmem_cache_free}. */
    default void kmemCacheFree(long callSite, long ptr, String cacheName, int cpu) {
    }
    /** {@code mm_vmscan_kswapd_wake} (6.1 include/trace/events/vmscan.h): kswapd starts {@code balance_pgdat}. */
    default void vmscanKswapdWake(int nid, int zoneIndex, int order) {
    }

    /** {@code mm_vmscan_wakeup_kswapd}: an allocation on {@code cpu} woke a sleeping kswapd. */
    default void vmscanWakeupKswapd(int nid, int zoneIndex, int order, int gfp, int cpu) {
    }

    /** {@code mm_vmscan_direct_reclaim_begin}. */
    default void vmscanDirectReclaimBegin(int order, int gfp, int cpu) {
    }

    /** {@code mm_vmscan_direct_reclaim_end}. */
    default void vmscanDirectReclaimEnd(long nrReclaimed, int cpu) {
    }

    /**
     * {@code mm_vmscan_lru_shrink_inactive}: one {@code shrink_inactive_list} pass; {@code kswapd}: run by kswapd (else by direct
     * reclaim on {@code cpu}); {@code stats} holds nr_dirty, nr_writeback, nr_congested, nr_immediate, nr_activate anon, nr_activate file, nr_ref_keep,
     * nr_unmap_fail in that order.
     */
    default void vmscanLruShrinkInactive(int nid, long nrScanned, long nrReclaimed, long[] stats, int priority,
                                         boolean file, boolean kswapd, int cpu) {
    }

    /**
     * {@code mm_compaction_begin} (6.1 include/trace/events/compaction.h, emitted by mm/compaction.c: compact_zone()): one
     * zone's compaction starts with the scanners at {@code migratePfn} and {@code freePfn}; {@code zoneEnd} is the first PFN
     * past the zone; {@code sync}: any mode but MIGRATE_ASYNC; {@code kcompactd}: run by kcompactd (else on {@code cpu}).
     */
    default void compactionBegin(long zoneStart, long migratePfn, long freePfn, long zoneEnd, boolean sync,
                                 boolean kcompactd, int cpu) {
    }

    /**
     * {@code mm_compaction_end}: as {@link #compactionBegin} with the scanners where they stopped and {@code status}, the
     * kernel's {@code enum compact_result} value (6.1 include/linux/compaction.h: 1 skipped, 2 deferred, 5 complete,
     * 6 partial_skipped, 8 success, ...).
     */
    default void compactionEnd(long zoneStart, long migratePfn, long freePfn, long zoneEnd, boolean sync, int status,
                               boolean kcompactd, int cpu) {
    }

    /** {@code mm_compaction_migratepages}: one {@code migrate_pages} batch, in base pages migrated and not migrated. */
    default void compactionMigratepages(long nrMigrated, long nrFailed, boolean kcompactd, int cpu) {
    }

    /** {@code mm_compaction_kcompactd_wake}: kcompactd of node {@code nid} starts {@code kcompactd_do_work}. */
    default void compactionKcompactdWake(int nid, int order, ZoneType highestZone) {
    }

    /**
     * {@code mm_compaction_suitable} (6.1 mm/compaction.c: compaction_suitable()): the suitability of zone {@code zoneIndex}
     * ({@code zoneType}) of node {@code nid} for compaction at {@code order}; {@code ret} is the kernel's {@code enum
     * compact_result} value before NOT_SUITABLE_ZONE (0) is turned into SKIPPED (1). {@code cpu}: the task's CPU, or
     * {@code kcompactd} when kcompactd asks.
     */
    default void compactionSuitable(int nid, ZoneType zoneType, int order, int ret, boolean kcompactd, int cpu) {
    }

    /**
     * {@code mm_compaction_finished} (6.1 mm/compaction.c: compact_finished()): one check of {@code compact_zone}'s loop;
     * {@code ret} as {@link #compactionSuitable}, e.g. 3 no_suitable_page, 4 continue, 8 success.
     */
    default void compactionFinished(int nid, ZoneType zoneType, int order, int ret, boolean kcompactd, int cpu) {
    }

    /**
     * {@code mm_compaction_wakeup_kcompactd} (6.1 mm/compaction.c: wakeup_kcompactd()): an allocation on {@code cpu} wakes
     * a sleeping kcompactd of node {@code nid} for {@code order}, zones up to {@code highestZone}.
     */
    default void compactionWakeupKcompactd(int nid, int order, ZoneType highestZone, int cpu) {
    }

    /**
     * {@code mm_compaction_isolate_migratepages} (6.1 mm/compaction.c: isolate_migratepages_block()): the migrate scanner
     * went from {@code startPfn} to {@code endPfn}, scanned {@code nrScanned} pages and isolated {@code nrTaken}.
     */
    default void compactionIsolateMigratepages(long startPfn, long endPfn, long nrScanned, long nrTaken,
                                               boolean kcompactd, int cpu) {
    }

    /**
     * {@code mm_compaction_isolate_freepages} (6.1 mm/compaction.c: isolate_freepages_block()): the free scanner went from
     * {@code startPfn} to {@code endPfn}, scanned {@code nrScanned} pages and isolated {@code nrTaken} free pages.
     */
    default void compactionIsolateFreepages(long startPfn, long endPfn, long nrScanned, long nrTaken,
                                            boolean kcompactd, int cpu) {
    }

    /**
     * The deferral tracepoints of 6.1 mm/compaction.c, with the zone's state after the change: {@code kind} 0
     * {@code mm_compaction_defer_compaction} (defer_compaction()), 1 {@code mm_compaction_deferred} (compaction_deferred()
     * returning true), 2 {@code mm_compaction_defer_reset} (compaction_defer_reset()); {@code considered},
     * {@code deferShift} and {@code orderFailed} are the zone's {@code compact_considered}, {@code compact_defer_shift}
     * and {@code compact_order_failed}.
     */
    default void compactionDefer(int kind, int nid, ZoneType zoneType, int order, int considered, int deferShift,
                                 int orderFailed, boolean kcompactd, int cpu) {
    }
}
