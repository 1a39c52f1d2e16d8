package io.kmemsim.arm64.mmu;

import java.util.Arrays;

/**
 * Translation tables held in simulated memory as primitive arrays: one slot of
 * {@code PAGE_SIZE / 8} descriptors per table page, found by the table's PFN. No object per table
 * or entry; slots of freed tables are reused.
 *
 * <p>Notes: a table is named by its PFN — a page from the page allocator, or, for tables the kernel
 * takes from memblock at boot (the linear map's), a synthetic PFN counting down from
 * {@link #BOOT_PFN_TOP} (physical address bit 47, outside any RAM of these boards). The walker
 * resolves a table descriptor's output address back to its slot through the PFN map.
 * Invariant: {@code used[slot]} is the number of non-zero descriptors of the slot.
 */
final class PageTables {

    /** Boot (memblock) tables get PFNs {@code BOOT_PFN_TOP − n}. */
    static final long BOOT_PFN_TOP = (1L << 35) - 1;

    private final Granule granule;
    private final int entries;
    private final LongIntMap slotByPfn = new LongIntMap(64);
    private long[] descriptors;
    private int[] used;
    private long[] pfnOfSlot;
    private int[] freeSlots = new int[16];
    private int freeCount;
    private int slots;
    private long nextBootPfn = BOOT_PFN_TOP;
    /** The level of the descriptor the last {@link #walk} returned (−1 for none). */
    int lastLevel;

    PageTables(Granule granule) {
        this.granule = granule;
        this.entries = granule.entries();
        this.descriptors = new long[entries * 8];
        this.used = new int[8];
        this.pfnOfSlot = new long[8];
    }

    Granule granule() {
        return granule;
    }

    /** A zeroed table for the page at {@code pfn}; returns its slot. */
    int newTable(long pfn) {
        if (slotByPfn.get(pfn) >= 0) {
            throw new IllegalStateException("page " + pfn + " already holds a page table");
        }
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            slot = slots++;
            if (slot == used.length) {
                used = Arrays.copyOf(used, slot * 2);
                pfnOfSlot = Arrays.copyOf(pfnOfSlot, slot * 2);
                descriptors = Arrays.copyOf(descriptors, slot * 2 * entries);
            }
        }
        Arrays.fill(descriptors, slot * entries, (slot + 1) * entries, 0L);
        used[slot] = 0;
        pfnOfSlot[slot] = pfn;
        slotByPfn.put(pfn, slot);
        return slot;
    }

    /** A table from boot memory (memblock), with a synthetic PFN. */
    int newBootTable() {
        return newTable(nextBootPfn--);
    }

    /** True when the slot's table came from boot memory, not the page allocator. */
    boolean isBootTable(int slot) {
        return pfnOfSlot[slot] > nextBootPfn && pfnOfSlot[slot] <= BOOT_PFN_TOP;
    }

    /** Forgets the table of {@code slot} (its page goes back to whoever owns it). */
    void freeTable(int slot) {
        slotByPfn.remove(pfnOfSlot[slot]);
        pfnOfSlot[slot] = -1;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
    }

    long pfnOf(int slot) {
        return pfnOfSlot[slot];
    }

    /** The physical address of the table in {@code slot}. */
    long physOf(int slot) {
        return pfnOfSlot[slot] << granule.pageShift();
    }

    /** The slot of the table a table descriptor points to, or −1. */
    int slotOfDescriptor(long tableDescriptor) {
        return slotByPfn.get(Descriptors.outputAddress(tableDescriptor, granule.pageShift()) >>> granule.pageShift());
    }

    long get(int slot, int index) {
        return descriptors[slot * entries + index];
    }

    /** Stores {@code d}, keeping the used count. */
    void set(int slot, int index, long d) {
        int i = slot * entries + index;
        long old = descriptors[i];
        if (old == 0 && d != 0) {
            used[slot]++;
        } else if (old != 0 && d == 0) {
            used[slot]--;
        }
        descriptors[i] = d;
    }

    /** The number of non-zero descriptors in the slot's table. */
    int used(int slot) {
        return used[slot];
    }

    /** Live tables. */
    int tables() {
        return slotByPfn.size();
    }

    /**
     * The leaf descriptor mapping {@code va} from the top table {@code root}, or 0; the level it was
     * found at is {@link #lastLevel} (−1 when the walk ended at an empty entry).
     */
    long walk(int root, long va) {
        int slot = root;
        for (int level = granule.startLevel(); level <= 3; level++) {
            long d = get(slot, granule.index(va, level));
            if (!Descriptors.isValid(d)) {
                lastLevel = d == 0 ? -1 : level;
                return d;
            }
            if (!Descriptors.isTable(d, level)) {
                lastLevel = level;
                return d;
            }
            slot = slotOfDescriptor(d);
        }
        throw new IllegalStateException("walk of 0x" + Long.toHexString(va) + " passed level 3");
    }

    /** The physical address {@code va} translates to from {@code root}, or −1 when unmapped. */
    long translate(int root, long va) {
        long d = walk(root, va);
        if (!Descriptors.isValid(d)) {
            return -1;
        }
        long offsetMask = (1L << granule.shift(lastLevel)) - 1;
        return Descriptors.outputAddress(d, granule.pageShift()) & ~offsetMask | (va & offsetMask);
    }

    /** Checks that every used count matches its table and every table descriptor resolves to a live slot. */
    void checkInvariants() {
        for (int s = 0; s < slots; s++) {
            if (pfnOfSlot[s] < 0) {
                continue;
            }
            int n = 0;
            for (int i = 0; i < entries; i++) {
                if (descriptors[s * entries + i] != 0) {
                    n++;
                }
            }
            if (n != used[s]) {
                throw new IllegalStateException("table at pfn " + pfnOfSlot[s] + " counts " + used[s] + " entries, holds " + n);
            }
        }
    }
}
