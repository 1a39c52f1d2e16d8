package io.kmemsim.api.policy;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.trace.TraceListener;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The page allocator's side of reclaim: the node's LRU lists and the operations a {@link ReclaimPolicy}
 * may ask for — walking a list from its tail, moving a folio to the head of a list (putback, activation,
 * deactivation, rotation), setting its flags, freeing a clean folio, waking the flusher, killing an owner's
 * memory — plus the watermark checks kswapd uses. The allocator keeps the lists per node as 6.1 does
 * ({@code struct lruvec} in {@code pglist_data}; per node since 4.8, so also in 5.10) with per-zone
 * counts. Valid only during the policy call.
 *
 * <p>Lists are numbered as the kernel's {@code enum lru_list}: {@link #INACTIVE_ANON},
 * {@link #ACTIVE_ANON}, {@link #INACTIVE_FILE}, {@link #ACTIVE_FILE}. A folio is one allocated block
 * (order {@code o}: {@code 2^o} pages); sizes and counts are in pages. The head of a list is where new
 * and rotated folios go, the tail where reclaim scans.
 *
 * <p>States returned by {@link #lruState(long)} pack:
 * <pre>
 *   bits 0-2   the list (0-3), or NOT_ON_LRU
 *   bit  3     REFERENCED  PG_referenced (mark_page_accessed)
 *   bit  4     DIRTY       PG_dirty (written, not yet written back)
 *   bit  5     RECLAIM     PG_reclaim (reclaim met it dirty; rotate to the tail once clean)
 *   bit  6     YOUNG       a mapping's accessed bit (folio_referenced() would count it); anon folios are mapped
 *   bit  7     WORKINGSET  PG_workingset (deactivated from the active list)
 *   bits 8-15  order of the folio
 *   bits 16-23 zone index
 *   bit  24    WRITEBACK   PG_writeback (being written back; set by the flusher or {@link #pageout})
 * </pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public interface ReclaimContext {

    int INACTIVE_ANON = 0;
    int ACTIVE_ANON = 1;
    int INACTIVE_FILE = 2;
    int ACTIVE_FILE = 3;
    int NOT_ON_LRU = 7;
    int LRU_MASK = 7;
    int REFERENCED = 1 << 3;
    int DIRTY = 1 << 4;
    int RECLAIM = 1 << 5;
    int YOUNG = 1 << 6;
    int WORKINGSET = 1 << 7;
    /** The flag bits {@link #setFlags} may change. */
    int FLAG_MASK = REFERENCED | DIRTY | RECLAIM | YOUNG | WORKINGSET;
    /** {@code SWAP_CLUSTER_MAX} (include/linux/swap.h): the batch reclaim works in. */
    int SWAP_CLUSTER_MAX = 32;
    /** {@code DEF_PRIORITY} (include/linux/mmzone.h): the first scan priority, {@code lru_size >> 12}. */
    int DEF_PRIORITY = 12;
    /** {@code MAX_RECLAIM_RETRIES} (mm/internal.h). */
    int MAX_RECLAIM_RETRIES = 16;

    /** PG_writeback in a packed state (read only: the flusher and {@link #pageout} set it, I/O completion clears it). */
    int WRITEBACK = 1 << 24;

    /** The list part of a packed state. */
    static int lru(int state) {
        return state & LRU_MASK;
    }

    /** The order part of a packed state. */
    static int order(int state) {
        return (state >>> 8) & 0xff;
    }

    /** The zone index part of a packed state. */
    static int zone(int state) {
        return (state >>> 16) & 0xff;
    }

    /** True for the two file lists. */
    static boolean isFile(int lru) {
        return lru == INACTIVE_FILE || lru == ACTIVE_FILE;
    }

    /** True for the two active lists. */
    static boolean isActive(int lru) {
        return lru == ACTIVE_ANON || lru == ACTIVE_FILE;
    }

    /** The scenario's kernel version. */
    KernelVersion kernel();

    /** The zones of the node, in the kernel's order (their positions are the zone indices). */
    List<? extends Zone> zones();

    /** {@code pageblock_order}. */
    int pageblockOrder();

    /** True when anonymous memory can be reclaimed (swap configured); the simulated boards have none. */
    boolean swapEnabled();

    /** Pages on list {@code lru} of the node ({@code lruvec_page_state(NR_LRU_BASE + lru)}). */
    long lruPages(int lru);

    /** Pages on list {@code lru} in zone {@code zoneIndex} ({@code NR_ZONE_LRU_BASE + lru}). */
    long zoneLruPages(int zoneIndex, int lru);

    /** The folio at the tail of list {@code lru} (first PFN), or −1 when the list is empty. */
    long lruTail(int lru);

    /** The folio before {@code pfn} on its list (toward the head), or −1 at the head. */
    long lruPrev(long pfn);

    /** The packed LRU state of the folio whose first PFN is {@code pfn} ({@link #NOT_ON_LRU} in bits 0-2 when none). */
    int lruState(long pfn);

    /** Moves the folio to the head of list {@code lru} (which must be of its kind, anon or file). */
    void lruMoveToHead(long pfn, int lru);

    /** Sets the flag bits {@code set} and clears {@code clear} (both within {@link #FLAG_MASK}). */
    void setFlags(long pfn, int set, int clear);

    /**
     * Frees the folio: takes it off its list and returns it to the free lists, telling whoever held it.
     * Only a clean folio not under writeback can be freed, and an anonymous one only with swap.
     *
     * @return its pages, or 0 when it could not be freed (nothing changed)
     */
    long reclaim(long pfn);

    /** {@code wakeup_flusher_threads}: the dirty file folios are written back before the next tick. */
    void wakeFlushers();

    /** {@code zone_watermark_ok_safe(zone, order, mark, highestZoneIndex)}: exact free count, no reserve flags. */
    boolean watermarkOk(int zoneIndex, int order, long markPages, int highestZoneIndex);

    /** Lowers zone {@code zoneIndex}'s {@code watermark_boost} by up to {@code pages}. */
    void reduceBoost(int zoneIndex, long pages);

    /** {@code wakeup_kcompactd(pgdat, order, highest_zoneidx)}: tells the compaction policy. */
    void wakeKcompactd(int order, int highestZoneIndex);

    /** Free pages in the pageblock containing {@code pfn} (for policies that care about contiguity). */
    int pageblockFreePages(long pfn);

    /** Exclusive upper bound of the owner ids (processes) that hold anonymous memory; 1 when none. */
    int ownerLimit();

    /** Pages of anonymous memory owner {@code owner} holds (its rss for {@code oom_badness}). */
    long ownerPages(int owner);

    /** Frees every folio owner {@code owner} holds (the OOM kill); returns the pages freed. */
    long killOwner(int owner);

    /** Adds {@code delta} to the vmstat counter {@code name} (e.g. {@code pgscan_kswapd}). */
    void count(String name, long delta);

    /** The CPU of the allocation being served (for direct reclaim's tracepoints); 0 in kswapd's ticks. */
    default int cpu() {
        return 0;
    }

    /**
     * {@code pageout} (mm/vmscan.c 6.1) of a dirty page cache folio from reclaim: clears PG_dirty, sets
     * PG_writeback and PG_reclaim (the I/O completes at the next tick, and {@code folio_end_writeback}
     * rotates it to the inactive tail) and counts {@code nr_vmscan_write}.
     *
     * @return its pages, or 0 when it is not a dirty file folio (nothing changed)
     */
    default long pageout(long pfn) {
        return 0;
    }

    /** The registered slab shrinkers, in registration order ({@code shrinker_list}). */
    default List<io.kmemsim.api.reclaim.Shrinker> shrinkers() {
        return List.of();
    }

    /**
     * Calls {@code shrinker.scanObjects(nrToScan, gfp)}; the slab pages the object caches give back to the
     * page allocator meanwhile are added to {@link #takeReclaimedSlab} ({@code reclaim_state->reclaimed_slab}).
     */
    default long scanObjects(io.kmemsim.api.reclaim.Shrinker shrinker, long nrToScan, int gfp) {
        return shrinker.scanObjects(nrToScan, gfp);
    }

    /** {@code reclaim_state->reclaimed_slab}: the slab pages freed by shrinkers since the last call, reset to 0. */
    default long takeReclaimedSlab() {
        return 0;
    }

    /** Where vmscan tracepoints go. */
    default TraceListener trace() {
        return TraceListener.NONE;
    }
}
