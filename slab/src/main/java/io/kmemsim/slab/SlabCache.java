package io.kmemsim.slab;

import io.kmemsim.api.support.slab.ObjectIndex;

/**
 * One SLAB {@code struct kmem_cache} with its single {@code kmem_cache_node} (reference/slab.md §6.1):
 * geometry, tunables, the per-CPU array caches, the shared array and the three slab lists.
 *
 * <p>Array caches are LIFO stacks of object addresses: {@code cpuEntries[cpu][0 … cpuAvail[cpu])}, top at
 * {@code avail − 1}; the shared array likewise. The slab lists are doubly linked through
 * {@link SlabSlabs#next} / {@link SlabSlabs#prev}, heads and tails indexed by {@link SlabSlabs#FULL},
 * {@link SlabSlabs#PARTIAL}, {@link SlabSlabs#FREE}.
 */
final class SlabCache {

    final int index;
    final String name;
    final long flags;
    final boolean ctor;
    final boolean kmalloc;
    final boolean mergeable;
    final SlabGeometry.Geometry geometry;
    final int size;
    /** {@code reciprocal_buffer_size}: {@link ObjectIndex#reciprocal} of {@link #size}. */
    final long reciprocal;
    final int num;
    final int order;
    final int limit;
    final int batchcount;
    final int shared;
    final int allocflags;
    final long freeLimit;

    int objectSize;
    int refcount = 1;
    boolean live = true;

    final long[][] cpuEntries;
    final int[] cpuAvail;
    final boolean[] cpuTouched;
    final long[] sharedEntries;
    int sharedAvail;
    boolean sharedTouched;

    final int[] listHead = {-1, -1, -1};
    final int[] listTail = {-1, -1, -1};
    long totalSlabs;
    long freeSlabs;
    long freeObjects;
    int colourNext;
    long nextReapNanos;
    boolean freeTouched;

    /** Objects handed to users and not yet freed. */
    long allocated;
    /** Objects out of slabs (in arrays or in use): {@code num_active} behind {@code maxobjs}. */
    long numActive;
    /** The statistics, indexed by {@link SlabStat} ordinal. */
    final long[] stats = new long[SlabStat.COUNT];

    SlabCache(int index, String name, long flags, boolean ctor, boolean kmalloc, boolean mergeable, int objectSize,
              SlabGeometry.Geometry g, int limit, int shared, int allocflags, int cpus, long nextReapNanos) {
        this.index = index;
        this.name = name;
        this.flags = flags;
        this.ctor = ctor;
        this.kmalloc = kmalloc;
        this.mergeable = mergeable;
        this.objectSize = objectSize;
        this.geometry = g;
        this.size = g.size();
        this.reciprocal = ObjectIndex.reciprocal(size);
        this.num = g.num();
        this.order = g.order();
        this.limit = limit;
        this.batchcount = SlabGeometry.batchcount(limit);
        this.shared = shared;
        this.allocflags = allocflags;
        this.freeLimit = SlabGeometry.freeLimit(cpus, batchcount, num);
        this.cpuEntries = new long[cpus][limit];
        this.cpuAvail = new int[cpus];
        this.cpuTouched = new boolean[cpus];
        this.sharedEntries = new long[shared * batchcount];
        this.nextReapNanos = nextReapNanos;
    }

    void stat(SlabStat s) {
        stats[s.ordinal()]++;
    }

    void high(SlabStat s, long value) {
        if (value > stats[s.ordinal()]) {
            stats[s.ordinal()] = value;
        }
    }
}
