package io.kmemsim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.workload.Event;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link ArchHooks} contract: ordinary calls never throw, counters keep stable names in a stable
 * order, simulated cycles never decrease, and the same calls give the same cycles and counters.
 *
 * <pre>{@code
 * class Arm64HooksContractTest extends ArchHooksContract {
 *     @Override
 *     protected ArchHooks createHooks(ProviderContext context) {
 *         return new Arm64HooksProvider().create(new Arm64HooksOptions(), context);
 *     }
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class ArchHooksContract {

    private static final int EVENT_KINDS = 10;

    /** Creates fresh hooks for the context's platform and kernel. */
    protected abstract ArchHooks createHooks(ProviderContext context);

    /** The platform the hooks are created for. */
    protected Platform platform() {
        return TestPlatforms.oneZone();
    }

    /** The kernel the hooks are created for. */
    protected KernelVersion kernel() {
        return KernelVersion.parse("6.1");
    }

    private ArchHooks hooks() {
        return createHooks(TestProviderContext.builder().platform(platform()).kernel(kernel()).build());
    }

    /** Ordinary calls: allocations and frees of every order with common gfp flags, and one event of each type. */
    private List<Long> exercise(ArchHooks hooks) {
        Platform p = platform();
        int maxOrder = PageOrders.maxOrder(kernel(), p.kernelConfig());
        long firstPfn = p.banks().get(0).base() >> p.kernelConfig().pageSize().shift();
        int[] gfps = {Gfp.GFP_KERNEL, Gfp.GFP_KERNEL | Gfp.ZERO, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_TRANSHUGE};
        List<Long> cycles = new ArrayList<>();
        for (int order = 0; order <= maxOrder; order++) {
            long pfn = firstPfn + (1L << maxOrder) * (order % 2);
            int cpu = order % p.cpus();
            hooks.onPagesAllocated(pfn, order, gfps[order % gfps.length], cpu);
            cycles.add(hooks.cycles());
            hooks.onPagesFreed(pfn, order, cpu);
            cycles.add(hooks.cycles());
        }
        Event e = new Event();
        for (int i = 0; i < EVENT_KINDS; i++) {
            fill(e, i);
            hooks.onEvent(e);
            cycles.add(hooks.cycles());
        }
        return cycles;
    }

    /** Fills the flyweight with the {@code i}-th ordinary event (the flyweight is reused, as the host does). */
    private static void fill(Event e, int i) {
        switch (i) {
            case 0 -> e.pageAlloc(1, 0, Gfp.GFP_KERNEL, 0);
            case 1 -> e.pageFree(1, 0, 0);
            case 2 -> e.kmalloc(2, 64, Gfp.GFP_KERNEL, 0);
            case 3 -> e.kfree(2, 0);
            case 4 -> e.kfree(-1, 0);
            case 5 -> e.cacheCreate(3, "kit", 128, 0, 0);
            case 6 -> e.cacheAlloc(3, 4, Gfp.GFP_KERNEL, 0);
            case 7 -> e.cacheFree(3, 4, 0);
            case 8 -> e.cacheDestroy(3);
            default -> e.tick(1_000_000);
        }
    }

    private static List<String> counterNames(ArchHooks hooks) {
        List<String> names = new ArrayList<>();
        hooks.forEachCounter((name, value) -> names.add(name));
        return names;
    }

    private static List<String> counters(ArchHooks hooks) {
        List<String> all = new ArrayList<>();
        hooks.forEachCounter((name, value) -> all.add(name + "=" + value));
        return all;
    }

    @Nested
    @DisplayName("ordinary calls")
    class Ordinary {

        @Test
        @DisplayName("never throw and never decrease the simulated cycles")
        void cycles_monotone() {
            ArchHooks hooks = hooks();
            long previous = hooks.cycles();
            assertThat(previous).isNotNegative();
            for (long c : exercise(hooks)) {
                assertThat(c).as("cycles after a call").isGreaterThanOrEqualTo(previous);
                previous = c;
            }
        }

        @Test
        @DisplayName("are deterministic: the same calls give the same cycles and counters")
        void calls_deterministic() {
            ArchHooks a = hooks();
            ArchHooks b = hooks();
            assertThat(exercise(b)).isEqualTo(exercise(a));
            assertThat(counters(b)).isEqualTo(counters(a));
        }
    }

    @Nested
    @DisplayName("counters")
    class Counters {

        @Test
        @DisplayName("have non-blank unique names and non-negative values")
        void counters_named() {
            ArchHooks hooks = hooks();
            exercise(hooks);
            List<String> names = counterNames(hooks);
            assertThat(names).doesNotHaveDuplicates().allSatisfy(n -> assertThat(n).isNotBlank());
            hooks.forEachCounter((name, value) -> assertThat(value).as(name).isNotNegative());
        }

        @Test
        @DisplayName("keep the same names in the same order as the run goes on")
        void counters_stableNames() {
            ArchHooks hooks = hooks();
            List<String> before = counterNames(hooks);
            exercise(hooks);
            assertThat(counterNames(hooks)).isEqualTo(before);
        }
    }
}
