package io.kmemsim.testkit.support;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.CompactionContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A hand-drawn single-zone node for {@link io.kmemsim.api.policy.CompactionPolicy} tests: allocated
 * blocks (movable or not) placed by the test, every other page free and merged the buddy way. Migrations
 * really move blocks, so a policy can be run to completion; every migration and counter update is
 * logged.
 *
 * <p>The zone is node 0, ZONE_NORMAL, PFNs {@code [0, pages)}, every pageblock MOVABLE, no per-CPU
 * lists. Free blocks are the greedy split of the free pages into the largest aligned blocks (what a
 * merging buddy holds). Watermarks are zero. Isolated pages (taken by {@link #isolateFreeBlock}) read
 * as unmovable order-0 ALLOCATED heads, as an isolated free page looks allocated to the kernel's
 * migration scanner; {@link #isolatedPages()} tells whether a policy gave back what it isolated.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class FakeCompactionContext implements CompactionContext {

    private final KernelVersion kernel;
    private final int pageblockOrder;
    private final int maxOrder;
    private final int[] state;
    private final boolean[] isolated;
    private final List<String> log = new ArrayList<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private final List<String> counterProblems = new ArrayList<>();

    /** An all-free zone of {@code pages} pages (a multiple of {@code 2^maxOrder}). */
    public FakeCompactionContext(KernelVersion kernel, int pageblockOrder, int maxOrder, int pages) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.pageblockOrder = pageblockOrder;
        this.maxOrder = maxOrder;
        this.state = new int[pages];
        this.isolated = new boolean[pages];
        // every page starts free (HOLE is 0, so the array must be filled before the free blocks are built)
        Arrays.fill(state, FREE_TAIL);
        rebuildFree();
    }

    /** Draws a live block; {@code movable} ones may be migrated. */
    public FakeCompactionContext allocated(long pfn, int order, boolean movable) {
        int p = (int) pfn;
        int size = 1 << order;
        if ((p & (size - 1)) != 0 || p < 0 || p + size > state.length) {
            throw new IllegalArgumentException("block 0x" + Long.toHexString(pfn) + " order " + order + " is not aligned inside the zone");
        }
        for (int i = p; i < p + size; i++) {
            int k = CompactionContext.kind(state[i]);
            if (k == ALLOCATED || k == ALLOCATED_TAIL) {
                throw new IllegalArgumentException("block 0x" + Long.toHexString(pfn) + " overlaps a live block at 0x" + Integer.toHexString(i));
            }
        }
        place(p, order, movable);
        rebuildFree();
        return this;
    }

    private void place(int p, int order, boolean movable) {
        state[p] = ALLOCATED | (order << 8) | (movable ? MOVABLE_BIT : 0);
        for (int i = p + 1; i < p + (1 << order); i++) {
            state[i] = ALLOCATED_TAIL;
        }
    }

    private boolean isFree(int i) {
        int k = CompactionContext.kind(state[i]);
        return !isolated[i] && (k == FREE || k == FREE_TAIL);
    }

    private void rebuildFree() {
        int p = 0;
        while (p < state.length) {
            if (!isFree(p)) {
                p += !isolated[p] && CompactionContext.kind(state[p]) == ALLOCATED ? 1 << CompactionContext.order(state[p]) : 1;
                continue;
            }
            int o = maxOrder;
            while (o > 0 && !wholeFree(p, o)) {
                o--;
            }
            state[p] = FREE | (o << 8);
            for (int i = p + 1; i < p + (1 << o); i++) {
                state[i] = FREE_TAIL;
            }
            p += 1 << o;
        }
    }

    private boolean wholeFree(int p, int o) {
        int size = 1 << o;
        if ((p & (size - 1)) != 0 || p + size > state.length) {
            return false;
        }
        for (int i = p; i < p + size; i++) {
            if (!isFree(i)) {
                return false;
            }
        }
        return true;
    }

    /** The largest free block's order, or −1 when nothing is free. */
    public int largestFreeOrder() {
        int best = -1;
        for (int i = 0; i < state.length; i++) {
            if (!isolated[i] && CompactionContext.kind(state[i]) == FREE) {
                best = Math.max(best, CompactionContext.order(state[i]));
            }
        }
        return best;
    }

    /** Allocated pages (movable or not), isolated pages excluded. */
    public long allocatedPages() {
        long n = 0;
        for (int i = 0; i < state.length; i++) {
            int k = CompactionContext.kind(state[i]);
            n += !isolated[i] && (k == ALLOCATED || k == ALLOCATED_TAIL) ? 1 : 0;
        }
        return n;
    }

    /** Pages the policy isolated and has neither migrated into nor released. */
    public long isolatedPages() {
        long n = 0;
        for (boolean b : isolated) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Every successful migration and counter update, in order. */
    public List<String> log() {
        return List.copyOf(log);
    }

    /** The counters the policy updated, with their totals. */
    public Map<String, Long> counters() {
        return Map.copyOf(counters);
    }

    /** Counter updates that broke the rules (blank name, negative delta). */
    public List<String> counterProblems() {
        return List.copyOf(counterProblems);
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
        return pageblockOrder;
    }

    @Override
    public int pageState(long pfn) {
        if (pfn < 0 || pfn >= state.length) {
            throw new IllegalArgumentException("pfn must be in [0, 0x" + Integer.toHexString(state.length) + "): 0x" + Long.toHexString(pfn));
        }
        return isolated[(int) pfn] ? ALLOCATED : state[(int) pfn];
    }

    @Override
    public KernelConfig kernelConfig() {
        return TestPlatforms.NORMAL_ONLY_CONFIG;
    }

    @Override
    public int maxOrder() {
        return maxOrder;
    }

    @Override
    public MigrateType pageblockType(long pfn) {
        pageState(pfn);
        return MigrateType.MOVABLE;
    }

    /** Watermarks are zero here: the check is that {@code 2^order} pages are free beyond {@code markPages}. */
    @Override
    public boolean watermarkOk(Zone zone, int order, long markPages, int highestZoneIndex, boolean allowCma) {
        if (zone.freePages() - (1L << order) + 1 <= markPages) {
            return false;
        }
        // __zone_watermark_ok's order check: a free block of at least the order must exist
        for (int o = order; order > 0 && o <= maxOrder(); o++) {
            if (zone.freeBlocks(o) > 0) {
                return true;
            }
        }
        return order == 0;
    }

    @Override
    public int isolateFreeBlock(long pfn) {
        int s = pageState(pfn);
        if (CompactionContext.kind(s) != FREE) {
            return -1;
        }
        int order = CompactionContext.order(s);
        for (int i = (int) pfn; i < pfn + (1L << order); i++) {
            isolated[i] = true;
        }
        log.add("isolate 0x" + Long.toHexString(pfn) + " order " + order);
        return order;
    }

    @Override
    public void releaseFreeBlock(long pfn, int order) {
        requireIsolated(pfn, order);
        for (int i = (int) pfn; i < pfn + (1L << order); i++) {
            isolated[i] = false;
            state[i] = FREE_TAIL;
        }
        rebuildFree();
        log.add("release 0x" + Long.toHexString(pfn) + " order " + order);
    }

    private void requireIsolated(long pfn, int order) {
        long size = 1L << order;
        if (pfn < 0 || (pfn & (size - 1)) != 0 || pfn + size > state.length) {
            throw new IllegalArgumentException("block 0x" + Long.toHexString(pfn) + " order " + order + " is not aligned inside the zone");
        }
        for (int i = (int) pfn; i < pfn + size; i++) {
            if (!isolated[i]) {
                throw new IllegalArgumentException("page 0x" + Integer.toHexString(i) + " of block 0x" + Long.toHexString(pfn)
                        + " order " + order + " is not isolated");
            }
        }
    }

    @Override
    public boolean migrate(long srcPfn, long dstPfn) {
        int src = pageState(srcPfn);
        if (CompactionContext.kind(src) != ALLOCATED || !CompactionContext.movable(src) || isolated[(int) srcPfn]) {
            count("pgmigrate_fail", 1);
            return false;
        }
        int order = CompactionContext.order(src);
        requireIsolated(dstPfn, order);
        int s = (int) srcPfn;
        for (int i = s; i < s + (1 << order); i++) {
            state[i] = FREE_TAIL;
        }
        int d = (int) dstPfn;
        for (int i = d; i < d + (1 << order); i++) {
            isolated[i] = false;
        }
        place(d, order, true);
        rebuildFree();
        log.add("migrate 0x" + Long.toHexString(srcPfn) + " -> 0x" + Long.toHexString(dstPfn) + " order " + order);
        count("pgmigrate_success", 1);
        return true;
    }

    @Override
    public void drainPerCpuLists() {
        log.add("drain");
    }

    @Override
    public void count(String name, long delta) {
        if (name == null || name.isBlank() || delta < 0) {
            counterProblems.add("count(" + name + ", " + delta + ")");
        }
        counters.merge(String.valueOf(name), delta, Long::sum);
        log.add("count " + name + " " + delta);
    }

    private long freeBlocksOf(int order) {
        long n = 0;
        for (int i = 0; i < state.length; i++) {
            n += !isolated[i] && CompactionContext.kind(state[i]) == FREE && CompactionContext.order(state[i]) == order ? 1 : 0;
        }
        return n;
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
            return state.length;
        }

        @Override
        public long presentPages() {
            return state.length;
        }

        @Override
        public long managedPages() {
            return state.length;
        }

        @Override
        public long freePages() {
            return state.length - allocatedPages() - isolatedPages();
        }

        @Override
        public long freeBlocks(int order) {
            return freeBlocksOf(order);
        }

        @Override
        public long freeBlocks(int order, MigrateType mt) {
            return mt == MigrateType.MOVABLE ? freeBlocksOf(order) : 0;
        }

        @Override
        public long watermark(WatermarkLevel level) {
            return 0;
        }

        @Override
        public long watermarkBoost() {
            return 0;
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
            return mt == MigrateType.MOVABLE ? state.length >> pageblockOrder : 0;
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
            return 0;
        }
    };
}
