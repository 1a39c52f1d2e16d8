package io.kmemsim.engine.run;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.scenario.ComponentConfig;
import io.kmemsim.engine.scenario.Scenario;
import java.util.Optional;

/**
 * The engine's event loop over components the caller built, for benchmarks that replay into one allocator again
 * and again without building a machine per run: what {@link Simulation#run} does once it has built the components
 * (the loop registered as the allocator's migration and reclaim listener, the workload's events driven through
 * the same {@code EventLoop}), with {@code scenario}'s run settings, no arch hooks, no object cache, no start
 * snapshot, no observer and no results. The workload is not closed here.
 */
public final class LoopHarness {

    private LoopHarness() {
    }

    /** Runs {@code workload} to its end into {@code allocator}; returns the loop's final state. */
    public static RunState run(Scenario scenario, Platform platform, int cpus, PageAllocator allocator, Workload workload) {
        String[] ids = new String[PluginKind.values().length];
        for (ComponentConfig c : scenario.components()) {
            ids[c.kind().ordinal()] = c.id();
        }
        EventLoop loop = new EventLoop(scenario, platform, cpus, allocator, Optional.empty(), ArchHooks.NONE, workload, ids);
        loop.listenForMigrations();
        loop.listenForReclaim();
        loop.run(RunObserver.NONE);
        return loop;
    }
}
