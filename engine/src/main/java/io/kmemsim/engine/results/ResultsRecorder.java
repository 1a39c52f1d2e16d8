package io.kmemsim.engine.results;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageblockOccupancy;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.stats.HasCounters;
import io.kmemsim.engine.plugin.FaultBoundary;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.run.ProviderUse;
import io.kmemsim.engine.run.AllocationLatency;
import io.kmemsim.engine.run.RunObserver;
import io.kmemsim.engine.run.RunState;
import io.kmemsim.engine.scenario.ComponentConfig;
import io.kmemsim.engine.scenario.Scenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Records what {@link ResultsWriter} writes: a bounded time series sampled while the run goes, the
 * kernel-format snapshots at the start and the end, and the end state of the components.
 *
 * <p>Use one recorder per run: {@code new Simulation(s).observer(recorder).run()} (compose it with other
 * observers through {@link RunObservers#all}), then {@link ResultsWriter#write} with the result, or
 * {@link ResultsWriter#writeFailed} when the run threw.
 *
 * <p>What is recorded:
 * <ul>
 *   <li>{@code started}: the run's identity (scenario, kernel, seed, CPUs, providers), the allocator's
 *       geometry, sample 0, and (option) {@code buddyinfo.start} and {@code pagetypeinfo.start}.</li>
 *   <li>{@code progress}: a sample whenever the event count lies on the sampling grid
 *       ({@link ResultsOptions#sampleEvery()}, doubled each time the series is thinned).</li>
 *   <li>{@code finished} and {@code failed}: a last sample, the components' counters, the pageblock
 *       occupancy per zone and the end snapshots {@code buddyinfo}, {@code pagetypeinfo}, {@code zoneinfo},
 *       {@code vmstat}, {@code slabinfo} (with an object cache), {@code extfrag_unusable_index} and
 *       {@code extfrag_index}.</li>
 * </ul>
 * The reads of plugin state are fault boundaries: while the run is healthy, a plugin that throws fails
 * the run with a {@link io.kmemsim.engine.plugin.PluginFailureException} naming the plugin and the file
 * being rendered. In {@code failed} the components may be broken, so each reading that throws is kept as
 * a problem (written to {@code results.json}) and the others are still taken.
 *
 * <p>The {@link RunState} is kept from {@code started} and read again in {@code progress}: it is the loop
 * itself, valid on the run's thread for the whole run. Not thread-safe; called on the run's thread only.
 */
public final class ResultsRecorder implements RunObserver {

    private final ResultsOptions options;
    private RunState state;
    private RunIdentity identity;
    private MemoryLayout layout;
    private SampleLayout columns;
    private TimeSeries series;
    private LoopTotals totals;
    private final Map<String, String> startSnapshots = new LinkedHashMap<>();
    private final Map<String, String> endSnapshots = new LinkedHashMap<>();
    private final List<SnapshotProblem> problems = new ArrayList<>();
    private Map<String, Map<String, Long>> counters;
    private long archCycles = -1;
    private AllocationLatency latency;
    private List<ZoneOccupancy> occupancy;
    private RuntimeException failure;
    private boolean ended;

    /** A recorder with {@code options}. */
    public ResultsRecorder(ResultsOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A recorder with {@link ResultsOptions#defaults()}. */
    public ResultsRecorder() {
        this(ResultsOptions.defaults());
    }

    /** The options. */
    public ResultsOptions options() {
        return options;
    }

    /** True once {@link #started} was called: there is something to write. */
    public boolean hasStarted() {
        return identity != null;
    }

    /** The failure {@link #failed} was told of, if any. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    /** The number of time-series samples held. */
    public int samples() {
        return series == null ? 0 : series.size();
    }

    @Override
    public void started(RunState runState) {
        this.state = runState;
        Scenario scenario = runState.scenario();
        List<ProviderUse> used = new ArrayList<>();
        for (ComponentConfig c : scenario.components()) {
            used.add(new ProviderUse(c.kind().label(), c.id(), c.entry().pluginId(), c.entry().version()));
        }
        identity = new RunIdentity(scenario.name(), scenario.kernel().toString(), scenario.seed(), runState.cpus(),
                used, scenario.workload().id(), scenario.workload().options());
        totals = LoopTotals.of(runState);
        layout = read(PluginKind.PAGE_ALLOCATOR, "zones", () -> readLayout(runState));
        columns = read(PluginKind.PAGE_ALLOCATOR, "zones", () -> new SampleLayout(runState, layout));
        series = new TimeSeries(columns.names(), options.maxSamples(), options.sampleEvery());
        series.append(sample(runState));
        if (options.startSnapshots()) {
            startSnapshots.put("buddyinfo.start", Snapshots.buddyinfo(this, runState));
            startSnapshots.put("pagetypeinfo.start", Snapshots.pagetypeinfo(this, runState));
        }
    }

    @Override
    public void progress(long events, long expected) {
        if (series != null && events > 0 && series.onGrid(events)) {
            series.append(sample(state));
            totals = LoopTotals.of(state);
        }
    }

    @Override
    public void finished(RunState runState) {
        this.state = runState;
        addLastSample(runState);
        counters = readCounters(runState);
        archCycles = read(PluginKind.ARCH_HOOKS, "cycles", () -> runState.archHooks().cycles());
        latency = runState.allocationLatency();
        occupancy = read(PluginKind.PAGE_ALLOCATOR, "pageblockOccupancy", () -> readOccupancy(runState));
        for (String file : Snapshots.END_FILES) {
            Snapshots.render(this, runState, file).ifPresent(text -> endSnapshots.put(file, text));
        }
        end();
    }

    @Override
    public void failed(RunState runState, RuntimeException runFailure) {
        this.state = runState;
        this.failure = runFailure;
        totals = LoopTotals.of(runState);
        attempt(ResultsWriter.TIMESERIES_FILE, "the end sample is missing: ", () -> addLastSample(runState));
        attempt("counters", "", () -> counters = readCounters(runState));
        attempt("cycles", "", () -> archCycles = read(PluginKind.ARCH_HOOKS, "cycles",
                () -> runState.archHooks().cycles()));
        latency = runState.allocationLatency();
        attempt("pageblock occupancy", "", () -> occupancy = read(PluginKind.PAGE_ALLOCATOR, "pageblockOccupancy",
                () -> readOccupancy(runState)));
        for (String file : Snapshots.END_FILES) {
            attempt(file, "", () -> Snapshots.render(this, runState, file)
                    .ifPresent(text -> endSnapshots.put(file, text)));
        }
        end();
    }

    /** The run is over: the state is not read again (nor kept reachable). */
    private void end() {
        ended = true;
        state = null;
    }

    private void attempt(String what, String prefix, Runnable reading) {
        try {
            reading.run();
        } catch (RuntimeException e) {
            problems.add(new SnapshotProblem(what, prefix + (e.getMessage() == null ? e.getClass().getName()
                    : e.getMessage())));
        }
    }

    private void addLastSample(RunState runState) {
        totals = LoopTotals.of(runState);
        if (series == null) {
            return;
        }
        long[] row = sample(runState);
        if (series.size() > 0 && series.last(0) == runState.eventsProcessed()) {
            series.replaceLast(row);
        } else {
            series.append(row);
        }
    }

    private long[] sample(RunState runState) {
        long[] row = new long[columns.names().size()];
        columns.fill(row, runState, this);
        return row;
    }

    /** Reads plugin state inside a fault boundary of the component of {@code kind}. */
    <T> T read(PluginKind kind, String operation, Supplier<T> reading) {
        Optional<ComponentConfig> c = state.scenario().component(kind);
        String id = c.map(ComponentConfig::id).orElse("none");
        return FaultBoundary.call(id, kind.label(), operation, reading);
    }

    /** Records that {@code file} is not written, and why (e.g. a format not described for the run's kernel). */
    void problem(String file, String message) {
        problems.add(new SnapshotProblem(file, message));
    }

    private static MemoryLayout readLayout(RunState s) {
        PageAllocator a = s.pageAllocator();
        List<MemoryLayout.ZoneLayout> zones = new ArrayList<>();
        for (Zone z : a.zones()) {
            zones.add(new MemoryLayout.ZoneLayout(z.node(), z.name(), z.startPfn(), z.spannedPages(),
                    z.presentPages(), z.managedPages()));
        }
        return new MemoryLayout(s.platform().kernelConfig().pageSize().bytes(), a.maxOrder(), a.pageblockOrder(),
                zones);
    }

    private Map<String, Map<String, Long>> readCounters(RunState s) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        out.put(PluginKind.ARCH_HOOKS.label(), readCounters(PluginKind.ARCH_HOOKS, s.archHooks()));
        out.put(PluginKind.PAGE_ALLOCATOR.label(), readCounters(PluginKind.PAGE_ALLOCATOR, s.pageAllocator()));
        s.objectCache().ifPresent(c -> out.put(PluginKind.OBJECT_CACHE.label(),
                readCounters(PluginKind.OBJECT_CACHE, c)));
        return out;
    }

    private Map<String, Long> readCounters(PluginKind kind, HasCounters component) {
        Map<String, Long> values = new LinkedHashMap<>();
        read(kind, "forEachCounter", () -> {
            component.forEachCounter(values::put);
            return values;
        });
        return values;
    }

    private static List<ZoneOccupancy> readOccupancy(RunState s) {
        List<ZoneOccupancy> out = new ArrayList<>();
        for (Zone z : s.pageAllocator().zones()) {
            if (z.populated()) {
                PageblockOccupancy o = z.pageblockOccupancy();
                out.add(new ZoneOccupancy(z.node(), z.name(), o == null ? PageblockOccupancy.UNKNOWN : o));
            }
        }
        return out;
    }

    /** Σ num_slabs × pages_per_slab over the slabinfo rows. */
    static long slabPages(ObjectCache cache) {
        long pages = 0;
        for (CacheInfo row : cache.slabinfo()) {
            pages += row.numSlabs() * row.pagesPerSlab();
        }
        return pages;
    }

    /** The order the fragmentation indexes are sampled at: the pageblock order, capped at the largest order. */
    static int fragmentationOrder(MemoryLayout layout) {
        return Math.min(layout.pageblockOrder(), layout.maxOrder());
    }

    RunIdentity identity() {
        return identity;
    }

    MemoryLayout layout() {
        return layout;
    }

    TimeSeries series() {
        return series;
    }

    LoopTotals totals() {
        return totals;
    }

    Map<String, String> startSnapshots() {
        return Collections.unmodifiableMap(startSnapshots);
    }

    Map<String, String> endSnapshots() {
        return Collections.unmodifiableMap(endSnapshots);
    }

    List<SnapshotProblem> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** The components' counters read at the end, or null when they could not be read. */
    Map<String, Map<String, Long>> counters() {
        return counters;
    }

    /** The allocation latency histogram read at the end of the run, or null before. */
    public AllocationLatency latency() {
        return latency;
    }

    /** The arch hooks' simulated cycles at the end, or −1 when not read. */
    public long archCycles() {
        return archCycles;
    }

    /**
     * A snapshot the recorder rendered, by its file name ({@code buddyinfo.start}, {@code buddyinfo},
     * {@code zoneinfo}, …), for callers that show it as well as write it.
     */
    public Optional<String> snapshot(String file) {
        String start = startSnapshots.get(file);
        return Optional.ofNullable(start != null ? start : endSnapshots.get(file));
    }

    /** The pageblock occupancy summed over the populated zones at the end ({@code UNKNOWN} when not read). */
    public PageblockOccupancy totalOccupancy() {
        if (occupancy == null) {
            return PageblockOccupancy.UNKNOWN;
        }
        PageblockOccupancy total = new PageblockOccupancy(0, 0, 0, 0);
        for (ZoneOccupancy z : occupancy) {
            total = total.plus(z.occupancy());
        }
        return total;
    }

    /** The pageblock occupancy per populated zone at the end, or null when not read. */
    List<ZoneOccupancy> occupancy() {
        return occupancy;
    }

    /** True once {@code finished} or {@code failed} ran. */
    boolean ended() {
        return ended;
    }
}
