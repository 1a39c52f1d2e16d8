package io.kmemsim.policies.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code compact_memory} on a hand-drawn zone, worked by hand from 6.1 mm/compaction.c: compact_node() (order −1,
 * MIGRATE_SYNC, whole zone, ignore_skip_hint), compact_zone(), isolate_migratepages_block(), isolate_freepages(),
 * isolate_freepages_block(), compaction_alloc(), split_map_pages() and mm/migrate.c: migrate_pages_batch(). Pins how
 * each counter counts: one {@code nr_scanned} per loop step, not per PFN.
 */
class CompactMemoryScannersTest {

    /**
     * 128 pages, pageblocks of 8 (order 3), largest order 4 — so a free order-4 block covers two pageblocks, as an
     * order-10 block covers two order-9 pageblocks on arm64 and x86.
     */
    private static DrawnZone zone() {
        DrawnZone z = new DrawnZone("6.1", 128, 3, 4);
        for (int p = 0; p < 4; p++) {
            z.allocated(p, 0, true);                          // block 0: four LRU pages
        }
        for (int p = 4; p < 8; p++) {
            z.allocated(p, 0, false);                         //          four unmovable pages
        }
        z.allocated(8, 2, false).free(12, 1).allocated(14, 0, false).allocated(15, 0, false); // block 1
        z.free(16, 4);                                        // blocks 2-3: one free order-4 block
        for (int p = 32; p < 40; p++) {
            z.allocated(p, 0, true);                          // block 4: eight LRU pages
        }
        z.free(40, 3).free(48, 4).free(64, 4).free(80, 4);    // blocks 5-11 free
        for (int p = 96; p < 104; p++) {
            z.allocated(p, 0, false);                         // block 12: unmovable pages in a MOVABLE block
        }
        z.free(104, 3);                                       // block 13 free
        z.free(112, 0).allocated(113, 0, false).free(114, 1).free(116, 2); // block 14: 7 free pages
        z.free(120, 0);
        for (int p = 121; p < 128; p++) {
            z.allocated(p, 0, false);
        }
        return z.blockType(15, MigrateType.UNMOVABLE);        // block 15: not a target (its type)
    }

    @Test
    @DisplayName("compact_memory: counters per loop step, rescan of the first block, newest source first, targets from"
            + " the split list's head, -ENOMEM when the free scanner meets the migrate scanner")
    void compactMemory_countsLikeTheKernel() {
        // Iteration 1 (cc->rescan: last_migrated_pfn 0 is in block 0 too): block 0, 8 steps, isolates 0..3.
        //   compaction_alloc -> isolate_freepages from block 15: UNMOVABLE, skipped; block 14 at stride 1: 112 (1 step,
        //   o0), 113 (1), 114 (1 + 1 tail, o1), 116 (1 + 3 tails, o2) = 8 steps, 7 pages >= 4: stop; free_pfn 104.
        //   split_map_pages leaves 119 at the list head: 3->119, 2->118, 1->117, 0->116.
        // Iteration 2: block 1: 8 (compound order 2, one step), 12 (free o1, one step), 14, 15 = 4 steps.
        // Iteration 3: block 2: the free order-4 head, one step, clamped to the block end.
        // Iteration 4: block 3 starts inside that free block: 8 tail pages, 8 steps.
        // Iteration 5: block 4: 8 steps, isolates 32..39; targets 115, 114, 112 for 39, 38, 37; then the list is
        //   empty: isolate_freepages from 104 down to block 6 (the block after the migrate scanner's): block 13 and
        //   the free order-4 heads are skipped, block 12 costs 8 steps (stride 1), block 11 (a tail half) 4 (stride 2),
        //   block 9 two (stride 4), block 7 one (stride 8) = 15 steps, nothing isolated: compaction_alloc returns
        //   NULL, source 36 fails with -ENOMEM (pgmigrate_fail 1), 32..35 are put back uncounted. The scanners met
        //   (free_pfn 40, migrate_pfn 40): COMPACT_COMPLETE, nothing left to release.
        DrawnZone z = zone();
        new LinuxCompactionPolicy(new LinuxCompactionOptions()).compactNode(z);
        assertThat(z.log).containsExactly(
                "isolate-free 112 o0", "isolate-free 114 o1", "isolate-free 116 o2",
                "migrate 3->119", "migrate 2->118", "migrate 1->117", "migrate 0->116",
                "migrate 39->115", "migrate 38->114", "migrate 37->112");
        assertThat(z.counters)
                .containsEntry("compact_migrate_scanned", 8L + 4 + 1 + 8 + 8)
                .containsEntry("compact_free_scanned", 8L + 15)
                .containsEntry("compact_isolated", 4L + 7 + 8)
                .containsEntry("pgmigrate_success", 7L)
                .containsEntry("pgmigrate_fail", 1L);
    }

