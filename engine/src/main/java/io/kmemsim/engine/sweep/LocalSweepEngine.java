package io.kmemsim.engine.sweep;

import io.kmemsim.engine.plugin.PluginRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, job.points().size())), r -> {
            Thread t = new Thread(r, "kmemsim-sweep-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<PointResult>> futures = new ArrayList<>(job.points().size());
            for (SweepPoint p : job.points()) {
                futures.add(pool.submit(() -> {
                    PointResult r = PointRunner.run(job, p, registry);
                    listener.ended(r);
                    return r;
                }));
            }
            List<PointResult> results = new ArrayList<>(futures.size());
            for (Future<PointResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the sweep was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
