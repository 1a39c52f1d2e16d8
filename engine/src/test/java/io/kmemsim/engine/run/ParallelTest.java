package io.kmemsim.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void run_givesResultsInTaskOrder_andOnEachInThatOrder_evenWhenLaterTasksFinishFirst() {
        CountDownLatch lastDone = new CountDownLatch(1);
        List<Callable<Integer>> tasks = List.of(
                () -> lastDone.await(10, TimeUnit.SECONDS) ? 0 : -1,
                () -> 1,
                () -> {
                    lastDone.countDown();
                    return 2;
                });
        List<Integer> seen = new ArrayList<>();

        assertThat(Parallel.run(tasks, 3, "t", "a test task", seen::add)).containsExactly(0, 1, 2);
        assertThat(seen).containsExactly(0, 1, 2);
    }

    @Test
    void run_rethrowsATasksOwnRuntimeException_unwrapped() {
        IllegalArgumentException boom = new IllegalArgumentException("bad point");
        List<Callable<Integer>> tasks = List.of(() -> 1, () -> {
            throw boom;
        });

        assertThatThrownBy(() -> Parallel.run(tasks, 2, "t", "a test task", r -> { })).isSameAs(boom);
    }
}
