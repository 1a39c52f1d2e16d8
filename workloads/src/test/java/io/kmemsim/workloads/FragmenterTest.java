package io.kmemsim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kmemsim.api.workload.Workload;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fragmenter on a 64 MiB board (16384 pages) unless said otherwise; live pages are sampled at every
 * TICK. Arch events are off (ArchEventsTest covers them).
 */
class FragmenterTest {

    private static final long MIB_64 = 64L << 20;

    private static FragmenterOptions options(Object... changes) {
        return Options.with(Options.noArch(Options.with(new FragmenterOptions(), "events", 200_000L, "tickEvery", 100)), changes);
    }

    private static HostSimulator run(FragmenterOptions o, TestContext ctx, long capacityPages) {
        Workload w = new FragmenterProvider().create(o, ctx);
        return new HostSimulator(0, capacityPages, 10, ctx.cpus()).run(w, o.tickEvery(), o.nsPerEvent());
    }

    private static long total(long[] byType) {
        return byType[0] + byType[1] + byType[2];
    }

    /** Counts how often the live total rose to at least {@code high} and then fell to at most {@code low}. */
    private static int cycles(List<long[]> series, double high, double low) {
        int cycles = 0;
        boolean wasHigh = false;
        for (long[] s : series) {
            long t = total(s);
            if (!wasHigh && t >= high) {
                wasHigh = true;
            } else if (wasHigh && t <= low) {
                wasHigh = false;
                cycles++;
            }
        }
        return cycles;
    }

    @Test
    @DisplayName("runs the configured fill/drain cycles, then churns at the drained level")
    void fillDrainCycles_thenSteady() {
        TestContext ctx = TestContext.seeded(1).withMemory(MIB_64);
        long pages = ctx.memoryPages();
        HostSimulator h = run(options(), ctx, Long.MAX_VALUE);
        assertThat(cycles(h.seriesAtTicks, 0.89 * pages, 0.31 * pages)).isEqualTo(3);
        assertThat(h.maxLivePages).isLessThanOrEqualTo((long) (0.9 * pages) + 8);
        long[] last = h.seriesAtTicks.get(h.seriesAtTicks.size() - 1);
        assertThat((double) total(last)).isCloseTo(0.3 * pages, within(0.03 * pages));
    }

    @Test
    @DisplayName("holds unmovable-fraction of RAM in long-lived unmovable pages, spread through the first fill")
    void unmovable_reachesTarget_spreadThroughFill() {
        TestContext ctx = TestContext.seeded(2).withMemory(MIB_64);
        long pages = ctx.memoryPages();
        HostSimulator h = run(options(), ctx, Long.MAX_VALUE);
        double target = 0.05 * pages;
        assertThat((double) h.livePagesByType[0]).isCloseTo(target, within(0.15 * target));
        assertThat(h.livePagesByType[2]).isZero();
        for (long[] s : h.seriesAtTicks) {
            if (total(s) >= 0.45 * pages) {
                assertThat((double) s[0]).as("unmovable pages when the fill is half done").isCloseTo(target / 2, within(0.25 * target));
                break;
            }
        }
    }

    @Test
    @DisplayName("scales with the board: twice the RAM, twice the unmovable pages")
    void unmovable_scalesWithMemory() {
        HostSimulator small = run(options(), TestContext.seeded(3).withMemory(MIB_64), Long.MAX_VALUE);
        HostSimulator large = run(options("events", 400_000L), TestContext.seeded(3).withMemory(2 * MIB_64), Long.MAX_VALUE);
        assertThat(large.livePagesByType[0] / (double) small.livePagesByType[0]).isCloseTo(2.0, within(0.3));
    }

    @Test
    @DisplayName("a fill that memory cannot hold ends after failed allocations, and the cycles go on")
    void fill_endsOnFailures() {
        TestContext ctx = TestContext.seeded(4).withMemory(MIB_64);
        long pages = ctx.memoryPages();
        HostSimulator h = run(options(), ctx, (long) (0.6 * pages));
        assertThat(h.failures).isGreaterThanOrEqualTo(3 * FragmenterGenerator.FILL_FAILURE_LIMIT);
        assertThat(cycles(h.seriesAtTicks, 0.59 * pages, 0.31 * pages)).isEqualTo(3);
    }

    @Test
    @DisplayName("bad options are refused naming the option and the value")
    void badOptions_refused() {
        FragmenterProvider p = new FragmenterProvider();
        TestContext ctx = TestContext.seeded(5);
        assertThatThrownBy(() -> p.create(options("drainFraction", 0.95), ctx))
                .hasMessage("fragmenter option drain-fraction must be in [0.0, 0.9): 0.95");
        assertThatThrownBy(() -> p.create(options("churnRate", 0.5), ctx))
                .hasMessage("fragmenter option churn-rate must be in [0.0, 0.5): 0.5");
        assertThatThrownBy(() -> p.create(options("unmovableFraction", 0.95), ctx))
                .hasMessage("fragmenter option unmovable-fraction must be in [0.0, 0.9]: 0.95");
        assertThatThrownBy(() -> p.create(options("phases", 0), ctx))
                .hasMessage("fragmenter option phases must be >= 1: 0");
        assertThatThrownBy(() -> p.create(options("fillFraction", 0.0), ctx))
                .hasMessage("fragmenter option fill-fraction must be in (0, 1.0]: 0.0");
    }
}
