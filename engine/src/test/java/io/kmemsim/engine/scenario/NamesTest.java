package io.kmemsim.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void distance_countsEditsAndAdjacentSwaps() {
        assertThat(Names.distance("evnts", "events")).isEqualTo(1);
        assertThat(Names.distance("kernle", "kernel")).isEqualTo(1);
        assertThat(Names.distance("seed", "cpus")).isEqualTo(4);
        assertThat(Names.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void suggest_offersOnlyKeysWithinTwoEdits() {
        assertThat(Names.suggest("evnts", List.of("seed", "events"))).contains("events");
        assertThat(Names.suggest("xyz", List.of("seed", "events"))).isEmpty();
    }
}
