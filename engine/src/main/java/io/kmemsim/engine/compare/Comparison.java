package io.kmemsim.engine.compare;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageblockOccupancy;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.FaultBoundary;
import io.kmemsim.engine.plugin.ProviderEntry;
import io.kmemsim.engine.results.RunObservers;
import io.kmemsim.engine.run.Parallel;
import io.kmemsim.engine.run.RunObserver;
import io.kmemsim.engine.run.RunResult;
import io.kmemsim.engine.run.RunState;
import io.kmemsim.engine.run.Simulation;
import io.kmemsim.engine.scenario.ComponentConfig;
import io.kmemsim.engine.scenario.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs one base scenario under several named {@link Variant}s and collects, per variant, the measures
 * of anti-fragmentation studies: allocation success at one order (default the pageblock order, the THP
 * size on 4K pages), pageblocks of mixed mobility at the end ({@link Zone#pageblockOccupancy()}),
 * migrate-type fallbacks, compaction stalls, pages migrated, and free memory in whole pageblocks.
 *
 * <p>Every variant is loaded from the same base with its own overrides, so it runs with the base's seed
 * unless it overrides {@code seed}; each run builds fresh components. The end state is read in
 * {@link RunObserver#finished(RunState)}. With several seeds each variant also runs with the seeds
 * after its own, and runs may go on several threads: a run is single-threaded and shares no component
 * with another, so results do not depend on the thread count ({@link VariantSummary} groups them,
 * {@link ComparisonTable#summary} prints mean ± 95 % CI and deltas from a baseline).
 *
 * <p>Usage: {@code new Comparison(overrides -> loader.load(file, overrides)).run(variants, -1, 5, cores, r -> { })}.
 */
public final class Comparison {

    /** The source named by a problem with the chosen order. */
    public static final String ORDER_SOURCE = "--order";
    /** The source named by a problem with the number of seeds. */
    public static final String SEEDS_SOURCE = "--seeds";

    /** The page allocator counter of migrate-type fallbacks (one per {@code mm_page_alloc_extfrag}). */
    public static final String EXTFRAG_EVENTS = "kmemsim_extfrag_events";
    /** The vmstat counter of direct compaction attempts that ran (mm/compaction.c: try_to_compact_pages() (6.1); mm/page_alloc.c: __alloc_pages_direct_compact() (6.1)). */
    public static final String COMPACT_STALL = "compact_stall";
    /** The vmstat counter of pages migrated successfully. */
    public static final String PGMIGRATE_SUCCESS = "pgmigrate_success";

    /** Loads the base scenario with a list of {@code --set} overrides applied. */
    @FunctionalInterface
    public interface ScenarioSource {
        /**
         * @throws InputException when the scenario or an override is wrong
         */
        Scenario load(List<String> overrides);
    }

    private final ScenarioSource source;
    private final List<String> common;

    /** A comparison of the scenarios {@code source} loads, with no common overrides. */
    public Comparison(ScenarioSource source) {
        this(source, List.of());
    }

    /**
     * @param common overrides applied to every variant before its own (e.g. a shorter run)
     */
    public Comparison(ScenarioSource source, List<String> common) {
        this.source = Objects.requireNonNull(source, "source");
        this.common = List.copyOf(common);
    }

    /**
     * Loads every variant first (so a wrong override is reported before anything runs), then runs them
     * in order, one seed each, on the calling thread.
     *
     * @param order  the order whose success rate is reported, or −1 for the allocator's pageblock order
     * @param onEach told of each variant's result as soon as it is known (e.g. to show progress)
     * @throws InputException when a variant's scenario is wrong, names are repeated, or {@code order} is
     *                        outside the allocator's orders
     */
    public List<VariantResult> run(List<Variant> variants, int order, Consumer<VariantResult> onEach) {
        return run(variants, order, 1, 1, onEach, null);
    }

    /**
     * Watches a run, e.g. to write its results directory for {@code compare --report}.
     */
    public interface RunHook {
        /** An observer added to the variant's run (called on the thread that runs it). */
        RunObserver observer(Variant variant);

        /** The variant's run finished with {@code result} (called on the thread that ran it). */
        void finished(Variant variant, RunResult result);
    }

    /** As {@link #run(List, int, int, int, Consumer, RunHook)} with no hook. */
    public List<VariantResult> run(List<Variant> variants, int order, int seeds, int threads, Consumer<VariantResult> onEach) {
        return run(variants, order, seeds, threads, onEach, null);
    }


    /**
     * Loads every run first (each variant with {@code seeds} seeds: its scenario's seed {@code s}, then
     * {@code s + 1}, ... {@code s + seeds - 1}), then runs them on {@code threads} threads. Each run builds
     * fresh components and is single-threaded and deterministic, so the results do not depend on
     * {@code threads}; they come back variant by variant, seeds in order.
     *
     * @param seeds   runs per variant (at least 1)
     * @param threads runs at once (at least 1)
     * @param onEach  told of each result, on the calling thread, in the order of the returned list
     * @param hook    watches the run of each variant's first seed (may be null)
     * @throws InputException as {@link #run(List, int, Consumer)}, or when {@code seeds} is below 1
     */
    public List<VariantResult> run(List<Variant> variants, int order, int seeds, int threads, Consumer<VariantResult> onEach,
                                    RunHook hook) {
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one variant");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        if (order < -1) {
            throw new InputException(new InputProblem(ORDER_SOURCE, 0, 0, "", "order must be >= 0 (or -1 for the pageblock order): " + order));
        }
        if (seeds < 1) {
            throw new InputException(new InputProblem(SEEDS_SOURCE, 0, 0, "", "seeds must be >= 1: " + seeds));
        }
        Set<String> names = new HashSet<>();
        List<Variant> runVariants = new ArrayList<>();
        List<Scenario> scenarios = new ArrayList<>();
        List<Boolean> firstSeed = new ArrayList<>();
        for (Variant v : variants) {
            if (!names.add(v.name())) {
                throw new InputException(new InputProblem(Variant.SOURCE, 0, 0, "", "variant name used twice: " + v.name()));
            }
            List<String> overrides = new ArrayList<>(common);
            overrides.addAll(v.overrides());
            Scenario first = source.load(overrides);
            runVariants.add(v);
            scenarios.add(first);
            firstSeed.add(true);
            for (int i = 1; i < seeds; i++) {
                List<String> seeded = new ArrayList<>(overrides);
                seeded.add("seed=" + (first.seed() + i));
                runVariants.add(v);
                scenarios.add(source.load(seeded));
                firstSeed.add(false);
            }
        }
        List<VariantResult> results = new ArrayList<>();
        if (threads == 1 || scenarios.size() == 1) {
            for (int i = 0; i < scenarios.size(); i++) {
                VariantResult r = runOne(runVariants.get(i), scenarios.get(i), order, firstSeed.get(i) ? hook : null);
                results.add(r);
                onEach.accept(r);
            }
            return List.copyOf(results);
        }
        List<Callable<VariantResult>> tasks = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            Variant v = runVariants.get(i);
            Scenario sc = scenarios.get(i);
            RunHook h = firstSeed.get(i) ? hook : null;
            tasks.add(() -> runOne(v, sc, order, h));
        }
        results.addAll(Parallel.run(tasks, threads, "kmemsim-compare", "a comparison run", onEach));
        return List.copyOf(results);
    }

    private static VariantResult runOne(Variant variant, Scenario scenario, int order, RunHook hook) {
        EndState end = new EndState(variant, order);
        RunResult run = new Simulation(scenario).observer(hook == null ? end
                : RunObservers.all(end, hook.observer(variant))).run();
        if (hook != null) {
            hook.finished(variant, run);
        }
        if (end.result == null) {
            throw new IllegalStateException("the run of variant " + variant.name() + " ended without its end state");
        }
        return end.result;
    }

    /** Reads the measures when the run finishes; checks the order as soon as the allocator exists. */
    private static final class EndState implements RunObserver {
        private final Variant variant;
        private final int requestedOrder;
        private VariantResult result;

        EndState(Variant variant, int requestedOrder) {
            this.variant = variant;
            this.requestedOrder = requestedOrder;
        }

        @Override
        public void started(RunState state) {
            int max = state.pageAllocator().maxOrder();
            if (requestedOrder > max) {
                throw new InputException(new InputProblem(ORDER_SOURCE, 0, 0, "", "order must be in [0, " + max
                        + "] (the largest order of kernel " + state.kernel() + " with this page size): " + requestedOrder));
            }
        }

        @Override
        public void finished(RunState state) {
            result = FaultBoundary.call(state.scenario().pageAllocator().entry(), "read the end state", () -> measure(state));
        }

        /** Reads the allocator's end state (every call here is a call into the page-allocator plugin). */
        private VariantResult measure(RunState state) {
            PageAllocator allocator = state.pageAllocator();
            int pbo = allocator.pageblockOrder();
            int order = requestedOrder < 0 ? pbo : requestedOrder;
            Map<String, Long> counters = new HashMap<>();
            allocator.forEachCounter(counters::put);
            PageblockOccupancy occupancy = null;
            long free = 0;
            long freeBlocks = 0;
            long managed = 0;
            for (Zone z : allocator.zones()) {
                PageblockOccupancy o = z.pageblockOccupancy();
                occupancy = occupancy == null ? o : occupancy.plus(o);
                free += z.freePages();
                managed += z.managedPages();
                for (int k = pbo; k <= allocator.maxOrder(); k++) {
                    freeBlocks += z.freeBlocks(k) << k;
                }
            }
            return new VariantResult(variant, order, pbo, at(state.allocSuccessByOrder(), order),
                    at(state.allocFailureByOrder(), order), occupancy == null ? PageblockOccupancy.UNKNOWN : occupancy,
                    counters.getOrDefault(EXTFRAG_EVENTS, 0L), counters.getOrDefault(COMPACT_STALL, 0L),
                    counters.getOrDefault(PGMIGRATE_SUCCESS, 0L), free, freeBlocks, managed,
                    state.platform().kernelConfig().pageSize().bytes(), state.eventsProcessed(), state.scenario().seed(),
                    plugins(state.scenario()), VariantResult.Reclaim.of(counters));
        }

        private static List<VariantResult.PluginUse> plugins(Scenario scenario) {
            List<VariantResult.PluginUse> uses = new ArrayList<>();
            for (ComponentConfig c : scenario.components()) {
                ProviderEntry e = c.entry();
                uses.add(new VariantResult.PluginUse(c.kind().label(), e.id(), e.version(), e.source()));
            }
            return uses;
        }

        private static long at(long[] values, int i) {
            return i < values.length ? values[i] : 0;
        }
    }
}
