package io.kmemsim.arm64.mmu;

import java.util.Arrays;

/**
 * Counts and charges every architecture operation, and keeps the two pieces of state barrier
 * batching needs: whether a lazy-MMU section is open with a barrier pair pending (6.16+, arch/arm64/include/asm/pgtable.h: set_pte() (6.1)), and
 * whether broadcast TLBIs are waiting for a completing {@code dsb ish} (arch/arm64/include/asm/tlbflush.h: flush_tlb_page() (6.1); docs/kernel-facts.md#arm64-operation-costs).
 *
 * <p>For tests, the ledger can also record the ordered sequence of operations ({@link #startTrace}).
 */
final class Ledger {

    private final CostTable costs;
    private final Arm64Rules rules;
    private final long[] counts = new long[Op.all().length];
    private long cycles;
    private int cpu;
    private int tlbisPending;
    private int lazyDepth;
    private boolean barrierPending;
    private long lazyDeferred;
    private long erratumSyncs;
    private int[] trace;
    private int traceLength;

    Ledger(CostTable costs, Arm64Rules rules) {
        this.costs = costs;
        this.rules = rules;
    }

    /** The CPU the following operations run on (selects the cost table). */
    void onCpu(int cpu) {
        this.cpu = cpu;
    }

    int cpu() {
        return cpu;
    }

    /** One {@code op}. */
    void op(Op op) {
        opTimes(op, 1);
    }

    /** {@code n} consecutive {@code op}s (per-line cache maintenance). */
    void opTimes(Op op, long n) {
        if (n <= 0) {
            return;
        }
        counts[op.ordinal()] += n;
        cycles += costs.cost(op, cpu) * n;
        if (trace != null) {
            for (long i = 0; i < n && traceLength < trace.length; i++) {
                trace[traceLength++] = op.ordinal();
            }
        }
    }

    /** A broadcast TLBI; with the REPEAT workaround it is followed by {@code dsb ish} and repeated [MEM shape]. */
    void tlbi(Op op) {
        op(op);
        tlbisPending++;
        if (rules.tlbiErratum() == Arm64Rules.TlbiErratum.REPEAT) {
            dsbIsh();
            op(op);
            tlbisPending++;
        }
    }

    /**
     * {@code dsb ish}. When it completes broadcast TLBIs it also pays the DVM sync, and with the SYNC
     * workaround it is followed by {@code tlbi vale1is, xzr; dsb ish} (arch/arm64/include/asm/tlbflush.h: flush_tlb_page(), __flush_tlb_range() (6.1)).
     */
    void dsbIsh() {
        op(Op.DSB_ISH);
        if (tlbisPending > 0) {
            tlbisPending = 0;
            op(Op.DVM_SYNC);
            if (rules.tlbiErratum() == Arm64Rules.TlbiErratum.SYNC) {
                erratumSyncs++;
                op(Op.TLBI_VALE1IS);
                op(Op.DSB_ISH);
                op(Op.DVM_SYNC);
            }
        }
    }

    /**
     * The barrier after a valid kernel PTE or any valid table/block entry (arch/arm64/include/asm/pgtable.h: set_pte(), set_pmd() (6.1)): {@code dsb
     * ishst; isb} now, or — 6.16+ inside a lazy-MMU section — queued until the section ends.
     */
    void kernelEntryWritten() {
        if (rules.lazyMmu() && lazyDepth > 0) {
            if (barrierPending) {
                lazyDeferred++;
            }
            barrierPending = true;
            return;
        }
        op(Op.DSB_ISHST);
        op(Op.ISB);
    }

    /** {@code arch_enter_lazy_mmu_mode} (nests). */
    void enterLazyMmu() {
        lazyDepth++;
    }

    /** {@code arch_leave_lazy_mmu_mode}: the outermost leave emits a pending barrier pair once. */
    void leaveLazyMmu() {
        if (lazyDepth > 0 && --lazyDepth == 0 && barrierPending) {
            barrierPending = false;
            op(Op.DSB_ISHST);
            op(Op.ISB);
        }
    }

    long cycles() {
        return cycles;
    }

    long count(Op op) {
        return counts[op.ordinal()];
    }

    /** Barrier pairs a lazy-MMU section saved (pairs queued while one was already pending). */
    long lazyDeferred() {
        return lazyDeferred;
    }

    /** TLB syncs that took the SYNC workaround's extra TLBI + DSB. */
    long erratumSyncs() {
        return erratumSyncs;
    }

    /** Starts recording the ordered operations (at most {@code capacity}). */
    void startTrace(int capacity) {
        trace = new int[capacity];
        traceLength = 0;
    }

    /** The operations recorded since {@link #startTrace}, as short names. */
    String[] trace() {
        return Arrays.stream(trace, 0, traceLength).mapToObj(i -> Op.all()[i].shortName).toArray(String[]::new);
    }
}
