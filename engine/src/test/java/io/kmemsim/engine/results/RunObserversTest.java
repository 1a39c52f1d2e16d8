package io.kmemsim.engine.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.engine.run.RunObserver;
import io.kmemsim.engine.run.RunState;
import io.kmemsim.engine.run.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunObserversTest {

    private static RunObserver logging(String name, List<String> log) {
        return new RunObserver() {
            @Override
            public void started(RunState state) {
                log.add(name + " started");
            }

            @Override
            public void progress(long events, long expected) {
                log.add(name + " progress " + events);
            }

            @Override
            public void finished(RunState state) {
                log.add(name + " finished " + state.eventsProcessed());
            }
        };
    }

    @Test
    void all_tellsEveryObserverInTheOrderGiven() {
        List<String> log = new ArrayList<>();
        ResultsRecorder recorder = new ResultsRecorder();

        new Simulation(ResultsFixtures.scenario("workload.options.events=" + Simulation.PROGRESS_INTERVAL))
                .observer(RunObservers.all(recorder, logging("a", log), logging("b", log))).run();

        assertThat(log).containsExactly("a started", "b started", "a progress 65536", "b progress 65536",
                "a finished 65536", "b finished 65536");
        assertThat(recorder.samples()).isEqualTo(2);
    }
}
