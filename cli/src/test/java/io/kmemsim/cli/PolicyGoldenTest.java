package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageblockOccupancy;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.trace.TraceListener;
import io.kmemsim.buddy.BuddyOptions;
import io.kmemsim.buddy.BuddyProvider;
import io.kmemsim.policies.compaction.LinuxCompactionOptions;
import io.kmemsim.policies.compaction.LinuxCompactionProvider;
import io.kmemsim.policies.fallback.LinuxFallbackOptions;
import io.kmemsim.policies.fallback.LinuxFallbackProvider;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of the policies plugin against the real buddy allocator, worked by hand from
 * mm/page_alloc.c: __rmqueue_fallback() (6.1) (fallback) and mm/compaction.c: compact_zone() (6.1) (compaction).
 *
 * <p>The machine is the testkit's one-zone board: 16 MiB at 1 GiB, PFNs 0x40000–0x40fff, all in ZONE_NORMAL
 * (no DMA32, so ALLOC_NOFRAGMENT is never set, mm/page_alloc.c: alloc_flags_nofragment() (6.1)): 4096 pages = 8 pageblocks of 512 (pageblock order 9,
 * max order 10). At boot every pageblock is MOVABLE and the free lists hold four order-10 MOVABLE blocks
 * with the lowest PFN at the head (mm/memblock.c: memblock_free_all() (6.1); mm/page_alloc.c: __free_pages_core() (6.1)). {@code min_free_kbytes} is 0 (min 0, low 4, high 8 pages) and
 * {@code watermark_boost_factor} 0 so that no boost changes the watermarks between steps (mm/page_alloc.c: boost_watermark() (6.1)).
 *
 * <p>Requests are of order 4 and 7 (not pcp orders in 6.1+, include/linux/mmzone.h: struct per_cpu_pages (6.1): ≤ 3 or the THP order), so every
 * allocation and free goes straight to the buddy lists. {@code fill(k)} allocates 31 order-7 MOVABLE
 * blocks: each takes the head of the smallest MOVABLE list of order ≥ 7, and expand puts upper halves at
 * the list heads (mm/page_alloc.c: __rmqueue_smallest() (6.1)), so block i lands at 0x40000 + 0x80·i and only 0x40f80 (order 7) stays free.
 */
class PolicyGoldenTest {

    private static final long BASE = 0x40000;
    private static final BuddyOptions QUIET = new BuddyOptions(0, 10, 0, 0, List.of(), 0);

    /** The allocator and what it told the trace listener. */
    private static final class Machine {
        final List<String> extfrag = new ArrayList<>();
        final List<String> migrations = new ArrayList<>();
        final PageAllocator allocator;
        final Zone normal;
        boolean compactMemoryOnTick;

        Machine(String kernel, boolean linuxFallback, CompactionPolicy compaction) {
            Platform platform = TestPlatforms.oneZone();
            TraceListener trace = new TraceListener() {
                @Override
                public void pageAllocExtfrag(long pfn, int allocOrder, int fallbackOrder, int pageblockOrder,
                                             MigrateType allocType, MigrateType fallbackType, boolean fragmenting,
                                             boolean changeOwnership, int cpu) {
                    extfrag.add(String.format("page=0x%x alloc_order=%d fallback_order=%d pageblock_order=%d "
                            + "alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d",
                            pfn, allocOrder, fallbackOrder, pageblockOrder, allocType.ordinal(), fallbackType.ordinal(),
                            fragmenting ? 1 : 0, changeOwnership ? 1 : 0));
                }
            };
            TestProviderContext.Builder b = TestProviderContext.builder().platform(platform).kernel(kernel).traceListener(trace);
            if (linuxFallback) {
                TestProviderContext policyContext = TestProviderContext.builder().platform(platform).kernel(kernel).build();
                FallbackPolicy fallback = new LinuxFallbackProvider().create(new LinuxFallbackOptions(), policyContext);
                b.fallbackPolicy(fallback);
            }
            b.compactionPolicy(new CompactMemoryOnTick(compaction, this));
            allocator = new BuddyProvider().create(QUIET, b.build());
            allocator.setMigrationListener((from, to, order) -> migrations.add(hex(from) + "->" + hex(to)));
            normal = allocator.zones().get(0);
        }

        long alloc(int order, int gfp) {
            long pfn = allocator.allocate(order, gfp, 0);
            allocator.checkInvariants();
            return pfn;
        }

