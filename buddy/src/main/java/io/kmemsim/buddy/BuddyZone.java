package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import java.util.Arrays;

/**
 * One zone of a {@link BuddyPageAllocator}: its span, sizes, watermarks, reserves, counters and per-CPU
 * list state, and the read-only {@link Zone} view of them. The allocator reads and writes the fields
 * directly (same package, one thread).
 */
final class BuddyZone implements Zone {

    private final BuddyPageAllocator owner;
    final int index;
    final ZoneType type;
    /** Span as page indexes of the allocator's arrays: [startIdx, endIdx); equal for an empty zone. */
    int startIdx;
    int endIdx;
    long spanned;
    long present;
    long managed;

    final long[] watermark = new long[WatermarkLevel.values().length];
    long boost;
    long[] lowmemReserve;

    /** NR_FREE_PAGES (all lists but ISOLATE), NR_FREE_CMA_PAGES, nr_free_highatomic, NR_FREE_PAGES_BLOCKS. */
    long freePages;
    long freeCma;
    long freeHighatomic;
    long freePagesBlocks;
    /** PGALLOC for this zone (vmstat {@code pgalloc_<zone>}): pages handed out from it. */
    long pgalloc;
    long reservedHighatomic;
    /** {@code zone->cma_pages}: pages of CMA pageblocks given to this zone at boot. */
    long cmaPages;
    /** ZONE_BOOSTED_WATERMARK, ZONE_BELOW_HIGH, and "kswapd was woken" (cleared by a tick, mm/page_alloc.c: boost_watermark() (6.1)). */
    boolean boostedFlag;
    boolean belowHigh;
    boolean kswapdWoken;

    // ---- per-CPU lists (mm/page_alloc.c: rmqueue_pcplist(), free_unref_page() (6.1)) ----
    int pcpBatch = 1;
    int pcpHighMin;
    int pcpHighMax;
    int[] pcpHigh;
    int[] pcpCount;
    /** 6.1–6.6 free_factor, 6.7+ free_count. */
    int[] pcpFreeFactor;
    /** 6.7+ alloc_factor. */
    int[] pcpAllocFactor;
    boolean[] pcpPrevFreeHighOrder;
    int[] pcpHead;
    int[] pcpTail;

    // ---- the order-0 pcp fast path's watermark test, kept current (PerCpuLists.allocFast) ----
    /**
     * The NR_FREE_PAGES an order-0 fast-path request (ALLOC_WMARK_LOW, no reserve rights) must exceed to
     * pass {@code zone_watermark_fast} here, without and with ALLOC_CMA; {@link Long#MAX_VALUE} while the
     * fast path may not be taken at all (no managed pages, ZONE_DEVICE, a boost to clear). Recomputed by
     * {@link #refreshFastFloor} whenever one of its inputs changes (any new writer of a watermark, the
     * boost, a lowmem reserve, the highatomic or CMA counts, {@code managed} or a ZONE_* flag must call
     * it); the invariant check compares it with a fresh computation.
     */
    long fastFloor = Long.MAX_VALUE;
    long fastFloorCma = Long.MAX_VALUE;

    BuddyZone(BuddyPageAllocator owner, int index, ZoneType type, int cpus, int pcpLists, int zones) {
        this.owner = owner;
        this.index = index;
        this.type = type;
        this.lowmemReserve = new long[zones];
        this.pcpHigh = new int[cpus];
        this.pcpCount = new int[cpus];
        this.pcpFreeFactor = new int[cpus];
        this.pcpAllocFactor = new int[cpus];
        this.pcpPrevFreeHighOrder = new boolean[cpus];
        this.pcpHead = new int[cpus * pcpLists];
        this.pcpTail = new int[cpus * pcpLists];
        Arrays.fill(pcpHead, -1);
        Arrays.fill(pcpTail, -1);
    }

    /**
     * The order-0 shortcut of {@code zone_watermark_fast} (mm/page_alloc.c, 6.1) for the fast-path flags,
     * as a floor on NR_FREE_PAGES: usable free pages (free − unusable, clamped at 0 where the version clamps)
     * above {@code wmark_pages(LOW)} + {@code lowmem_reserve[own index]} is free > unusable + mark + reserve
     * when mark, reserve and unusable are not negative. Unusable is the highatomic reserve (or, by version,
     * the free highatomic pages) plus, without ALLOC_CMA, the free CMA pages. From 6.7, while
     * ZONE_BELOW_HIGH is clear, the mark is the high one (the first test of {@code get_page_from_freelist});
     * below the floor the full path decides and sets the flag.
     */
    long computeFastFloor(boolean cma) {
        KernelRules r = owner.rules;
        // 6.7+ get_page_from_freelist: while ZONE_BELOW_HIGH is clear the zone is tried against its high mark
        // first; passing it leaves the flag clear and takes the zone, so the fast path tests the high mark then
        int level = r.belowHighFlag && !belowHigh ? AllocFlags.WMARK_HIGH : AllocFlags.WMARK_LOW;
        long mark = watermark[level] + boost;
        long reserve = lowmemReserve[index];
        long highatomic = r.unusableFreeHighatomic ? freeHighatomic : reservedHighatomic;
        if (managed == 0 || type == ZoneType.DEVICE || boostedFlag
                || mark < 0 || reserve < 0 || highatomic < 0 || freeCma < 0) {
            return Long.MAX_VALUE; // not the fast path's case: the full path decides
        }
        return mark + reserve + highatomic + (cma ? 0 : freeCma);
    }

