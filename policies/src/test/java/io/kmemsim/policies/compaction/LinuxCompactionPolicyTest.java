package io.kmemsim.policies.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.api.trace.TraceListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden runs on hand-drawn zones, worked by hand from mm/compaction.c: compact_zone() (6.1) (scanners,
 * suitability, deferral). Zones have 8-page pageblocks (pageblock order 3) and largest order 4.
 */
class LinuxCompactionPolicyTest {

    private static final int GFP_MOVABLE = Gfp.GFP_HIGHUSER_MOVABLE;

    /**
     * 32 pages, 4 pageblocks, all MOVABLE:
     * <pre>
     *   block 0  [M . M . M . M .]   movable order-0 pages at 0,2,4,6; free order-0 at 1,3,5,7
     *   block 1  [U U U U U U U U]   one unmovable order-3 block
     *   block 2  [M . ..  ....   ]   movable at 16; free 17 (o0), 18 (o1), 20 (o2)
     *   block 3  [M . ..  ....   ]   movable at 24; free 25 (o0), 26 (o1), 28 (o2)
     * </pre>
     */
    private static DrawnZone drawn(String kernel) {
        DrawnZone z = new DrawnZone(kernel, 32, 3, 4);
        for (int p = 0; p < 8; p += 2) {
            z.allocated(p, 0, true).free(p + 1, 0);
        }
        z.allocated(8, 3, false);
        for (int b : new int[] {16, 24}) {
            z.allocated(b, 0, true).free(b + 1, 0).free(b + 2, 1).free(b + 4, 2);
        }
        z.min = 1;
        z.low = 2;
        return z;
    }

    @ParameterizedTest(name = "kernel {0}")
    @ValueSource(strings = {"6.1", "6.12"})
    @DisplayName("sync-light direct compaction for order 3: migrate scanner empties block 0 into block 3's free pages")
    void directCompaction_scannersMeetTheHandWorkedPlan(String kernel) {
        // Suitability: order-3 watermark fails (no free block >= 3); order-0 check min + 2<<3 = 17 < 18 free.
        // Migrate scanner: block 0 isolates 0,2,4,6 (4 pages, 8 pfns scanned). Free scanner from the last
        // block (24): 24 is allocated (1 step), then isolates 25 (o0, 1 step), 26 (o1, 2), 28 (o2, 4) = 7 >= 4
        // pages in 8 steps (isolate_freepages_block() counts an isolated block's tail pages). migrate_pages() takes
        // the sources newest first (6, 4, 2, 0: isolate_migratepages_block() adds at the list head). 6.1 splits
        // the targets to order 0 and compaction_alloc() takes the list head, the last page split_map_pages() added:
        // 31, 30, 29, 28; the unused 27, 26, 25 go back one page at a time (release_freepages()). 6.10+ keeps
        // the targets by order and takes the smallest that fits: 25, 26 (27 split off), 27, 28 (29, 30 split
        // off). No per-CPU drain: last_migrated_pfn is 0 (block 0), which compact_zone() reads as "none".
        DrawnZone z = drawn(kernel);
        LinuxCompactionPolicy policy = new LinuxCompactionPolicy(new LinuxCompactionOptions());
        CompactionResult r = policy.compactDirect(3, GFP_MOVABLE, CompactPriority.SYNC_LIGHT, z);
        assertThat(r).isEqualTo(CompactionResult.SUCCESS);
        if (kernel.equals("6.1")) {
            assertThat(z.log).containsExactly(
                    "isolate-free 25 o0", "isolate-free 26 o1", "isolate-free 28 o2",
                    "migrate 6->31", "migrate 4->30", "migrate 2->29", "migrate 0->28",
                    "release 27 o0", "release 26 o0", "release 25 o0");
        } else {
            assertThat(z.log).containsExactly(
                    "isolate-free 25 o0", "isolate-free 26 o1", "isolate-free 28 o2",
                    "migrate 6->25", "migrate 4->26", "migrate 2->27", "migrate 0->28",
                    "release 29 o0", "release 30 o1");
        }
        assertThat(z.freeBlocks(3)).isEqualTo(1);
        assertThat(z.counters).doesNotContainKey("compact_stall") // the allocator counts stalls
                .containsEntry("compact_migrate_scanned", 8L)
                .containsEntry("compact_free_scanned", 8L)
                .containsEntry("compact_isolated", 11L)
                .containsEntry("pgmigrate_success", 4L);

    }

