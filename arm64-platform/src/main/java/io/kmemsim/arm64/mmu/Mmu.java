package io.kmemsim.arm64.mmu;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.mm.PageAllocator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Address spaces over {@link PageTables}: user mappings for page faults, kernel mappings
 * (vmalloc-style), unmapping with table freeing, block splitting with break-before-make and
 * contiguous-range unfolding, each descriptor write followed by the barriers its kernel version
 * issues (arch/arm64/include/asm/pgtable.h: set_pte() (6.1); arch/arm64/include/asm/tlbflush.h: __flush_tlb_range() (6.1)).
 *
 * <p>Notes:
 * <ul>
 *   <li>Mapping id 0 is the kernel ({@code init_mm}, TTBR1, global entries unless KPTI); ids &gt; 0 are
 *       user address spaces (TTBR0), each with its own top table and ASID.</li>
 *   <li>Table pages come from the page allocator at first use: order 0, {@code GFP_KERNEL | __GFP_ZERO}
 *       ({@code GFP_PGTABLE_KERNEL}), plus {@code __GFP_ACCOUNT} for user tables ({@code
 *       GFP_PGTABLE_USER}) [MEM]. Their zeroing is charged by {@link Arm64ArchHooks#onPagesAllocated},
 *       which the page allocator calls for every block it hands out, these included. The linear
 *       map's tables come from boot memory and its construction is not charged (it happens at boot).</li>
 *   <li>User entries are stored without a barrier; valid kernel entries and every valid table/block
 *       written with {@code set_pmd}/{@code set_pud} take {@link Ledger#kernelEntryWritten}. User blocks
 *       (THP, {@code set_pmd_at}) follow the user PTE rule.</li>
 * </ul>
 */
final class Mmu {

    private final PageTables tables;
    private final Granule g;
    private final Arm64Rules rules;
    private final Ledger ledger;
    private final Tlb tlb;
    private final Caches caches;
    private final Supplier<PageAllocator> allocator;
    private final List<MemoryBank> banks;
    private final LongIntMap rootByMm = new LongIntMap(16);
    private final long[] pendingFree = new long[64];
    private int pendingFreeCount;
    private long[] overflowFree = new long[0];
    private int kernelRoot = -1;
    final MmuStats stats = new MmuStats();

    Mmu(Granule granule, Arm64Rules rules, Ledger ledger, Tlb tlb, Caches caches,
        Supplier<PageAllocator> allocator, List<MemoryBank> banks) {
        this.tables = new PageTables(granule);
        this.g = granule;
        this.rules = rules;
        this.ledger = ledger;
        this.tlb = tlb;
        this.caches = caches;
        this.allocator = allocator;
        this.banks = banks;
    }

    PageTables tables() {
        return tables;
    }

    // ---- address spaces ----

    /** The top table of mapping {@code mm} (0 = kernel, building the linear map at first use); −1 when no page. */
    int root(long mm) {
        if (mm == 0) {
            if (kernelRoot < 0) {
                kernelRoot = tables.newBootTable();
                new LinearMap(tables, rules, banks, stats).build(kernelRoot);
            }
            return kernelRoot;
        }
        int root = rootByMm.get(mm);
        if (root < 0) {
            root = allocTable(true);
            if (root >= 0) {
                rootByMm.put(mm, root);
            }
        }
        return root;
    }

    /** The linear-map VA of physical {@code pa}. */
    long linearVa(long pa) {
        return LinearMap.linearVa(g, banks, pa);
    }

    private int allocTable(boolean user) {
        int gfp = Gfp.GFP_KERNEL | Gfp.ZERO | (user ? Gfp.ACCOUNT : 0);
        long pfn = allocator.get().allocate(0, gfp, ledger.cpu());
        if (pfn == PageAllocator.NO_PAGE) {
            stats.pgtableAllocFailed++;
            return -1;
        }
        stats.pgtableAllocs++;
        return tables.newTable(pfn);
    }

    /**
     * The child table under entry {@code index} of {@code slot} at {@code level}, allocated and
     * linked ({@code pXd_populate}: store + post-write barrier) when missing; −1 when no page or when
     * the entry is a leaf.
     */
    private int child(int slot, int level, int index, boolean user) {
        long d = tables.get(slot, index);
        if (Descriptors.isValid(d)) {
            return Descriptors.isTable(d, level) ? tables.slotOfDescriptor(d) : -1;
        }
        int table = allocTable(user);
        if (table < 0) {
            return -1;
        }
        store(slot, index, Descriptors.table(tables.physOf(table), g.pageShift()));
        ledger.kernelEntryWritten();
        return table;
    }

    /** The table at {@code targetLevel} covering {@code va}, allocating missing levels; −1 when it cannot. */
    int tableFor(int root, long va, int targetLevel, boolean user) {
        int slot = root;
        for (int level = g.startLevel(); level < targetLevel && slot >= 0; level++) {
            slot = child(slot, level, g.index(va, level), user);
        }
        return slot;
    }

    void store(int slot, int index, long d) {
        tables.set(slot, index, d);
        ledger.op(Op.PGTABLE_STORE);
    }

    // ---- mapping ----

    /**
     * Maps {@code 2^order} pages from {@code pfn} at {@code va} of user space {@code mm} (a page fault):
     * PMD blocks when the folio is at least a PMD and VA and PA are PMD aligned (THP), else PTEs, with
     * the Contiguous bit on aligned 16-page groups from 6.9 (CONTPTE, arch/arm64/mm/contpte.c: contpte_convert() (6.9)). An executable folio is
     * I-cache synchronised first (arch/arm64/include/asm/pgtable.h: set_pte_at() (6.1); arch/arm64/mm/flush.c: __sync_icache_dcache() (6.1)).
     */
    void mapUser(long mm, long va, long pfn, int order, boolean write, boolean exec) {
        int root = root(mm);
        if (root < 0) {
            return;
        }
        long pages = 1L << order;
        long pa = pfn << g.pageShift();
        long prot = exec ? Descriptors.pageUserReadonlyExec(rules.era()) : Descriptors.pageUserReadonly(rules.era());
        if (write) {
            prot = Descriptors.mkdirty(prot | Descriptors.WRITE);
        }
        if (exec) {
            caches.syncIcacheDcache(pfn, pages);
        }
        long pmdSize = 1L << g.shift(2);
        boolean blocks = (pages << g.pageShift()) >= pmdSize && ((va | pa) & (pmdSize - 1)) == 0;
        boolean cont = rules.contPteUser() && pages >= g.contPtes()
                && ((va | pa) & ((long) g.contPtes() << g.pageShift()) - 1) == 0;
        long step = blocks ? pmdSize : g.pageSize();
        for (long off = 0; off < pages << g.pageShift(); off += step) {
            int level = blocks ? 2 : 3;
            int slot = tableFor(root, va + off, level, true);
            if (slot < 0) {
                return;
            }
            long d = blocks ? Descriptors.block(pa + off, prot, g.pageShift()) : Descriptors.page(pa + off, prot, g.pageShift());
            installUser(slot, level, va + off, cont && !blocks ? d | Descriptors.CONT : d);
        }
        stats.userPagesMapped += pages;
    }

    /** Writes a user leaf, doing break-before-make when the old live entry cannot be changed in place (arch/arm64/mm/mmu.c: pgattr_change_is_safe() (6.1); arch/arm64/mm/hugetlbpage.c: get_clear_contig_flush() (6.1)). */
    private void installUser(int slot, int level, long va, long d) {
        int index = g.index(va, level);
        long old = tables.get(slot, index);
        if (Descriptors.isValid(old) && Descriptors.isTable(old, level)) {
            return;
        }
        if (Descriptors.isValid(old) && !Descriptors.isSafeInPlace(old, d, rules.era())) {
            if ((old & Descriptors.CONT) != 0 && level == 3) {
                unfoldUserCont(slot, index);
            }
            store(slot, index, 0);
            stats.bbm++;
            tlb.flushUserRange(va, va + (1L << g.shift(level)), 1L << g.shift(level), true);
        }
        store(slot, index, d);
    }

    /**
     * Maps {@code 2^order} pages from {@code pfn} at kernel {@code va} (vmalloc / vmap): PAGE_KERNEL
     * (or PAGE_KERNEL_EXEC) PTEs; per PTE table, the tables are allocated first and the PTEs written in
     * a lazy-MMU section, so 6.16+ emits one barrier pair per table instead of one per PTE (arch/arm64/include/asm/pgtable.h: set_pte() (6.1)).
     */
    void mapKernel(long va, long pfn, int order, boolean exec) {
        int root = root(0);
        long prot = exec ? Descriptors.pageKernelExec(rules.era(), rules.kpti()) : Descriptors.pageKernel(rules.era(), rules.kpti());
        long bytes = (1L << order) << g.pageShift();
        long pa = pfn << g.pageShift();
        long off = 0;
        while (off < bytes) {
            int slot = tableFor(root, va + off, 3, false);
            if (slot < 0) {
                return;
            }
            long tableEnd = ((va + off) | ((1L << g.shift(2)) - 1)) + 1;
            ledger.enterLazyMmu();
            do {
                store(slot, g.index(va + off, 3), Descriptors.page(pa + off, prot, g.pageShift()));
                ledger.kernelEntryWritten();
                off += g.pageSize();
            } while (off < bytes && va + off != tableEnd);
            ledger.leaveLazyMmu();
        }
        stats.kernelPagesMapped += bytes >>> g.pageShift();
    }

    // ---- unmapping ----

    /**
     * Unmaps {@code [va, va + size)} of {@code mm}: clears leaves (splitting blocks and unfolding
     * contiguous groups cut by the range), frees user tables left empty whose whole span lies in the
     * range, then flushes the TLB — user: {@code __flush_tlb_range} over the cleared extent with the
     * smallest cleared stride, walk caches included when tables were freed (arch/arm64/include/asm/pgtable.h: ptep_set_wrprotect() (6.1)); kernel:
     * {@code flush_tlb_kernel_range} — and only then returns the freed table pages.
     */
    void unmap(long mm, long va, long size) {
        int root = root(mm);
        if (root < 0) {
            return;
        }
        Extent extent = this.extent.reset();
        unmapLevel(root, g.startLevel(), va, va + size, mm == 0, extent);
        if (extent.lo < extent.hi) {
            if (mm == 0) {
                tlb.flushKernelRange(extent.lo, extent.hi);
            } else {
                long stride = 1L << g.shift(extent.deepestLevel);
                tlb.flushUserRange(extent.lo & -stride, extent.hi, stride, !extent.freedTables);
            }
        }
        releasePendingTables();
    }

    /** The range an unmap cleared, as the kernel's mmu_gather tracks it [MEM]. */
    private final Extent extent = new Extent();

    private static final class Extent {
        long lo;
        long hi;
        int deepestLevel;
        boolean freedTables;

        Extent reset() {
            lo = Long.MAX_VALUE;
            hi = Long.MIN_VALUE;
            deepestLevel = 1;
            freedTables = false;
            return this;
        }

        void add(long from, long to, int level) {
            lo = Math.min(lo, from);
            hi = Math.max(hi, to);
            deepestLevel = Math.max(deepestLevel, level);
        }
    }

    private void unmapLevel(int slot, int level, long start, long end, boolean kernel, Extent extent) {
        int shift = g.shift(level);
        long size = 1L << shift;
        long span = level == g.startLevel() ? 1L << g.vaBits() : size * g.entries();
        long base = start & -span;
        for (long a = Math.max(start & -size, base); a < end && a - base < span; a += size) {
            int index = g.index(a, level);
            long d = tables.get(slot, index);
            if (d == 0) {
                continue;
            }
            boolean covered = a >= start && a + size <= end;
            if (Descriptors.isValid(d) && Descriptors.isTable(d, level)) {
                int childSlot = tables.slotOfDescriptor(d);
                unmapLevel(childSlot, level + 1, Math.max(start, a), Math.min(end, a + size), kernel, extent);
                if (!kernel && covered && tables.used(childSlot) == 0) {
                    store(slot, index, 0);
                    queueTableFree(childSlot);
                    extent.freedTables = true;
                    extent.add(a, a + g.pageSize(), 3);
                }
            } else if (covered) {
                if (level == 3 && (d & Descriptors.CONT) != 0 && !contGroupCovered(a, start, end)) {
                    if (kernel) {
                        unfoldKernelCont(slot, index, level);
                    } else {
                        unfoldUserCont(slot, index);
                    }
                }
                store(slot, index, 0);
                extent.add(a, a + size, level);
                stats.leavesCleared++;
            } else if (Descriptors.isValid(d) && level < 3) {
                int childSlot = splitBlock(slot, index, level, a, kernel);
                if (childSlot >= 0) {
                    unmapLevel(childSlot, level + 1, Math.max(start, a), Math.min(end, a + size), kernel, extent);
                }
            }
        }
    }

    private boolean contGroupCovered(long a, long start, long end) {
        long group = (long) g.contPtes() << g.pageShift();
        long first = a & -group;
        return first >= start && first + group <= end;
    }

    private void queueTableFree(int slot) {
        long pfn = tables.pfnOf(slot);
        tables.freeTable(slot);
        stats.pgtableFrees++;
        if (pendingFreeCount < pendingFree.length) {
            pendingFree[pendingFreeCount++] = pfn;
        } else {
            overflowFree = java.util.Arrays.copyOf(overflowFree, pendingFreeCount - pendingFree.length + 1);
            overflowFree[pendingFreeCount++ - pendingFree.length] = pfn;
        }
    }

    private void releasePendingTables() {
        PageAllocator pa = pendingFreeCount == 0 ? null : allocator.get();
        for (int i = 0; i < pendingFreeCount; i++) {
            long pfn = i < pendingFree.length ? pendingFree[i] : overflowFree[i - pendingFree.length];
            pa.free(pfn, 0, ledger.cpu());
        }
        pendingFreeCount = 0;
    }

    // ---- break-before-make ----

    /**
     * Splits the block at entry {@code index} of {@code slot} ({@code level} 1 or 2, mapping
     * {@code blockVa}) into a next-level table mapping the same memory with the same attributes,
     * with break-before-make (arch/arm64/mm/hugetlbpage.c: get_clear_contig_flush() (6.1); arch/arm64/mm/mmu.c: pgattr_change_is_safe() (6.1)): the new table is filled first (not yet reachable, so no
     * barriers), then 1. the entry is invalidated (0 for the kernel, the present-invalid marker for a
     * user THP), 2. {@code dsb ishst}, 3. TLBI of the block VA, 4. {@code dsb ish} (+ erratum),
     * 5. {@code isb} for a kernel region, 6. the table descriptor is written, 7. the post-write barrier.
     * A block inside a contiguous group is unfolded first. Returns the new table's slot, −1 when no page.
     */
    int splitBlock(int slot, int index, int level, long blockVa, boolean kernel) {
        long d = tables.get(slot, index);
        if ((d & Descriptors.CONT) != 0) {
            unfoldKernelCont(slot, index, level);
            d = tables.get(slot, index);
        }
        int table = allocTable(!kernel);
        if (table < 0) {
            return -1;
        }
        fillSplitTable(table, level + 1, d, kernel);
        store(slot, index, kernel ? 0 : Descriptors.presentInvalid(d, rules.era(), true));
        long blockSize = 1L << g.shift(level);
        if (kernel) {
            tlb.flushKernelEntry();
        } else {
            tlb.flushUserRange(blockVa, blockVa + blockSize, blockSize, true);
        }
        store(slot, index, Descriptors.table(tables.physOf(table), g.pageShift()));
        ledger.kernelEntryWritten();
        stats.bbm++;
        stats.blockSplits++;
        return table;
    }

    private void fillSplitTable(int table, int level, long block, boolean kernel) {
        long attrs = block & ~Descriptors.oaMask(g.pageShift()) & ~Descriptors.CONT & ~Descriptors.TYPE_PAGE;
        long pa = Descriptors.outputAddress(block, g.pageShift());
        long size = 1L << g.shift(level);
        boolean cont = kernel && rules.linearMapBlocks();
        for (int i = 0; i < g.entries(); i++) {
            long e = level == 3 ? Descriptors.page(pa + i * size, attrs, g.pageShift())
                    : Descriptors.block(pa + i * size, attrs, g.pageShift());
            store(table, i, cont ? e | Descriptors.CONT : e);
        }
    }

    /**
     * Unfolds the contiguous group holding user PTE {@code index} (CONTPTE, arch/arm64/mm/contpte.c: contpte_convert() (6.9)): all entries are
     * cleared, their TLB entries invalidated, and rewritten without the Contiguous bit.
     */
    private void unfoldUserCont(int slot, int index) {
        int n = g.contPtes();
        int first = index & -n;
        long[] saved = unfoldBuffer(n);
        for (int i = 0; i < n; i++) {
            saved[i] = tables.get(slot, first + i);
            store(slot, first + i, 0);
        }
        tlb.flushUserRange(0, (long) n << g.pageShift(), g.pageSize(), true);
        for (int i = 0; i < n; i++) {
            store(slot, first + i, saved[i] & ~Descriptors.CONT);
        }
        stats.bbm++;
        stats.contUnfolds++;
    }

    /** Unfolds the kernel contiguous group (PTEs or PMD blocks) holding entry {@code index}: BBM on every entry. */
    private void unfoldKernelCont(int slot, int index, int level) {
        int n = level == 3 ? g.contPtes() : g.contPmds();
        int first = index & -n;
        long[] saved = unfoldBuffer(n);
        for (int i = 0; i < n; i++) {
            saved[i] = tables.get(slot, first + i);
            store(slot, first + i, 0);
        }
        ledger.op(Op.DSB_ISHST);
        for (int i = 0; i < n; i++) {
            ledger.tlbi(Op.TLBI_VAALE1IS);
        }
        ledger.dsbIsh();
        ledger.op(Op.ISB);
        for (int i = 0; i < n; i++) {
            store(slot, first + i, saved[i] & ~Descriptors.CONT);
            ledger.kernelEntryWritten();
        }
        stats.bbm++;
        stats.contUnfolds++;
    }

    private long[] unfoldScratch = new long[32];

    private long[] unfoldBuffer(int n) {
        if (unfoldScratch.length < n) {
            unfoldScratch = new long[n];
        }
        return unfoldScratch;
    }
}
