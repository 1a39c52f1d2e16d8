package io.kmemsim.engine.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.engine.procfs.Pagetypeinfo;
import io.kmemsim.engine.procfs.PagetypeinfoParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the untraced window reads from the kernel's own {@code pagetypeinfo} over the {@code after} →
 * {@code compacted} step of real bench runs: the pages the kernel's unmovable and reclaimable requests took from the
 * buddy lists, and the pageblocks they claimed (6.1 mm/page_alloc.c: steal_suitable_fallback()).
 */
class UntracedWindowTest {

    private static final Path BUNDLES = Path.of("..", "fixtures", "bundles");

    /**
     * amd64 1 GiB, 2 CPUs: the kernel's DMA32 unmovable lists held 34 pages at {@code after} (an order-1 and an
     * order-5 block), and 869 at {@code compacted} in 81 instead of 79 Unmovable pageblocks: unmovable requests used
     * up the 34 and then claimed a free order-10 movable block (2 pageblocks, 1,024 pages) and split 187 pages off it:
     * 189 pages, three {@code rmqueue_bulk()} refills of the DMA32 batch, 63.
     */
    @Test
    void amd64_1G_unmovableRequestsClaimedOneOrder10Block() throws IOException {
        Map<ZoneType, UntracedWindow.TypeWindow[]> taken = taken("amd64-1G-2cpu");
        UntracedWindow.TypeWindow unmovable = taken.get(ZoneType.DMA32)[MigrateType.UNMOVABLE.ordinal()];
        assertThat(new long[] {unmovable.taken(), unmovable.gained(), unmovable.freeCompacted(), unmovable.blocksCompacted()})
                .containsExactly(189, 2, 869, 81);
        assertThat(unmovable.freeAfter()).containsExactly(0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0);
        assertThat(row(taken, ZoneType.DMA32, MigrateType.RECLAIMABLE)).containsExactly(0, 0);
        assertThat(row(taken, ZoneType.DMA, MigrateType.UNMOVABLE)).containsExactly(0, 0);
        assertThat(taken.get(ZoneType.DMA32)[MigrateType.MOVABLE.ordinal()]).as("movable is compaction's").isNull();
    }

    /**
     * arm64 1.5 GiB shuffle: the kernel's unmovable lists went 1,052 → 233 pages with no pageblock claimed (819
     * taken, the smallest blocks first: what is left, orders 7, 6, 5, 3 and 0, is exactly the remainder of the
     * order-9 block split last), reclaimable 1,030 → 967 (63).
     */
    @Test
    void arm64_1536M_unmovableAndReclaimableTakenWithoutAClaim() throws IOException {
        Map<ZoneType, UntracedWindow.TypeWindow[]> taken = taken("arm64-1536M-3cpu-shuffle-sysctl");
        assertThat(row(taken, ZoneType.DMA, MigrateType.UNMOVABLE)).containsExactly(819, 0);
        assertThat(row(taken, ZoneType.DMA, MigrateType.RECLAIMABLE)).containsExactly(63, 0);
    }

    /** Lists that grew over the window (frees, compaction's put-backs) took nothing. */
    @Test
    void amd64_2G_growingListsTookNothing() throws IOException {
        Map<ZoneType, UntracedWindow.TypeWindow[]> taken = taken("amd64-2G-4cpu");
        assertThat(row(taken, ZoneType.DMA32, MigrateType.UNMOVABLE)).containsExactly(0, 0);
        assertThat(row(taken, ZoneType.DMA32, MigrateType.RECLAIMABLE)).containsExactly(0, 0);
    }

    /**
     * The window's CPU (and the one that runs {@code compact_memory}): the list that grew most; with none grown the
     * one that shrank most, whose own list served the allocations. Per-CPU counts after → compacted of real runs:
     * the capture script's 1 GiB arm64 bundle (CPU 0 3338 → 2764, CPU 1 623 → 611, 1,034 pages allocated net: CPU 1,
     * the least shrunk, was taken before and its refills split free blocks the kernel kept) and validate4's THP run
     * (1161 → 1147, 1723 → 1637, 1129 → 1634, 302 → 1045: CPU 3 holds compaction's frees).
     */
    @Test
    void windowCpu_grewMost_elseShrankMost() {
        assertThat(UntracedWindow.allocatingCpu(new long[] {2764 - 3338, 611 - 623})).isZero();
        assertThat(UntracedWindow.allocatingCpu(new long[] {1147 - 1161, 1637 - 1723, 1634 - 1129, 1045 - 302})).isEqualTo(3);
        assertThat(UntracedWindow.allocatingCpu(new long[] {-5, 0, -40})).as("a list that did not move is not growth").isEqualTo(2);
        assertThat(UntracedWindow.allocatingCpu(new long[] {0})).isZero();
        assertThat(UntracedWindow.allocatingCpu(new long[] {-3, 7, 7})).as("the first of equals").isEqualTo(1);
    }

    /** {pages taken, pageblocks claimed}. */
    private static long[] row(Map<ZoneType, UntracedWindow.TypeWindow[]> taken, ZoneType zone, MigrateType type) {
        UntracedWindow.TypeWindow w = taken.get(zone)[type.ordinal()];
        return new long[] {w.taken(), w.gained()};
    }

    private static Map<ZoneType, UntracedWindow.TypeWindow[]> taken(String bundle) throws IOException {
        return UntracedWindow.nonMovableTaken(read(bundle, "pagetypeinfo.after.txt"), read(bundle, "pagetypeinfo.compacted.txt"));
    }

    private static Pagetypeinfo read(String bundle, String name) throws IOException {
        Path f = BUNDLES.resolve(bundle).resolve(name);
        try (BufferedReader r = Files.newBufferedReader(f)) {
            return PagetypeinfoParser.parse(r, f.toString());
        }
    }
}
