package io.kmemsim.slub;

/**
 * One CPU's slab state of a cache: {@code struct kmem_cache_cpu} ({@code mm/slub.c}, 6.1) — the cpu slab,
 * its lockless freelist and the head of the cpu partial list — plus what lets the fast paths touch this one
 * object only: the cpu slab's object links and object-0 address (copies of its {@link SlubSlabs} row) and
 * the two fast-path counters.
 */
final class SlubCpu {

    /** The frozen cpu slab, or −1. */
    int slab = -1;
    /** Head object index of the cpu freelist, or −1 ({@code SlubSlabs.END}). */
    int freelist = -1;
    /** Head of the singly linked cpu partial list (through {@code SlubSlabs.next}), or −1. */
    int partialHead = -1;
    /** {@code SlubSlabs.objNext[slab]}; meaningful while {@link #freelist} is not −1. */
    int[] links;
    /** The address of the cpu slab's object 0 (slab base + red_left_pad). */
    long object0;
    /** Bytes of the cpu slab's objects ({@code objects × size}); 0 without a cpu slab. */
    long limit;
    /** {@code ALLOC_FASTPATH} of this CPU. */
    long allocFastpath;
    /** {@code FREE_FASTPATH} of this CPU. */
    long freeFastpath;

    /** Makes {@code slab} the cpu slab. */
    void load(int slab, int[] links, long object0, long limit) {
        this.slab = slab;
        this.links = links;
        this.object0 = object0;
        this.limit = limit;
    }

    /** Leaves the cpu slab (its freelist is the caller's business). */
    void drop() {
        slab = -1;
        limit = 0;
    }
}
