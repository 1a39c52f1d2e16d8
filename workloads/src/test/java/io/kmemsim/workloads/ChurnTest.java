package io.kmemsim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.workload.Workload;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The churn generator's distributions, with arch events off (ArchEventsTest covers them). */
class ChurnTest {

    private static HostSimulator run(ChurnOptions o, TestContext ctx) {
        Workload w = new ChurnProvider().create(o, ctx);
        return new HostSimulator(0, Long.MAX_VALUE, 13, ctx.cpus()).run(w, o.tickEvery(), o.nsPerEvent());
    }

    private static ChurnOptions options(Object... changes) {
        return Options.with(Options.noArch(Options.with(new ChurnOptions(), "events", 200_000L, "meanLifetime", 1000L)), changes);
    }

    @Test
    @DisplayName("allocation orders follow order-weights within 1 percentage point over ~100k allocations")
    void orders_followWeights() {
        HostSimulator h = run(options("orderWeights", "0:50,1:25,3:15,9:10"), TestContext.seeded(1));
        long all = 0;
        for (long n : h.allocsByOrder) {
            all += n;
        }
        assertThat(all).isGreaterThan(90_000);
        assertThat(h.allocsByOrder[0] / (double) all).isCloseTo(0.50, within(0.01));
        assertThat(h.allocsByOrder[1] / (double) all).isCloseTo(0.25, within(0.01));
        assertThat(h.allocsByOrder[2]).isZero();
        assertThat(h.allocsByOrder[3] / (double) all).isCloseTo(0.15, within(0.01));
        assertThat(h.allocsByOrder[9] / (double) all).isCloseTo(0.10, within(0.01));
    }

    @Test
    @DisplayName("migrate types map to GFP_KERNEL, GFP_ATOMIC (6.1: 0xa20), GFP_HIGHUSER_MOVABLE and GFP_KERNEL|__GFP_RECLAIMABLE (include/linux/gfp_types.h: GFP_KERNEL (6.1))")
    void migrateTypes_mapToGfp() {
        HostSimulator h = run(options("orderWeights", "0:1", "migrateWeights", "unmovable:20,movable:70,reclaimable:10",
                "atomicFraction", 0.1), TestContext.seeded(2));
        assertThat(h.gfpShare(0xcc0)).isCloseTo(0.18, within(0.01));
        assertThat(h.gfpShare(0xa20)).isCloseTo(0.02, within(0.005));
        assertThat(h.gfpShare(0x100cca)).isCloseTo(0.70, within(0.01));
        assertThat(h.gfpShare(0xcd0)).isCloseTo(0.10, within(0.01));
    }

    @Test
    @DisplayName("GFP_ATOMIC is 0x820 from 6.3 on (no __GFP_ATOMIC), and orders above 0 add __GFP_COMP")
    void atomicGfp_followsKernelVersion_andCompound() {
        HostSimulator h = run(options("orderWeights", "3:1", "migrateWeights", "unmovable:1", "atomicFraction", 0.5),
                TestContext.seeded(3).withKernel("6.6"));
        assertThat(h.gfpCounts.keySet()).containsExactlyInAnyOrder(0x820 | 0x40000, 0xcc0 | 0x40000);
    }

    @Test
    @DisplayName("geometric lifetimes have the configured mean, and about M/2 blocks stay live")
    void geometricLifetime_hasConfiguredMean() {
        HostSimulator h = run(options("orderWeights", "0:1", "meanLifetime", 2000L, "events", 300_000L),
                TestContext.seeded(4));
        assertThat(h.lifetimeSum / (double) h.lifetimeCount).isCloseTo(2000, within(100.0));
        assertThat(h.livePages.size()).isBetween(850, 1150);
    }

    @Test
    @DisplayName("the live-target rule holds live pages near the target fraction of RAM")
    void liveTarget_holdsLivePagesNearTarget() {
        TestContext ctx = TestContext.seeded(5).withMemory(256L << 20);
        HostSimulator h = run(options("orderWeights", "0:1", "lifetime", "live-target", "liveTarget", 0.25,
                "events", 300_000L), ctx);
        assertThat((double) h.livePageCount).isCloseTo(0.25 * ctx.memoryPages(), within(0.05 * 0.25 * ctx.memoryPages()));
    }

    @Test
    @DisplayName("orders are checked against the largest order of the page size: 13 is valid on 64K pages in 6.1")
    void orders_checkedAgainstPageSize() {
        TestContext ctx64k = TestContext.seeded(6).withConfig(KernelConfig.ARM64_DISTRO.withPageSize(PageSize.SIZE_64K))
                .withMemory(4L << 30);
        assertThat(run(options("orderWeights", "0:9,13:1", "events", 20_000L), ctx64k).allocsByOrder[13]).isPositive();
        assertThatThrownBy(() -> new ChurnProvider().create(options("orderWeights", "0:1,11:1"), TestContext.seeded(6)))
                .hasMessage("churn option order-weights: order must be in [0, 10]: 11 in \"0:1,11:1\"");
    }

    @Test
    @DisplayName("bad options are refused naming the option and the value")
    void badOptions_refused() {
        ChurnProvider p = new ChurnProvider();
        TestContext ctx = TestContext.seeded(7);
        assertThatThrownBy(() -> p.create(options("meanLifetime", -3L), ctx))
                .hasMessage("churn option mean-lifetime must be > 0: -3");
        assertThatThrownBy(() -> p.create(options("lifetime", "forever"), ctx))
                .hasMessage("churn option lifetime must be geometric or live-target: forever");
        assertThatThrownBy(() -> p.create(options("lifetime", "live-target", "liveTarget", 0.0), ctx))
                .hasMessage("churn option live-target must be in (0, 1.0]: 0.0");
        assertThatThrownBy(() -> p.create(options("atomicFraction", 1.5), ctx))
                .hasMessage("churn option atomic-fraction must be in [0.0, 1.0]: 1.5");
        assertThatThrownBy(() -> p.create(options("migrateWeights", "movable:1,highatomic:1"), ctx))
                .hasMessage("churn option migrate-weights: migrate type must be unmovable, movable or reclaimable: "
                        + "highatomic in \"movable:1,highatomic:1\"");
        assertThatThrownBy(() -> p.create(options("orderWeights", "0:0,1:0"), ctx))
                .hasMessage("churn option order-weights: at least one weight must be > 0 in \"0:0,1:0\"");
        assertThatThrownBy(() -> p.create(options("orderWeights", "0:1,0:2"), ctx))
                .hasMessage("churn option order-weights: key 0 appears twice in \"0:1,0:2\"");
        assertThatThrownBy(() -> p.create(options("orderWeights", "0:-1"), ctx))
                .hasMessage("churn option order-weights: weight must be finite and >= 0: -1 in \"0:-1\"");
        assertThatThrownBy(() -> p.create(options("orderWeights", "0"), ctx))
                .hasMessage("churn option order-weights: each entry must be key:weight, got \"0\" in \"0\"");
    }
}
