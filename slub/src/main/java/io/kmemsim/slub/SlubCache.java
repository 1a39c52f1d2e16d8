package io.kmemsim.slub;

import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.api.support.slab.ObjectIndex;

/**
 * One {@code struct kmem_cache} (reference/slab.md §3.1): geometry, limits, per-CPU and node state and
 * the statistics. One small object per cache, created at {@code kmem_cache_create}; its per-CPU state is
 * held in primitive arrays indexed by CPU, slabs are named by slab id (see {@link SlubSlabs}).
 *
 * <p>Per CPU: {@link #cpu}, one {@link SlubCpu} ({@code struct kmem_cache_cpu}: the cpu slab, the cpu
 * freelist and the head of the singly linked cpu partial list through
 * {@link SlubSlabs#next}). The node (kmemsim models one node) has a doubly linked partial list.
 */
final class SlubCache {

    final int index;
    final String name;
    final long flags;
    final boolean ctor;
    final boolean kmalloc;
    final boolean debug;
    final boolean mergeable;
    final int align;
    final int size;
    /** {@code reciprocal_size}: {@link ObjectIndex#reciprocal} of {@link #size}. */
    final long reciprocal;
    final int offset;
    final int redLeftPad;
    final int ooOrder;
    final int ooObjects;
    final int minOrder;
    final int minObjects;
    final int minPartial;
    final int cpuPartial;
    final int cpuPartialSlabs;
    final int allocflags;
    /** The CONFIG_SLAB_FREELIST_HARDENED key ({@code s->random}). */
    final long random;
    /** The freelist permutation ({@code s->random_seq}) or null when randomization is off. */
    final int[] randomSeq;

    int objectSize;
    int inuse;
    int refcount = 1;
    boolean live = true;

    /** Per CPU: {@code s->cpu_slab}. */
    final SlubCpu[] cpu;

    int partialHead = -1;
    int partialTail = -1;
    int nrPartial;
    long nrSlabs;
    long totalObjects;
    /** Objects handed out and not yet freed. */
    long allocated;

    /** {@code stats[cpu * SlubStat.COUNT + stat]}. */
    final long[] stats;

    SlubCache(int index, String name, long flags, boolean ctor, boolean kmalloc, boolean mergeable, int align,
              SlubGeometry.Layout layout, int ooOrder, int ooObjects, int minOrder, int minObjects, int cpuPartial,
              int allocflags, long random, int[] randomSeq, int cpus) {
        this.index = index;
        this.name = name;
        this.flags = flags;
        this.ctor = ctor;
        this.kmalloc = kmalloc;
        this.debug = SlabFlags.isDebug(flags);
        this.mergeable = mergeable;
        this.align = align;
        this.objectSize = layout.objectSize();
        this.size = layout.size();
        this.reciprocal = ObjectIndex.reciprocal(size);
        this.inuse = layout.inuse();
        this.offset = layout.offset();
        this.redLeftPad = layout.redLeftPad();
        this.ooOrder = ooOrder;
        this.ooObjects = ooObjects;
        this.minOrder = minOrder;
        this.minObjects = minObjects;
        this.minPartial = SlubGeometry.minPartial(size);
        this.cpuPartial = cpuPartial;
        this.cpuPartialSlabs = cpuPartial == 0 ? 0 : SlubGeometry.cpuPartialSlabs(cpuPartial, ooObjects);
        this.allocflags = allocflags;
        this.random = random;
        this.randomSeq = randomSeq;
        this.cpu = new SlubCpu[cpus];
        for (int i = 0; i < cpus; i++) {
            cpu[i] = new SlubCpu();
        }
        this.stats = new long[cpus * SlubStat.COUNT];
    }

    void stat(int cpu, SlubStat s) {
        stats[cpu * SlubStat.COUNT + s.ordinal()]++;
    }

    /** One counter of one CPU (the fast-path counters live in {@link SlubCpu}). */
    long count(int cpu, SlubStat s) {
        return s == SlubStat.ALLOC_FASTPATH ? this.cpu[cpu].allocFastpath
                : s == SlubStat.FREE_FASTPATH ? this.cpu[cpu].freeFastpath
                : stats[cpu * SlubStat.COUNT + s.ordinal()];
    }

    /** The sum of one counter over all CPUs, as sysfs prints it first. */
    long statTotal(SlubStat s) {
        long sum = 0;
        for (int c = 0; c < cpu.length; c++) {
            sum += count(c, s);
        }
        return sum;
    }

    /** True when cpu partial lists are in use ({@code kmem_cache_has_cpu_partial}). */
    boolean hasCpuPartial() {
        return cpuPartial > 0;
    }
}
