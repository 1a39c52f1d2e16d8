package io.kmemsim.engine.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.results.ResultsWriter;
import io.kmemsim.engine.results.ZoneSeries;
import io.kmemsim.engine.slabinfo.SlabinfoParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * One results directory as the report reads it: {@code results.json} (required unless the directory has
 * {@value #TWIN_FILE}), and when present {@value ZoneSeries#FILE}, {@code slabinfo},
 * {@code buddyinfo.start}/{@code buddyinfo} and {@value #TWIN_FILE}. A directory with {@value #TWIN_FILE} and no
 * results.json is a twin's output: {@link #results} is then null and the report shows only the twin.
 * A file that is present but unreadable is an {@link InputException} naming the file, line and field.
 */
final class RunData {

    /** The twin comparison the {@code twin} command leaves in its results directory (docs/report.md). */
    static final String TWIN_FILE = "twin.json";

    /** The schema of {@value #TWIN_FILE}. */
    static final String TWIN_SCHEMA = "kmemsim-twin/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final String label;
    /** results.json, or null for a twin's output directory. */
    final JsonNode results;
    final JsonNode zones;
    final JsonNode twin;
    final List<CacheInfo> slabs;
    final String buddyinfoStart;
    final String buddyinfoEnd;

    private RunData(Path dir, String label, JsonNode results, JsonNode zones, JsonNode twin, List<CacheInfo> slabs,
                    String buddyinfoStart, String buddyinfoEnd) {
        this.dir = dir;
        this.label = label;
        this.results = results;
        this.zones = zones;
        this.twin = twin;
        this.slabs = slabs;
        this.buddyinfoStart = buddyinfoStart;
        this.buddyinfoEnd = buddyinfoEnd;
    }

    static RunData read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(new InputProblem(dir.toString(), 0, 0, "", "not a results directory (it does not exist"
                    + " or is not a directory); give the directory a run wrote, e.g. results/default"));
        }
        JsonNode twin = json(dir.resolve(TWIN_FILE), false);
        if (twin != null && !twin.path("schema").asText().startsWith(TWIN_SCHEMA)) {
            throw new InputException(new InputProblem(dir.resolve(TWIN_FILE).toString(), 1, 1, "schema",
                    "expected \"" + TWIN_SCHEMA + "\", found " + twin.path("schema")));
        }
        JsonNode results = json(dir.resolve(ResultsWriter.RESULTS_FILE), twin == null);
        if (results == null) {
            // A twin's output directory (kmemsim twin): only the real-against-simulated part.
            return new RunData(dir, "twin of " + twin.path("real").asText(dir.getFileName().toString()), null, null,
                    twin, List.of(), null, text(dir.resolve("buddyinfo")));
        }
        if (!results.path("schema").asText().startsWith("kmemsim-results/1")) {
            throw new InputException(new InputProblem(dir.resolve(ResultsWriter.RESULTS_FILE).toString(), 1, 1, "schema",
                    "expected \"kmemsim-results/1\", found " + results.path("schema")));
        }
        JsonNode zones = json(dir.resolve(ZoneSeries.FILE), false);
        if (zones != null && !ZoneSeries.SCHEMA.equals(zones.path("schema").asText())) {
            throw new InputException(new InputProblem(dir.resolve(ZoneSeries.FILE).toString(), 1, 1, "schema",
                    "expected \"" + ZoneSeries.SCHEMA + "\", found " + zones.path("schema")));
        }
        List<CacheInfo> slabs = List.of();
        Path slabinfo = dir.resolve("slabinfo");
        if (Files.isRegularFile(slabinfo)) {
            try (BufferedReader r = Files.newBufferedReader(slabinfo, StandardCharsets.UTF_8)) {
                slabs = SlabinfoParser.parseAll(r, slabinfo.toString());
            } catch (IOException e) {
                throw unreadable(slabinfo, e);
            }
        }
        String label = results.path("scenario").path("name").asText(dir.getFileName().toString());
        return new RunData(dir, label, results, zones, twin, slabs, text(dir.resolve("buddyinfo.start")),
                text(dir.resolve("buddyinfo")));
    }

    RunData relabel(String newLabel) {
        return new RunData(dir, newLabel, results, zones, twin, slabs, buddyinfoStart, buddyinfoEnd);
    }

    private static JsonNode json(Path file, boolean required) {
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            if (required) {
                throw new InputException(new InputProblem(file.toString(), 0, 0, "", "missing: a results directory"
                        + " has results.json (did the run write its results?) or, from kmemsim twin, twin.json"));
            }
            return null;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            int column = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getColumnNr());
            throw new InputException(new InputProblem(file.toString(), line, column, "", "not valid JSON: "
                    + e.getOriginalMessage()));
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static String text(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static InputException unreadable(Path file, IOException e) {
        return new InputException(new InputProblem(file.toString(), 0, 0, "", "cannot be read: " + e.getMessage()));
    }

    /** The zone series' events axis, or an empty array. */
    long[] events() {
        return zones == null ? new long[0] : longs(zones.path("events"));
    }

    static long[] longs(JsonNode array) {
        long[] v = new long[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asLong();
        }
        return v;
    }

    /** A required zone-series field of {@code zone}, checked to have one value per sample. */
    long[] zoneColumn(JsonNode zone, String field, int samples) {
        long[] v = longs(zone.path(field));
        if (v.length != samples) {
            throw new InputException(new InputProblem(dir.resolve(ZoneSeries.FILE).toString(), 0, 0,
                    "zones[" + zone.path("zone").asText() + "]." + field, "has " + v.length + " values for " + samples
                    + " samples"));
        }
        return v;
    }

    /** A problem with a field of the zone series file. */
    InputException bad(String key, String message) {
        return new InputException(new InputProblem(dir.resolve(ZoneSeries.FILE).toString(), 0, 0, key, message));
    }
}
