package io.kmemsim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The arch events of the page workloads (docs/workloads.md, "Arch events"). {@link HostSimulator}
 * checks every event as the engine resolves it and the arm64 hooks accept it (live allocation of the
 * right migrate type, mapping id, alignment, VA range, no overlap, unmap matching its map, free after
 * unmap); these tests add the rates, the failure handling and the option checks.
 */
class ArchEventsTest {

    private static ChurnOptions churn(Object... changes) {
        return Options.with(Options.with(new ChurnOptions(), "events", 100_000L, "meanLifetime", 2000L), changes);
    }

    private static HostSimulator run(Workload w, double failRate, int pageShift, int processes) {
        return new HostSimulator(failRate, Long.MAX_VALUE, 13, 4).arch(pageShift, processes).run(w, 1000, 1000);
    }

    private static Map<String, Long> counters(Workload w) {
        Map<String, Long> c = new LinkedHashMap<>();
        w.forEachCounter(c::put);
        return c;
    }

    @Test
    @DisplayName("every movable block is mapped right after its allocation and unmapped right before its free")
    void movableBlocks_mappedAfterAlloc_unmappedBeforeFree() {
        Workload w = new ChurnProvider().create(churn("dmaFraction", 0.2), TestContext.seeded(1));
        HostSimulator h = run(w, 0.1, 12, 8);
        long mappings = h.count(EventType.PAGE_FAULT) + h.count(EventType.EXEC_MAP);
        assertThat(h.failures).isGreaterThan(1000);
        assertThat(mappings).isBetween(h.movableAllocsOk - 1, h.movableAllocsOk);
        assertThat(h.count(EventType.MUNMAP)).isGreaterThan(mappings / 4);
        assertThat(h.count(EventType.DMA_UNMAP)).isPositive();
        Map<String, Long> c = counters(w);
        assertThat(c).containsEntry("workload.page_faults", h.count(EventType.PAGE_FAULT))
                .containsEntry("workload.exec_maps", h.count(EventType.EXEC_MAP))
                .containsEntry("workload.munmaps", h.count(EventType.MUNMAP))
                .containsEntry("workload.dma_maps", h.count(EventType.DMA_MAP))
                .containsEntry("workload.dma_unmaps", h.count(EventType.DMA_UNMAP))
                .containsEntry("workload.mappings_dropped_no_va", 0L);
        assertThat(c.get("workload.mappings_dropped_failed")).isPositive();
    }

    @Test
    @DisplayName("an allocation the host failed gets no arch event: with every movable and unmovable allocation failing there is none")
    void failedAllocations_getNoArchEvent() {
        Workload w = new ChurnProvider().create(churn("dmaFraction", 1.0), TestContext.seeded(2));
        HostSimulator h = new HostSimulator(0, Long.MAX_VALUE, 13, 4).arch(12, 8)
                .failing(e -> Gfp.migrateType(e.gfp()).ordinal() != 2).run(w, 1000, 1000);
        assertThat(h.failures).isGreaterThan(10_000);
        for (EventType t : List.of(EventType.PAGE_FAULT, EventType.EXEC_MAP, EventType.MUNMAP, EventType.DMA_MAP,
                EventType.DMA_UNMAP)) {
            assertThat(h.count(t)).as(t.name()).isZero();
        }
        assertThat(counters(w).get("workload.mappings_dropped_failed")).as("at most the last is cut off by the end")
                .isBetween(h.failures - 1, h.failures);
    }

    @Test
    @DisplayName("exec-fraction of the mapped order-0 pages are mapped with EXEC_MAP; larger folios never")
    void execFraction_ofOrder0Pages() {
        Workload w = new ChurnProvider().create(churn("execFraction", 0.3, "orderWeights", "0:3,2:1"), TestContext.seeded(3));
        HostSimulator h = run(w, 0, 12, 8);
        long order0Maps = h.userMapsEver.stream().filter(m -> m[3] == 0).count();
        long execs = h.count(EventType.EXEC_MAP);
        assertThat(execs / (double) order0Maps).isCloseTo(0.3, within(0.02));
        assertThat(h.userMapsEver).filteredOn(m -> m[4] == 1).hasSize((int) execs).allSatisfy(m -> assertThat(m[3]).isZero());
        assertThat(h.userMapsEver).filteredOn(m -> m[3] == 2).isNotEmpty();
    }

