package io.kmemsim.engine.results;

import io.kmemsim.api.kernel.Fragmentation;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.run.PageTotals;
import io.kmemsim.engine.run.RunState;
import io.kmemsim.engine.run.SlabTotals;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of the time series for one run and how to fill a sample. Fixed when the run starts: the
 * populated zones then (a zone's population does not change during a run) and whether there is an object
 * cache.
 *
 * <p>Columns, in order (docs/results.md §timeseries.csv):
 * <pre>
 *   events, sim_nanos, page_alloc_success, page_alloc_failure, page_free,
 *   [slab_alloc_success, slab_alloc_failure, slab_pages]          only with an object cache
 *   arch_cycles,
 *   free_pages_node{N}_{Zone}              per populated zone
 *   free_blocks_order{O}                   O = 0 .. maxOrder, summed over the zones
 *   unusable_index_node{N}_{Zone}          thousandths, at the pageblock order
 *   fragmentation_index_node{N}_{Zone}     thousandths, at the pageblock order
 * </pre>
 */
final class SampleLayout {

    private final List<String> names = new ArrayList<>();
    private final List<Zone> zones = new ArrayList<>();
    private final ObjectCache cache;
    private final int orders;
    private final int fragmentationOrder;
    private final int zoneBase;
    private final long[] nrFree;

    /** Reads the zones of {@code s}'s allocator: call inside the page allocator's fault boundary. */
    SampleLayout(RunState s, MemoryLayout layout) {
        this.cache = s.objectCache().orElse(null);
        this.orders = layout.maxOrder() + 1;
        this.fragmentationOrder = ResultsRecorder.fragmentationOrder(layout);
        this.nrFree = new long[orders];
        names.addAll(List.of("events", "sim_nanos", "page_alloc_success", "page_alloc_failure", "page_free"));
        if (cache != null) {
            names.addAll(List.of("slab_alloc_success", "slab_alloc_failure", "slab_pages"));
        }
        names.add("arch_cycles");
        zoneBase = names.size();
        for (Zone z : s.pageAllocator().zones()) {
            if (z.populated()) {
                zones.add(z);
            }
        }
        for (Zone z : zones) {
            names.add("free_pages_" + label(z));
        }
        for (int o = 0; o < orders; o++) {
            names.add("free_blocks_order" + o);
        }
        for (Zone z : zones) {
            names.add("unusable_index_" + label(z));
            names.add("fragmentation_index_" + label(z));
        }
    }

    private static String label(Zone z) {
        return "node" + z.node() + "_" + z.name();
    }

    /** The column names. */
    List<String> names() {
        return names;
    }

    /** Fills {@code row} with the state of {@code s} now, reading plugins through {@code recorder}'s boundaries. */
    void fill(long[] row, RunState s, ResultsRecorder recorder) {
        PageTotals p = s.pageTotals();
        int c = 0;
        row[c++] = s.eventsProcessed();
        row[c++] = s.simulatedNanos();
        row[c++] = p.allocated();
        row[c++] = p.failed();
        row[c++] = p.freed();
        if (cache != null) {
            SlabTotals t = s.slabTotals();
            row[c++] = t.kmallocs() + t.cacheAllocs();
            row[c++] = t.kmallocFailures() + t.cacheAllocFailures();
            row[c++] = recorder.read(PluginKind.OBJECT_CACHE, "slabinfo", () -> ResultsRecorder.slabPages(cache));
        }
        row[c] = recorder.read(PluginKind.ARCH_HOOKS, "cycles", () -> s.archHooks().cycles());
        recorder.read(PluginKind.PAGE_ALLOCATOR, "zones", () -> {
            fillZones(row);
            return row;
        });
    }

    private void fillZones(long[] row) {
        int n = zones.size();
        int blocksBase = zoneBase + n;
        int indexBase = blocksBase + orders;
        for (int o = 0; o < orders; o++) {
            row[blocksBase + o] = 0;
        }
        for (int i = 0; i < n; i++) {
            Zone z = zones.get(i);
            row[zoneBase + i] = z.freePages();
            for (int o = 0; o < orders; o++) {
                nrFree[o] = z.freeBlocks(o);
                row[blocksBase + o] += nrFree[o];
            }
            row[indexBase + 2 * i] = Fragmentation.unusableIndex(nrFree, fragmentationOrder);
            row[indexBase + 2 * i + 1] = Fragmentation.fragmentationIndex(nrFree, fragmentationOrder);
        }
    }
}
