package io.kmemsim.arm64.mmu;

import io.kmemsim.api.workload.Event;
import java.util.BitSet;

/**
 * Cache maintenance (arch/arm64/mm/cache.S: dcache_clean_inval_poc (6.1)): I/D synchronisation for executable user pages
 * with the {@code PG_dcache_clean} flag, streaming DMA maintenance by cache line, and page clearing
 * with {@code DC ZVA}. Line and ZVA block are 64 bytes on A76 and A55 (CTR_EL0.DminLine, DCZID_EL0.BS, arch/arm64/include/asm/cache.h: cache_line_size() (6.1); arch/arm64/kernel/cpufeature.c: ftr_ctr[] (6.1)).
 */
final class Caches {

    /** D-cache line (CTR_EL0.DminLine = 4 → 16 words) on both RK3588 cores (arch/arm64/include/asm/cache.h: cache_line_size() (6.1); arch/arm64/kernel/cpufeature.c: ftr_ctr[] (6.1)). */
    static final int LINE = 64;
    /** DC ZVA block (DCZID_EL0.BS = 4) (arch/arm64/include/asm/cache.h: cache_line_size() (6.1); arch/arm64/kernel/cpufeature.c: ftr_ctr[] (6.1)). */
    static final int ZVA_BLOCK = 64;

    private final Ledger ledger;
    private final Arm64Rules rules;
    private final int pageShift;
    /** {@code PG_dcache_clean} (PG_arch_1) per PFN. */
    private final BitSet dcacheClean = new BitSet();
    private long icacheSyncs;

    Caches(Ledger ledger, Arm64Rules rules, int pageShift) {
        this.ledger = ledger;
        this.rules = rules;
        this.pageShift = pageShift;
    }

    /**
     * {@code clear_page} for {@code 2^order} pages: {@code dc zva} per 64-byte block (arch/arm64/lib/clear_page.S: clear_page (6.1));
     * no barrier follows.
     */
    void clearPages(int order) {
        ledger.opTimes(Op.DC_ZVA, (1L << (order + pageShift)) / ZVA_BLOCK);
    }

    /** {@code copy_page} of a migrated block: one COPY_LINE per 64 bytes. */
    void copyPages(int order) {
        ledger.opTimes(Op.COPY_LINE, (1L << (order + pageShift)) / ZVA_BLOCK);
    }

    /**
     * A block's page flags are reset when it is freed or handed out, so {@code PG_dcache_clean} is
     * clear on a new owner's pages [MEM: the page allocator clears all page flags on free; not in
     * the reference].
     */
    void forgetPages(long pfn, long pages) {
        if (pfn >= 0 && pfn + pages <= Integer.MAX_VALUE) {
            dcacheClean.clear((int) pfn, (int) (pfn + pages));
        }
    }

    /** {@code flush_dcache_folio}: no maintenance, only {@code PG_dcache_clean} cleared (arch/arm64/mm/flush.c: __sync_icache_dcache(), flush_dcache_page() (6.1)). */
    void flushDcacheFolio(long pfn, long pages) {
        forgetPages(pfn, pages);
    }

    /**
     * {@code __sync_icache_dcache} for a folio about to be mapped user-executable (arch/arm64/mm/flush.c: __sync_icache_dcache(), flush_dcache_page() (6.1)): when
     * its head page's {@code PG_dcache_clean} is clear, synchronise the I-cache for the whole folio and
     * set the flag.
     */
    void syncIcacheDcache(long pfn, long pages) {
        if (pfn < 0 || pfn + pages > Integer.MAX_VALUE || dcacheClean.get((int) pfn)) {
            return;
        }
        icacheSyncs++;
        long lines = (pages << pageShift) / LINE;
        if (rules.icacheAliasing()) {
            dcacheCleanPou(lines);
            if (!rules.dic()) {
                ledger.op(Op.IC_IALLUIS);
                ledger.op(Op.DSB_ISH);
            }
        } else {
            cachesCleanInvalPou(lines);
        }
        dcacheClean.set((int) pfn, (int) (pfn + pages));
    }