    @Test
    @DisplayName("the base pages that replace a failed THP are anonymous: write faults, never EXEC_MAP")
    void thpFallbackPages_neverText() {
        ThpOptions o = Options.with(new ThpOptions(), "events", 30_000L, "execFraction", 1.0, "fallbackPages", 3,
                "backgroundMigrateWeights", "unmovable:1");
        Workload w = new ThpProvider().create(o, TestContext.seeded(10));
        HostSimulator h = new HostSimulator(0, Long.MAX_VALUE, 13, 4).arch(12, 8)
                .failing(e -> e.order() == 9).run(w, 1000, 1000);
        assertThat(h.failures).isEqualTo(2 * 64);
        assertThat(h.count(EventType.EXEC_MAP)).isZero();
        assertThat(h.userMapsEver).hasSize((int) h.movableAllocsOk).allSatisfy(m -> assertThat(m[3]).isZero());
        assertThat(h.movableAllocsOk).isEqualTo(3 * 2 * 64);
    }

    @Test
    @DisplayName("dma-fraction of the unmovable blocks are DMA buffers, with the configured direction mix and partial share")
    void dmaFraction_directions_partialShare() {
        Workload w = new ChurnProvider().create(churn("dmaFraction", 0.5, "dmaDirections", "to-device:1,from-device:3",
                "dmaPartialFraction", 0.5, "migrateWeights", "unmovable:1,movable:1"), TestContext.seeded(4));
        HostSimulator h = run(w, 0, 12, 8);
        long maps = h.count(EventType.DMA_MAP);
        assertThat(maps / (double) h.unmovableAllocsOk).isCloseTo(0.5, within(0.02));
        assertThat(h.dmaDirections.get((long) Event.DMA_TO_DEVICE) / (double) maps).isCloseTo(0.25, within(0.02));
        assertThat(h.dmaDirections.get((long) Event.DMA_FROM_DEVICE) / (double) maps).isCloseTo(0.75, within(0.02));
        assertThat(h.dmaDirections).doesNotContainKey((long) Event.DMA_BIDIRECTIONAL);
        assertThat(h.partialDma / (double) maps).isCloseTo(0.5, within(0.03));
    }

    @ParameterizedTest(name = "{0} pages: order {1} THPs")
    @CsvSource({"SIZE_4K, 9", "SIZE_16K, 11", "SIZE_64K, 13"})
    @DisplayName("THPs are mapped whole at VAs aligned to their size (so the hooks can use PMD blocks)")
    void thps_mappedAtAlignedVas(PageSize size, int order) {
        TestContext ctx = TestContext.seeded(5).withConfig(KernelConfig.ARM64_DISTRO.withPageSize(size)).withMemory(16L << 30);
        ThpOptions o = Options.with(new ThpOptions(), "events", 25_000L, "burstSize", 4);
        HostSimulator h = run(new ThpProvider().create(o, ctx), 0, size.shift(), 8);
        long thpMaps = h.userMapsEver.stream().filter(m -> m[3] == order).count();
        assertThat(thpMaps).isEqualTo(h.allocsByOrder[order]).isPositive();
        assertThat(h.userMapsEver).filteredOn(m -> m[3] == order)
                .allSatisfy(m -> assertThat(m[1] & ((1L << (order + size.shift())) - 1)).isZero());
    }

    @Test
    @DisplayName("turning arch events on leaves the sequence of allocations and frees unchanged (they draw from their own stream)")
    void archEvents_leaveAllocationSequenceUnchanged() {
        List<String> on = pageEvents(new MixProvider().create(Options.with(new MixOptions(), "events", 60_000L), TestContext.seeded(6)));
        List<String> off = pageEvents(new MixProvider().create(
                Options.noArch(Options.with(new MixOptions(), "events", 60_000L)), TestContext.seeded(6)));
        assertThat(on.size()).isLessThan(off.size());
        assertThat(on).isEqualTo(off.subList(0, on.size()));
    }

