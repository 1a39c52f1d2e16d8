package io.kmemsim.engine.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.engine.run.Simulation;
import org.junit.jupiter.api.Test;

class ResultsOptionsTest {

    @Test
    void defaults_sampleEveryProgressCall_upTo4096Samples_withStartSnapshots() {
        ResultsOptions o = ResultsOptions.defaults();

        assertThat(o.sampleEvery()).isEqualTo(65_536).isEqualTo(Simulation.PROGRESS_INTERVAL);
        assertThat(o.maxSamples()).isEqualTo(4096);
        assertThat(o.startSnapshots()).isTrue();
    }

    @Test
    void sampleEvery_mustBeAPositiveMultipleOfTheProgressInterval() {
        assertThatThrownBy(() -> new ResultsOptions(1000, 8, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sampleEvery must be a positive multiple of 65536 (the progress interval): 1000");
        assertThatThrownBy(() -> new ResultsOptions(0, 8, true)).hasMessageEndingWith(": 0");
        assertThat(new ResultsOptions(3L * 65_536, 8, true).sampleEvery()).isEqualTo(196_608);
    }

    @Test
    void maxSamples_mustBeEvenAndAtLeastFour() {
        assertThatThrownBy(() -> new ResultsOptions(65_536, 5, true))
                .hasMessage("maxSamples must be even and >= 4: 5");
        assertThatThrownBy(() -> new ResultsOptions(65_536, 2, true))
                .hasMessage("maxSamples must be even and >= 4: 2");
    }
}
