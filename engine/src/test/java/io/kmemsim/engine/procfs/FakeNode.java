package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.stats.CounterVisitor;
import java.util.ArrayList;
import java.util.List;

/** A hand-filled node for renderer tests: zones are plain values, allocation is not supported. */
final class FakeNode implements PageAllocator {

    final List<FakeZone> zones = new ArrayList<>();
    final int maxOrder;
    final int pageblockOrder;
    final List<Object[]> counters = new ArrayList<>();

    FakeNode(int maxOrder, int pageblockOrder) {
        this.maxOrder = maxOrder;
        this.pageblockOrder = pageblockOrder;
    }

    FakeZone add(int node, ZoneType type) {
        FakeZone z = new FakeZone(node, type, maxOrder);
        zones.add(z);
        return z;
    }

    @Override
    public long allocate(int order, int gfp, int cpu) {
        throw new UnsupportedOperationException("fake");
    }

    @Override
    public void free(long pfn, int order, int cpu) {
        throw new UnsupportedOperationException("fake");
    }

    @Override
    public int maxOrder() {
        return maxOrder;
    }

    @Override
    public int pageblockOrder() {
        return pageblockOrder;
    }

    @Override
    public List<? extends Zone> zones() {
        return zones;
    }

    @Override
    public void drainPerCpuLists() {
    }

    @Override
    public void checkInvariants() {
    }

    @Override
    public void forEachCounter(CounterVisitor visitor) {
        for (Object[] c : counters) {
            visitor.counter((String) c[0], (Long) c[1]);
        }
    }

    /** A zone whose every value is a public field. */
    static final class FakeZone implements Zone {
        final int node;
        final ZoneType type;
        long start;
        long spanned;
        long present;
        long managed;
        long freePages;
        final long[][] free;
        final long[] wmark = new long[4];
        long boost;
        long[] reserve = new long[4];
        final long[] blocks = new long[MigrateType.values().length];
        int[] pcpCount = new int[8];
        int[] pcpHigh = new int[8];
        int[] pcpHighMax = new int[8];
        int batch;
        long cma;
        long reservedHighatomic;

        FakeZone(int node, ZoneType type, int maxOrder) {
            this.node = node;
            this.type = type;
            this.free = new long[MigrateType.values().length][maxOrder + 1];
        }

        FakeZone span(long startPfn, long spannedPages, long presentPages, long managedPages) {
            start = startPfn;
            spanned = spannedPages;
            present = presentPages;
            managed = managedPages;
            return this;
        }

        FakeZone wmarks(long min, long low, long high, long promo) {
            wmark[0] = min;
            wmark[1] = low;
            wmark[2] = high;
            wmark[3] = promo;
            return this;
        }

        /** Sets free blocks of one type per order and recomputes the free page count. */
        FakeZone free(MigrateType mt, long... perOrder) {
            System.arraycopy(perOrder, 0, free[mt.ordinal()], 0, perOrder.length);
            freePages = 0;
            for (long[] t : free) {
                for (int o = 0; o < t.length; o++) {
                    freePages += t[o] << o;
                }
            }
            return this;
        }

        @Override
        public int node() {
            return node;
        }

        @Override
        public ZoneType type() {
            return type;
        }

        @Override
        public long startPfn() {
            return start;
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
            long n = 0;
            for (long[] t : free) {
                n += t[order];
            }
            return n;
        }

        @Override
        public long freeBlocks(int order, MigrateType mt) {
            return free[mt.ordinal()][order];
        }

        @Override
        public long watermark(WatermarkLevel level) {
            return wmark[level.ordinal()];
        }

        @Override
        public long watermarkBoost() {
            return boost;
        }

        @Override
        public long lowmemReserve(int upperZoneIndex) {
            return reserve[upperZoneIndex];
        }

        @Override
        public MigrateType pageblockType(long pfn) {
            return MigrateType.MOVABLE;
        }

        @Override
        public long pageblocks(MigrateType mt) {
            return blocks[mt.ordinal()];
        }

        @Override
        public int pcpCount(int cpu) {
            return pcpCount[cpu];
        }

        @Override
        public int pcpHigh(int cpu) {
            return pcpHigh[cpu];
        }

        @Override
        public int pcpHighMax(int cpu) {
            return pcpHighMax[cpu];
        }

        @Override
        public int pcpBatch() {
            return batch;
        }

        @Override
        public long cmaPages() {
            return cma;
        }

        @Override
        public long reservedHighatomicPages() {
            return reservedHighatomic;
        }
    }
}
