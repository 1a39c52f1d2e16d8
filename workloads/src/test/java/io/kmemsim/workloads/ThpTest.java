package io.kmemsim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The thp generator's bursts, gfp and fallbacks, with arch events off (ArchEventsTest covers them). */
class ThpTest {

    private static ThpOptions options(Object... changes) {
        return Options.with(Options.noArch(Options.with(new ThpOptions(), "events", 100_000L)), changes);
    }

    private static HostSimulator run(ThpOptions o, TestContext ctx) {
        Workload w = new ThpProvider().create(o, ctx);
        return new HostSimulator(0, Long.MAX_VALUE, 13, ctx.cpus()).run(w, o.tickEvery(), o.nsPerEvent());
    }

    @Test
    @DisplayName("bursts of burst-size order-9 GFP_TRANSHUGE_LIGHT (0x1c20ca) faults start every burst-interval events")
    void bursts_ofOrder9TranshugeLight() {
        // 100000 events with a tick every 1000: 99900 generator events; bursts start at generator
        // events 0, 20000, 40000, 60000, 80000 -> 5 bursts of 64.
        HostSimulator h = run(options(), TestContext.seeded(1));
        assertThat(h.allocsByOrder[9]).isEqualTo(5 * 64);
        assertThat(h.gfpCounts.get(0x1c20ca)).isEqualTo(5 * 64);
        assertThat(Gfp.format(0x1c20ca, KernelVersion.parse("6.1"))).isEqualTo("GFP_TRANSHUGE_LIGHT");
        assertThat(h.freesByOrder[9]).isPositive();
        assertThat(h.allocsByOrder[0]).isGreaterThan(30_000);
    }

    @Test
    @DisplayName("a burst is burst-size consecutive THP faults")
    void burst_isConsecutive() {
        Workload w = new ThpProvider().create(options("burstSize", 5, "burstInterval", 50L), TestContext.seeded(2));
        Event e = new Event();
        List<Integer> orders = new ArrayList<>();
        for (int i = 0; i < 60 && w.next(e); i++) {
            orders.add(e.type() == EventType.PAGE_ALLOC ? e.order() : -1);
        }
        assertThat(orders.subList(0, 5)).containsOnly(9);
        assertThat(orders.subList(5, 50)).doesNotContain(9);
        assertThat(orders.subList(50, 55)).containsOnly(9);
    }

    @ParameterizedTest(name = "defrag={0} madvised={1} -> {2}")
    @CsvSource({
        "always,        false, 0x1d24ca",
        "always,        true,  0x1c24ca",
        "defer,         false, 0x1c28ca",
        "defer+madvise, false, 0x1c28ca",
        "defer+madvise, true,  0x1c24ca",
        "madvise,       false, 0x1c20ca",
        "madvise,       true,  0x1c24ca",
        "never,         true,  0x1c20ca"})
    @DisplayName("the THP gfp follows the defrag setting as vma_thp_gfp_mask() does (GFP_TRANSHUGE = LIGHT | __GFP_DIRECT_RECLAIM 0x400; NORETRY 0x10000; KSWAPD 0x800)")
    void gfp_followsDefragSetting(String defrag, boolean madvised, String hex) {
        assertThat(ThpProvider.gfp("thp option ", defrag, madvised)).isEqualTo(Integer.decode(hex));
    }

    @ParameterizedTest(name = "{0} pages -> order {1}")
    @CsvSource({"SIZE_4K, 9", "SIZE_16K, 11", "SIZE_64K, 13"})
    @DisplayName("the THP order is the PMD order of the page size (PMD_SHIFT - PAGE_SHIFT)")
    void order_isPmdOrder(PageSize size, int order) {
        TestContext ctx = TestContext.seeded(3).withConfig(KernelConfig.ARM64_DISTRO.withPageSize(size)).withMemory(16L << 30);
        HostSimulator h = run(options("events", 25_000L, "burstSize", 4), ctx);
        assertThat(h.allocsByOrder[order]).isEqualTo(8);
    }

    @Test
    @DisplayName("each failed THP is followed by fallback-pages order-0 movable faults")
    void failedThp_fallsBackToBasePages() {
        TestContext ctx = TestContext.seeded(4);
        Workload w = new ThpProvider().create(options("fallbackPages", 3, "events", 30_000L), ctx);
        List<String> seq = new ArrayList<>();
        Event e = new Event();
        long fallbacks = 0;
        long thps = 0;
        while (w.next(e)) {
            boolean thp = e.type() == EventType.PAGE_ALLOC && e.order() == 9;
            if (thp) {
                w.allocationFailed(e.handle());
                thps++;
            } else if (e.type() == EventType.PAGE_ALLOC && e.order() == 0 && e.gfp() == Gfp.GFP_HIGHUSER_MOVABLE) {
                fallbacks++;
            }
            if (seq.size() >= 8) {
                continue;
            }
            if (thp) {
                seq.add("thp");
            } else if (!seq.isEmpty()) {
                seq.add(e.type() == EventType.PAGE_ALLOC ? e.order() + "/" + Integer.toHexString(e.gfp()) : e.type().name());
            }
        }
        assertThat(seq).containsExactly("thp", "0/100cca", "0/100cca", "0/100cca", "thp", "0/100cca", "0/100cca", "0/100cca");
        assertThat(thps).isEqualTo(2 * 64);
        assertThat(fallbacks).isGreaterThanOrEqualTo(3 * thps);
    }

    @Test
    @DisplayName("with free-thps false no THP is ever freed")
    void thpsKept_whenNotFreed() {
        HostSimulator h = run(options("freeThps", false), TestContext.seeded(5));
        assertThat(h.allocsByOrder[9]).isEqualTo(320);
        assertThat(h.freesByOrder[9]).isZero();
    }

    @Test
    @DisplayName("bad options and a kernel without THP are refused")
    void badOptions_refused() {
        ThpProvider p = new ThpProvider();
        TestContext ctx = TestContext.seeded(6);
        assertThatThrownBy(() -> p.create(options("burstInterval", 10L), ctx))
                .hasMessage("thp option burst-interval must be >= 64: 10");
        assertThatThrownBy(() -> p.create(options("defrag", "sometimes"), ctx))
                .hasMessage("thp option defrag must be always, defer, defer+madvise, madvise or never: sometimes");
        assertThatThrownBy(() -> p.create(options("order", 11), ctx))
                .hasMessage("thp option order must be in [0, 10]: 11");
        assertThatThrownBy(() -> p.create(options("thpMeanLifetime", 0L), ctx))
                .hasMessage("thp option thp-mean-lifetime must be > 0: 0");
        KernelConfig noThp = new KernelConfig(PageSize.SIZE_4K, true, true, false, true, true, false);
        assertThatThrownBy(() -> p.create(options(), ctx.withConfig(noThp)))
                .hasMessageContaining("needs CONFIG_TRANSPARENT_HUGEPAGE");
    }
}
