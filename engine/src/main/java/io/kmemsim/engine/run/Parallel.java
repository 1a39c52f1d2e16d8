package io.kmemsim.engine.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs independent simulations on a pool of daemon threads and hands back their results in the order
 * given: the one home of the pool, the waiting and the unwrapping that {@code compare} and the local
 * {@code sweep} engine share. A task's own exception (a
 * {@link RuntimeException} or an {@link Error}) is rethrown as it is, so callers report it as if the run
 * had been made on their thread; the pool is shut down whatever happens.
 */
public final class Parallel {

    private Parallel() {
    }

    /**
     * Runs {@code tasks} on {@code min(threads, tasks)} daemon threads named {@code name-N}.
     *
     * @param onEach called on the caller's thread with each result, in the order of {@code tasks}, as soon
     *               as that result and all before it are done
     * @param what   what is being waited for, for the message when the caller is interrupted
     * @return the results in the order of {@code tasks}
     */
    public static <T> List<T> run(List<? extends Callable<T>> tasks, int threads, String name, String what,
                                  Consumer<? super T> onEach) {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), r -> {
            Thread t = new Thread(r, name + "-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>(futures.size());
            for (Future<T> f : futures) {
                T r = await(f, what);
                results.add(r);
                onEach.accept(r);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T await(Future<T> f, String what) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
