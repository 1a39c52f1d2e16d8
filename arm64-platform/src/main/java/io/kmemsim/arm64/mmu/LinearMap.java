package io.kmemsim.arm64.mmu;

import io.kmemsim.api.arch.MemoryBank;
import java.util.List;

/**
 * The kernel's linear map of every RAM bank, built into boot tables the way {@code map_mem} →
 * {@code __create_pgd_mapping} does with PAGE_KERNEL [MEM: the helper structure; the sizes are arch/arm64/include/asm/pgtable-hwdef.h: PMD_SHIFT (6.1),
 * arch/arm64/include/asm/sparsemem.h: SECTION_SIZE_BITS (6.1)]: a 1 GiB block where VA, PA and the chunk end are 1 GiB aligned (4K only); otherwise per
 * 32 MiB cont-PMD range that is fully aligned the Contiguous bit, and 2 MiB blocks where aligned;
 * otherwise per 64 KiB cont-PTE range the Contiguous bit, and pages.
 *
 * <p>The VA of a physical address is {@code PAGE_OFFSET + (pa − memstart)}, {@code PAGE_OFFSET} the
 * bottom of the kernel half ({@code −2^VA_BITS}) and {@code memstart} the first bank's base rounded
 * down to 1 GiB (an ASSUMPTION standing for {@code ARM64_MEMSTART_ALIGN}; it keeps VA ≡ PA modulo every
 * block size, which is what decides the block choice). Boot work is not charged: these tables come
 * from memblock and are written before any workload event. With option {@code linearMapBlocks} false
 * the map uses pages only (what {@code rodata=full} or {@code debug_pagealloc} give [MEM]).
 */
final class LinearMap {

    private static final long GIB = 1L << 30;

    private final PageTables tables;
    private final Granule g;
    private final Arm64Rules rules;
    private final List<MemoryBank> banks;
    private final MmuStats stats;
    private final long prot;

    LinearMap(PageTables tables, Arm64Rules rules, List<MemoryBank> banks, MmuStats stats) {
        this.tables = tables;
        this.g = tables.granule();
        this.rules = rules;
        this.banks = banks;
        this.stats = stats;
        this.prot = Descriptors.pageKernel(rules.era(), rules.kpti());
    }

    static long linearVa(Granule g, List<MemoryBank> banks, long pa) {
        long memstart = banks.isEmpty() ? 0 : banks.get(0).base() & -GIB;
        return g.kernelBase() + (pa - memstart);
    }

    void build(int root) {
        for (MemoryBank bank : banks) {
            long va = linearVa(g, banks, bank.base());
            mapRange(root, g.startLevel(), va, va + bank.size(), bank.base());
        }
    }

    private void mapRange(int slot, int level, long va, long end, long pa) {
        long from = va;
        long size = 1L << g.shift(level);
        while (va < end) {
            long next = Math.min((va | (size - 1)) + 1, end);
            int index = g.index(va, level);
            if (level == 3) {
                tables.set(slot, index, Descriptors.page(pa, withCont(va, pa, from, end, 3), g.pageShift()));
                stats.linearPtes++;
            } else if (canBlock(level, va, next, pa)) {
                tables.set(slot, index, Descriptors.block(pa, withCont(va, pa, from, end, level), g.pageShift()));
                if (level == 1) {
                    stats.linearPudBlocks++;
                } else {
                    stats.linearPmdBlocks++;
                }
            } else {
                mapRange(childOf(slot, index), level + 1, va, next, pa);
            }
            pa += next - va;
            va = next;
        }
    }

    private boolean canBlock(int level, long va, long next, long pa) {
        long mask = (1L << g.shift(level)) - 1;
        return rules.linearMapBlocks() && g.blockAllowed(level) && ((va | next | pa) & mask) == 0;
    }

    /**
     * PAGE_KERNEL, with the Contiguous bit when the cont range holding {@code va} lies wholly in this
     * call's {@code [from, end)} and VA and PA agree modulo its size ({@code (addr | next | phys)} aligned).
     */
    private long withCont(long va, long pa, long from, long end, int level) {
        if (!rules.linearMapBlocks() || level == 1) {
            return prot;
        }
        int n = level == 3 ? g.contPtes() : g.contPmds();
        long group = (long) n << g.shift(level);
        long first = va & -group;
        boolean whole = first >= from && first + group <= end && ((va ^ pa) & (group - 1)) == 0;
        return whole ? prot | Descriptors.CONT : prot;
    }

    private int childOf(int slot, int index) {
        long d = tables.get(slot, index);
        if (Descriptors.isValid(d)) {
            return tables.slotOfDescriptor(d);
        }
        int child = tables.newBootTable();
        stats.bootTables++;
        tables.set(slot, index, Descriptors.table(tables.physOf(child), g.pageShift()));
        return child;
    }
}
