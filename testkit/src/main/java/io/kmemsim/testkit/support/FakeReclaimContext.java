package io.kmemsim.testkit.support;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.ReclaimContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A hand-drawn single-zone node for {@link io.kmemsim.api.policy.ReclaimPolicy} tests: a free page count,
 * watermarks and a boost set by the test, and folios the test puts on the four LRU lists with their
 * flags and owners. Freed folios really leave their lists and add to the free count; every list move,
 * free, kill, flusher and kcompactd wakeup and counter update is logged.
 *
 * <p>The zone is node 0, ZONE_NORMAL, PFNs {@code [0, managed)}; folios are placed at increasing PFNs.
 * {@link #watermarkOk} is {@code __zone_watermark_ok} without free-list detail: {@code free - (2^order - 1)
 * > mark}. No swap unless {@link #swap(boolean)}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class FakeReclaimContext implements ReclaimContext {

    private final KernelVersion kernel;
    private final long managed;
    private final long[] watermarks = new long[WatermarkLevel.values().length];
    private long boost;
    private long free;
    private boolean swap;
    private long nextPfn;
    private final List<LinkedList<Long>> lists = new ArrayList<>();
    private final Map<Long, int[]> folios = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private final List<String> counterProblems = new ArrayList<>();
    private int flusherWakeups;
    private int kcompactdWakeups;
    private final List<io.kmemsim.api.reclaim.Shrinker> shrinkers = new ArrayList<>();
    private long reclaimedSlab;

    /** A zone of {@code managed} pages with {@code free} of them free and watermarks min/low/high. */
    public FakeReclaimContext(KernelVersion kernel, long managed, long free, long min, long low, long high) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.managed = managed;
        this.free = free;
        watermarks[WatermarkLevel.MIN.ordinal()] = min;
        watermarks[WatermarkLevel.LOW.ordinal()] = low;
        watermarks[WatermarkLevel.HIGH.ordinal()] = high;
        for (int i = 0; i < 4; i++) {
            lists.add(new LinkedList<>());
        }
        this.nextPfn = free;
    }

    /** Adds {@code count} order-{@code order} folios at the head of list {@code lru} with {@code flags}, owned by {@code owner} (0: none). */
    public FakeReclaimContext folios(int lru, int count, int order, int flags, int owner) {
        for (int i = 0; i < count; i++) {
            long pfn = nextPfn;
            nextPfn += 1L << order;
            folios.put(pfn, new int[] {lru, flags, order, owner});
            lists.get(lru).addFirst(pfn);
        }
        if (nextPfn > managed) {
            throw new IllegalArgumentException("more pages on the lists and free than the zone manages: " + nextPfn + " > " + managed);
        }
        return this;
    }

    /** Registers a slab shrinker ({@code register_shrinker}). */
    public FakeReclaimContext shrinker(io.kmemsim.api.reclaim.Shrinker shrinker) {
        shrinkers.add(Objects.requireNonNull(shrinker, "shrinker"));
        return this;
    }

    /** A shrinker's object cache gave {@code pages} slab pages back: they are free and count as {@code reclaimed_slab}. */
    public void slabPagesFreed(long pages) {
        free += pages;
        reclaimedSlab += pages;
        log.add("slab " + pages);
    }

    /** Sets the zone's {@code watermark_boost}. */
    public FakeReclaimContext boost(long pages) {
        this.boost = pages;
        return this;
    }

    /** Turns swap on or off. */
    public FakeReclaimContext swap(boolean on) {
        this.swap = on;
        return this;
    }

    /** Free pages now. */
    public long free() {
        return free;
    }

    /** The boost now. */
    public long boost() {
        return boost;
    }

    /** Pages on all lists. */
    public long lruPagesTotal() {
        long n = 0;
        for (int i = 0; i < 4; i++) {
            n += lruPages(i);
        }
        return n;
    }

    /** Dirty pages on the lists. */
    public long dirtyPages() {
        long n = 0;
        for (int[] f : folios.values()) {
            n += (f[1] & DIRTY) != 0 ? 1L << f[2] : 0;
        }
        return n;
    }

    /** Anonymous pages on the lists. */
    public long anonPages() {
        return lruPages(INACTIVE_ANON) + lruPages(ACTIVE_ANON);
    }

    public List<String> log() {
        return log;
    }

    public Map<String, Long> counters() {
        return counters;
    }

    /** The value of a counter (0 when never counted). */
    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /** Blank counter names and negative deltas seen. */
    public List<String> counterProblems() {
        return counterProblems;
    }

    public int flusherWakeups() {
        return flusherWakeups;
    }

    public int kcompactdWakeups() {
        return kcompactdWakeups;
    }

    private int[] folio(long pfn, String what) {
        int[] f = folios.get(pfn);
        if (f == null) {
            throw new IllegalArgumentException(what + ": pfn 0x" + Long.toHexString(pfn) + " is not a folio on an LRU list");
        }
        return f;
    }

    @Override
    public KernelVersion kernel() {
        return kernel;
    }

    @Override
    public List<? extends Zone> zones() {
        return List.of(zone);
    }

    @Override
    public int pageblockOrder() {
        return 9;
    }

    @Override
    public boolean swapEnabled() {
        return swap;
    }

    @Override
    public long lruPages(int lru) {
        long n = 0;
        for (long pfn : lists.get(lru)) {
            n += 1L << folios.get(pfn)[2];
        }
        return n;
    }

    @Override
    public long zoneLruPages(int zoneIndex, int lru) {
        if (zoneIndex != 0) {
            throw new IllegalArgumentException("zone index must be 0: " + zoneIndex);
        }
        return lruPages(lru);
    }

    @Override
    public long lruTail(int lru) {
        LinkedList<Long> l = lists.get(lru);
        return l.isEmpty() ? -1 : l.getLast();
    }

    @Override
    public long lruPrev(long pfn) {
        int[] f = folio(pfn, "lruPrev");
        LinkedList<Long> l = lists.get(f[0]);
        int i = l.indexOf(pfn);
        return i == 0 ? -1 : l.get(i - 1);
    }

    @Override
    public int lruState(long pfn) {
        int[] f = folios.get(pfn);
        return f == null ? NOT_ON_LRU : f[0] | f[1] | (f[2] << 8);
    }

    @Override
    public void lruMoveToHead(long pfn, int lru) {
        int[] f = folio(pfn, "lruMoveToHead");
        if (ReclaimContext.isFile(lru) != ReclaimContext.isFile(f[0]) || lru < 0 || lru > ACTIVE_FILE) {
            throw new IllegalArgumentException("lruMoveToHead: pfn 0x" + Long.toHexString(pfn) + " cannot move from list " + f[0] + " to " + lru);
        }
        lists.get(f[0]).remove(pfn);
        lists.get(lru).addFirst(pfn);
        f[0] = lru;
        log.add("move " + pfn + " " + lru);
    }

    @Override
    public void setFlags(long pfn, int set, int clear) {
        int[] f = folio(pfn, "setFlags");
        if (((set | clear) & ~FLAG_MASK) != 0 || ((set | clear) & DIRTY) != 0) {
            throw new IllegalArgumentException("setFlags may change REFERENCED, RECLAIM, YOUNG and WORKINGSET only");
        }
        f[1] = (f[1] & ~clear) | set;
    }

    @Override
    public long reclaim(long pfn) {
        int[] f = folio(pfn, "reclaim");
        if ((f[1] & (DIRTY | RECLAIM | WRITEBACK)) != 0 || (!ReclaimContext.isFile(f[0]) && !swap)) {
            return 0;
        }
        return release(pfn, f, "reclaim");
    }

    @Override
    public long pageout(long pfn) {
        int[] f = folio(pfn, "pageout");
        if ((f[1] & DIRTY) == 0 || !ReclaimContext.isFile(f[0])) {
            return 0;
        }
        f[1] = (f[1] & ~DIRTY) | WRITEBACK | RECLAIM;
        long pages = 1L << f[2];
        counters.merge("nr_vmscan_write", pages, Long::sum);
        log.add("pageout " + pfn);
        return pages;
    }

    @Override
    public List<io.kmemsim.api.reclaim.Shrinker> shrinkers() {
        return java.util.Collections.unmodifiableList(shrinkers);
    }

    @Override
    public long takeReclaimedSlab() {
        long r = reclaimedSlab;
        reclaimedSlab = 0;
        return r;
    }

    private long release(long pfn, int[] f, String what) {
        lists.get(f[0]).remove(pfn);
        folios.remove(pfn);
        long pages = 1L << f[2];
        free += pages;
        log.add(what + " " + pfn);
        return pages;
    }

    @Override
    public void wakeFlushers() {
        flusherWakeups++;
        log.add("flusher");
    }

    @Override
    public boolean watermarkOk(int zoneIndex, int order, long markPages, int highestZoneIndex) {
        return free - ((1L << order) - 1) > markPages;
    }

    @Override
    public void reduceBoost(int zoneIndex, long pages) {
        boost -= Math.min(boost, Math.max(0, pages));
        log.add("boost " + boost);
    }

    @Override
    public void wakeKcompactd(int order, int highestZoneIndex) {
        kcompactdWakeups++;
        log.add("kcompactd " + order + " " + highestZoneIndex);
    }

    @Override
    public int pageblockFreePages(long pfn) {
        return 0;
    }

    @Override
    public int ownerLimit() {
        int max = 0;
        for (int[] f : folios.values()) {
            max = Math.max(max, f[3]);
        }
        return max + 1;
    }

    @Override
    public long ownerPages(int owner) {
        long n = 0;
        for (int[] f : folios.values()) {
            n += owner > 0 && f[3] == owner ? 1L << f[2] : 0;
        }
        return n;
    }

    @Override
    public long killOwner(int owner) {
        long n = 0;
        for (Long pfn : new ArrayList<>(folios.keySet())) {
            int[] f = folios.get(pfn);
            if (owner > 0 && f[3] == owner) {
                n += release(pfn, f, "kill");
            }
        }
        return n;
    }

    @Override
    public void count(String name, long delta) {
        if (name == null || name.isBlank() || delta < 0) {
            counterProblems.add(name + " " + delta);
        }
        counters.merge(String.valueOf(name), delta, Long::sum);
    }

    private final Zone zone = new Zone() {
        @Override
        public int node() {
            return 0;
        }

        @Override
        public ZoneType type() {
            return ZoneType.NORMAL;
        }

        @Override
        public long startPfn() {
            return 0;
        }

        @Override
        public long spannedPages() {
            return managed;
        }

        @Override
        public long presentPages() {
            return managed;
        }

        @Override
        public long managedPages() {
            return managed;
        }

        @Override
        public long freePages() {
            return free;
        }

        @Override
        public long freeBlocks(int order) {
            return 0;
        }

        @Override
        public long freeBlocks(int order, MigrateType mt) {
            return 0;
        }

        @Override
        public long watermark(WatermarkLevel level) {
            return watermarks[level.ordinal()];
        }

        @Override
        public long watermarkBoost() {
            return boost;
        }

        @Override
        public long lowmemReserve(int upperZoneIndex) {
            return 0;
        }

        @Override
        public MigrateType pageblockType(long pfn) {
            return MigrateType.MOVABLE;
        }

        @Override
        public long pageblocks(MigrateType mt) {
            return mt == MigrateType.MOVABLE ? managed >> 9 : 0;
        }

        @Override
        public int pcpCount(int cpu) {
            return 0;
        }

        @Override
        public int pcpHigh(int cpu) {
            return 0;
        }

        @Override
        public int pcpBatch() {
            return 1;
        }
    };
}
