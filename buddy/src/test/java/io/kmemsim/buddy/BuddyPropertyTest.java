package io.kmemsim.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.trace.TraceListener;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random allocation/free sequences against a trivially correct model (the set of occupied pages), with
 * checkInvariants after every step, on {@link Machines#small()} for every supported kernel, with and
 * without a fallback policy.
 */
class BuddyPropertyTest {

    private static final int[] GFPS = {
        Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.RECLAIMABLE, Gfp.GFP_DMA32, Gfp.KSWAPD_RECLAIM,
        Gfp.HIGH | Gfp.KSWAPD_RECLAIM, Gfp.GFP_TRANSHUGE_LIGHT,
    };

    record Op(boolean alloc, int order, int gfpIndex, int cpu, int victim) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 9).map(i -> i < 6),
                Arbitraries.integers().between(0, 10).map(o -> o > 6 ? o - 6 : o % 4),
                Arbitraries.integers().between(0, GFPS.length - 1),
                Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    @Provide
    Arbitrary<String> kernels() {
        return Arbitraries.of(BuddyProvider.SUPPORTED);
    }

    @Property(tries = 150)
    void randomSequences_agreeWithOccupancyModel(@ForAll("ops") List<Op> ops, @ForAll("kernels") String kernel,
                                                @ForAll boolean withPolicy) {
        BuddyPageAllocator a = Machines.create(Machines.small(), kernel,
                withPolicy ? new LargestFirstTestPolicy() : null, TraceListener.NONE, new BuddyOptions());
        a.checkInvariants();
        long initialFree = freeAfterDrain(a);
        BitSet occupied = new BitSet();
        List<long[]> live = new ArrayList<>();
        for (Op op : ops) {
            if (op.alloc() || live.isEmpty()) {
                long pfn = a.allocate(op.order(), GFPS[op.gfpIndex()], op.cpu());
                if (pfn != PageAllocator.NO_PAGE) {
                    assertThat(pfn % (1L << op.order())).as("alignment").isZero();
                    assertThat(inSomeZone(a, pfn, op.order())).as("inside a zone").isTrue();
                    int from = (int) pfn;
                    assertThat(occupied.get(from, from + (1 << op.order())).isEmpty()).as("no overlap at %d", pfn).isTrue();
                    occupied.set(from, from + (1 << op.order()));
                    live.add(new long[] {pfn, op.order()});
                }
            } else {
                long[] b = live.remove(op.victim() % live.size());
                a.free(b[0], (int) b[1], op.cpu());
                occupied.clear((int) b[0], (int) b[0] + (1 << b[1]));
            }
            a.checkInvariants();
        }
        assertThat(freeAfterDrain(a)).isEqualTo(initialFree - occupied.cardinality());
        for (long[] b : live) {
            a.free(b[0], (int) b[1], 0);
        }
        assertThat(freeAfterDrain(a)).isEqualTo(initialFree);
        a.checkInvariants();
    }

    private static long freeAfterDrain(BuddyPageAllocator a) {
        a.drainPerCpuLists();
        long free = 0;
        for (Zone z : a.zones()) {
            free += z.freePages();
        }
        return free;
    }

    private static boolean inSomeZone(BuddyPageAllocator a, long pfn, int order) {
        for (Zone z : a.zones()) {
            if (pfn >= z.startPfn() && pfn + (1L << order) <= z.startPfn() + z.spannedPages() && z.spannedPages() > 0) {
                return true;
            }
        }
        return false;
    }
}
