package io.kmemsim.engine.results;

import io.kmemsim.engine.run.RunObserver;
import io.kmemsim.engine.run.RunState;
import java.util.List;

/** Composition of {@link RunObserver}s, since a {@link io.kmemsim.engine.run.Simulation} takes one. */
public final class RunObservers {

    private RunObservers() {
    }

    /**
     * An observer telling each of {@code observers} in turn, in the order given. An exception from one stops
     * the call there (the later ones are not told), as for a single observer; so put the
     * {@link ResultsRecorder} first, before observers that may throw.
     */
    public static RunObserver all(RunObserver... observers) {
        List<RunObserver> list = List.of(observers);
        return new RunObserver() {
            @Override
            public void started(RunState state) {
                for (RunObserver o : list) {
                    o.started(state);
                }
            }

            @Override
            public void progress(long events, long expected) {
                for (RunObserver o : list) {
                    o.progress(events, expected);
                }
            }

            @Override
            public void finished(RunState state) {
                for (RunObserver o : list) {
                    o.finished(state);
                }
            }

            @Override
            public void failed(RunState state, RuntimeException failure) {
                for (RunObserver o : list) {
                    o.failed(state, failure);
                }
            }
        };
    }
}