    @Test
    @DisplayName("compact_memory: targets left over are freed one page at a time, the list's head first")
    void compactMemory_releasesUnusedTargetsAsSinglePages() {
        // Only block 0's four LRU pages move (block 4 holds unmovable pages here): the free scanner's 7 pages from
        // block 14 leave 112, 114, 115 unused; release_freepages() frees them with __free_page from the list head.
        DrawnZone z = zone();
        for (int p = 32; p < 40; p++) {
            z.allocated(p, 0, false);
        }
        new LinuxCompactionPolicy(new LinuxCompactionOptions()).compactNode(z);
        assertThat(z.log).containsExactly(
                "isolate-free 112 o0", "isolate-free 114 o1", "isolate-free 116 o2",
                "migrate 3->119", "migrate 2->118", "migrate 1->117", "migrate 0->116",
                "release 115 o0", "release 114 o0", "release 112 o0");
        assertThat(z.counters).containsEntry("pgmigrate_success", 4L).doesNotContainKey("pgmigrate_fail");
    }

    @Test
    @DisplayName("direct compaction drains the per-CPU lists once the migrate scanner leaves the order-aligned block it"
            + " migrated from, unless that pass started at PFN 0")
    void directCompaction_drainsAfterLeavingTheMigratedBlock() {
        // 32 pages, pageblocks of 8. Block 0: unmovable pages (pass 1 isolates nothing: last_migrated_pfn stays 0).
        // Block 1: LRU pages 8, 10, 12, 14 and free 9, 11, 13, 15. Block 2: one unmovable order-3 block. Block 3:
        // unmovable 24 and 28, free 25 (o0), 26 (o1), 29 (o0), 30 (o1). Order 2 at sync-light: no free block of
        // order >= 2, 10 free pages > min 1 + 2 << 2: CONTINUE.
        // Pass 2 starts at 8 (last_migrated_pfn 8), isolates 8..14; the free scanner (stride 1) isolates 25, 26 (o1),
        // 29 in 6 steps (24, 25, 26 + 1 tail, 28, 29) and stops with 4 pages; targets from the split list's head:
        // 14->29, 12->27, 10->26, 8->25. Block 1 is then one free order-3 block. The migrate scanner is at 16, past
        // the order-2 block of PFN 8: compact_zone()'s check_drain drains (lru_add_drain_cpu_zone()). Pass 3:
        // __compact_finished() finds the free order-3 block: COMPACT_SUCCESS.
        DrawnZone z = new DrawnZone("6.1", 32, 3, 4);
        for (int p = 0; p < 8; p++) {
            z.allocated(p, 0, false);
        }
        for (int p = 8; p < 16; p += 2) {
            z.allocated(p, 0, true).free(p + 1, 0);
        }
        z.allocated(16, 3, false);
        z.allocated(24, 0, false).free(25, 0).free(26, 1).allocated(28, 0, false).free(29, 0).free(30, 1);
        z.min = 1;
        z.low = 2;
        CompactionResult r = new LinuxCompactionPolicy(new LinuxCompactionOptions())
                .compactDirect(2, Gfp.GFP_HIGHUSER_MOVABLE, CompactPriority.SYNC_LIGHT, z);
        assertThat(r).isEqualTo(CompactionResult.SUCCESS);
        assertThat(z.log).containsExactly(
                "isolate-free 25 o0", "isolate-free 26 o1", "isolate-free 29 o0",
                "migrate 14->29", "migrate 12->27", "migrate 10->26", "migrate 8->25",
                "drain");
        assertThat(z.counters)
                .containsEntry("compact_migrate_scanned", 16L)
                .containsEntry("compact_free_scanned", 6L)
                .containsEntry("compact_isolated", 8L)
                .containsEntry("pgmigrate_success", 4L);
    }
}
