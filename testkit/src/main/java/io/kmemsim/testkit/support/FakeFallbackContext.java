package io.kmemsim.testkit.support;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.FallbackContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A hand-drawn zone for {@link io.kmemsim.api.policy.FallbackPolicy} tests: free lists per order and
 * migrate type, pageblock types, and a log of every operation the policy asked for. Taking a block
 * splits it the buddy way (the upper halves go to the remainder type's lists), so the zone stays
 * consistent across calls.
 *
 * <p>The zone is node 0, ZONE_NORMAL, PFNs {@code [0, pages)}; pageblocks the drawing does not type
 * are MOVABLE. Every block handed out (by {@link #takeBlock}, {@link #claimWholeBlock},
 * {@link #allocateSmallest}) is recorded with the order and list type it was taken from.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class FakeFallbackContext implements FallbackContext {

    /**
     * One block a primitive handed out.
     *
     * @param pfn        its first PFN (a block of the requested order)
     * @param fromOrder  the order of the free block it was taken from
     * @param fromType   the list it was taken from
     * @param operation  the primitive ({@code take}, {@code claim}, {@code smallest})
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Handout(long pfn, int fromOrder, MigrateType fromType, String operation) {
    }

    /**
     * One {@link #recordFallback} call (the kernel's {@code mm_page_alloc_extfrag} event).
     *
     * @param pfn           the PFN the policy recorded
     * @param fallbackOrder the order of the block it fell back to
     * @param fallbackType  the migrate type it fell back to
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record RecordedFallback(long pfn, int fallbackOrder, MigrateType fallbackType) {
    }

    private final KernelVersion kernel;
    private final int order;
    private final MigrateType requested;
    private final int pageblockOrder;
    private final int maxOrder;
    private final long pages;
    private final Map<Integer, ArrayDeque<Long>> lists = new HashMap<>();
    private final Map<Long, Integer> orderOf = new HashMap<>();
    private final Map<Long, MigrateType> listOf = new HashMap<>();
    private final Map<Long, MigrateType> blockTypes = new HashMap<>();
    private final Map<Long, Integer> movablePages = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private final List<Handout> handouts = new ArrayList<>();
    private final List<RecordedFallback> recorded = new ArrayList<>();
    private boolean noFragment;
    private boolean mobilityGroupingDisabled;

    /**
     * A zone of {@code pages} pages for a request of {@code order} pages of {@code requested} type.
     */
    public FakeFallbackContext(KernelVersion kernel, int order, MigrateType requested, int pageblockOrder, int maxOrder, long pages) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.order = order;
        this.requested = Objects.requireNonNull(requested, "requested");
        this.pageblockOrder = pageblockOrder;
        this.maxOrder = maxOrder;
        this.pages = pages;
    }

    /** Draws a free block at the tail of list ({@code blockOrder}, {@code listType}); its pageblock gets {@code listType} unless typed already. */
    public FakeFallbackContext free(long pfn, int blockOrder, MigrateType listType) {
        return free(pfn, blockOrder, listType, listType);
    }

    /** Draws a free block on list {@code listType} inside pageblocks of {@code blockType} (unless typed already). */
    public FakeFallbackContext free(long pfn, int blockOrder, MigrateType listType, MigrateType blockType) {
        if ((pfn & ((1L << blockOrder) - 1)) != 0 || pfn < 0 || pfn + (1L << blockOrder) > pages) {
            throw new IllegalArgumentException("block 0x" + Long.toHexString(pfn) + " order " + blockOrder + " is not aligned inside the zone");
        }
        put(pfn, blockOrder, listType, false);
        for (long p = pfn; p < pfn + Math.max(1L << blockOrder, 1); p += 1L << pageblockOrder) {
            blockTypes.putIfAbsent(block(p), blockType);
        }
        return this;
    }

    /** Declares {@code count} movable allocated pages in the pageblock of {@code pfn}. */
    public FakeFallbackContext movablePages(long pfn, int count) {
        movablePages.put(block(pfn), count);
        return this;
    }

    public FakeFallbackContext noFragment(boolean value) {
        this.noFragment = value;
        return this;
    }

    public FakeFallbackContext mobilityGroupingDisabled(boolean value) {
        this.mobilityGroupingDisabled = value;
        return this;
    }

    /** Every operation the policy asked for, in order. */
    public List<String> log() {
        return List.copyOf(log);
    }

    /** Every {@link #recordFallback} call, in order. */
    public List<RecordedFallback> recordedFallbacks() {
        return List.copyOf(recorded);
    }

    /** Every block a primitive handed out, in order. */
    public List<Handout> handouts() {
        return List.copyOf(handouts);
    }

    /** Free pages on all lists. */
    public long freePages() {
        long sum = 0;
        for (Map.Entry<Long, Integer> e : orderOf.entrySet()) {
            sum += 1L << e.getValue();
        }
        return sum;
    }

    private long block(long pfn) {
        return pfn >> pageblockOrder << pageblockOrder;
    }

    private static int key(int order, MigrateType mt) {
        return order * 8 + mt.ordinal();
    }

    private void put(long pfn, int blockOrder, MigrateType mt, boolean head) {
        ArrayDeque<Long> list = lists.computeIfAbsent(key(blockOrder, mt), k -> new ArrayDeque<>());
        if (head) {
            list.addFirst(pfn);
        } else {
            list.addLast(pfn);
        }
        orderOf.put(pfn, blockOrder);
        listOf.put(pfn, mt);
    }

    private MigrateType remove(long pfn, int blockOrder) {
        Integer o = orderOf.get(pfn);
        if (o == null || o != blockOrder) {
            throw new IllegalArgumentException("pfn 0x" + Long.toHexString(pfn) + " is not the head of a free block of order "
                    + blockOrder + (o == null ? "" : " (its order is " + o + ")"));
        }
        MigrateType mt = listOf.remove(pfn);
        orderOf.remove(pfn);
        lists.get(key(blockOrder, mt)).remove(pfn);
        return mt;
    }

    /** The kernel's {@code expand}: keeps the lower half, puts each upper half on {@code mt}'s list. */
    private long split(long pfn, int from, MigrateType mt, MigrateType fromType, String operation) {
        for (int o = from - 1; o >= order; o--) {
            put(pfn + (1L << o), o, mt, true);
        }
        handouts.add(new Handout(pfn, from, fromType, operation));
        return pfn;
    }

    @Override
    public KernelVersion kernel() {
        return kernel;
    }

    @Override
    public Zone zone() {
        return zoneView;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public MigrateType requested() {
        return requested;
    }

    @Override
    public boolean noFragment() {
        return noFragment;
    }

    @Override
    public boolean kswapdAllowed() {
        return true;
    }

    @Override
    public int pageblockOrder() {
        return pageblockOrder;
    }

    @Override
    public int maxOrder() {
        return maxOrder;
    }

    @Override
    public boolean mobilityGroupingDisabled() {
        return mobilityGroupingDisabled;
    }

    @Override
    public long headBlock(int o, MigrateType mt) {
        ArrayDeque<Long> d = lists.get(key(o, mt));
        return d == null || d.isEmpty() ? PageAllocator.NO_PAGE : d.peekFirst();
    }

    @Override
    public MigrateType pageblockType(long pfn) {
        return blockTypes.getOrDefault(block(pfn), MigrateType.MOVABLE);
    }

    @Override
    public boolean pageblockInZone(long pfn) {
        return block(pfn) >= 0 && block(pfn) + (1L << pageblockOrder) <= pages;
    }

    @Override
    public int freePagesInPageblock(long pfn) {
        long b = block(pfn);
        int free = 0;
        for (Map.Entry<Long, Integer> e : orderOf.entrySet()) {
            if (block(e.getKey()) == b) {
                free += (int) Math.min(1L << e.getValue(), 1L << pageblockOrder);
            }
        }
        return free;
    }

    @Override
    public int movablePagesInPageblock(long pfn) {
        return movablePages.getOrDefault(block(pfn), 0);
    }

    @Override
    public long takeBlock(long pfn, int blockOrder, MigrateType remainderType) {
        MigrateType from = remove(pfn, blockOrder);
        log.add("take 0x" + Long.toHexString(pfn) + " order " + blockOrder + " from " + from + " remainders " + remainderType);
        return split(pfn, blockOrder, remainderType, from, "take");
    }

    @Override
    public long claimWholeBlock(long pfn, int blockOrder) {
        if (blockOrder < pageblockOrder) {
            throw new IllegalArgumentException("claimWholeBlock needs order >= pageblock order " + pageblockOrder + ": " + blockOrder);
        }
        MigrateType from = remove(pfn, blockOrder);
        for (long p = pfn; p < pfn + (1L << blockOrder); p += 1L << pageblockOrder) {
            blockTypes.put(p, requested);
        }
        log.add("claim 0x" + Long.toHexString(pfn) + " order " + blockOrder + " from " + from);
        return split(pfn, blockOrder, requested, from, "claim");
    }

    @Override
    public int moveFreePagesOfPageblock(long pfn, MigrateType to) {
        long b = block(pfn);
        int moved = 0;
        for (int o = 0; o <= maxOrder; o++) {
            for (MigrateType mt : MigrateType.values()) {
                ArrayDeque<Long> d = lists.get(key(o, mt));
                if (d == null || mt == to) {
                    continue;
                }
                for (Long p : d.stream().filter(p -> block(p) == b).sorted().toList()) {
                    remove(p, o);
                    put(p, o, to, false);
                    moved += 1 << o;
                }
            }
        }
        log.add("move-pageblock 0x" + Long.toHexString(b) + " to " + to + " (" + moved + " pages)");
        return moved;
    }

    @Override
    public void moveBlock(long pfn, int blockOrder, MigrateType to) {
        remove(pfn, blockOrder);
        put(pfn, blockOrder, to, false);
        log.add("move 0x" + Long.toHexString(pfn) + " order " + blockOrder + " to " + to);
    }

    @Override
    public void setPageblockType(long pfn, MigrateType mt) {
        blockTypes.put(block(pfn), mobilityGroupingDisabled ? MigrateType.UNMOVABLE : mt);
        log.add("set-type 0x" + Long.toHexString(block(pfn)) + " " + mt);
    }

    @Override
    public long allocateSmallest(MigrateType mt) {
        for (int o = order; o <= maxOrder; o++) {
            long head = headBlock(o, mt);
            if (head != PageAllocator.NO_PAGE) {
                remove(head, o);
                log.add("smallest " + mt + " -> 0x" + Long.toHexString(head) + " order " + o);
                return split(head, o, mt, mt, "smallest");
            }
        }
        log.add("smallest " + mt + " -> none");
        return PageAllocator.NO_PAGE;
    }

    @Override
    public void boostWatermark() {
        log.add("boost");
    }

    @Override
    public void recordFallback(long pfn, int fallbackOrder, MigrateType fallbackType) {
        recorded.add(new RecordedFallback(pfn, fallbackOrder, fallbackType));
        log.add("extfrag 0x" + Long.toHexString(pfn) + " fallback_order " + fallbackOrder + " from " + fallbackType);
    }

    private final Zone zoneView = new Zone() {
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
            return pages;
        }

        @Override
        public long presentPages() {
            return pages;
        }

        @Override
        public long managedPages() {
            return pages;
        }

        @Override
        public long freePages() {
            return FakeFallbackContext.this.freePages();
        }

        @Override
        public long freeBlocks(int o) {
            return orderOf.values().stream().filter(v -> v == o).count();
        }

        @Override
        public long freeBlocks(int o, MigrateType mt) {
            ArrayDeque<Long> d = lists.get(key(o, mt));
            return d == null ? 0 : d.size();
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
            return FakeFallbackContext.this.pageblockType(pfn);
        }

        @Override
        public long pageblocks(MigrateType mt) {
            long typed = blockTypes.values().stream().filter(t -> t == mt).count();
            long untyped = pages / (1L << pageblockOrder) - blockTypes.size();
            return mt == MigrateType.MOVABLE ? typed + untyped : typed;
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
