package io.kmemsim.testkit.support;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageAllocatorMisuseException;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.plugin.ProviderContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * A trivially correct page allocator: a bitmap of free pages and first-fit search for an aligned,
 * wholly free run, with the zones a platform's limits give. It has no migrate types (every free block
 * counts as MOVABLE), no watermarks, no per-CPU lists and no policies. It is the oracle for allocator
 * tests and the page allocator under object caches and workloads in the conformance kits; it is not a
 * model of the kernel.
 *
 * <p>Notes: the zone of index {@code i} spans from the previous zone's limit (or the first RAM page)
 * to its own limit, clipped to the first and last present page; MOVABLE and DEVICE are empty. Pages in
 * {@code no-map} reservations are absent, other reservations present but not managed. Free blocks per
 * order are the blocks a perfectly merging buddy allocator would hold: the greedy split of each free
 * run into the largest aligned blocks that fit in the zone.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ReferencePageAllocator implements PageAllocator {

    private final KernelConfig config;
    private final int cpus;
    private final int maxOrder;
    private final int pageblockOrder;
    private final long basePfn;
    private final long endPfn;
    private final BitSet managed = new BitSet();
    private final BitSet free = new BitSet();
    private final TreeMap<Long, Integer> live = new TreeMap<>();
    private final List<RefZone> zones = new ArrayList<>();

    /** An allocator over the platform of {@code context} for its kernel. */
    public ReferencePageAllocator(ProviderContext context) {
        Platform platform = context.platform();
        this.config = context.kernelConfig();
        this.cpus = platform.cpus();
        this.maxOrder = PageOrders.maxOrder(context.kernel(), config);
        this.pageblockOrder = PageOrders.pageblockOrder(context.kernel(), config);
        int shift = config.pageSize().shift();
        List<MemoryBank> banks = platform.banks();
        this.basePfn = banks.get(0).base() >> shift;
        this.endPfn = (banks.get(banks.size() - 1).end() >> shift) + 1;
        BitSet present = new BitSet();
        for (MemoryBank b : banks) {
            present.set(bit(b.base() >> shift), bit((b.end() >> shift) + 1));
        }
        managed.or(present);
        for (ReservedRange r : platform.reserved()) {
            int from = bit(r.base() >> shift);
            int to = bit((r.end() >> shift) + 1);
            managed.clear(from, to);
            if (r.nomap()) {
                present.clear(from, to);
            }
        }
        free.or(managed);
        long lo = basePfn;
        for (ZoneType type : config.zones()) {
            long hi = platform.zoneLimitPfn(type).orElse(lo);
            zones.add(new RefZone(type, Math.max(lo, basePfn), Math.min(Math.max(hi, lo), endPfn), present));
            lo = Math.max(lo, hi);
        }
    }

    private int bit(long pfn) {
        return (int) (pfn - basePfn);
    }

    @Override
    public long allocate(int order, int gfp, int cpu) {
        check(order, cpu);
        int highest = config.zones().indexOf(Gfp.zone(gfp, config));
        for (int z = highest; z >= 0; z--) {
            RefZone zone = zones.get(z);
            long size = 1L << order;
            long p = alignUp(zone.start, size);
            while (p + size <= zone.end) {
                int clear = free.nextClearBit(bit(p));
                if (clear >= bit(p + size)) {
                    take(p, order);
                    return p;
                }
                p = alignUp(basePfn + clear + 1, size);
            }
        }
        return NO_PAGE;
    }

    @Override
    public long allocateAt(long pfn, int order, int gfp, int cpu) {
        check(order, cpu);
        if (pfn < basePfn || pfn + (1L << order) > endPfn || (pfn & ((1L << order) - 1)) != 0) {
            throw new IllegalArgumentException("pfn 0x" + Long.toHexString(pfn) + " order " + order
                    + " is not an aligned block inside the node");
        }
        if (free.nextClearBit(bit(pfn)) < bit(pfn + (1L << order))) {
            return NO_PAGE;
        }
        take(pfn, order);
        return pfn;
    }

    private void take(long pfn, int order) {
        free.clear(bit(pfn), bit(pfn + (1L << order)));
        live.put(pfn, order);
    }

    @Override
    public void free(long pfn, int order, int cpu) {
        check(order, cpu);
        if (pfn < basePfn || pfn >= endPfn) {
            throw new PageAllocatorMisuseException("free of pfn 0x" + Long.toHexString(pfn) + " order " + order
                    + ": pfn is outside the node [0x" + Long.toHexString(basePfn) + ", 0x" + Long.toHexString(endPfn) + ")");
        }
        Integer liveOrder = live.get(pfn);
        if (liveOrder == null) {
            throw new PageAllocatorMisuseException("free of pfn 0x" + Long.toHexString(pfn) + " order " + order
                    + ": block is not allocated");
        }
        if (liveOrder != order) {
            throw new PageAllocatorMisuseException("free of pfn 0x" + Long.toHexString(pfn) + " order " + order
                    + ": block was allocated with order " + liveOrder);
        }
        live.remove(pfn);
        free.set(bit(pfn), bit(pfn + (1L << order)));
    }

    private void check(int order, int cpu) {
        PageOrders.checkOrder(order, maxOrder);
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalArgumentException("cpu must be in [0, " + (cpus - 1) + "]: " + cpu);
        }
    }

    private static long alignUp(long pfn, long size) {
        return (pfn + size - 1) & -size;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.PLACE_AT_PFN);
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
        return List.copyOf(zones);
    }

    @Override
    public void drainPerCpuLists() {
        // this allocator keeps no per-CPU lists: every free page is already on the free bitmap
    }

    /** The live blocks, first PFN to order (a copy). */
    public Map<Long, Integer> liveBlocks() {
        return new TreeMap<>(live);
    }

    @Override
    public void checkInvariants() {
        long end = -1;
        long allocated = 0;
        for (Map.Entry<Long, Integer> e : live.entrySet()) {
            long pfn = e.getKey();
            long size = 1L << e.getValue();
            if (pfn < end) {
                throw new IllegalStateException("live block 0x" + Long.toHexString(pfn) + " overlaps the previous one");
            }
            if (free.nextSetBit(bit(pfn)) >= 0 && free.nextSetBit(bit(pfn)) < bit(pfn + size)) {
                throw new IllegalStateException("live block 0x" + Long.toHexString(pfn) + " has pages marked free");
            }
            end = pfn + size;
            allocated += size;
        }
        BitSet outside = (BitSet) free.clone();
        outside.andNot(managed);
        if (!outside.isEmpty()) {
            throw new IllegalStateException("unmanaged page marked free: pfn 0x" + Long.toHexString(basePfn + outside.nextSetBit(0)));
        }
        if (free.cardinality() + allocated != managed.cardinality()) {
            throw new IllegalStateException("free " + free.cardinality() + " + allocated " + allocated
                    + " != managed " + managed.cardinality());
        }
    }

    private final class RefZone implements Zone {
        private final ZoneType type;
        private final long start;
        private final long end;
        private final long present;
        private final long managedPages;

        RefZone(ZoneType type, long lo, long hi, BitSet presentBits) {
            this.type = type;
            int first = lo < hi ? presentBits.nextSetBit(bit(lo)) : -1;
            if (first < 0 || first >= bit(hi)) {
                this.start = 0;
                this.end = 0;
                this.present = 0;
                this.managedPages = 0;
                return;
            }
            int last = presentBits.previousSetBit(bit(hi) - 1);
            this.start = basePfn + first;
            this.end = basePfn + last + 1;
            this.present = presentBits.get(first, last + 1).cardinality();
            this.managedPages = managed.get(first, last + 1).cardinality();
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
            return start;
        }

        @Override
        public long spannedPages() {
            return end - start;
        }

        @Override
        public long presentPages() {
            return present;
        }

        @Override
        public long managedPages() {
            return managedPages;
        }

        @Override
        public long freePages() {
            return start == end ? 0 : free.get(bit(start), bit(end)).cardinality();
        }

        @Override
        public long freeBlocks(int order) {
            long count = 0;
            long p = start;
            while (p < end) {
                int o = largestFreeBlockAt(p);
                if (o < 0) {
                    p++;
                } else {
                    count += o == order ? 1 : 0;
                    p += 1L << o;
                }
            }
            return count;
        }

        private int largestFreeBlockAt(long p) {
            for (int o = maxOrder; o >= 0; o--) {
                long size = 1L << o;
                if ((p & (size - 1)) == 0 && p + size <= end && free.nextClearBit(bit(p)) >= bit(p + size)) {
                    return o;
                }
            }
            return -1;
        }

        @Override
        public long freeBlocks(int order, MigrateType mt) {
            return mt == MigrateType.MOVABLE ? freeBlocks(order) : 0;
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
            if (mt != MigrateType.MOVABLE || start == end) {
                return 0;
            }
            return ((end - 1) >> pageblockOrder) - (start >> pageblockOrder) + 1;
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
    }
}
