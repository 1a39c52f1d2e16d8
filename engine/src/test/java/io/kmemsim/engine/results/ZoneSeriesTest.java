package io.kmemsim.engine.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmemsim.engine.run.RunResult;
import io.kmemsim.engine.run.Simulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneSeriesTest {

    @TempDir
    Path dir;

    @Property
    void runLength_roundTrips(@ForAll @Size(max = 2000) byte[] map) {
        assertThat(ZoneSeries.decodeRunLength(ZoneSeries.encodeRunLength(map))).isEqualTo(map);
    }

    @Test
    void runLength_ofOneTypeIsSmall() {
        byte[] map = new byte[4096];
        assertThat(ZoneSeries.encodeRunLength(map)).hasSizeLessThanOrEqualTo(48);
    }

    @Test
    void samples_lieOnTheTimeSeriesGrid_andMatchItsFreePages() throws IOException {
        int interval = Simulation.PROGRESS_INTERVAL;
        ResultsOptions options = new ResultsOptions(interval, 4, false);
        ResultsRecorder recorder = new ResultsRecorder(options);
        ZoneSeries zones = new ZoneSeries(options);
        RunResult result = new Simulation(ResultsFixtures.scenario("workload.options.events=" + 9L * interval,
                "workload.options.kmalloc-every=0")).observer(RunObservers.all(recorder, zones)).run();
        ResultsWriter.write(dir, recorder, result);
        zones.write(dir);

        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve(ZoneSeries.FILE)));
        assertThat(json.path("schema").asText()).isEqualTo(ZoneSeries.SCHEMA);
        List<String> csv = Files.readAllLines(dir.resolve(ResultsWriter.TIMESERIES_FILE));
        List<String> header = List.of(csv.get(0).split(","));
        assertThat(json.path("events")).hasSize(csv.size() - 1);
        JsonNode zone = json.path("zones").get(0);
        int freeColumn = header.indexOf("free_pages_node" + zone.path("node").asInt() + "_" + zone.path("zone").asText());
        assertThat(freeColumn).isPositive();
        for (int i = 1; i < csv.size(); i++) {
            String[] row = csv.get(i).split(",");
            assertThat(json.path("events").get(i - 1).asLong()).isEqualTo(Long.parseLong(row[0]));
            assertThat(zone.path("free").get(i - 1).asLong()).isEqualTo(Long.parseLong(row[freeColumn]));
        }
        assertThat(zone.path("freeBlocks")).hasSize(json.path("maxOrder").asInt() + 1);
        // The fixture's allocator keeps no pageblock map: none is recorded, and that is not an error.
        assertThat(zones.maps()).isZero();
        assertThat(json.path("mapEvents")).isEmpty();
    }

    @Test
    void maxMaps_mustBeEvenAndAtLeastFour() {
        assertThatThrownBy(() -> new ZoneSeries(ResultsOptions.defaults(), 5)).hasMessageContaining("even");
        assertThatThrownBy(() -> new ZoneSeries(ResultsOptions.defaults(), 2)).hasMessageContaining(">= 4");
    }

    @Test
    void write_beforeTheRun_isRefused() {
        assertThatThrownBy(() -> new ZoneSeries().write(dir)).isInstanceOf(IllegalStateException.class);
        assertThat(new ArrayList<>(List.of(dir.toFile().list()))).isEmpty();
    }
}
