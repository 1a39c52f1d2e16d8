package io.kmemsim.policies.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.api.trace.TraceListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compaction tracepoints the {@code linux} policy emits, in order, on a hand-drawn zone, worked by hand from 6.1
 * mm/compaction.c: try_to_compact_pages() → compaction_deferred() → compact_zone() (compaction_suitable(),
 * compact_finished() at each loop, isolate_migratepages_block(), isolate_freepages_block()) → defer_compaction().
 */
class CompactionDetailTraceTest {

    /** Records each call as text. */
    static final class Recorder implements TraceListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void compactionSuitable(int nid, ZoneType zoneType, int order, int ret, boolean kcompactd, int cpu) {
            lines.add("suitable order=" + order + " ret=" + ret + " cpu=" + cpu);
        }

        @Override
        public void compactionFinished(int nid, ZoneType zoneType, int order, int ret, boolean kcompactd, int cpu) {
            lines.add("finished ret=" + ret);
        }

        @Override
        public void compactionIsolateMigratepages(long startPfn, long endPfn, long nrScanned, long nrTaken, boolean kcompactd,
                                                  int cpu) {
            lines.add("isolate_migrate " + startPfn + "~" + endPfn + " scanned=" + nrScanned + " taken=" + nrTaken);
        }

        @Override
        public void compactionIsolateFreepages(long startPfn, long endPfn, long nrScanned, long nrTaken, boolean kcompactd,
                                               int cpu) {
            lines.add("isolate_free " + startPfn + "~" + endPfn + " scanned=" + nrScanned + " taken=" + nrTaken);
        }

        @Override
        public void compactionDefer(int kind, int nid, ZoneType zoneType, int order, int considered, int deferShift,
                                    int orderFailed, boolean kcompactd, int cpu) {
            lines.add(new String[] {"defer_compaction", "deferred", "defer_reset"}[kind] + " order=" + order
                    + " order_failed=" + orderFailed + " consider=" + considered + " limit=" + (1 << deferShift));
        }

        @Override
        public void compactionBegin(long zoneStart, long migratePfn, long freePfn, long zoneEnd, boolean sync,
                                    boolean kcompactd, int cpu) {
            lines.add("begin migrate=" + migratePfn + " free=" + freePfn + " cpu=" + cpu);
        }

        @Override
        public void compactionEnd(long zoneStart, long migratePfn, long freePfn, long zoneEnd, boolean sync, int status,
                                  boolean kcompactd, int cpu) {
            lines.add("end status=" + status);
        }
    }

    /**
     * 32 pages, pageblock order 3, every pageblock {@code [U . .. ....]}: an unmovable page at its start and free blocks of
     * orders 0, 1, 2 (7 free pages per block, 28 in all). Order 3 fails the watermark (no free block of order 3),
     * passes the order-0 check (min 1 + 2 << 3 = 17 ≤ 28): CONTINUE. Nothing can move, so no block can be emptied.
     */
    private static DrawnZone pinned() {
        DrawnZone z = new DrawnZone("6.1", 32, 3, 4);
        for (int b = 0; b < 32; b += 8) {
            z.allocated(b, 0, false).free(b + 1, 0).free(b + 2, 1).free(b + 4, 2);
        }
        z.min = 1;
        z.low = 2;
        return z;
    }

    @Test
    @DisplayName("a failing sync-light compaction: suitable, begin, per-block finished/isolate lines, end, defer; then deferred")
    void failingCompaction_isDeferred_withTheKernelsCounters() {
        DrawnZone z = pinned();
        Recorder rec = new Recorder();
        LinuxCompactionPolicy policy = new LinuxCompactionPolicy(new LinuxCompactionOptions(), rec);
        int gfp = Gfp.GFP_HIGHUSER_MOVABLE;

        assertThat(policy.compactDirect(3, gfp, CompactPriority.SYNC_LIGHT, z)).isEqualTo(CompactionResult.PARTIAL_SKIPPED);
        // compact_zone(): suitable says continue (4); the migrate scanner starts at 0 and the free scanner at the last
        // pageblock (24). compact_finished() at pfn 0 (a pageblock boundary, no order-3 block): no_suitable_page (3).
        // isolate_migratepages_block() walks block 0: the unmovable page, then the free blocks of orders 0, 1, 2
        // (4 steps), isolates nothing; blocks 1 and 2 likewise; then the scanners meet: partial_skipped (6), and
        // defer_compaction(): considered 0, defer_shift 1, compact_order_failed stays 0 (its boot value).
        assertThat(rec.lines).containsExactly(
                "suitable order=3 ret=4 cpu=0",
                "begin migrate=0 free=24 cpu=0",
                "finished ret=3",
                "isolate_migrate 0~8 scanned=4 taken=0",
                "finished ret=3",
                "isolate_migrate 8~16 scanned=4 taken=0",
                "finished ret=3",
                "isolate_migrate 16~24 scanned=4 taken=0",
                "finished ret=6",
                "end status=6",
                "defer_compaction order=3 order_failed=0 consider=0 limit=2");

        rec.lines.clear();
        // compaction_deferred(): ++considered = 1 < 2: deferred, and nothing else runs
        assertThat(policy.compactDirect(3, gfp, CompactPriority.SYNC_LIGHT, z)).isEqualTo(CompactionResult.DEFERRED);
        assertThat(rec.lines).containsExactly("deferred order=3 order_failed=0 consider=1 limit=2");

        rec.lines.clear();
        // order_failed is 0, so a lower order goes through the deferral count too (6.1 compares order <
        // compact_order_failed): ++considered = 2 reaches the limit, so it is not deferred; compaction_suitable()
        // then finds the free order-2 blocks: success (8), nothing to compact
        assertThat(policy.compactDirect(2, gfp, CompactPriority.SYNC_LIGHT, z)).isEqualTo(CompactionResult.SUCCESS);
        assertThat(rec.lines).containsExactly("suitable order=2 ret=8 cpu=0", "defer_reset order=2 order_failed=3 consider=2 limit=2");
    }
}