    @Test
    @DisplayName("a zone that already has a free block of the order needs no compaction")
    void suitable_successWhenWatermarkAndBlockAlreadyOk() {
        DrawnZone z = new DrawnZone("6.1", 32, 3, 4).free(0, 4).free(16, 4);
        LinuxCompactionPolicy policy = new LinuxCompactionPolicy(new LinuxCompactionOptions());
        assertThat(policy.compactDirect(3, GFP_MOVABLE, CompactPriority.ASYNC, z)).isEqualTo(CompactionResult.SUCCESS);
        assertThat(z.log).isEmpty();
    }

    @Test
    @DisplayName("costly orders are skipped when the fragmentation index blames lack of memory (index <= extfrag_threshold)")
    void suitable_fragmentationIndexDecides() {
        // Order 4 (costly), 40 free pages, gap 2<<4 = 32, min = low = 0: the order-0 check passes.
        // Five free order-3 blocks: index = 1000 - (1000 + 40*1000/16) / 5 = 1000 - 700 = 300 <= 500: skipped.
        DrawnZone lackOfMemory = new DrawnZone("6.1", 64, 3, 4);
        for (int p = 0; p < 40; p += 8) {
            lackOfMemory.free(p, 3);
        }
        lackOfMemory.allocated(40, 3, false).allocated(48, 4, false);
        assertThat(ZoneCompaction.suitable(lackOfMemory, lackOfMemory, 4, 0, true, false, 500))
                .isEqualTo(CompactionResult.SKIPPED.ordinal());
        // Forty free order-0 pages: index = 1000 - (1000 + 2500) / 40 = 1000 - 87 = 913 > 500: compact.
        DrawnZone fragmented = new DrawnZone("6.1", 80, 3, 4);
        for (int p = 0; p < 80; p += 2) {
            fragmented.free(p, 0).allocated(p + 1, 0, true);
        }
        assertThat(ZoneCompaction.suitable(fragmented, fragmented, 4, 0, true, false, 500))
                .isEqualTo(ZoneCompaction.CONTINUE);
    }

    @Test
    @DisplayName("deferral: 2^shift attempts are skipped after failures, orders below the failed one are not")
    void deferral_followsDeferShift() {
        ZoneCompactState s = new ZoneCompactState(0, 1024, 9);
        s.defer(9);                          // considered 0, shift 1, order_failed stays 0 (its boot value in 6.1)
        assertThat(s.deferred(9)).isTrue();  // considered 1 < 2
        assertThat(s.deferred(9)).isFalse(); // considered 2 >= 2: try again
        assertThat(s.deferred(8)).isFalse(); // considered 3 >= 2 (order_failed 0: every order is counted)
        for (int i = 0; i < 10; i++) {
            s.defer(9);
        }
        assertThat(s.deferShift).isEqualTo(6);
        int skipped = 0;
        while (s.deferred(9)) {
            skipped++;
        }
        assertThat(skipped).isEqualTo(63);
        assertThat(s.restarting(9)).isTrue();
        s.deferReset(9, true);
        assertThat(s.deferShift).isZero();
        assertThat(s.orderFailed).isEqualTo(10);
    }

    @Test
    @DisplayName("requests without __GFP_IO never compact")
    void noIo_skipped() {
        DrawnZone z = drawn("6.1");
        LinuxCompactionPolicy policy = new LinuxCompactionPolicy(new LinuxCompactionOptions());
        assertThat(policy.compactDirect(3, Gfp.GFP_NOIO | Gfp.MOVABLE, CompactPriority.SYNC_LIGHT, z))
                .isEqualTo(CompactionResult.SKIPPED);
        assertThat(z.counters).doesNotContainKey("compact_stall");
    }