    private static List<String> pageEvents(Workload w) {
        List<String> out = new ArrayList<>();
        Event e = new Event();
        while (w.next(e)) {
            switch (e.type()) {
                case PAGE_ALLOC, PAGE_FREE, KMALLOC, KFREE, CACHE_ALLOC, CACHE_FREE ->
                        out.add(e.type() + " " + e.handle() + " " + e.order() + " " + e.gfp() + " " + e.cpu() + " " + e.size());
                default -> {
                }
            }
        }
        return out;
    }

    @Test
    @DisplayName("the mix's arch options apply to all parts; the parts' own are ignored")
    void mix_archOptionsApplyToAllParts() {
        MixOptions off = Options.with(new MixOptions(), "events", 30_000L, "mapUserPages", false, "dmaFraction", 0.0);
        HostSimulator h = run(new MixProvider().create(off, TestContext.seeded(7)), 0, 12, 8);
        assertThat(h.everMapped).isEmpty();
        MixOptions few = Options.with(new MixOptions(), "events", 30_000L, "processes", 2);
        HostSimulator h2 = run(new MixProvider().create(few, TestContext.seeded(7)), 0, 12, 2);
        assertThat(h2.spaces.keySet()).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    @DisplayName("the default mix maps pages, text and DMA buffers, and the summary counters show it")
    void defaultMix_emitsEveryArchEvent() {
        Workload w = new MixProvider().create(Options.with(new MixOptions(), "events", 300_000L),
                TestContext.seeded(8).withMemory(8L << 30));
        HostSimulator h = run(w, 0, 12, 8);
        for (EventType t : List.of(EventType.PAGE_FAULT, EventType.EXEC_MAP, EventType.MUNMAP, EventType.DMA_MAP,
                EventType.DMA_UNMAP)) {
            assertThat(h.count(t)).as(t.name()).isPositive();
        }
        assertThat(h.spaces.keySet()).hasSize(8);
    }

    @Test
    @DisplayName("bad arch options are refused naming the option and the value")
    void badArchOptions_refused() {
        ChurnProvider p = new ChurnProvider();
        TestContext ctx = TestContext.seeded(9);
        assertThatThrownBy(() -> p.create(churn("processes", 0), ctx))
                .hasMessage("churn option processes must be in [1, 65536]: 0");
        assertThatThrownBy(() -> p.create(churn("execFraction", 1.5), ctx))
                .hasMessage("churn option exec-fraction must be in [0.0, 1.0]: 1.5");
        assertThatThrownBy(() -> p.create(churn("dmaFraction", -0.1), ctx))
                .hasMessage("churn option dma-fraction must be in [0.0, 1.0]: -0.1");
        assertThatThrownBy(() -> p.create(churn("dmaPartialFraction", Double.NaN), ctx))
                .hasMessage("churn option dma-partial-fraction must be in [0.0, 1.0]: NaN");
        assertThatThrownBy(() -> p.create(churn("dmaDirections", "to-device:1,sideways:1"), ctx))
                .hasMessage("churn option dma-directions: direction must be to-device, from-device or bidirectional: "
                        + "sideways in \"to-device:1,sideways:1\"");
        assertThatThrownBy(() -> new ThpProvider().create(Options.with(new ThpOptions(), "processes", 70_000), ctx))
                .hasMessage("thp option processes must be in [1, 65536]: 70000");
        assertThatThrownBy(() -> new FragmenterProvider().create(Options.with(new FragmenterOptions(), "dmaFraction", 2.0), ctx))
                .hasMessage("fragmenter option dma-fraction must be in [0.0, 1.0]: 2.0");
        assertThatThrownBy(() -> new MixProvider().create(Options.with(new MixOptions(), "execFraction", -1.0), ctx))
                .hasMessage("mix option exec-fraction must be in [0.0, 1.0]: -1.0");
    }
}
