package io.kmemsim.engine.sweep;

import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.run.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The default engine: a fixed pool of threads on this machine, one point per task, each run single-threaded and
 * deterministic. The registry the caller opened is shared by every thread (runs build their own components).
 */
public final class LocalSweepEngine implements SweepEngine {

    /** The engine's id. */
    public static final String ID = "local";

    private final PluginRegistry registry;
    private final int threads;

    /**
     * @param registry the plugins the points run with
     * @param threads  the pool size, or 0 for the number of available processors
     */
    public LocalSweepEngine(PluginRegistry registry, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0: " + threads);
        }
        this.registry = registry;
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** The pool size. */
    public int threads() {
        return threads;
    }

    @Override
    public List<PointResult> run(SweepJob job, Listener listener) {
        List<Callable<PointResult>> tasks = new ArrayList<>(job.points().size());
        for (SweepPoint p : job.points()) {
            tasks.add(() -> {
                PointResult r = PointRunner.run(job, p, registry);
                listener.ended(r);
                return r;
            });
        }
        return Parallel.run(tasks, threads, "kmemsim-sweep", "the sweep", r -> { });
    }
}
