package io.kmemsim.slub;

import io.kmemsim.api.slab.CacheAlignment;
import io.kmemsim.api.slab.SlabFlags;

/**
 * SLUB's cache geometry as pure functions: the object layout ({@code calculate_sizes}, reference/slab.md
 * §3.2) and the derived limits (§3.4). The slab order ({@code calculate_order}, §3.3) is the api's
 * {@link io.kmemsim.api.slab.SlubOrder}, shared with the {@code /proc/slabinfo} checker.
 */
final class SlubGeometry {

    /** {@code MIN_PARTIAL}. */
    static final int MIN_PARTIAL = 5;
    /** {@code MAX_PARTIAL}. */
    static final int MAX_PARTIAL = 10;

    private static final int W = CacheAlignment.WORD;

    private SlubGeometry() {
    }

    /**
     * The layout of one object's stride.
     *
     * @param objectSize the object size
     * @param size       the stride
     * @param inuse      offset of the metadata (end of object plus right red zone)
     * @param offset     free pointer offset in the stride (after the left red zone)
     * @param redLeftPad the left red zone
     */
    record Layout(int objectSize, int size, int inuse, int offset, int redLeftPad) {

        /** True when the free pointer lies outside the object ({@code offset >= inuse}). */
        boolean freePointerOutside() {
            return offset >= inuse;
        }
    }

    /**
     * {@code calculate_sizes} (§3.2 steps 1–8) for object size {@code o}, flags and the computed alignment.
     * KASAN metadata (step 6) and {@code slub_debug=O} (step 11) are not modelled.
     */
    static Layout calculateSizes(SlubRules rules, int o, long flags, int align, boolean ctor, boolean kmalloc) {
        boolean redZone = (flags & SlabFlags.RED_ZONE) != 0;
        boolean storeUser = (flags & SlabFlags.STORE_USER) != 0;
        boolean rcu = (flags & SlabFlags.TYPESAFE_BY_RCU) != 0;
        boolean poison = (flags & SlabFlags.POISON) != 0;
        int s = CacheAlignment.alignUp(o, W);
        if (redZone && s == o) {
            s += W;
        }
        int inuse = s;
        int offset;
        boolean origTracked = kmalloc && storeUser && rules.origSizeBytes() > 0;
        if (rcu || poison || ctor || (redZone && o < W) || (rules.freeptrOutsideOrig() && redZone && origTracked)) {
            offset = s;
            s += W;
        } else {
            offset = ((o / 2) / W) * W;
        }
        if (storeUser) {
            s += 2 * rules.trackSize();
            if (origTracked) {
                s += rules.origSizeBytes();
            }
        }
        int redLeftPad = 0;
        if (redZone) {
            s += W;
            redLeftPad = CacheAlignment.alignUp(W, align);
            s += redLeftPad;
        }
        return new Layout(o, CacheAlignment.alignUp(s, align), inuse, offset, redLeftPad);
    }

    /** {@code min_partial}: {@code clamp(ilog2(size) / 2, 5, 10)} (§3.4). */
    static int minPartial(int size) {
        int log = 31 - Integer.numberOfLeadingZeros(size);
        return Math.max(MIN_PARTIAL, Math.min(MAX_PARTIAL, log / 2));
    }

    /**
     * The nominal {@code cpu_partial} in objects (§3.4): 6/24/52/120 from 5.16, 2/6/13/30 before; 0 for
     * debug caches or without CONFIG_SLUB_CPU_PARTIAL.
     */
    static int cpuPartial(SlubRules rules, int size, int pageSize, boolean debug, boolean enabled) {
        if (debug || !enabled) {
            return 0;
        }
        boolean slabs = rules.cpuPartialBySlabs();
        if (size >= pageSize) {
            return slabs ? 6 : 2;
        }
        if (size >= 1024) {
            return slabs ? 24 : 6;
        }
        if (size >= 256) {
            return slabs ? 52 : 13;
        }
        return slabs ? 120 : 30;
    }

    /** {@code cpu_partial_slabs = DIV_ROUND_UP(2 × cpu_partial, objects per slab)} (5.16+, §3.4). */
    static int cpuPartialSlabs(int cpuPartial, int objects) {
        return (2 * cpuPartial + objects - 1) / objects;
    }
}
