package io.kmemsim.arm64.mmu;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;

/**
 * The arm64 hooks: page zeroing on {@code __GFP_ZERO} allocations, and the architecture events
 * (page fault, munmap, DMA map/unmap, exec mapping) applied to page tables in simulated memory, with
 * every barrier, TLBI and cache-maintenance instruction counted and charged (arch/arm64/include/asm/pgtable.h: set_pte() (6.1); docs/kernel-facts.md#arm64-operation-costs).
 *
 * <p>Misuse (a negative mapping id, an unaligned address, a size that is not a positive multiple of
 * the page size, an unknown DMA direction) throws {@link IllegalArgumentException} naming the rule
 * and the value. A PAGE_FAULT without a PFN maps nothing and is counted.
 */
final class Arm64ArchHooks implements ArchHooks {

    private final Granule g;
    private final Ledger ledger;
    private final Tlb tlb;
    private final Caches caches;
    private final Mmu mmu;
    private long faults;
    private long faultsWithoutPfn;
    private long munmaps;
    private long dmaMaps;
    private long dmaUnmaps;
    private long execMaps;
    private long pagesZeroed;

    Arm64ArchHooks(Granule granule, Ledger ledger, Tlb tlb, Caches caches, Mmu mmu) {
        this.g = granule;
        this.ledger = ledger;
        this.tlb = tlb;
        this.caches = caches;
        this.mmu = mmu;
    }

    @Override
    public void onPagesAllocated(long pfn, int order, int gfp, int cpu) {
        ledger.onCpu(cpu);
        caches.forgetPages(pfn, 1L << order);
        if ((gfp & Gfp.ZERO) != 0) {
            caches.clearPages(order);
            pagesZeroed += 1L << order;
        }
    }

    @Override
    public void onPagesCopied(long srcPfn, long dstPfn, int order, int cpu) {
        ledger.onCpu(cpu);
        caches.forgetPages(dstPfn, 1L << order);
        caches.copyPages(order);
    }

    @Override
    public void onPagesFreed(long pfn, int order, int cpu) {
        caches.forgetPages(pfn, 1L << order);
    }

    @Override
    public void onEvent(Event e) {
        switch (e.type()) {
            case PAGE_FAULT -> pageFault(e);
            case MUNMAP -> munmap(e);
            case DMA_MAP -> dma(e, true);
            case DMA_UNMAP -> dma(e, false);
            case EXEC_MAP -> execMap(e);
            default -> {
            }
        }
    }

    private void pageFault(Event e) {
        long mm = checkMapping(e);
        int order = e.order();
        int maxOrder = g.shift(1) - g.pageShift();
        if (order < 0 || order > maxOrder) {
            throw new IllegalArgumentException("PAGE_FAULT order must be in [0, " + maxOrder + "] (up to a level-1 entry): " + order);
        }
        long va = checkAddress(e, mm, (1L << order) << g.pageShift());
        faults++;
        if (e.pfn() < 0) {
            faultsWithoutPfn++;
            return;
        }
        ledger.onCpu(e.cpu());
        boolean write = (e.flags() & Event.FAULT_WRITE) != 0;
        boolean exec = (e.flags() & Event.FAULT_EXEC) != 0;
        if (mm == 0) {
            mmu.mapKernel(va, e.pfn(), order, exec);
        } else {
            mmu.mapUser(mm, va, e.pfn(), order, write, exec);
        }
    }

    private void munmap(Event e) {
        long mm = checkMapping(e);
        long va = checkAddress(e, mm, g.pageSize());
        checkSize(e);
        munmaps++;
        ledger.onCpu(e.cpu());
        mmu.unmap(mm, va, e.size());
    }

    private void dma(Event e, boolean map) {
        int direction = (int) e.flags();
        if (e.flags() < Event.DMA_BIDIRECTIONAL || e.flags() > Event.DMA_FROM_DEVICE) {
            throw new IllegalArgumentException(e.type() + " direction must be 0 (bidirectional), 1 (to device) or 2 (from device): " + e.flags());
        }
        if (e.size() <= 0 || e.address() < 0) {
            throw new IllegalArgumentException(e.type() + " needs a physical address >= 0 and a size > 0: address=0x"
                    + Long.toHexString(e.address()) + " size=" + e.size());
        }
        ledger.onCpu(e.cpu());
        if (map) {
            dmaMaps++;
            caches.dmaMap(e.address(), e.size(), direction);
        } else {
            dmaUnmaps++;
            caches.dmaUnmap(e.address(), e.size(), direction);
        }
    }

