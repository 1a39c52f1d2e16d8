package io.kmemsim.arm64.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.workload.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Block splits with break-before-make, step by step as arch/arm64/mm/hugetlbpage.c: get_clear_contig_flush() (6.1); arch/arm64/mm/mmu.c: pgattr_change_is_safe() (6.1) numbers them. */
class BreakBeforeMakeTest {

    private static List<String> times(String op, int n) {
        return Collections.nCopies(n, op);
    }

    @Test
    void kernelGigabyteBlockSplit_followsTheSevenSteps() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", new Fixtures.BumpAllocator());
        Mmu mmu = hooks.mmu();
        int root = mmu.root(0);
        long va = mmu.linearVa(0x4000_0000L);
        int pud = mmu.tableFor(root, va, 1, false);
        hooks.ledger().startTrace(2000);
        int table = mmu.splitBlock(pud, Granule.of(12, 48).index(va, 1), 1, va, true);
        List<String> expected = new ArrayList<>();
        expected.addAll(times("dc_zva", 64));              // the new table page is zeroed
        expected.addAll(times("pgtable_store", 512));      // filled while unreachable: 512 × 2 MiB blocks
        expected.add("pgtable_store");                     // 1. invalid descriptor
        expected.add("dsb_ishst");                         // 2.
        expected.add("tlbi_vaale1is");                     // 3. the block's VA, all ASIDs
        expected.addAll(List.of("dsb_ish", "dvm_sync"));   // 4. wait for every CPU
        expected.add("isb");                               // 5. kernel region
        expected.add("pgtable_store");                     // 6. the table descriptor
        expected.addAll(List.of("dsb_ishst", "isb"));      // 7. set_pud's barrier (6.1: immediate)
        assertThat(hooks.ledger().trace()).containsExactlyElementsOf(expected);
        hooks.checkInvariants();
        PageTables t = mmu.tables();
        assertThat(t.translate(root, va + 0x12_3456L)).isEqualTo(0x4012_3456L);
        assertThat(t.lastLevel).isEqualTo(2);
        assertThat(t.get(table, 0) & Descriptors.CONT).as("the new 2 MiB blocks keep cont-PMD hints").isNotZero();
    }

    @Test
    void kernelSplit_onAnA76Kernel6_1_192_addsTheErratumSync() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.rk3588(), "6.1.192", new Fixtures.BumpAllocator());
        Mmu mmu = hooks.mmu();
        int root = mmu.root(0);
        long va = mmu.linearVa(0x4000_0000L);
        int pud = mmu.tableFor(root, va, 1, false);
        hooks.ledger().startTrace(2000);
        mmu.splitBlock(pud, Granule.of(12, 48).index(va, 1), 1, va, true);
        String[] trace = hooks.ledger().trace();
        List<String> tail = List.of(trace).subList(64 + 512, trace.length);
        assertThat(tail).containsExactly("pgtable_store", "dsb_ishst", "tlbi_vaale1is", "dsb_ish", "dvm_sync",
                "tlbi_vale1is", "dsb_ish", "dvm_sync", "isb", "pgtable_store", "dsb_ishst", "isb");
    }

    @Test
    void partialMunmapOfUserThp_splitsThroughPresentInvalidThenClearsOnePage() {
        Fixtures.BumpAllocator pages = new Fixtures.BumpAllocator();
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", pages);
        long va = 0x4000_0000L;
        hooks.onEvent(new Event().pageFault(7, va, 0x40000, 9, Event.FAULT_WRITE, 0));
        PageTables t = hooks.mmu().tables();
        int root = hooks.mmu().root(7);
        t.walk(root, va);
        assertThat(t.lastLevel).as("a THP is one PMD block").isEqualTo(2);
        hooks.ledger().startTrace(2000);
        hooks.onEvent(new Event().munmap(7, va + 0x1000, 0x1000, 0));
        List<String> expected = new ArrayList<>();
        expected.addAll(times("dc_zva", 64));
        expected.addAll(times("pgtable_store", 512));
        expected.addAll(List.of("pgtable_store", "dsb_ishst", "tlbi_vale1is", "dsb_ish", "dvm_sync"));
        expected.addAll(List.of("pgtable_store", "dsb_ishst", "isb"));
        expected.add("pgtable_store");                                               // the page cleared
        expected.addAll(List.of("dsb_ishst", "tlbi_vale1is", "dsb_ish", "dvm_sync")); // flush_tlb_range, 1 page
        assertThat(hooks.ledger().trace()).containsExactlyElementsOf(expected);
        hooks.checkInvariants();
        assertThat(t.translate(root, va + 0x1000)).isEqualTo(-1);
        assertThat(t.translate(root, va + 0x2000)).isEqualTo(0x4000_2000L);
        assertThat(t.lastLevel).isEqualTo(3);
        assertThat(Fixtures.counters(hooks).get("arm64.block_splits")).isEqualTo(1);
    }

    @Test
    void refaultWithAnotherPage_breaksBeforeMaking() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", new Fixtures.BumpAllocator());
        hooks.onEvent(new Event().pageFault(1, 0x10_0000L, 0x100, 0, 0, 0));
        hooks.ledger().startTrace(100);
        hooks.onEvent(new Event().pageFault(1, 0x10_0000L, 0x200, 0, Event.FAULT_WRITE, 0));
        assertThat(hooks.ledger().trace()).containsExactly("pgtable_store", "dsb_ishst", "tlbi_vale1is", "dsb_ish",
                "dvm_sync", "pgtable_store");
        assertThat(hooks.mmu().tables().translate(hooks.mmu().root(1), 0x10_0000L)).isEqualTo(0x20_0000L);
    }

    @Test
    void permissionUpgradeOfTheSamePage_isWrittenInPlace() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", new Fixtures.BumpAllocator());
        hooks.onEvent(new Event().pageFault(1, 0x10_0000L, 0x100, 0, 0, 0));
        hooks.ledger().startTrace(100);
        hooks.onEvent(new Event().pageFault(1, 0x10_0000L, 0x100, 0, Event.FAULT_WRITE, 0));
        assertThat(hooks.ledger().trace()).containsExactly("pgtable_store");
    }
}