    @Test
    @DisplayName("compact_memory runs the scanners over the whole zone until they meet")
    void compactNode_compactsWholeZone() {
        DrawnZone z = drawn("6.12");
        new LinuxCompactionPolicy(new LinuxCompactionOptions()).compactNode(z);
        // every movable order-0 page below the free scanner moved up: block 0 is free, order 3
        assertThat(z.freeBlocks(3)).isGreaterThanOrEqualTo(1);
        assertThat(z.counters.get("pgmigrate_success")).isGreaterThanOrEqualTo(4L);
    }

    /** Records the compaction tracepoints as text, one entry per event. */
    private static final class Recorder implements TraceListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void compactionBegin(long zoneStart, long migratePfn, long freePfn, long zoneEnd, boolean sync,
                                    boolean kcompactd, int cpu) {
            events.add("begin " + zoneStart + " " + migratePfn + " " + freePfn + " " + zoneEnd + " " + sync + " " + kcompactd);
        }

        @Override
        public void compactionEnd(long zoneStart, long migratePfn, long freePfn, long zoneEnd, boolean sync, int status,
                                  boolean kcompactd, int cpu) {
            events.add("end " + zoneStart + " " + migratePfn + " " + freePfn + " " + zoneEnd + " " + sync + " " + status);
        }

        @Override
        public void compactionMigratepages(long nrMigrated, long nrFailed, boolean kcompactd, int cpu) {
            events.add("migratepages " + nrMigrated + " " + nrFailed);
        }

        @Override
        public void compactionKcompactdWake(int nid, int order, io.kmemsim.api.kernel.ZoneType highestZone) {
            events.add("kcompactd_wake " + nid + " " + order + " " + highestZone);
        }
    }

    @Test
    @DisplayName("the hand-worked direct compaction emits begin, one migratepages batch and end(success) as compact_zone() does")
    void directCompaction_traces() {
        // Same plan as above: the scanners start at the zone start and the last pageblock (24); one batch of 4 pages
        // all migrate; compact_finished says SUCCESS (8) with the migrate scanner at 8 and the free scanner moved
        // below the finished block 24 (to 16).
        DrawnZone z = drawn("6.1");
        Recorder rec = new Recorder();
        new LinuxCompactionPolicy(new LinuxCompactionOptions(), rec).compactDirect(3, GFP_MOVABLE, CompactPriority.SYNC_LIGHT, z);
        assertThat(rec.events).containsExactly("begin 0 0 24 32 true false", "migratepages 4 0", "end 0 8 16 32 true 8");
        // async priority prints mode=async; a run refused by compaction_suitable emits nothing (as in the kernel)
        Recorder async = new Recorder();
        new LinuxCompactionPolicy(new LinuxCompactionOptions(), async).compactDirect(3, GFP_MOVABLE, CompactPriority.ASYNC, drawn("6.1"));
        assertThat(async.events).first().asString().startsWith("begin 0 0 24 32 false");
        Recorder none = new Recorder();
        new LinuxCompactionPolicy(new LinuxCompactionOptions(), none).compactDirect(0, GFP_MOVABLE, CompactPriority.SYNC_LIGHT, drawn("6.1"));
        assertThat(none.events).isEmpty();
    }

    @Test
    @DisplayName("kcompactd emits mm_compaction_kcompactd_wake, then its zone runs as kcompactd")
    void kcompactd_traces() {
        DrawnZone z = drawn("6.1");
        Recorder rec = new Recorder();
        LinuxCompactionPolicy policy = new LinuxCompactionPolicy(new LinuxCompactionOptions(), rec);
        policy.wakeKcompactd(3, 0);
        policy.onTick(1, z);
        assertThat(rec.events).first().isEqualTo("kcompactd_wake 0 3 " + z.zones().get(0).type());
        assertThat(rec.events).anyMatch(e -> e.startsWith("begin 0 ") && e.endsWith(" true true"));
        assertThat(rec.events).last().asString().startsWith("end 0 ");
    }
}