        void free(long pfn, int order) {
            allocator.free(pfn, order, 0);
            allocator.checkInvariants();
        }

        /** 31 order-7 MOVABLE blocks at 0x40000 + 0x80·i; only 0x40f80 (order 7) is left free. */
        Machine fill() {
            for (int i = 0; i < 31; i++) {
                assertThat(hex(alloc(7, Gfp.GFP_HIGHUSER_MOVABLE))).isEqualTo(hex(BASE + 0x80L * i));
            }
            assertThat(normal.freePages()).isEqualTo(128);
            return this;
        }

        /** {@code echo 1 > /proc/sys/vm/compact_memory}, delivered on the next tick. */
        void compactMemory() {
            compactMemoryOnTick = true;
            allocator.tick(1);
            compactMemoryOnTick = false;
            allocator.checkInvariants();
        }

        Map<String, Long> counters() {
            Map<String, Long> c = new LinkedHashMap<>();
            allocator.forEachCounter(c::put);
            return c;
        }

        long counter(String name) {
            return counters().getOrDefault(name, 0L);
        }

        /** buddyinfo's row for Normal: free blocks per order 0..10. */
        List<Long> buddyinfo() {
            List<Long> row = new ArrayList<>();
            for (int o = 0; o <= 10; o++) {
                row.add(normal.freeBlocks(o));
            }
            return row;
        }
    }

    /** The compaction policy under test, plus compact_memory on a tick when the machine asks for it. */
    private record CompactMemoryOnTick(CompactionPolicy delegate, Machine machine) implements CompactionPolicy {
        @Override
        public CompactionResult compactDirect(int order, int gfp, CompactPriority priority, CompactionContext context) {
            return delegate.compactDirect(order, gfp, priority, context);
        }

        @Override
        public void afterCompaction(int order, int gfp, boolean allocated, CompactionContext context) {
            delegate.afterCompaction(order, gfp, allocated, context);
        }

        @Override
        public void wakeKcompactd(int order, int highestZoneIndex) {
            delegate.wakeKcompactd(order, highestZoneIndex);
        }

        @Override
        public void onTick(long nowNanos, CompactionContext context) {
            if (machine.compactMemoryOnTick) {
                delegate.compactNode(context);
            } else {
                delegate.onTick(nowNanos, context);
            }
        }

        @Override
        public void compactNode(CompactionContext context) {
            delegate.compactNode(context);
        }
    }

    private static String hex(long pfn) {
        return "0x" + Long.toHexString(pfn);
    }

    private static CompactionPolicy linuxCompaction(String kernel) {
        TestProviderContext ctx = TestProviderContext.builder().platform(TestPlatforms.oneZone()).kernel(kernel).build();
        // proactiveness 0: ticks run only what the test asks for (mm/compaction.c: kcompactd_do_work(), proactive_compact_node() (6.1))
        return new LinuxCompactionProvider().create(new LinuxCompactionOptions(500, 0, 500), ctx);
    }

    private static CompactionPolicy noCompaction() {
        return CompactionPolicy.NONE;
    }

    private static final int UNMOVABLE = MigrateType.UNMOVABLE.ordinal();
    private static final int MOVABLE = MigrateType.MOVABLE.ordinal();

    @Nested
    class WholeBlockFallback {

        /**
         * Boot state, an UNMOVABLE order-4 request: no UNMOVABLE list has a block; the search from order 10
         * down finds MOVABLE blocks at 10 (mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.1)). cur ≥ pageblock order: both pageblocks of B = 0x40000
         * are re-typed UNMOVABLE (mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.1) 4b / mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.12) / mm/page_alloc.c: __rmqueue_claim(), __rmqueue_steal() (6.15)), and the order-10 block is split for the request:
         * remainders 9@0x40200, 8@0x40100, 7@0x40080, 6@0x40040, 5@0x40020, 4@0x40010 on UNMOVABLE lists.
         * Trace: fragmenting = 10 < 9 = 0, change_ownership = 1. The same in all three families.
         */
        @Test
        void unmovableRequest_atBoot_claimsAWholeOrder10Block_inEveryEra() {
            for (String kernel : List.of("6.1", "6.12.19", "6.18")) {
                Machine m = new Machine(kernel, true, noCompaction());

                assertThat(hex(m.alloc(4, Gfp.GFP_KERNEL))).as(kernel).isEqualTo("0x40000");

                assertThat(m.normal.pageblockType(0x40000)).as(kernel).isEqualTo(MigrateType.UNMOVABLE);
                assertThat(m.normal.pageblockType(0x40200)).as(kernel).isEqualTo(MigrateType.UNMOVABLE);
                assertThat(m.normal.pageblockType(0x40400)).as(kernel).isEqualTo(MigrateType.MOVABLE);
                for (int o = 4; o <= 9; o++) {
                    assertThat(m.normal.freeBlocks(o, MigrateType.UNMOVABLE)).as(kernel + " order " + o).isEqualTo(1);
                }
                assertThat(m.normal.freeBlocks(10, MigrateType.MOVABLE)).as(kernel).isEqualTo(3);
                assertThat(m.extfrag).as(kernel).containsExactly("page=0x40000 alloc_order=4 fallback_order=10 "
                        + "pageblock_order=9 alloc_migratetype=" + UNMOVABLE + " fallback_migratetype=" + MOVABLE
                        + " fragmenting=0 change_ownership=1");
                assertThat(m.counter("kmemsim_extfrag_events")).isEqualTo(1);
            }
        }
    }

