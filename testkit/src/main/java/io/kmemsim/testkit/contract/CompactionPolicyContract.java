package io.kmemsim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.testkit.support.FakeCompactionContext;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.SplittableRandom;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link CompactionPolicy} contract, checked through the SPI on a drawn node
 * ({@link FakeCompactionContext}: 4096 pages, pageblock order 9, largest order 10) fragmented by a
 * seeded pattern of movable and unmovable blocks.
 *
 * <pre>{@code
 * class NoCompactionContractTest extends CompactionPolicyContract {
 *     @Override
 *     protected CompactionPolicy createPolicy(ProviderContext context) {
 *         return new NoCompactionProvider().create(new NoOptions(), context);
 *     }
 * }
 * }</pre>
 *
 * <p>What the kit checks: every call returns (a result for direct compaction), is deterministic, keeps
 * the allocated page count, gives back every free block it isolated (migrated into or released)
 * before returning, reports {@code SUCCESS} only when a free block of the order exists, and updates
 * counters with non-blank names and non-negative deltas.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class CompactionPolicyContract {

    private static final int PAGEBLOCK_ORDER = 9;
    private static final int MAX_ORDER = 10;
    private static final int PAGES = 4096;

    /** Creates a fresh policy for the context's kernel. */
    protected abstract CompactionPolicy createPolicy(ProviderContext context);

    /** The kernel the policy is created for. */
    protected KernelVersion kernel() {
        return KernelVersion.parse("6.1");
    }

    private CompactionPolicy policy() {
        return createPolicy(TestProviderContext.builder().platform(TestPlatforms.oneZone()).kernel(kernel()).build());
    }

    /** Every other order-0..2 slot taken, a quarter of them unmovable: no free block above order 2. */
    private FakeCompactionContext fragmented(long seed) {
        FakeCompactionContext c = new FakeCompactionContext(kernel(), PAGEBLOCK_ORDER, MAX_ORDER, PAGES);
        SplittableRandom random = new SplittableRandom(seed);
        for (int p = 0; p < PAGES; p += 8) {
            int order = random.nextInt(3);
            c.allocated(p, order, random.nextInt(4) != 0);
        }
        return c;
    }

    @Nested
    @DisplayName("direct compaction")
    class Direct {

        @Test
        @DisplayName("returns a result, keeps the allocated pages, releases what it isolated, and claims SUCCESS only with a free block of the order")
        void compactDirect_successMeansFreeBlock() {
            for (CompactPriority priority : CompactPriority.values()) {
                for (int order = 0; order <= MAX_ORDER; order++) {
                    String what = "order " + order + " at " + priority;
                    FakeCompactionContext c = fragmented(order);
                    long allocated = c.allocatedPages();
                    CompactionPolicy policy = policy();
                    CompactionResult result = policy.compactDirect(order, Gfp.GFP_HIGHUSER_MOVABLE, priority, c);
                    assertThat(result).as("result for %s", what).isNotNull();
                    assertThat(c.allocatedPages()).as("allocated pages after %s", what).isEqualTo(allocated);
                    assertThat(c.isolatedPages()).as("pages still isolated after %s", what).isZero();
                    if (result == CompactionResult.SUCCESS) {
                        assertThat(c.largestFreeOrder()).as("largest free order after SUCCESS for %s", what).isGreaterThanOrEqualTo(order);
                    }
                    policy.afterCompaction(order, Gfp.GFP_HIGHUSER_MOVABLE, result == CompactionResult.SUCCESS, c);
                    assertThat(c.counterProblems()).as("counter updates for %s", what).isEmpty();
                }
            }
        }

        @Test
        @DisplayName("is deterministic: the same state and request give the same migrations and result")
        void compactDirect_isDeterministic() {
            FakeCompactionContext a = fragmented(9);
            FakeCompactionContext b = fragmented(9);
            CompactionResult ra = policy().compactDirect(9, Gfp.GFP_TRANSHUGE, CompactPriority.SYNC_LIGHT, a);
            CompactionResult rb = policy().compactDirect(9, Gfp.GFP_TRANSHUGE, CompactPriority.SYNC_LIGHT, b);
            assertThat(rb).isEqualTo(ra);
            assertThat(b.log()).isEqualTo(a.log());
        }
    }

    @Nested
    @DisplayName("background and whole-node compaction")
    class Background {

        @Test
        @DisplayName("onTick after a kcompactd wakeup keeps the allocated pages, releases what it isolated, and is deterministic")
        void onTick_deterministic() {
            FakeCompactionContext a = fragmented(3);
            FakeCompactionContext b = fragmented(3);
            long allocated = a.allocatedPages();
            CompactionPolicy pa = policy();
            CompactionPolicy pb = policy();
            pa.wakeKcompactd(9, 0);
            pb.wakeKcompactd(9, 0);
            for (long t = 0; t < 5_000_000_000L; t += 500_000_000L) {
                pa.onTick(t, a);
                pb.onTick(t, b);
            }
            assertThat(a.allocatedPages()).isEqualTo(allocated);
            assertThat(a.isolatedPages()).as("pages still isolated").isZero();
            assertThat(b.log()).isEqualTo(a.log());
            assertThat(a.counterProblems()).isEmpty();
        }

        @Test
        @DisplayName("compactNode keeps the allocated pages, releases what it isolated, and is deterministic")
        void compactNode_deterministic() {
            FakeCompactionContext a = fragmented(4);
            FakeCompactionContext b = fragmented(4);
            long allocated = a.allocatedPages();
            policy().compactNode(a);
            policy().compactNode(b);
            assertThat(a.allocatedPages()).isEqualTo(allocated);
            assertThat(a.isolatedPages()).as("pages still isolated").isZero();
            assertThat(b.log()).isEqualTo(a.log());
            assertThat(a.counterProblems()).isEmpty();
        }
    }
}
