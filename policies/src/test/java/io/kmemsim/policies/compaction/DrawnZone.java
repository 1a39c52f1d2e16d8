package io.kmemsim.policies.compaction;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.CompactionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-drawn single zone for compaction tests: pages drawn as free / movable / unmovable blocks, a
 * tiny buddy model (free blocks merge with free buddies of the same order), and a log of what the
 * policy asked for. Free blocks take the type of their pageblock.
 */
final class DrawnZone implements CompactionContext, Zone {

    private static final int ISOLATED = 9;

    final List<String> log = new ArrayList<>();
    final Map<String, Long> counters = new LinkedHashMap<>();
    private final KernelVersion kernel;
    private final int pbo;
    private final int maxOrder;
    private final int[] kind;
    private final int[] order;
    private final boolean[] movable;
    private final MigrateType[] blockType;
    long min;
    long low;

    DrawnZone(String kernel, int pages, int pbo, int maxOrder) {
        this.kernel = KernelVersion.parse(kernel);
        this.pbo = pbo;
        this.maxOrder = maxOrder;
        kind = new int[pages];
        order = new int[pages];
        movable = new boolean[pages];
        blockType = new MigrateType[pages >> pbo];
        java.util.Arrays.fill(blockType, MigrateType.MOVABLE);
    }

    DrawnZone allocated(long pfn, int o, boolean isMovable) {
        mark((int) pfn, o, ALLOCATED, ALLOCATED_TAIL);
        movable[(int) pfn] = isMovable;
        return this;
    }

    /** Gives pageblock {@code block} the migrate type {@code mt} (all are MOVABLE at first). */
    DrawnZone blockType(int block, MigrateType mt) {
        blockType[block] = mt;
        return this;
    }

    DrawnZone free(long pfn, int o) {
        mark((int) pfn, o, FREE, FREE_TAIL);
        return this;
    }

    private void mark(int pfn, int o, int head, int tail) {
        for (int p = pfn; p < pfn + (1 << o); p++) {
            kind[p] = tail;
        }
        kind[pfn] = head;
        order[pfn] = o;
    }

    /** Frees a block and merges it with free buddies, as the buddy allocator does. */
    private void freeMerging(int pfn, int o) {
        while (o < maxOrder) {
            int buddy = pfn ^ (1 << o);
            if (buddy + (1 << o) > kind.length || kind[buddy] != FREE || order[buddy] != o) {
                break;
            }
            pfn = Math.min(pfn, buddy);
            o++;
        }
        movable[pfn] = false;
        mark(pfn, o, FREE, FREE_TAIL);
    }

    // ---- CompactionContext ----

    @Override
    public KernelVersion kernel() {
        return kernel;
    }

    @Override
    public KernelConfig kernelConfig() {
        return KernelConfig.ARM64_DISTRO;
    }

    @Override
    public List<? extends Zone> zones() {
        return List.of(this);
    }

    @Override
    public int pageblockOrder() {
        return pbo;
    }

    @Override
    public int maxOrder() {
        return maxOrder;
    }

    @Override
    public int pageState(long pfn) {
        int p = (int) pfn;
        int k = kind[p] == ISOLATED ? HOLE : kind[p];
        int st = k | (k == FREE || k == ALLOCATED ? order[p] << 8 : 0);
        return k == ALLOCATED && movable[p] ? st | MOVABLE_BIT : st;
    }

    @Override
    public MigrateType pageblockType(long pfn) {
        return blockType[(int) pfn >> pbo];
    }

    @Override
    public boolean watermarkOk(Zone zone, int o, long mark, int highestZoneIndex, boolean allowCma) {
        long free = freePages();
        if (free - ((1L << o) - 1) <= mark) {
            return false;
        }
        for (int k = o; k <= maxOrder; k++) {
            if (o == 0 || freeBlocks(k) > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int isolateFreeBlock(long pfn) {
        int p = (int) pfn;
        if (kind[p] != FREE) {
            return -1;
        }
        int o = order[p];
        mark(p, o, ISOLATED, ISOLATED);
        log.add("isolate-free " + pfn + " o" + o);
        return o;
    }

    @Override
    public void releaseFreeBlock(long pfn, int o) {
        log.add("release " + pfn + " o" + o);
        freeMerging((int) pfn, o);
    }

    @Override
    public boolean migrate(long srcPfn, long dstPfn) {
        int s = (int) srcPfn;
        if (kind[s] != ALLOCATED || !movable[s]) {
            count("pgmigrate_fail", 1);
            return false;
        }
        int o = order[s];
        allocated(dstPfn, o, true);
        freeMerging(s, o);
        log.add("migrate " + srcPfn + "->" + dstPfn);
        count("pgmigrate_success", 1L << o);
        return true;
    }

    @Override
    public void drainPerCpuLists() {
        log.add("drain");
    }

    @Override
    public void count(String name, long delta) {
        counters.merge(name, delta, Long::sum);
    }

    // ---- Zone ----

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
        return kind.length;
    }

    @Override
    public long presentPages() {
        return kind.length;
    }

    @Override
    public long managedPages() {
        return kind.length;
    }

    @Override
    public long freePages() {
        long n = 0;
        for (int p = 0; p < kind.length; p++) {
            n += kind[p] == FREE ? 1L << order[p] : 0;
        }
        return n;
    }

    @Override
    public long freeBlocks(int o) {
        long n = 0;
        for (int p = 0; p < kind.length; p++) {
            n += kind[p] == FREE && order[p] == o ? 1 : 0;
        }
        return n;
    }

    @Override
    public long freeBlocks(int o, MigrateType mt) {
        long n = 0;
        for (int p = 0; p < kind.length; p++) {
            n += kind[p] == FREE && order[p] == o && blockType[p >> pbo] == mt ? 1 : 0;
        }
        return n;
    }

    @Override
    public long watermark(WatermarkLevel level) {
        return level == WatermarkLevel.MIN ? min : low;
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
    public long pageblocks(MigrateType mt) {
        long n = 0;
        for (MigrateType t : blockType) {
            n += t == mt ? 1 : 0;
        }
        return n;
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
}
