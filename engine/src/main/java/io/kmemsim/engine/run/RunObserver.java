package io.kmemsim.engine.run;

/**
 * Told how a run goes, e.g. by the CLI to write "before" files and draw a progress bar. Called on the
 * run's thread; every method does nothing by default. An exception thrown here stops the run and
 * reaches the caller of {@link Simulation#run()} unchanged.
 */
public interface RunObserver {

    /** An observer that does nothing. */
    RunObserver NONE = new RunObserver() {
    };

    /** Every component is built and no event has been processed yet. */
    default void started(RunState state) {
    }

    /**
     * Called every {@link Simulation#PROGRESS_INTERVAL} events.
     *
     * @param expected the workload's expected event count, or −1 when it does not know
     */
    default void progress(long events, long expected) {
    }

    /** The workload ended and every event was processed; the state is final. */
    default void finished(RunState state) {
    }

    /**
     * The run stopped on {@code failure} (a {@link io.kmemsim.engine.plugin.PluginFailureException} or an
     * {@link io.kmemsim.engine.InputException}) after the components were built; the state is as the
     * failure left it, so what was simulated so far can still be written out.
     */
    default void failed(RunState state, RuntimeException failure) {
    }
}