    @Nested
    class ClaimThreshold {

        /**
         * fill(), then free 0x40000 and 0x40080 (buddies: they merge to order 8 at 0x40000). Pageblock 0
         * (0x40000–0x401ff) has free = 256, movable = 256 (0x40100, 0x40180). An UNMOVABLE order-4 request
         * falls back; the largest fallback block is order 8 at 0x40000 (the order-7 0x40f80 is smaller).
         * alike = PBN − free − movable = 512 − 256 − 256 = 0 (mm/page_alloc.c: steal_suitable_fallback() (6.1)); free + alike = 256 ≥ 256: claimed.
         * Pageblock 0 becomes UNMOVABLE, its free pages move to UNMOVABLE lists, and the request takes
         * 0x40000, leaving 7@0x40080, 6@0x40040, 5@0x40020, 4@0x40010 on UNMOVABLE lists.
         */
        @Test
        void halfFreePageblock_isClaimed_inEveryEra() {
            for (String kernel : List.of("6.1", "6.12.19", "6.18")) {
                Machine m = new Machine(kernel, true, noCompaction()).fill();
                m.free(0x40000, 7);
                m.free(0x40080, 7);
                assertThat(m.normal.freeBlocks(8, MigrateType.MOVABLE)).isEqualTo(1);

                assertThat(hex(m.alloc(4, Gfp.GFP_KERNEL))).as(kernel).isEqualTo("0x40000");

                assertThat(m.normal.pageblockType(0x40000)).as(kernel).isEqualTo(MigrateType.UNMOVABLE);
                assertThat(m.extfrag).as(kernel).containsExactly("page=0x40000 alloc_order=4 fallback_order=8 "
                        + "pageblock_order=9 alloc_migratetype=" + UNMOVABLE + " fallback_migratetype=" + MOVABLE
                        + " fragmenting=1 change_ownership=1");
                for (int o = 4; o <= 7; o++) {
                    assertThat(m.normal.freeBlocks(o, MigrateType.UNMOVABLE)).as(kernel + " order " + o).isEqualTo(1);
                }
                assertThat(m.normal.freeBlocks(7, MigrateType.MOVABLE)).as(kernel).isEqualTo(1); // 0x40f80, untouched
                // pageblock 0 now holds the UNMOVABLE page and the two MOVABLE blocks 0x40100, 0x40180: mixed, and
                // the MOVABLE pages no longer match the block's type
                assertThat(m.normal.pageblockOccupancy()).as(kernel).isEqualTo(new PageblockOccupancy(8, 1, 1, 1));
            }
        }

