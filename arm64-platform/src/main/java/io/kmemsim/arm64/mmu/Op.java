package io.kmemsim.arm64.mmu;

/**
 * The counted architecture operations: each has a counter {@code arm64.<name>} and a cost per core
 * type ({@link CostTable}). The declaration order is the counters' visiting order.
 */
enum Op {
    /** A 64-bit descriptor store into a page table (single-copy atomic). */
    PGTABLE_STORE("pgtable_store"),
    DSB_ISHST("dsb_ishst"),
    DSB_ISH("dsb_ish"),
    DSB_SY("dsb_sy"),
    ISB("isb"),
    /**
     * Not an instruction: the wait a {@code dsb ish} adds when it completes broadcast TLBIs (a DVM
     * sync round trip to every CPU of the inner-shareable domain, docs/kernel-facts.md#arm64-operation-costs). Counted once per such DSB.
     */
    DVM_SYNC("dvm_sync"),
    TLBI_VALE1IS("tlbi_vale1is"),
    TLBI_VAE1IS("tlbi_vae1is"),
    TLBI_VAALE1IS("tlbi_vaale1is"),
    TLBI_VAAE1IS("tlbi_vaae1is"),
    TLBI_ASIDE1IS("tlbi_aside1is"),
    TLBI_VMALLE1IS("tlbi_vmalle1is"),
    /** Range forms, only with FEAT_TLBIRANGE (option {@code tlbi-range}; absent on A76/A55). */
    TLBI_RVALE1IS("tlbi_rvale1is"),
    TLBI_RVAE1IS("tlbi_rvae1is"),
    TLBI_RVAALE1IS("tlbi_rvaale1is"),
    DC_CVAC("dc_cvac"),
    DC_CIVAC("dc_civac"),
    DC_IVAC("dc_ivac"),
    DC_CVAU("dc_cvau"),
    DC_ZVA("dc_zva"),
    IC_IVAU("ic_ivau"),
    IC_IALLUIS("ic_ialluis"),
    /** One 64-byte line of {@code copy_page} (loads and stores), when compaction migrates a page. */
    COPY_LINE("copy_line");

    private static final Op[] VALUES = values();

    final String shortName;

    Op(String shortName) {
        this.shortName = shortName;
    }

    /** The counter name, e.g. {@code arm64.dsb_ishst}. */
    String counterName() {
        return "arm64." + shortName;
    }

    static Op[] all() {
        return VALUES;
    }

    /** The op whose short name is {@code name}, or null. */
    static Op byShortName(String name) {
        for (Op op : VALUES) {
            if (op.shortName.equals(name)) {
                return op;
            }
        }
        return null;
    }
}