    private void execMap(Event e) {
        long mm = checkMapping(e);
        if (mm == 0) {
            throw new IllegalArgumentException("EXEC_MAP mapping id must be a user address space (> 0): 0");
        }
        long va = checkAddress(e, mm, g.pageSize());
        checkSize(e);
        if (e.pfn() < 0) {
            throw new IllegalArgumentException("EXEC_MAP pfn must be >= 0: " + e.pfn());
        }
        execMaps++;
        ledger.onCpu(e.cpu());
        for (long i = 0; i < e.size() >>> g.pageShift(); i++) {
            mmu.mapUser(mm, va + (i << g.pageShift()), e.pfn() + i, 0, false, true);
        }
    }

    private static long checkMapping(Event e) {
        if (e.handle() < 0) {
            throw new IllegalArgumentException(e.type() + " mapping id must be >= 0 (0 = kernel): " + e.handle());
        }
        return e.handle();
    }

    private long checkAddress(Event e, long mm, long alignment) {
        long va = e.address();
        if ((va & (alignment - 1)) != 0) {
            throw new IllegalArgumentException(e.type() + " address must be aligned to 0x" + Long.toHexString(alignment)
                    + ": 0x" + Long.toHexString(va));
        }
        if (mm == 0 ? !g.isKernelVa(va) : !g.isUserVa(va)) {
            throw new IllegalArgumentException(e.type() + " address must be a " + (mm == 0 ? "kernel" : "user")
                    + " virtual address for " + g.vaBits() + "-bit VA (mapping " + mm + "): 0x" + Long.toHexString(va));
        }
        return va;
    }

    private void checkSize(Event e) {
        if (e.size() <= 0 || (e.size() & (g.pageSize() - 1)) != 0) {
            throw new IllegalArgumentException(e.type() + " size must be a positive multiple of " + g.pageSize() + ": " + e.size());
        }
    }

    @Override
    public long cycles() {
        return ledger.cycles();
    }

    @Override
    public void forEachCounter(CounterVisitor v) {
        v.counter("arm64.cycles", ledger.cycles());
        for (Op op : Op.all()) {
            v.counter(op.counterName(), ledger.count(op));
        }
        MmuStats s = mmu.stats;
        v.counter("arm64.faults", faults);
        v.counter("arm64.faults_without_pfn", faultsWithoutPfn);
        v.counter("arm64.munmaps", munmaps);
        v.counter("arm64.dma_maps", dmaMaps);
        v.counter("arm64.dma_unmaps", dmaUnmaps);
        v.counter("arm64.exec_maps", execMaps);
        v.counter("arm64.pages_zeroed", pagesZeroed);
        v.counter("arm64.pgtable_pages", s.pgtableAllocs - s.pgtableFrees);
        v.counter("arm64.pgtable_allocs", s.pgtableAllocs);
        v.counter("arm64.pgtable_frees", s.pgtableFrees);
        v.counter("arm64.pgtable_alloc_failed", s.pgtableAllocFailed);
        v.counter("arm64.user_pages_mapped", s.userPagesMapped);
        v.counter("arm64.kernel_pages_mapped", s.kernelPagesMapped);
        v.counter("arm64.leaves_cleared", s.leavesCleared);
        v.counter("arm64.bbm", s.bbm);
        v.counter("arm64.block_splits", s.blockSplits);
        v.counter("arm64.cont_unfolds", s.contUnfolds);
        v.counter("arm64.tlb_flush_fallbacks", tlb.fallbacks());
        v.counter("arm64.tlbi_erratum_syncs", ledger.erratumSyncs());
        v.counter("arm64.lazy_mmu_saved_barriers", ledger.lazyDeferred());
        v.counter("arm64.icache_syncs", caches.icacheSyncs());
        v.counter("arm64.linear_map_pud_blocks", s.linearPudBlocks);
        v.counter("arm64.linear_map_pmd_blocks", s.linearPmdBlocks);
        v.counter("arm64.linear_map_ptes", s.linearPtes);
        v.counter("arm64.linear_map_tables", s.bootTables);
    }

    Mmu mmu() {
        return mmu;
    }

    Ledger ledger() {
        return ledger;
    }

    Caches caches() {
        return caches;
    }

    /** Checks the page tables' invariants (tests call it after every operation). */
    void checkInvariants() {
        mmu.tables().checkInvariants();
    }
}