        /**
         * fill(), one order-5 MOVABLE allocation (takes 0x40f80: 6@0x40fc0 and 5@0x40fa0 stay free), then
         * free 0x40180 (its buddy 0x40100 is allocated: it stays order 7). Free MOVABLE blocks: 7@0x40180 in
         * pageblock 0 (free 128, movable 384), 6@0x40fc0 and 5@0x40fa0 in pageblock 7 (free 96, movable 416).
         * Neither pageblock reaches the threshold: 128 + 0 and 96 + 0 are below 256 (mm/page_alloc.c: steal_suitable_fallback() (6.1)).
         *
         * <p>An UNMOVABLE order-4 request:
         * <ul>
         *   <li>6.1 (mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.1)): largest first, cur = 7, B = 0x40180; every free page of pageblock 0 moves to the
         *       UNMOVABLE lists (128 pages), the block is not claimed (stays MOVABLE); the retry takes 0x40180
         *       from the UNMOVABLE list and leaves 6@0x401c0, 5@0x401a0, 4@0x40190 on UNMOVABLE lists
         *       (the "pollution" of mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.1) 4d).</li>
         *   <li>6.12.19 (mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.12)): same search and block, but nothing moves when the claim fails: B is taken
         *       alone and its remainders 6@0x401c0, 5@0x401a0, 4@0x40190 go back to MOVABLE lists.</li>
         *   <li>6.18 (mm/page_alloc.c: __rmqueue_claim(), __rmqueue_steal() (6.15)): the claim stage fails at 7, 6 and 5 (both pageblocks below the threshold) and has
         *       nothing at 4; the steal stage goes smallest first from order 4 and takes 5@0x40fa0, splitting it
         *       into the page 0x40fa0 and 4@0x40fb0 on the MOVABLE list.</li>
         * </ul>
         * Every era: one extfrag event with fragmenting = 1, change_ownership = 0; pageblock types unchanged.
         */
        @Test
        void partlyFreePageblocks_areNotClaimed_andEachEraTakesItsOwnBlock() {
            String[][] expected = {
                {"6.1", "0x40180", "7", "UNMOVABLE"},
                {"6.12.19", "0x40180", "7", "MOVABLE"},
                {"6.18", "0x40fa0", "5", "MOVABLE"},
            };
            for (String[] e : expected) {
                String kernel = e[0];
                Machine m = new Machine(kernel, true, noCompaction()).fill();
                assertThat(hex(m.alloc(5, Gfp.GFP_HIGHUSER_MOVABLE))).isEqualTo("0x40f80");
                m.free(0x40180, 7);

                assertThat(hex(m.alloc(4, Gfp.GFP_KERNEL))).as(kernel).isEqualTo(e[1]);

                assertThat(m.extfrag).as(kernel).containsExactly("page=" + e[1] + " alloc_order=4 fallback_order=" + e[2]
                        + " pageblock_order=9 alloc_migratetype=" + UNMOVABLE + " fallback_migratetype=" + MOVABLE
                        + " fragmenting=1 change_ownership=0");
                for (long pb = BASE; pb < BASE + 4096; pb += 512) {
                    assertThat(m.normal.pageblockType(pb)).as(kernel + " " + hex(pb)).isEqualTo(MigrateType.MOVABLE);
                }
                MigrateType remainders = MigrateType.valueOf(e[3]);
                if (kernel.equals("6.18")) {
                    // 7@0x40180 and 6@0x40fc0 untouched, 4@0x40fb0 the steal's remainder
                    assertThat(m.buddyinfo()).as(kernel).containsExactly(0L, 0L, 0L, 0L, 1L, 0L, 1L, 1L, 0L, 0L, 0L);
                    assertThat(m.normal.freeBlocks(4, MigrateType.MOVABLE)).isEqualTo(1);
                } else {
                    // 6@0x40fc0 and 5@0x40fa0 untouched (MOVABLE); B's remainders 6, 5, 4
                    assertThat(m.buddyinfo()).as(kernel).containsExactly(0L, 0L, 0L, 0L, 1L, 2L, 2L, 0L, 0L, 0L, 0L);
                    assertThat(m.normal.freeBlocks(4, remainders)).as(kernel).isEqualTo(1);
                    assertThat(m.normal.freeBlocks(6, remainders)).as(kernel).isEqualTo(remainders == MigrateType.MOVABLE ? 2 : 1);
                }
                // an UNMOVABLE page in a MOVABLE pageblock: mixed and a type mismatch
                assertThat(m.normal.pageblockOccupancy()).as(kernel).isEqualTo(new PageblockOccupancy(8, 1, 1, 1));
            }
        }
    }

    @Nested
    class Compaction {

