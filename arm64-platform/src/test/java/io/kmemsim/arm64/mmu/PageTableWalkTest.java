package io.kmemsim.arm64.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.workload.Event;
import org.junit.jupiter.api.Test;

/** Walks and the linear map (arch/arm64/include/asm/pgtable-hwdef.h: PMD_SHIFT, PTE_AF (6.1); arch/arm64/Kconfig: ARM64_VA_BITS (6.1); arch/arm64/include/asm/sparsemem.h: SECTION_SIZE_BITS (6.1)). */
class PageTableWalkTest {

    private static final long VA = 0x0000_7FFF_1234_5000L;

    @Test
    void userFault_builds4LevelsAndWalksToThePage() {
        Fixtures.BumpAllocator pages = new Fixtures.BumpAllocator();
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1", pages);
        hooks.onEvent(new Event().pageFault(1, VA, 0x12345, 0, Event.FAULT_WRITE, 0));
        hooks.checkInvariants();
        Mmu mmu = hooks.mmu();
        int root = mmu.root(1);
        PageTables t = mmu.tables();
        // pgd, pud, pmd and pte tables: 4 order-0 pages
        assertThat(pages.allocations).isEqualTo(4);
        long d = t.walk(root, VA);
        assertThat(t.lastLevel).isEqualTo(3);
        assertThat(d).isEqualTo(0x00E8_0000_1234_5F43L);
        assertThat(t.translate(root, VA + 0x123)).isEqualTo(0x1234_5123L);
        assertThat(t.translate(root, VA + 0x1000)).isEqualTo(-1);
        // index of VA at each level: 0xFF, 0x1FC, 0x91, 0x145 → the pgd's entry 0xFF is a table
        long pgdEntry = t.get(root, 0xFF);
        assertThat(Descriptors.isTable(pgdEntry, 0)).isTrue();
        assertThat(Fixtures.counters(hooks).get("arm64.dc_zva")).as("four zeroed table pages").isEqualTo(4 * 64);
    }

    @Test
    void vaBits39_walksThreeLevels() {
        Fixtures.BumpAllocator pages = new Fixtures.BumpAllocator();
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.generic(), "6.1",
                Fixtures.options(39, "auto", "auto", false, false), pages);
        hooks.onEvent(new Event().pageFault(1, 0x40_1234_5000L, 0x12345, 0, 0, 0));
        assertThat(pages.allocations).as("pgd (level 1), pmd, pte").isEqualTo(3);
        PageTables t = hooks.mmu().tables();
        assertThat(t.translate(hooks.mmu().root(1), 0x40_1234_5000L)).isEqualTo(0x1234_5000L);
        assertThat(t.lastLevel).isEqualTo(3);
    }

    @Test
    void linearMap_usesGigabyteAndContiguousTwoMegabyteBlocks() {
        Arm64ArchHooks hooks = Fixtures.hooks(Fixtures.rk3588(), "6.1", new Fixtures.BumpAllocator());
        Mmu mmu = hooks.mmu();
        int root = mmu.root(0);
        hooks.checkInvariants();
        var c = Fixtures.counters(hooks);
        // bank 0 [2 MiB, 3.75 GiB): 511 + 384 PMD blocks, 2 PUD blocks (GiB 1, 2);
        // bank 1 [4, 8 GiB): 4 PUD blocks; bank 2 [0x2_F000_0000, 12 GiB): 128 PMD blocks
        assertThat(c.get("arm64.linear_map_pud_blocks")).isEqualTo(6);
        assertThat(c.get("arm64.linear_map_pmd_blocks")).isEqualTo(511 + 384 + 128);
        assertThat(c.get("arm64.linear_map_ptes")).isZero();
        assertThat(c.get("arm64.linear_map_tables")).as("one level-1 table, level-2 tables for GiB 0, 3 and 11").isEqualTo(4);
        assertThat(c.get("arm64.cycles")).as("boot work is not charged").isZero();
        PageTables t = mmu.tables();
        long first = t.walk(root, mmu.linearVa(0x20_0000L));
        assertThat(t.lastLevel).isEqualTo(2);
        assertThat(first & Descriptors.CONT).as("[0, 32 MiB) is cut by the bank start: no hint").isZero();
        long cont = t.walk(root, mmu.linearVa(0x200_0000L));
        assertThat(cont & Descriptors.CONT).as("[32, 64 MiB) is a whole cont-PMD range").isNotZero();
        t.walk(root, mmu.linearVa(0x4000_0000L));
        assertThat(t.lastLevel).isEqualTo(1);
        assertThat(t.translate(root, mmu.linearVa(0x1_2345_6789L))).isEqualTo(0x1_2345_6789L);
        assertThat(t.translate(root, mmu.linearVa(0xF000_0000L))).as("the peripheral hole").isEqualTo(-1);
    }

    @Test
    void linearMap_withoutBlocksUsesPages() {
        Arm64ArchHooksOptions pagesOnly = new Arm64ArchHooksOptions(48, "auto", "auto", false, false, false, "auto", false,
                "auto", java.util.Map.of());
        Arm64ArchHooks hooks = Fixtures.hooks(io.kmemsim.testkit.support.TestPlatforms.oneZone(), "6.1", pagesOnly,
                new Fixtures.BumpAllocator());
        hooks.mmu().root(0);
        // 16 MiB bank = 4096 PTEs in 8 PTE tables, no hints
        assertThat(Fixtures.counters(hooks).get("arm64.linear_map_ptes")).isEqualTo(4096);
    }
}
