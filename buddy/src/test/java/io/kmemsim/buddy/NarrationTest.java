package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.trace.TraceListener;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NarrationTest {

    private static final Pattern SPLIT = Pattern.compile("upper half at pfn 0x([0-9a-f]+), order (\\d+)");
    private static final Pattern MERGE = Pattern.compile(
            "buddy of pfn 0x([0-9a-f]+) at order (\\d+) is pfn 0x([0-9a-f]+) \\(pfn \\^ \\(1 << \\d+\\)\\): free");

    private static BuddyPageAllocator machine() {
        return Machines.create(Machines.twoZones(), "6.1", new LargestFirstTestPolicy(), TraceListener.NONE,
                new BuddyOptions());
    }

    @Test
    void narration_changesNothing_sameBlocksWithAndWithoutANarrator() {
        BuddyPageAllocator plain = machine();
        BuddyPageAllocator told = machine();
        List<String> steps = new ArrayList<>();
        told.setNarrator((f, t) -> steps.add(f + " " + t));
        SplittableRandom rnd = new SplittableRandom(5);
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            if (live.isEmpty() || rnd.nextInt(3) > 0) {
                int order = rnd.nextInt(5);
                int gfp = rnd.nextBoolean() ? Gfp.GFP_KERNEL : Gfp.GFP_HIGHUSER_MOVABLE;
                long p = plain.allocate(order, gfp, i % 2);
                assertThat(told.allocate(order, gfp, i % 2)).isEqualTo(p);
                if (p != PageAllocator.NO_PAGE) {
                    live.add(new long[] {p, order});
                }
            } else {
                long[] b = live.remove(rnd.nextInt(live.size()));
                plain.free(b[0], (int) b[1], 0);
                told.free(b[0], (int) b[1], 0);
            }
        }
        told.checkInvariants();
        assertThat(steps).isNotEmpty();
        told.setNarrator(null);
        int before = steps.size();
        told.allocate(0, Gfp.GFP_KERNEL, 0);
        assertThat(steps).hasSize(before);
        assertThat(told.capabilities()).contains(PageAllocator.Capability.NARRATION);
    }

    @Test
    void split_narratesEachBuddyExpandCreates() {
        BuddyPageAllocator a = machine();
        a.drainPerCpuLists();
        List<String> steps = new ArrayList<>();
        a.setNarrator((f, t) -> steps.add(f + " | " + t));
        long pfn = a.allocate(5, Gfp.GFP_HIGHUSER_MOVABLE, 0);
        List<long[]> splits = new ArrayList<>();
        for (String s : steps) {
            Matcher m = SPLIT.matcher(s);
            if (m.find()) {
                assertThat(s).startsWith("mm/page_alloc.c: expand()");
                splits.add(new long[] {Long.parseLong(m.group(1), 16), Integer.parseInt(m.group(2))});
            }
        }
        assertThat(splits).isNotEmpty();
        // Each upper half is the block's start plus 2^order, orders going down to the order asked, and each
        // is now a free block of that order (the head of its free list).
        int expected = splits.get(0)[1] > 0 ? (int) splits.get(0)[1] : 0;
        for (long[] s : splits) {
            assertThat(s[1]).isEqualTo(expected--);
            assertThat(s[0] & ((1L << s[1]) - 1)).isZero();
            assertThat(a.state(a.indexOf(s[0]))).isIn(BuddyPageAllocator.ST_FREE, BuddyPageAllocator.ST_PCP);
        }
        assertThat(steps.get(steps.size() - 1)).contains("allocated pfn 0x" + Long.toHexString(pfn) + ", order 5");
    }

    @Test
    void free_narratesEachMergeWithTheBuddyPfnTheKernelComputes() {
        BuddyPageAllocator a = machine();
        long pfn = a.allocate(4, Gfp.GFP_HIGHUSER_MOVABLE, 0);
        List<String> steps = new ArrayList<>();
        a.setNarrator((f, t) -> steps.add(f + " | " + t));
        a.free(pfn, 4, 0);
        int merges = 0;
        for (String s : steps) {
            Matcher m = MERGE.matcher(s);
            if (m.find()) {
                long at = Long.parseLong(m.group(1), 16);
                int order = Integer.parseInt(m.group(2));
                long buddy = Long.parseLong(m.group(3), 16);
                assertThat(buddy).isEqualTo(at ^ (1L << order));
                merges++;
            }
        }
        assertThat(merges).as(String.join("\n", steps)).isEqualTo(a.maxOrder - 4);
        assertThat(steps.get(steps.size() - 1)).contains("order " + a.maxOrder + ", at the");
        a.checkInvariants();
    }

    @Test
    void pageblockMap_agreesWithPageblockTypesAndOccupancy() {
        BuddyPageAllocator a = machine();
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            held.add(a.allocate(0, i % 3 == 0 ? Gfp.GFP_KERNEL : Gfp.GFP_HIGHUSER_MOVABLE, 0));
        }
        for (Zone z : a.zones()) {
            byte[] map = z.pageblockMap();
            if (z.spannedPages() == 0) {
                assertThat(map).isEmpty();
                continue;
            }
            long firstBlock = z.startPfn() >> a.pbo;
            long lastBlock = (z.startPfn() + z.spannedPages() - 1) >> a.pbo;
            assertThat(map).hasSize((int) (lastBlock - firstBlock + 1));
            int mixed = 0;
            int notFree = 0;
            for (int b = 0; b < map.length; b++) {
                long pfn = Math.max(z.startPfn(), (firstBlock + b) << a.pbo);
                assertThat(MigrateType.of(map[b] & 7)).isEqualTo(z.pageblockType(pfn));
                mixed += (map[b] & Zone.PAGEBLOCK_MIXED) != 0 ? 1 : 0;
                notFree += (map[b] & Zone.PAGEBLOCK_FREE) == 0 ? 1 : 0;
            }
            assertThat(mixed).isEqualTo(z.pageblockOccupancy().mixed());
            if (held.stream().anyMatch(p -> p >= z.startPfn() && p < z.startPfn() + z.spannedPages())) {
                assertThat(notFree).isPositive();
            }
        }
    }
}