        /**
         * 6.12.19 (folios below the pageblock order migrate, mm/compaction.c: isolate_migratepages_block() (6.1)), fill(), then free 0x40080 and 0x40180
         * (pageblock 0 keeps 0x40000 and 0x40100), 0x40e80 (buddy 0x40e00 allocated: order 7), 0x40f00 (merges
         * with the free 0x40f80 into order 8). Free: 128 + 128 + 128 + 256 = 640 pages.
         *
         * <p>compact_memory (mm/compaction.c: sysctl_compaction_handler(), compact_node() (6.1): order −1, MIGRATE_SYNC,
         * whole zone, skip hints ignored, targets only in MOVABLE blocks; isolate_migratepages_block() stops at
         * COMPACT_CLUSTER_MAX pages unless cc->rescan, the pass starting in the pageblock last migrated from):
         * <ol>
         *   <li>Pass 1, pageblock 0: isolates 0x40000 (128 ≥ 32 pages: stop). The free scanner from the last
         *       pageblock 0x40e00 (stride 1): 0x40e00 is a compound block (one step), isolates 7@0x40e80: 128 ≥ 128.
         *       0x40000 → 0x40e80; 0x40000 merges with 0x40080 into a free order-8 block.</li>
         *   <li>Pass 2 (rescan) from 0x40080, now a free block's tail: 128 tail pages, 0x40100 isolated, 0x40180 free.
         *       The free scanner goes on in 0x40e00: isolates 8@0x40f00. Targets, smallest sufficient first
         *       (6.10+): 0x40100 → 0x40f00 (split, 0x40f80 kept); pageblock 0 is wholly free (order 9).</li>
         *   <li>Pass 3, pageblock 1: isolates 0x40200 (stop at 32); 0x40200 → 0x40f80.</li>
         *   <li>Pass 4 (rescan): 0x40280, 0x40300, 0x40380; the newest, 0x40380, goes first and finds no target: the
         *       free scanner runs from pageblock 6 down to pageblock 3, all allocated — -ENOMEM, 128 pages fail, the
         *       others are put back.</li>
         *   <li>The scanners have met (free scanner at pageblock 2, migrate scanner past pageblock 1): COMPLETE.</li>
         * </ol>
         * Result: pgmigrate_success = 384 pages; free: order 9 at 0x40000 and order 7 at 0x40200 (640 pages).
         */
        @Test
        void compactMemory_movesScatteredMovablePagesUp_andFreesTheFirstPageblock() {
            Machine m = new Machine("6.12.19", true, linuxCompaction("6.12.19")).fill();
            for (long pfn : new long[] {0x40080, 0x40180, 0x40e80, 0x40f00}) {
                m.free(pfn, 7);
            }
            assertThat(m.buddyinfo()).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 3L, 1L, 0L, 0L);

            m.compactMemory();

