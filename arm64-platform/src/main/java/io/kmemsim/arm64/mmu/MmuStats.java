package io.kmemsim.arm64.mmu;

/** Event counts of the page-table model (the non-instruction counters, docs/arch.md). */
final class MmuStats {
    long pgtableAllocs;
    long pgtableFrees;
    long pgtableAllocFailed;
    long userPagesMapped;
    long kernelPagesMapped;
    long leavesCleared;
    long bbm;
    long blockSplits;
    long contUnfolds;
    long linearPudBlocks;
    long linearPmdBlocks;
    long linearPtes;
    long bootTables;
}
