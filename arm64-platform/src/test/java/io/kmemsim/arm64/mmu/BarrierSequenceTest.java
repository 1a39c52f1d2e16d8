package io.kmemsim.arm64.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.workload.Event;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Barrier and TLBI counts per kernel version (arch/arm64/include/asm/pgtable.h: set_pte(), set_pmd() (6.1); arch/arm64/include/asm/tlbflush.h: flush_tlb_page() (6.1)). */
class BarrierSequenceTest {

    private static final long VMALLOC = 0xFFFF_8000_0000_0000L;

    /**
     * A 16-page kernel mapping in an empty vmalloc area: three tables linked (level 1, 2, 3 under the
     * existing pgd), each {@code set_pXd} followed by {@code dsb ishst; isb}; then 16 kernel PTEs — one
     * pair each up to 6.15, one pair for the lazy-MMU section from 6.16.
     */
    @ParameterizedTest(name = "{0}: {1} barrier pairs")
    @CsvSource({"6.1, 19, 0", "6.12, 19, 0", "6.15, 19, 0", "6.16, 4, 15", "6.18, 4, 15"})
    void kernelMappingOf16Pages_batchesBarriersFrom6_16(String kernel, long pairs, long saved) {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), kernel, new Fixtures.BumpAllocator());
        hooks.onEvent(new Event().pageFault(0, VMALLOC, 0x1000, 4, 0, 0));
        Map<String, Long> c = Fixtures.counters(hooks);
        assertThat(c.get("arm64.dsb_ishst")).isEqualTo(pairs);
        assertThat(c.get("arm64.isb")).isEqualTo(pairs);
        assertThat(c.get("arm64.pgtable_store")).isEqualTo(3 + 16);
        assertThat(c.get("arm64.lazy_mmu_saved_barriers")).isEqualTo(saved);
        assertThat(c.get("arm64.tlbi_vaale1is")).isZero();
    }

    @Test
    void lazyMmuOption_overridesTheVersion() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", Fixtures.options(48, "on", "auto", false, false),
                new Fixtures.BumpAllocator());
        hooks.onEvent(new Event().pageFault(0, VMALLOC, 0x1000, 4, 0, 0));
        assertThat(Fixtures.counters(hooks).get("arm64.dsb_ishst")).isEqualTo(4);
    }

    @Test
    void userPtes_takeNoBarrier() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", new Fixtures.BumpAllocator());
        hooks.onEvent(new Event().pageFault(1, 0x10_0000L, 0x100, 4, Event.FAULT_WRITE, 0));
        // only the three set_pXd of the new pud/pmd/pte tables
        assertThat(Fixtures.counters(hooks).get("arm64.dsb_ishst")).isEqualTo(3);
    }

    /**
     * Unmapping one user page on an RK3588 (A55 + A76): {@code dsb ishst; tlbi vale1is; dsb ish} plus
     * the repeat-TLBI workaround of each version (arch/arm64/include/asm/tlbflush.h: flush_tlb_page(), __flush_tlb_range() (6.1)): 6.1 before 6.1.176 repeats the TLBI (A55
     * #2441007), 6.1.176+ and 6.12.94+ add one {@code tlbi vale1is, xzr; dsb ish}, 6.12 before 94 has none.
     */
    @ParameterizedTest(name = "{0}: {1} TLBIs, {2} DSB ISH")
    @CsvSource({"6.1.100, 2, 2, 0", "6.1.176, 2, 2, 1", "6.1, 2, 2, 1", "6.12.50, 1, 1, 0", "6.12.94, 2, 2, 1",
            "6.12, 2, 2, 1", "6.6, 1, 1, 0"})
    void munmapOfOnePage_takesEachVersionsTlbiWorkaround(String kernel, long tlbis, long dsbIsh, long syncs) {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.rk3588(), kernel, new Fixtures.BumpAllocator());
        hooks.onEvent(new Event().pageFault(1, 0x10_0000L, 0x100, 0, 0, 5));
        hooks.onEvent(new Event().pageFault(1, 0x10_1000L, 0x101, 0, 0, 5));
        long before = Fixtures.counters(hooks).get("arm64.dsb_ishst");
        hooks.onEvent(new Event().munmap(1, 0x10_0000L, 0x1000, 5));
        Map<String, Long> c = Fixtures.counters(hooks);
        assertThat(c.get("arm64.dsb_ishst") - before).isEqualTo(1);
        assertThat(c.get("arm64.tlbi_vale1is")).isEqualTo(tlbis);
        assertThat(c.get("arm64.dsb_ish")).isEqualTo(dsbIsh);
        assertThat(c.get("arm64.tlbi_erratum_syncs")).isEqualTo(syncs);
    }

    @Test
    void kpti_issuesAsidTlbisTwice() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", Fixtures.options(48, "auto", "auto", true, false),
                new Fixtures.BumpAllocator());
        hooks.onEvent(new Event().pageFault(1, 0x10_0000L, 0x100, 1, 0, 0));
        hooks.onEvent(new Event().munmap(1, 0x10_0000L, 0x1000, 0));
        assertThat(Fixtures.counters(hooks).get("arm64.tlbi_vale1is")).isEqualTo(2);
    }

    @Test
    void range511Pages_loopsAndRange512Pages_flushesTheAsid() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", new Fixtures.BumpAllocator());
        hooks.onEvent(new Event().pageFault(1, 0x20_0000L, 0x400, 9, 0, 0));
        hooks.onEvent(new Event().munmap(1, 0x20_0000L, 511 * 4096L, 0));
        Map<String, Long> c = Fixtures.counters(hooks);
        assertThat(c.get("arm64.tlbi_vale1is")).as("a 511-page THP split: 1 for the block, 511 per page").isEqualTo(1 + 511);
        assertThat(c.get("arm64.tlbi_aside1is")).isZero();

        Arm64ArchHooks hooks2 = Fixtures.hooks(Fixtures.generic(), "6.1", new Fixtures.BumpAllocator());
        for (int i = 0; i < 512; i++) {
            hooks2.onEvent(new Event().pageFault(1, 0x20_0000L + i * 4096L, 0x400 + i, 0, 0, 0));
        }
        hooks2.onEvent(new Event().munmap(1, 0x20_0000L, 512 * 4096L, 0));
        Map<String, Long> c2 = Fixtures.counters(hooks2);
        assertThat(c2.get("arm64.tlbi_vale1is") + c2.get("arm64.tlbi_vae1is")).isZero();
        assertThat(c2.get("arm64.tlbi_aside1is")).as("MAX_DVM_OPS × stride reached").isEqualTo(1);
        assertThat(c2.get("arm64.tlb_flush_fallbacks")).isEqualTo(1);
        assertThat(c2.get("arm64.pgtable_frees")).as("the emptied PTE table").isEqualTo(1);
    }

    @Test
    void munmapThatFreesATable_invalidatesWalkCaches() {
        Fixtures.BumpAllocator pages = new Fixtures.BumpAllocator();
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", pages);
        for (int i = 0; i < 4; i++) {
            hooks.onEvent(new Event().pageFault(1, 0x20_0000L + i * 4096L, 0x400 + i, 0, 0, 0));
        }
        hooks.onEvent(new Event().munmap(1, 0x20_0000L, 0x20_0000L, 0));
        hooks.checkInvariants();
        Map<String, Long> c = Fixtures.counters(hooks);
        assertThat(c.get("arm64.tlbi_vae1is")).as("4 cleared pages, walk caches included (arch/arm64/include/asm/pgtable.h: ptep_set_wrprotect() (6.1))").isEqualTo(4);
        assertThat(c.get("arm64.tlbi_vale1is")).isZero();
        assertThat(pages.frees).isEqualTo(1);
        assertThat(c.get("arm64.pgtable_pages")).isEqualTo(3);
    }

    @Test
    void vunmap_flushesPerPageUpTo512AndAllAbove() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", new Fixtures.BumpAllocator());
        hooks.onEvent(new Event().pageFault(0, VMALLOC, 0x1000, 4, 0, 0));
        hooks.onEvent(new Event().munmap(0, VMALLOC, 16 * 4096L, 0));
        assertThat(Fixtures.counters(hooks).get("arm64.tlbi_vaale1is")).isEqualTo(16);
        hooks.onEvent(new Event().munmap(0, VMALLOC, 513 * 4096L, 0));
        assertThat(Fixtures.counters(hooks).get("arm64.tlbi_vaale1is")).as("nothing mapped: no flush").isEqualTo(16);
        hooks.onEvent(new Event().pageFault(0, VMALLOC + (1L << 22), 0x2000, 10, 0, 0));
        hooks.onEvent(new Event().munmap(0, VMALLOC + (1L << 22), 1024 * 4096L, 0));
        assertThat(Fixtures.counters(hooks).get("arm64.tlbi_vmalle1is")).as("more than MAX_DVM_OPS pages").isEqualTo(1);
    }

    @Test
    void contPte_setOnAlignedUserFoliosFrom6_9() {
        for (String kernel : new String[] {"6.1", "6.12"}) {
            Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), kernel, new Fixtures.BumpAllocator());
            hooks.onEvent(new Event().pageFault(1, 0x1_0000L, 0x10, 4, Event.FAULT_WRITE, 0));
            long d = hooks.mmu().tables().walk(hooks.mmu().root(1), 0x1_F000L);
            assertThat((d & Descriptors.CONT) != 0).as(kernel).isEqualTo("6.12".equals(kernel));
        }
    }

    @Test
    void munmapInsideAContRange_unfoldsTheGroupFirst() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.12", new Fixtures.BumpAllocator());
        hooks.onEvent(new Event().pageFault(1, 0x1_0000L, 0x10, 4, Event.FAULT_WRITE, 0));
        hooks.onEvent(new Event().munmap(1, 0x1_0000L, 0x1000, 0));
        hooks.checkInvariants();
        PageTables t = hooks.mmu().tables();
        long d = t.walk(hooks.mmu().root(1), 0x1_1000L);
        assertThat(d & Descriptors.CONT).isZero();
        assertThat(Fixtures.counters(hooks).get("arm64.cont_unfolds")).isEqualTo(1);
        assertThat(Fixtures.counters(hooks).get("arm64.tlbi_vale1is")).as("16 for the unfold, 1 for the page").isEqualTo(17);
    }
}
