package io.kmemsim.engine.run;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.Provider;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.stats.HasCounters;
import io.kmemsim.api.trace.TraceListener;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputFiles;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.bootlog.KernelReservedPlatform;
import io.kmemsim.engine.plugin.FaultBoundary;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.procfs.FreeAreaSnapshots;
import io.kmemsim.engine.scenario.ComponentConfig;
import io.kmemsim.engine.scenario.RunSettings;
import io.kmemsim.engine.scenario.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a bound {@link Scenario}: creates its components through their providers, then drives them
 * with the workload's events until it ends. Single-threaded and deterministic: the same scenario gives
 * the same {@link RunResult} apart from {@link RunResult#wallNanos()} (the only clock read, for
 * reporting).
 *
 * <p>Components are created in the order platform, fallback, compaction, arch, page-allocator,
 * object-cache, workload, each by {@code Provider.create(options, context)} inside a fault boundary
 * (operation {@code create}). An {@link IllegalArgumentException} from {@code create} is the provider
 * rejecting its options (the provider contract), so it is reported as an {@link InputException} at the
 * component's place in the scenario; any other exception is a {@link PluginFailureException}.
 *
 * <p>Usage: {@code new Simulation(scenario).observer(o).traceListener(t).run()}. Each {@link #run()}
 * builds fresh components.
 */
public final class Simulation {

    /** {@link RunObserver#progress} is called every this many events (a power of two). */
    public static final int PROGRESS_INTERVAL = 1 << 16;

    private final Scenario scenario;
    private TraceListener traceListener = TraceListener.NONE;
    private RunObserver observer = RunObserver.NONE;
    private EventLoop current;

    public Simulation(Scenario scenario) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
    }

    /** Where the components send tracepoint events (default {@link TraceListener#NONE}). */
    public Simulation traceListener(TraceListener listener) {
        this.traceListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Who is told of the run's start, progress and end (default {@link RunObserver#NONE}). */
    public Simulation observer(RunObserver runObserver) {
        this.observer = Objects.requireNonNull(runObserver, "runObserver");
        return this;
    }

    /**
     * The run's simulated time in nanoseconds, readable while it runs (e.g. by a trace writer given to
     * {@link #traceListener}); 0 before the first event.
     */
    public java.util.function.LongSupplier clock() {
        return () -> current == null ? 0 : current.simulatedNanos();
    }

    /** A board preset boots with the kernel's own memblock reservations ({@link KernelReservedPlatform#forRun}). */
    private Platform bootPlatform(Platform platform) {
        try {
            return KernelReservedPlatform.forRun(platform, scenario.kernel());
        } catch (IllegalArgumentException e) {
            throw new InputException(new InputProblem(scenario.platform().origin().source(), 0, 0, "platform",
                    "the kernel's boot reservations do not fit the platform: " + e.getMessage()));
        }
    }

    /**
     * Builds the components and runs the workload to its end.
     *
     * @throws PluginFailureException naming the plugin and operation when a plugin call fails
     * @throws InputException         when a provider rejects its options, or the workload needs a
     *                                component the scenario does not name
     */
    public RunResult run() {
        long startNanos = System.nanoTime();
        String[] ids = new String[PluginKind.values().length];
        for (ComponentConfig c : scenario.components()) {
            ids[c.kind().ordinal()] = c.id();
        }
        RunContext context = new RunContext(scenario.kernel(), scenario.seed(), scenario.cpus(), traceListener,
                scenarioDirectory());
        Platform platform = bootPlatform(create(scenario.platform(), context, Platform.class));
        context.platform(platform);
        MemoryBudget.check(scenario, platform, FaultBoundary.call(scenario.platform().entry(), "cpus", context::cpus));
        context.fallback(scenario.fallback().map(c -> create(c, context, FallbackPolicy.class)),
                ids[PluginKind.FALLBACK_POLICY.ordinal()]);
        context.compaction(scenario.compaction().map(c -> create(c, context, CompactionPolicy.class))
                .orElse(CompactionPolicy.NONE), ids[PluginKind.COMPACTION_POLICY.ordinal()]);
        context.reclaim(scenario.reclaim().map(c -> create(c, context, ReclaimPolicy.class)).orElse(ReclaimPolicy.NONE),
                ids[PluginKind.RECLAIM_POLICY.ordinal()]);
        ArchHooks arch = scenario.arch().map(c -> create(c, context, ArchHooks.class)).orElse(ArchHooks.NONE);
        context.arch(arch, ids[PluginKind.ARCH_HOOKS.ordinal()]);
        PageAllocator allocator = create(scenario.pageAllocator(), context, PageAllocator.class);
        context.allocator(allocator, ids[PluginKind.PAGE_ALLOCATOR.ordinal()]);
        Optional<ObjectCache> cache = scenario.objectCache().map(c -> create(c, context, ObjectCache.class));
        int cpus = FaultBoundary.call(scenario.platform().entry(), "cpus", context::cpus);
        Workload workload = create(scenario.workload(), context, Workload.class);
        EventLoop loop;
        try {
            importStartSnapshot(allocator, ids);
            loop = new EventLoop(scenario, platform, cpus, allocator, cache, arch, workload, ids);
            loop.listenForMigrations();
            loop.listenForReclaim();
            loop.registerShrinkers();
            current = loop;
        } catch (RuntimeException | Error e) {
            closeQuietly(workload, ids, e);
            throw e;
        }
        return runLoop(loop, workload, ids, startNanos);
    }

    private RunResult runLoop(EventLoop loop, Workload workload, String[] ids, long startNanos) {
        try {
            observer.started(loop);
            try {
                loop.run(observer);
            } catch (InputException | PluginFailureException e) {
                observer.failed(loop, e);
                throw e;
            }
            observer.finished(loop);
        } catch (RuntimeException | Error e) {
            closeQuietly(workload, ids, e);
            throw e;
        }
        FaultBoundary.run(ids[PluginKind.WORKLOAD.ordinal()], PluginKind.WORKLOAD.label(), "close", workload::close);
        return result(loop, ids, System.nanoTime() - startNanos);
    }

    /** Rebuilds the allocator from the scenario's start snapshot, if it names one (run.start-buddyinfo). */
    private void importStartSnapshot(PageAllocator allocator, String[] ids) {
        RunSettings run = scenario.run();
        if (run.startBuddyinfo().isEmpty()) {
            return;
        }
        String id = ids[PluginKind.PAGE_ALLOCATOR.ordinal()];
        boolean can = FaultBoundary.call(id, PluginKind.PAGE_ALLOCATOR.label(), "capabilities",
                () -> allocator.capabilities().contains(PageAllocator.Capability.IMPORT_SNAPSHOT));
        if (!can) {
            throw new InputException(new InputProblem(scenario.platform().origin().source(), 0, 0, "run.start-buddyinfo",
                    "page-allocator '" + id + "' cannot start from a /proc snapshot"));
        }
        Path base = scenarioDirectory();
        Path buddyinfo = base.resolve(run.startBuddyinfo());
        Path types = run.startPagetypeinfo().isEmpty() ? null : base.resolve(run.startPagetypeinfo());
        InputFiles.requireReadable(buddyinfo, "buddyinfo", "run.start-buddyinfo", InputFiles.DEFAULT_MAX_BYTES);
        if (types != null) {
            InputFiles.requireReadable(types, "pagetypeinfo", "run.start-pagetypeinfo", InputFiles.DEFAULT_MAX_BYTES);
        }
        FreeAreaSnapshot snapshot = FreeAreaSnapshots.read(buddyinfo, types);
        try {
            FaultBoundary.run(id, PluginKind.PAGE_ALLOCATOR.label(), "importFreeAreas", () -> allocator.importFreeAreas(snapshot));
        } catch (PluginFailureException e) {
            if (e.getCause() instanceof IllegalArgumentException misfit) {
                throw new InputException(new InputProblem(buddyinfo.toString(), 0, 0, "run.start-buddyinfo",
                        "does not fit the scenario's machine: " + misfit.getMessage()));
            }
            throw e;
        }
    }

    /**
     * The directory of the scenario file, against which every relative path in the scenario resolves; the
     * current directory for a scenario that is not a file (the built-in default, a text).
     */
    private Path scenarioDirectory() {
        Path source;
        try {
            source = Path.of(scenario.platform().origin().source());
        } catch (java.nio.file.InvalidPathException e) {
            return Path.of("").toAbsolutePath();
        }
        Path dir = source.toAbsolutePath().getParent();
        return Files.isRegularFile(source) && dir != null ? dir : Path.of("").toAbsolutePath();
    }

    private static void closeQuietly(Workload workload, String[] ids, Throwable failure) {
        try {
            FaultBoundary.run(ids[PluginKind.WORKLOAD.ordinal()], PluginKind.WORKLOAD.label(), "close",
                    workload::close);
        } catch (RuntimeException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    private <T> T create(ComponentConfig c, RunContext context, Class<T> type) {
        @SuppressWarnings("unchecked")
        Provider<?, Record> provider = (Provider<?, Record>) c.entry().provider();
        Object created;
        try {
            created = FaultBoundary.call(c.entry(), "create", () -> provider.create(c.options(), context));
        } catch (InputException e) {
            throw withComponent(e, c);
        } catch (PluginFailureException e) {
            if (e.getCause() instanceof IllegalArgumentException rejected && e.operation().equals("create")
                    && e.providerId().equals(c.id())) {
                throw new InputException(new InputProblem(c.origin().source(), c.origin().line(),
                        c.origin().column(), c.kind().label(), c.kind().label() + " '" + c.id()
                        + "' cannot be created: " + rejected.getMessage()));
            }
            throw e;
        }
        if (!type.isInstance(created)) {
            throw new PluginFailureException(c.id(), c.kind().label(), "create", new IllegalStateException(
                    "create returned " + (created == null ? "null" : created.getClass().getName())
                            + ", not a " + type.getSimpleName()));
        }
        return type.cast(created);
    }

    /** The component's input problem, with where the scenario named the component added to each message. */
    private static InputException withComponent(InputException e, ComponentConfig c) {
        String where = " (" + c.kind().label() + " '" + c.id() + "' at " + c.origin().source()
                + (c.origin().line() > 0 ? ":" + c.origin().line() : "") + ")";
        return new InputException(e.problems().stream()
                .map(p -> new InputProblem(p.source(), p.line(), p.column(), p.key(), p.message() + where))
                .toList());
    }

    private RunResult result(EventLoop loop, String[] ids, long wallNanos) {
        List<ProviderUse> used = new ArrayList<>();
        for (ComponentConfig c : scenario.components()) {
            used.add(new ProviderUse(c.kind().label(), c.id(), c.entry().pluginId(), c.entry().version()));
        }
        Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
        collect(counters, PluginKind.ARCH_HOOKS, ids, loop.archHooks());
        collect(counters, PluginKind.PAGE_ALLOCATOR, ids, loop.pageAllocator());
        loop.objectCache().ifPresent(c -> collect(counters, PluginKind.OBJECT_CACHE, ids, c));
        collect(counters, PluginKind.WORKLOAD, ids, loop.workload());
        return new RunResult(scenario.name(), scenario.kernel().toString(), used, loop.eventsProcessed(),
                loop.ticks(), loop.simulatedNanos(), loop.allocSuccessByOrder(), loop.allocFailureByOrder(),
                loop.pageTotals(), loop.slabTotals(), counters, wallNanos, loop.loopNanos());
    }

    private static void collect(Map<String, Map<String, Long>> into, PluginKind kind, String[] ids,
                                HasCounters component) {
        Map<String, Long> values = new LinkedHashMap<>();
        String id = ids[kind.ordinal()] == null ? "none" : ids[kind.ordinal()];
        FaultBoundary.run(id, kind.label(), "forEachCounter", () -> component.forEachCounter(values::put));
        into.put(kind.label(), values);
    }
}
