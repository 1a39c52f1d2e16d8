package io.kmemsim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.testkit.support.FakeReclaimContext;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link ReclaimPolicy} contract, checked through the SPI on a drawn node ({@link FakeReclaimContext}:
 * 16384 pages, watermarks 128/160/192) under pressure: free pages at the min watermark, the rest on the
 * LRU lists — clean and dirty, referenced and not, file and anonymous (two owners), active and inactive.
 *
 * <pre>{@code
 * class LinuxReclaimContractTest extends ReclaimPolicyContract {
 *     @Override
 *     protected ReclaimPolicy createPolicy(ProviderContext context) {
 *         return new LinuxReclaimProvider().create(new LinuxReclaimOptions(), context);
 *     }
 * }
 * }</pre>
 *
 * <p>What the kit checks: direct reclaim reports no more progress than it freed (1 is allowed for a
 * costly request, the kernel's "compaction is ready"); no call frees a dirty folio or, without swap, an
 * anonymous one; freed pages leave the lists and add to the free pages exactly; the reclaimable pages of
 * a zone are at most its LRU pages (its file pages without swap); the OOM killer frees only whole owners;
 * every call is deterministic; counters have names and non-negative deltas.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public abstract class ReclaimPolicyContract {

    /** Creates a fresh policy for the context's kernel. */
    protected abstract ReclaimPolicy createPolicy(ProviderContext context);

    /** The kernel the policy is created for. */
    protected KernelVersion kernel() {
        return KernelVersion.parse("6.1");
    }

    private ReclaimPolicy policy() {
        return createPolicy(TestProviderContext.builder().platform(TestPlatforms.oneZone()).kernel(kernel()).build());
    }

    /** A node under pressure: free at min, the rest of every kind on the lists. */
    private FakeReclaimContext pressured() {
        return new FakeReclaimContext(kernel(), 16384, 128, 128, 160, 192)
                .folios(ReclaimContext.INACTIVE_FILE, 4000, 0, 0, 0)
                .folios(ReclaimContext.INACTIVE_FILE, 2000, 0, ReclaimContext.REFERENCED, 0)
                .folios(ReclaimContext.INACTIVE_FILE, 1000, 0, ReclaimContext.DIRTY, 0)
                .folios(ReclaimContext.ACTIVE_FILE, 3000, 0, ReclaimContext.REFERENCED, 0)
                .folios(ReclaimContext.INACTIVE_FILE, 200, 2, 0, 0)
                .folios(ReclaimContext.INACTIVE_ANON, 2000, 0, ReclaimContext.YOUNG, 1)
                .folios(ReclaimContext.ACTIVE_ANON, 2000, 0, ReclaimContext.YOUNG, 2)
                .folios(ReclaimContext.INACTIVE_FILE, 500, 0, ReclaimContext.DIRTY | ReclaimContext.REFERENCED, 0);
    }

    private static void assertSafe(FakeReclaimContext before, long freeBefore, long lruBefore, long dirtyBefore,
                                   long anonBefore, FakeReclaimContext c, String what) {
        assertThat(c.free() - freeBefore).as("pages freed by %s = pages that left the lists", what)
                .isEqualTo(lruBefore - c.lruPagesTotal());
        assertThat(c.dirtyPages()).as("dirty pages after %s (never reclaimed)", what).isEqualTo(dirtyBefore);
        if (!c.swapEnabled()) {
            assertThat(c.anonPages()).as("anonymous pages after %s without swap", what).isEqualTo(anonBefore);
        }
        assertThat(c.counterProblems()).as("counter updates of %s", what).isEmpty();
    }

    @Nested
    @DisplayName("direct reclaim")
    class Direct {

        @Test
        @DisplayName("reports no more progress than it freed, frees neither dirty nor (without swap) anonymous folios, and keeps the page count")
        void directReclaim_progressIsWhatItFreed() {
            for (int order = 0; order <= 10; order++) {
                FakeReclaimContext c = pressured();
                long free = c.free();
                long lru = c.lruPagesTotal();
                long dirty = c.dirtyPages();
                long anon = c.anonPages();
                long progress = policy().directReclaim(order, Gfp.GFP_HIGHUSER_MOVABLE, 0, c);
                String what = "direct reclaim at order " + order;
                assertThat(progress).as("progress of %s", what).isGreaterThanOrEqualTo(0);
                long freed = c.free() - free;
                if (progress != 1 || order <= 3) {
                    assertThat(progress).as("progress of %s (freed %d)", what, freed).isLessThanOrEqualTo(freed);
                }
                assertSafe(c, free, lru, dirty, anon, c, what);
            }
        }

        @Test
        @DisplayName("is deterministic: the same node and request give the same moves, frees and result")
        void directReclaim_isDeterministic() {
            FakeReclaimContext a = pressured();
            FakeReclaimContext b = pressured();
            long ra = policy().directReclaim(0, Gfp.GFP_KERNEL, 0, a);
            long rb = policy().directReclaim(0, Gfp.GFP_KERNEL, 0, b);
            assertThat(rb).isEqualTo(ra);
            assertThat(b.log()).isEqualTo(a.log());
            assertThat(b.counters()).isEqualTo(a.counters());
        }
    }

    @Nested
    @DisplayName("kswapd")
    class Kswapd {

        @Test
        @DisplayName("a wakeup and ticks free neither dirty nor anonymous folios, keep the page count, and are deterministic")
        void wakeAndTick_safeAndDeterministic() {
            FakeReclaimContext a = pressured().boost(64);
            FakeReclaimContext b = pressured().boost(64);
            long free = a.free();
            long lru = a.lruPagesTotal();
            long dirty = a.dirtyPages();
            long anon = a.anonPages();
            ReclaimPolicy pa = policy();
            ReclaimPolicy pb = policy();
            for (long t = 0; t < 10; t++) {
                pa.wakeKswapd((int) t % 4, Gfp.GFP_KERNEL, 0, a);
                pb.wakeKswapd((int) t % 4, Gfp.GFP_KERNEL, 0, b);
                pa.onTick(t * 4_000_000L, a);
                pb.onTick(t * 4_000_000L, b);
            }
            assertSafe(a, free, lru, dirty, anon, a, "kswapd");
            assertThat(a.boost()).as("watermark boost after kswapd").isBetween(0L, 64L);
            assertThat(b.log()).isEqualTo(a.log());
            assertThat(b.counters()).isEqualTo(a.counters());
        }
    }

    @Nested
    @DisplayName("retry and OOM")
    class RetryAndOom {

        @Test
        @DisplayName("reclaimable pages of a zone are at most its LRU pages, and at most its file pages without swap")
        void zoneReclaimablePages_boundedByLists() {
            FakeReclaimContext c = pressured();
            long reclaimable = policy().zoneReclaimablePages(0, c);
            assertThat(reclaimable).isBetween(0L, c.lruPagesTotal());
            assertThat(reclaimable).isLessThanOrEqualTo(c.lruPages(ReclaimContext.INACTIVE_FILE) + c.lruPages(ReclaimContext.ACTIVE_FILE));
        }

        @Test
        @DisplayName("the OOM killer frees whole owners only, and only anonymous memory of owners")
        void outOfMemory_killsWholeOwners() {
            FakeReclaimContext c = pressured();
            long[] before = {0, c.ownerPages(1), c.ownerPages(2)};
            long free = c.free();
            long filePages = c.lruPages(ReclaimContext.INACTIVE_FILE) + c.lruPages(ReclaimContext.ACTIVE_FILE);
            policy().outOfMemory(0, Gfp.GFP_KERNEL, c);
            for (int owner = 1; owner <= 2; owner++) {
                assertThat(c.ownerPages(owner)).as("pages of owner %d after the OOM killer", owner).isIn(0L, before[owner]);
            }
            assertThat(c.lruPages(ReclaimContext.INACTIVE_FILE) + c.lruPages(ReclaimContext.ACTIVE_FILE))
                    .as("file pages after the OOM killer").isEqualTo(filePages);
            long killed = before[1] - c.ownerPages(1) + before[2] - c.ownerPages(2);
            assertThat(c.free() - free).as("pages freed by the OOM killer").isEqualTo(killed);
            assertThat(c.counterProblems()).isEmpty();
        }
    }
}
