package io.kmemsim.policies.compaction;

import java.util.BitSet;

/**
 * Per-zone compaction state the kernel keeps in {@code struct zone} (
 * include/linux/compaction.h: enum compact_result (6.1); mm/compaction.c: defer_compaction() (6.1)): cached scanner positions, deferral, and the pageblock skip bits.
 */
final class ZoneCompactState {

    static final int MAX_DEFER_SHIFT = 6;

    final long start;
    final long end;
    final int pbo;
    final long[] cachedMigratePfn = new long[2];
    long cachedFreePfn;
    long initMigratePfn;
    long initFreePfn;
    int considered;
    int deferShift;
    /**
     * {@code compact_order_failed}: 0 at boot as in the kernel (struct zone is zeroed; nothing in 6.1 sets it before the
     * first compaction_defer_reset()), so a deferral holds for every order until a reset raises it.
     */
    int orderFailed;
    boolean blockskipFlush;
    private final BitSet skip = new BitSet();

    ZoneCompactState(long start, long end, int pbo) {
        this.start = start;
        this.end = end;
        this.pbo = pbo;
        resetCached();
    }

    /** The start of the zone's last pageblock (where the free scanner starts). */
    long lastBlockStart() {
        return Math.max(start, (end - 1) >> pbo << pbo);
    }

    void resetCached() {
        cachedMigratePfn[0] = start;
        cachedMigratePfn[1] = start;
        cachedFreePfn = lastBlockStart();
        initMigratePfn = start;
        initFreePfn = cachedFreePfn;
    }

    private int index(long pfn) {
        return (int) ((pfn >> pbo) - (start >> pbo));
    }

    boolean skipped(long pfn) {
        return skip.get(index(pfn));
    }

    void setSkip(long pfn) {
        skip.set(index(pfn));
    }

    void clearSkipBits() {
        skip.clear();
        resetCached();
    }

    // ---- deferral (mm/compaction.c: defer_compaction(), compaction_deferred() (6.1)) ----

    void defer(int order) {
        considered = 0;
        deferShift = Math.min(deferShift + 1, MAX_DEFER_SHIFT);
        orderFailed = Math.min(orderFailed, order);
    }

    /** True when compaction at {@code order} should be skipped now. */
    boolean deferred(int order) {
        if (order < orderFailed) {
            return false;
        }
        considered++;
        int limit = 1 << deferShift;
        if (considered >= limit) {
            considered = limit;
            return false;
        }
        return true;
    }

    void deferReset(int order, boolean allocSuccess) {
        if (allocSuccess) {
            considered = 0;
            deferShift = 0;
        }
        if (order >= orderFailed) {
            orderFailed = order + 1;
        }
    }

    boolean restarting(int order) {
        return order >= orderFailed && deferShift == MAX_DEFER_SHIFT && considered >= 1 << MAX_DEFER_SHIFT;
    }
}
