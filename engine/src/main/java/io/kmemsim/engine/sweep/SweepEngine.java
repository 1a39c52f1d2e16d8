package io.kmemsim.engine.sweep;

import java.util.List;

/**
 * Runs the points of a sweep somewhere: on this machine's cores ({@link LocalSweepEngine}) or on a cluster (the
 * {@code spark} engine of module {@code sweep-spark}). Every engine runs each point with {@link PointRunner}, so the
 * rows are the same whichever ran them (wall times aside). Engines other than {@code local} are found with
 * {@link java.util.ServiceLoader} through {@link Factory}.
 */
public interface SweepEngine {

    /**
     * Runs every point of {@code job} (points whose results directory is already complete are read back, not rerun)
     * and returns one result per point, in any order. A point that fails is a result with {@code finished = false},
     * never an exception.
     *
     * @param listener told of each point as it ends (from any thread)
     */
    List<PointResult> run(SweepJob job, Listener listener);

    /** Told of progress. Implementations must be thread-safe. */
    @FunctionalInterface
    interface Listener {
        /** A point ended (or was read back). */
        void ended(PointResult result);
    }

    /** Makes an engine; registered in {@code META-INF/services/io.kmemsim.engine.sweep.SweepEngine$Factory}. */
    interface Factory {
        /** The engine's id, e.g. {@code spark}. */
        String id();

        /**
         * @param master where to run (engine-specific, e.g. a Spark master URL), or null for the engine's default
         * @param threads the parallelism wanted on this machine, or 0 for the number of cores
         */
        SweepEngine create(String master, int threads);
    }
}
