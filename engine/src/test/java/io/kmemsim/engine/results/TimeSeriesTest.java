package io.kmemsim.engine.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSeriesTest {

    private static TimeSeries series(int capacity, long interval) {
        return new TimeSeries(List.of("events", "value"), capacity, interval);
    }

    private static void feed(TimeSeries s, long from, long to, long step) {
        for (long e = from; e <= to; e += step) {
            if (s.onGrid(e)) {
                s.append(new long[] {e, e * 10});
            }
        }
    }

    @Test
    void append_belowCapacity_keepsEverySample() {
        TimeSeries s = series(4, 2);

        feed(s, 0, 6, 2);

        assertThat(s.size()).isEqualTo(4);
        assertThat(s.toCsv()).isEqualTo("events,value\n0,0\n2,20\n4,40\n6,60\n");
        assertThat(s.thinnings()).isZero();
    }

    @Test
    void append_whenFull_dropsOddSamples_andDoublesTheInterval() {
        TimeSeries s = series(4, 2);
        feed(s, 0, 6, 2);

        s.append(new long[] {8, 80});

        assertThat(s.toCsv()).isEqualTo("events,value\n0,0\n4,40\n8,80\n");
        assertThat(s.interval()).isEqualTo(4);
        assertThat(s.thinnings()).isEqualTo(1);
        assertThat(s.onGrid(10)).isFalse();
        assertThat(s.onGrid(12)).isTrue();
    }

    @Test
    void longRun_neverHoldsMoreThanCapacity_andStaysOnItsGrid() {
        TimeSeries s = series(6, 1);

        feed(s, 0, 1000, 1);

        assertThat(s.size()).isBetween(3, 6);
        for (int i = 0; i < s.size(); i++) {
            assertThat(s.value(0, i)).isEqualTo(i * s.interval());
            assertThat(s.value(1, i)).isEqualTo(s.value(0, i) * 10);
        }
        assertThat(s.value(0, s.size() - 1)).isGreaterThan(500);
    }

    @Test
    void replaceLast_overwritesTheLastSampleOnly() {
        TimeSeries s = series(4, 1);
        feed(s, 0, 1, 1);

        s.replaceLast(new long[] {1, 99});

        assertThat(s.toCsv()).isEqualTo("events,value\n0,0\n1,99\n");
        assertThat(s.last(1)).isEqualTo(99);
    }
}
