package io.kmemsim.policies.fallback;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.FallbackContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-drawn zone for policy tests: free lists as deques of PFNs, pageblock types, and a log of the
 * list operations the policy asked for. Split remainders are not modelled (the log says where they go).
 */
final class ScriptedFallbackContext implements FallbackContext {

    final List<String> log = new ArrayList<>();
    private final Map<String, Deque<Long>> lists = new HashMap<>();
    private final Map<Long, MigrateType> blockTypes = new HashMap<>();
    private final Map<Long, Integer> movable = new HashMap<>();
    private final Map<Long, Integer> blockOrderOf = new HashMap<>();
    private final int order;
    private final MigrateType requested;
    private final int pbo;
    private final int maxOrder;
    boolean noFragment;
    boolean mobilityDisabled;

    ScriptedFallbackContext(int order, MigrateType requested, int pbo, int maxOrder) {
        this.order = order;
        this.requested = requested;
        this.pbo = pbo;
        this.maxOrder = maxOrder;
    }

    /** Adds a free block to the tail of its list; its pageblock gets {@code blockType} unless already set. */
    ScriptedFallbackContext free(long pfn, int blockOrder, MigrateType listType, MigrateType blockType) {
        lists.computeIfAbsent(key(blockOrder, listType), k -> new ArrayDeque<>()).addLast(pfn);
        blockOrderOf.put(pfn, blockOrder);
        blockTypes.putIfAbsent(block(pfn), blockType);
        return this;
    }

    ScriptedFallbackContext movablePages(long pfn, int pages) {
        movable.put(block(pfn), pages);
        return this;
    }

    private long block(long pfn) {
        return pfn >> pbo << pbo;
    }

    private static String key(int order, MigrateType mt) {
        return order + "/" + mt;
    }

    private void remove(long pfn) {
        for (Deque<Long> d : lists.values()) {
            d.remove(pfn);
        }
    }

    @Override
    public KernelVersion kernel() {
        return KernelVersion.parse("6.1");
    }

    @Override
    public Zone zone() {
        throw new UnsupportedOperationException("not drawn");
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
        return pbo;
    }

    @Override
    public int maxOrder() {
        return maxOrder;
    }

    @Override
    public boolean mobilityGroupingDisabled() {
        return mobilityDisabled;
    }

    @Override
    public long headBlock(int o, MigrateType mt) {
        Deque<Long> d = lists.get(key(o, mt));
        return d == null || d.isEmpty() ? PageAllocator.NO_PAGE : d.peekFirst();
    }

    @Override
    public MigrateType pageblockType(long pfn) {
        return blockTypes.getOrDefault(block(pfn), MigrateType.MOVABLE);
    }

    @Override
    public boolean pageblockInZone(long pfn) {
        return true;
    }

    @Override
    public int freePagesInPageblock(long pfn) {
        long b = block(pfn);
        int pages = 0;
        for (Map.Entry<String, Deque<Long>> e : lists.entrySet()) {
            int o = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf('/')));
            for (long p : e.getValue()) {
                if (block(p) == b) {
                    pages += 1 << o;
                }
            }
        }
        return pages;
    }

    @Override
    public int movablePagesInPageblock(long pfn) {
        return movable.getOrDefault(block(pfn), 0);
    }

    @Override
    public long takeBlock(long pfn, int blockOrder, MigrateType remainderType) {
        remove(pfn);
        log.add("take " + pfn + " order " + blockOrder + " remainders " + remainderType);
        return pfn;
    }

    @Override
    public long claimWholeBlock(long pfn, int blockOrder) {
        remove(pfn);
        for (long p = pfn; p < pfn + (1L << blockOrder); p += 1L << pbo) {
            blockTypes.put(p, requested);
        }
        log.add("claim-whole " + pfn + " order " + blockOrder);
        return pfn;
    }

    @Override
    public int moveFreePagesOfPageblock(long pfn, MigrateType to) {
        int pages = freePagesInPageblock(pfn);
        long b = block(pfn);
        List<long[]> moved = new ArrayList<>();
        for (Map.Entry<String, Deque<Long>> e : lists.entrySet()) {
            int o = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf('/')));
            e.getValue().removeIf(p -> {
                if (block(p) == b) {
                    moved.add(new long[] {p, o});
                    return true;
                }
                return false;
            });
        }
        for (long[] m : moved) {
            lists.computeIfAbsent(key((int) m[1], to), k -> new ArrayDeque<>()).addLast(m[0]);
        }
        log.add("move-free-of-block " + b + " to " + to + " (" + pages + " pages)");
        return pages;
    }

    @Override
    public void moveBlock(long pfn, int blockOrder, MigrateType to) {
        remove(pfn);
        lists.computeIfAbsent(key(blockOrder, to), k -> new ArrayDeque<>()).addLast(pfn);
        log.add("move " + pfn + " order " + blockOrder + " to " + to);
    }

    @Override
    public void setPageblockType(long pfn, MigrateType mt) {
        blockTypes.put(block(pfn), mt);
        log.add("set-type " + block(pfn) + " " + mt);
    }

    @Override
    public long allocateSmallest(MigrateType mt) {
        for (int o = order; o <= maxOrder; o++) {
            Deque<Long> d = lists.get(key(o, mt));
            if (d != null && !d.isEmpty()) {
                long pfn = d.pollFirst();
                log.add("smallest " + mt + " -> " + pfn + " order " + o);
                return pfn;
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
        log.add("extfrag pfn " + pfn + " fallback_order " + fallbackOrder + " from " + fallbackType
                + " change_ownership " + (pageblockType(pfn) == requested ? 1 : 0));
    }
}