            assertThat(m.migrations).containsExactly("0x40000->0x40e80", "0x40100->0x40f00", "0x40200->0x40f80");
            assertThat(m.counter("pgmigrate_success")).isEqualTo(384);
            assertThat(m.buddyinfo()).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 1L, 0L);
            assertThat(m.normal.freeBlocks(9, MigrateType.MOVABLE)).isEqualTo(1);
            assertThat(m.normal.freePages()).isEqualTo(640);
            // migrate scanner (one nr_scanned per loop step, an isolated folio adds its tail pages): pass 1 isolates
            // 0x40000 (128) and stops at COMPACT_CLUSTER_MAX; pass 2 (cc->rescan) reads the 128 tail pages of the free
            // order-8 block the moved 0x40000 merged into, 0x40100 (128) and 0x40180 (1); pass 3 0x40200 (128);
            // pass 4 (rescan) 0x40280..0x40380 (384)
            assertThat(m.counter("compact_migrate_scanned")).isEqualTo(128 + (128 + 128 + 1) + 128 + 384);
            // free scanner: 0x40e00 (compound, one step), 7@0x40e80 (128); 8@0x40f00 (256); then pageblocks 6..3 of
            // compound order-7 blocks: 4 steps at stride 1, then 193, 97, 49 at strides 2, 4, 8 (tail pages hit)
            assertThat(m.counter("compact_free_scanned")).isEqualTo(129 + 256 + 4 + 193 + 97 + 49);
            // isolated: sources 128 + 128 + 128 + 384, free targets 128 + 256
            assertThat(m.counter("compact_isolated")).isEqualTo(1152);
            // 0x40380 (migrated first of pass 4, newest first) finds no target: -ENOMEM, its 128 pages fail
            assertThat(m.counter("pgmigrate_fail")).isEqualTo(128);
            assertThat(m.counter("compact_stall")).isZero();
        }

        /**
         * 6.1 (≤ 6.8: only order-0 pages migrate, compound pages are skipped, mm/compaction.c: isolate_migratepages_block() (6.1)): the same machine, but
         * every movable block is order 7, so compact_memory scans and moves nothing.
         */
        @Test
        void compactMemory_on61_skipsCompoundPages() {
            Machine m = new Machine("6.1", true, linuxCompaction("6.1")).fill();
            for (long pfn : new long[] {0x40080, 0x40180, 0x40e80, 0x40f00}) {
                m.free(pfn, 7);
            }

            m.compactMemory();

            assertThat(m.migrations).isEmpty();
            assertThat(m.counter("pgmigrate_success")).isZero();
            assertThat(m.buddyinfo()).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 3L, 1L, 0L, 0L);
        }

        /**
         * fill() leaves 128 free pages. An order-9 THP fault (GFP_TRANSHUGE, direct reclaim allowed) fails the
         * free lists; compaction_suitable's order-0 check needs low + compact_gap(9) = 4 + (2 << 9) = 1028
         * free pages (mm/compaction.c: compaction_suitable() (6.1)): 128 is too few, so every attempt is SKIPPED, which the allocator does not
         * count as a stall (mm/compaction.c: try_to_compact_pages() (6.1); mm/page_alloc.c: __alloc_pages_direct_compact() (6.1)). The fault fails (costly, no __GFP_RETRY_MAYFAIL).
         */
        @Test
        void directCompaction_isSkipped_whenTooLittleMemoryIsFree() {
            Machine m = new Machine("6.1", true, linuxCompaction("6.1")).fill();

            assertThat(m.alloc(9, Gfp.GFP_TRANSHUGE)).isEqualTo(PageAllocator.NO_PAGE);

            assertThat(m.counter("compact_stall")).isZero();
            assertThat(m.counter("compact_fail")).isZero();
            assertThat(m.counter("pgmigrate_success")).isZero();
            assertThat(m.counter("compact_migrate_scanned")).isZero();
        }

        /**
         * Mobility grouping off (no fallback policy: every page is allocated UNMOVABLE, so nothing can be
         * migrated), fill(), then free the second and fourth order-7 block of every pageblock: 16 free order-7
         * blocks, 2048 pages. An order-9 THP fault: compaction_suitable passes (2048 > 1028; fragmentation
         * index 1000 − (1000 + 2048·1000/512)/16 = 688 > 500, mm/vmstat.c: __fragmentation_index() (6.1)), the async then the sync-light attempt
         * run and fail (two stalls, two failures); the sync-light result (scanners met) defers the zone:
         * defer_shift 1, order_failed 9 (mm/compaction.c: defer_compaction(), compaction_deferred() (6.1)).
         *
         * <p>The next fault: the async attempt finds the zone deferred (considered 1 < 2^1) and returns
         * DEFERRED without scanning — still a stall (mm/compaction.c: try_to_compact_pages() (6.1); mm/page_alloc.c: __alloc_pages_direct_compact() (6.1)); the sync-light attempt counts considered 2 ≥ 2,
         * runs (it finds every block's skip bit set by the earlier passes, so it reads no page) and defers
         * again (defer_shift 2). Migrate-scanner reads therefore grow only in the first fault.
         */
        @Test
        void failedSyncCompaction_defersTheZone() {
            Machine m = new Machine("6.1", false, linuxCompaction("6.1")).fill();
            for (long pb = BASE; pb < BASE + 4096; pb += 512) {
                m.free(pb + 0x80, 7);
                if (pb + 0x180 != 0x40f80) {
                    m.free(pb + 0x180, 7);
                }
            }
            assertThat(m.buddyinfo()).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 16L, 0L, 0L, 0L);

            assertThat(m.alloc(9, Gfp.GFP_TRANSHUGE)).isEqualTo(PageAllocator.NO_PAGE);
            assertThat(m.counter("compact_stall")).isEqualTo(2);
            assertThat(m.counter("compact_fail")).isEqualTo(2);
            long scanned = m.counter("compact_migrate_scanned");
            assertThat(scanned).isPositive();

            assertThat(m.alloc(9, Gfp.GFP_TRANSHUGE)).isEqualTo(PageAllocator.NO_PAGE);
            assertThat(m.counter("compact_stall")).isEqualTo(4);
            assertThat(m.counter("compact_fail")).isEqualTo(4);
            assertThat(m.counter("compact_migrate_scanned")).isEqualTo(scanned);
            assertThat(m.counter("pgmigrate_success")).isZero();
        }
    }
}