    /** {@code dcache_clean_pou}: {@code dc cvau} per line + {@code dsb ish}; with IDC only {@code dsb ishst} (arch/arm64/mm/cache.S: caches_clean_inval_pou (6.1); arch/arm64/mm/flush.c: __sync_icache_dcache() (6.1)). */
    private void dcacheCleanPou(long lines) {
        if (rules.idc()) {
            ledger.op(Op.DSB_ISHST);
            return;
        }
        ledger.opTimes(Op.DC_CVAU, lines);
        ledger.op(Op.DSB_ISH);
    }

    /** {@code caches_clean_inval_pou}: the D part as {@link #dcacheCleanPou}, then {@code ic ivau} per line + {@code dsb ish; isb}; with DIC only {@code isb}. */
    private void cachesCleanInvalPou(long lines) {
        dcacheCleanPou(lines);
        if (rules.dic()) {
            ledger.op(Op.ISB);
            return;
        }
        ledger.opTimes(Op.IC_IVAU, lines);
        ledger.op(Op.DSB_ISH);
        ledger.op(Op.ISB);
    }

    /**
     * {@code arch_sync_dma_for_device} on a streaming map (arch/arm64/mm/dma-mapping.c: arch_sync_dma_for_device(), arch_dma_prep_coherent() (6.1)): clean to PoC for every direction
     * (≈5.19+); before, FROM_DEVICE invalidated instead. Nothing for coherent devices.
     */
    void dmaMap(long address, long size, int direction) {
        if (rules.dmaCoherent() || size <= 0) {
            return;
        }
        if (direction == Event.DMA_FROM_DEVICE && !rules.dmaMapCleansAll()) {
            dcacheInvalPoc(address, address + size);
        } else {
            dcacheCleanPoc(address, address + size);
        }
    }

    /**
     * {@code arch_sync_dma_for_cpu} on unmap (arch/arm64/mm/dma-mapping.c: arch_sync_dma_for_device(), arch_dma_prep_coherent() (6.1)): nothing for TO_DEVICE; invalidate to PoC for
     * FROM_DEVICE and BIDIRECTIONAL. Nothing for coherent devices.
     */
    void dmaUnmap(long address, long size, int direction) {
        if (rules.dmaCoherent() || size <= 0 || direction == Event.DMA_TO_DEVICE) {
            return;
        }
        dcacheInvalPoc(address, address + size);
    }

    /** {@code dcache_clean_poc}: {@code dc cvac} per line from the start's line up to the end, then {@code dsb sy}. */
    void dcacheCleanPoc(long start, long end) {
        long first = start & -LINE;
        ledger.opTimes(Op.DC_CVAC, Math.max(1, (end - first + LINE - 1) / LINE));
        ledger.op(Op.DSB_SY);
    }

    /**
     * {@code dcache_inval_poc} (arch/arm64/mm/cache.S: caches_clean_inval_pou, dcache_clean_inval_poc (6.1)): a partial last line and a partial first line are cleaned and
     * invalidated ({@code dc civac}), whole lines between only invalidated ({@code dc ivac}), then
     * {@code dsb sy}. Follows the helper's loop [MEM: its exact shape]: the end line first, then the
     * start line, then {@code dc ivac} while below the rounded-down end — at least one op after the
     * start line when the start was aligned.
     */
    void dcacheInvalPoc(long start, long end) {
        long civac = 0;
        long endLine = end & -LINE;
        if ((end & (LINE - 1)) != 0) {
            civac++;
        }
        long x = start & -LINE;
        long ivac = 0;
        if ((start & (LINE - 1)) != 0) {
            civac++;
        } else {
            ivac++;
        }
        x += LINE;
        if (x < endLine) {
            ivac += (endLine - x) / LINE;
        }
        ledger.opTimes(Op.DC_CIVAC, civac);
        ledger.opTimes(Op.DC_IVAC, ivac);
        ledger.op(Op.DSB_SY);
    }

    long icacheSyncs() {
        return icacheSyncs;
    }

    boolean isDcacheClean(long pfn) {
        return pfn >= 0 && pfn <= Integer.MAX_VALUE && dcacheClean.get((int) pfn);
    }
}
