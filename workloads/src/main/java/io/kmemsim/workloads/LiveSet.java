package io.kmemsim.workloads;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The live allocations of one class (e.g. "movable pages of the churn part"), as primitive arrays,
 * with O(1) add, uniform random victim and removal, and handles that name their slot.
 *
 * <p>Notes:
 * <ul>
 *   <li>Handle layout (bit 63 is always 0, so a handle is never the −1 "none" sentinel):
 * <pre>
 *   63 62      56 55                     28 27                      0
 *   +-+----------+-------------------------+-------------------------+
 *   |0|   tag    |  generation (28 bits)   |     slot (28 bits)      |
 *   +-+----------+-------------------------+-------------------------+
 * </pre>
 *       {@code tag} names this set inside its {@link HandleSpace}; {@code slot} indexes the per-slot
 *       arrays; {@code generation} counts reuses of the slot, so a stale handle is recognised.</li>
 *   <li>Live slots are also kept densely in {@code dense[0, size)} ({@code pos[slot]} is the slot's
 *       index there, −1 when free), so a uniform victim is one {@code nextInt(size)} and removal is a
 *       swap with the last element.</li>
 *   <li>{@code units} is the sum over live slots of {@code 1 << aux} when the set holds pages (aux is
 *       the order), or of 1 when it holds objects.</li>
 *   <li>{@code archInfo}/{@code archAddress} per slot hold what {@link ArchEvents} mapped for the
 *       allocation (its user mapping or DMA mapping), so the matching unmap can precede the free.</li>
 *   <li>Arrays grow by doubling; nothing is allocated per add or remove otherwise.</li>
 * </ul>
 */
final class LiveSet {

    static final int TAG_BITS = 7;
    static final int SLOT_BITS = 28;
    static final int GEN_BITS = 28;
    static final int MAX_SLOTS = 1 << SLOT_BITS;
    private static final int SLOT_MASK = MAX_SLOTS - 1;
    private static final int GEN_MASK = (1 << GEN_BITS) - 1;

    private final int tag;
    private final boolean pages;
    private int[] dense = new int[64];
    private int[] pos = new int[64];
    private int[] generation = new int[64];
    private int[] aux = new int[64];
    private int[] cpu = new int[64];
    private int[] archInfo = new int[64];
    private long[] archAddress = new long[64];
    private int size;
    private int slotsUsed;
    private int[] freeSlots = new int[64];
    private int freeCount;
    private long units;
    private long failures;

    LiveSet(int tag, boolean pages) {
        this.tag = tag;
        this.pages = pages;
        Arrays.fill(pos, -1);
    }

    /** Live allocations. */
    int size() {
        return size;
    }

    /** Pages held (page sets) or objects held (object sets). */
    long units() {
        return units;
    }

    /** How many of this set's allocations the host reported failed, ever. */
    long failures() {
        return failures;
    }

    /** True when no further allocation fits the handle layout. */
    boolean isFull() {
        return size == MAX_SLOTS;
    }

    /** Records a new live allocation and returns its handle. */
    long add(int auxValue, int cpuValue) {
        int slot = freeCount > 0 ? freeSlots[--freeCount] : newSlot();
        pos[slot] = size;
        dense[size++] = slot;
        aux[slot] = auxValue;
        cpu[slot] = cpuValue;
        archInfo[slot] = 0;
        archAddress[slot] = 0;
        units += unitsOf(auxValue);
        return handleOf(slot);
    }

    private int newSlot() {
        if (slotsUsed == MAX_SLOTS) {
            throw new IllegalStateException("live set " + tag + " holds the maximum of " + MAX_SLOTS + " allocations");
        }
        if (slotsUsed == pos.length) {
            int n = (int) Math.min((long) pos.length * 2, MAX_SLOTS);
            dense = Arrays.copyOf(dense, n);
            int old = pos.length;
            pos = Arrays.copyOf(pos, n);
            Arrays.fill(pos, old, n, -1);
            generation = Arrays.copyOf(generation, n);
            aux = Arrays.copyOf(aux, n);
            cpu = Arrays.copyOf(cpu, n);
            archInfo = Arrays.copyOf(archInfo, n);
            archAddress = Arrays.copyOf(archAddress, n);
            freeSlots = Arrays.copyOf(freeSlots, n);
        }
        return slotsUsed++;
    }

    /** A uniformly random dense position; only called when {@code size() > 0}. */
    int randomPosition(SplittableRandom random) {
        return random.nextInt(size);
    }

    long handleAt(int position) {
        return handleOf(dense[position]);
    }

    int auxAt(int position) {
        return aux[dense[position]];
    }

    int cpuAt(int position) {
        return cpu[dense[position]];
    }

    /** What {@link ArchEvents} recorded for the allocation at {@code position}: 0 = nothing (layout on {@link ArchEvents}). */
    int archInfoAt(int position) {
        return archInfo[dense[position]];
    }

    /** The address {@link ArchEvents} recorded with {@link #archInfoAt}. */
    long archAddressAt(int position) {
        return archAddress[dense[position]];
    }

    /** True when {@code handle} names a live allocation of this set (it neither failed nor was freed). */
    boolean isLive(long handle) {
        int slot = (int) (handle & SLOT_MASK);
        return handle >= 0 && slot < slotsUsed && pos[slot] >= 0 && handleOf(slot) == handle;
    }

    /** Records the arch state of the live allocation {@code handle} (see {@link ArchEvents}). */
    void setArch(long handle, int info, long address) {
        int slot = (int) (handle & SLOT_MASK);
        archInfo[slot] = info;
        archAddress[slot] = address;
    }

    /** Removes the allocation at dense {@code position} (it was freed). */
    void removeAt(int position) {
        int slot = dense[position];
        units -= unitsOf(aux[slot]);
        int last = dense[--size];
        dense[position] = last;
        pos[last] = position;
        pos[slot] = -1;
        generation[slot] = (generation[slot] + 1) & GEN_MASK;
        freeSlots[freeCount++] = slot;
    }

    /**
     * The host reported that the allocation {@code handle} failed: it is removed, never to be freed.
     *
     * @throws IllegalArgumentException when {@code handle} is not a live allocation of this set
     */
    /** Removes the live allocation {@code handle} (freed by someone else, e.g. a shrinker). */
    void remove(long handle) {
        if (!isLive(handle)) {
            throw new IllegalArgumentException("handle 0x" + Long.toHexString(handle) + " is not live");
        }
        removeAt(pos[(int) (handle & SLOT_MASK)]);
    }

    void failed(long handle) {
        if (!isLive(handle)) {
            throw new IllegalArgumentException("allocationFailed: handle 0x" + Long.toHexString(handle)
                    + " is not a live allocation of this workload");
        }
        removeAt(pos[(int) (handle & SLOT_MASK)]);
        failures++;
    }

    private long unitsOf(int auxValue) {
        return pages ? 1L << auxValue : 1L;
    }

    private long handleOf(int slot) {
        return ((long) tag << (SLOT_BITS + GEN_BITS)) | ((long) generation[slot] << SLOT_BITS) | slot;
    }
}