    /** Recomputes {@link #fastFloor} after a change to the watermarks, boost, reserves, highatomic or CMA counts or the zone flags. */
    void refreshFastFloor() {
        fastFloor = computeFastFloor(false);
        fastFloorCma = computeFastFloor(true);
    }

    /** True when page index {@code idx} lies in this zone's span. */
    boolean spans(int idx) {
        return idx >= startIdx && idx < endIdx;
    }

    /** {@code wmark(z, i)} including the boost (include/linux/mmzone.h: wmark_pages() (6.1)). */
    long mark(int level) {
        return watermark[level] + boost;
    }

    @Override
    public int node() {
        return 0;
    }

    @Override
    public ZoneType type() {
        return type;
    }

    @Override
    public long startPfn() {
        return spanned == 0 ? 0 : owner.pfnOf(startIdx);
    }

    @Override
    public long spannedPages() {
        return spanned;
    }

    @Override
    public long presentPages() {
        return present;
    }

    @Override
    public long managedPages() {
        return managed;
    }

    @Override
    public long freePages() {
        return freePages;
    }

    @Override
    public long freeBlocks(int order) {
        owner.checkOrder(order);
        return owner.lists.nrFree(index, order);
    }

    @Override
    public long freeBlocks(int order, MigrateType mt) {
        owner.checkOrder(order);
        return owner.lists.nrFree(index, order, mt.ordinal());
    }

    @Override
    public long watermark(WatermarkLevel level) {
        return watermark[level.ordinal()];
    }

    @Override
    public long watermarkBoost() {
        return boost;
    }

    @Override
    public long lowmemReserve(int upperZoneIndex) {
        if (upperZoneIndex < 0 || upperZoneIndex >= lowmemReserve.length) {
            throw new IllegalArgumentException("upper zone index must be in [0, " + (lowmemReserve.length - 1) + "]: "
                    + upperZoneIndex);
        }
        return lowmemReserve[upperZoneIndex];
    }

    @Override
    public MigrateType pageblockType(long pfn) {
        int idx = owner.indexOf(pfn);
        if (!spans(idx)) {
            throw new IllegalArgumentException("pfn 0x" + Long.toHexString(pfn) + " is outside zone " + name());
        }
        return MigrateType.of(owner.pageblockTypeAt(idx));
    }

    @Override
    public long pageblocks(MigrateType mt) {
        return PageblockMaps.count(owner.lists, this, mt.ordinal());
    }

    @Override
    public io.kmemsim.api.mm.PageblockOccupancy pageblockOccupancy() {
        return PageblockMaps.occupancy(owner.lists, this);
    }

    @Override
    public byte[] pageblockMap() {
        return PageblockMaps.of(owner.lists, this);
    }

    @Override
    public int pcpCount(int cpu) {
        owner.checkCpu(cpu);
        return pcpCount[cpu];
    }

    @Override
    public int pcpHigh(int cpu) {
        owner.checkCpu(cpu);
        return pcpHigh[cpu];
    }

    @Override
    public int pcpBatch() {
        return pcpBatch;
    }

    /** {@code pcp->high_min} (6.7+ auto-tuning bound; equal to the fixed high before). Overrides the Zone default. */
    public int pcpHighMin(int cpu) {
        owner.checkCpu(cpu);
        return owner.rules.pcpAutoTune ? pcpHighMin : pcpHigh[cpu];
    }

    /** {@code pcp->high_max} (6.7+ auto-tuning bound; equal to the fixed high before). Overrides the Zone default. */
    public int pcpHighMax(int cpu) {
        owner.checkCpu(cpu);
        return owner.rules.pcpAutoTune ? pcpHighMax : pcpHigh[cpu];
    }

    /** {@code zone->cma_pages}. Overrides the Zone default. */
    public long cmaPages() {
        return cmaPages;
    }

    /** {@code nr_reserved_highatomic}. Overrides the Zone default. */
    public long reservedHighatomicPages() {
        return reservedHighatomic;
    }

    @Override
    public String toString() {
        return "zone " + name() + " [" + startPfn() + ", +" + spanned + ")";
    }
}
