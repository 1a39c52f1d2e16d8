package io.kmemsim.arm64.mmu;

/**
 * The kernel's TLB maintenance sequences (arch/arm64/include/asm/tlbflush.h: flush_tlb_page(), __flush_tlb_range() (6.1)), emitted into a
 * {@link Ledger}. ASID-based operations are issued twice with KPTI (kernel and user ASID).
 *
 * <p>Thresholds: a user range of {@code (end − start) ≥ MAX_DVM_OPS × stride} becomes
 * {@code flush_tlb_mm} without FEAT_TLBIRANGE; a kernel range of more than {@code MAX_DVM_OPS} pages
 * becomes {@code flush_tlb_all}. With FEAT_TLBIRANGE (not on A76/A55) a range is decomposed into range
 * TLBIs covering {@code (NUM+1) << (5×SCALE+1)} pages each, smallest scale first, a lone page with a
 * single-page TLBI [MEM: the loop's shape], and more than {@code MAX_TLBI_RANGE_PAGES} pages become
 * {@code flush_tlb_mm}.
 */
final class Tlb {

    /** {@code MAX_TLBI_RANGE_PAGES}: 32 << 16 (arch/arm64/include/asm/tlbflush.h: flush_tlb_page(), __flush_tlb_range() (6.1)). */
    static final long MAX_TLBI_RANGE_PAGES = 32L << 16;

    private final Ledger ledger;
    private final Arm64Rules rules;
    private final Granule granule;
    private long fallbacks;

    Tlb(Ledger ledger, Arm64Rules rules, Granule granule) {
        this.ledger = ledger;
        this.rules = rules;
        this.granule = granule;
    }

    private int asidCopies() {
        return rules.kpti() ? 2 : 1;
    }

    /** {@code flush_tlb_all}: {@code dsb ishst; tlbi vmalle1is; dsb ish; isb}. */
    void flushAll() {
        ledger.op(Op.DSB_ISHST);
        ledger.tlbi(Op.TLBI_VMALLE1IS);
        ledger.dsbIsh();
        ledger.op(Op.ISB);
    }

    /** {@code flush_tlb_mm}: {@code dsb ishst; tlbi aside1is} (per ASID copy){@code ; dsb ish}. */
    void flushMm() {
        ledger.op(Op.DSB_ISHST);
        for (int i = 0; i < asidCopies(); i++) {
            ledger.tlbi(Op.TLBI_ASIDE1IS);
        }
        ledger.dsbIsh();
    }

    /** {@code flush_tlb_page}: {@code dsb ishst; tlbi vale1is} (per ASID copy){@code ; dsb ish}. */
    void flushPage() {
        flushUserRange(0, granule.pageSize(), granule.pageSize(), true);
    }

    /**
     * {@code __flush_tlb_range}: last-level-only ({@code vale1is}) or also walk caches ({@code vae1is},
     * needed when tables were freed, arch/arm64/include/asm/pgtable.h: ptep_set_wrprotect() (6.1)), per stride; or {@code flush_tlb_mm} over the threshold.
     */
    void flushUserRange(long start, long end, long stride, boolean lastLevel) {
        long pages = (end - start) >>> granule.pageShift();
        if ((!rules.tlbiRange() && end - start >= (long) granule.maxDvmOps() * stride)
                || (rules.tlbiRange() && pages > MAX_TLBI_RANGE_PAGES)) {
            fallbacks++;
            flushMm();
            return;
        }
        ledger.op(Op.DSB_ISHST);
        for (int i = 0; i < asidCopies(); i++) {
            if (rules.tlbiRange() && stride == granule.pageSize()) {
                rangeOps(pages, lastLevel ? Op.TLBI_VALE1IS : Op.TLBI_VAE1IS, lastLevel ? Op.TLBI_RVALE1IS : Op.TLBI_RVAE1IS);
            } else {
                Op op = lastLevel ? Op.TLBI_VALE1IS : Op.TLBI_VAE1IS;
                for (long va = start; va < end; va += stride) {
                    ledger.tlbi(op);
                }
            }
        }
        ledger.dsbIsh();
    }

    /**
     * {@code flush_tlb_kernel_range}: per page {@code tlbi vaale1is} between {@code dsb ishst} and
     * {@code dsb ish; isb}; more than {@code MAX_DVM_OPS} pages → {@code flush_tlb_all}.
     */
    void flushKernelRange(long start, long end) {
        long pages = (end - start) >>> granule.pageShift();
        if (pages > granule.maxDvmOps() && !(rules.tlbiRange() && pages <= MAX_TLBI_RANGE_PAGES)) {
            fallbacks++;
            flushAll();
            return;
        }
        ledger.op(Op.DSB_ISHST);
        if (rules.tlbiRange()) {
            rangeOps(pages, Op.TLBI_VAALE1IS, Op.TLBI_RVAALE1IS);
        } else {
            for (long i = 0; i < pages; i++) {
                ledger.tlbi(Op.TLBI_VAALE1IS);
            }
        }
        ledger.dsbIsh();
        ledger.op(Op.ISB);
    }

    /** One kernel leaf entry by its VA (a block, arch/arm64/mm/hugetlbpage.c: get_clear_contig_flush() (6.1); arch/arm64/mm/mmu.c: pgattr_change_is_safe() (6.1)): {@code dsb ishst; tlbi vaale1is; dsb ish; isb}. */
    void flushKernelEntry() {
        ledger.op(Op.DSB_ISHST);
        ledger.tlbi(Op.TLBI_VAALE1IS);
        ledger.dsbIsh();
        ledger.op(Op.ISB);
    }

    /** {@code __flush_tlb_kernel_pgtable}: {@code dsb ishst; tlbi vaae1is; dsb ish; isb}. */
    void flushKernelPgtable() {
        ledger.op(Op.DSB_ISHST);
        ledger.tlbi(Op.TLBI_VAAE1IS);
        ledger.dsbIsh();
        ledger.op(Op.ISB);
    }

    private void rangeOps(long pages, Op single, Op range) {
        long left = pages;
        int scale = 0;
        while (left > 0 && scale <= 3) {
            if ((left & 1) != 0) {
                ledger.tlbi(single);
                left--;
                continue;
            }
            long num = ((left >>> (5 * scale + 1)) & 0x1F) - 1;
            if (num >= 0) {
                ledger.tlbi(range);
                left -= (num + 1) << (5 * scale + 1);
            }
            scale++;
        }
        while (left > 0) {
            ledger.tlbi(range);
            left -= Math.min(left, MAX_TLBI_RANGE_PAGES);
        }
    }

    /** Ranges that fell back to a full flush (ASID or all). */
    long fallbacks() {
        return fallbacks;
    }
}
