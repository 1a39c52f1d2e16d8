package io.kmemsim.engine.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.engine.plugin.FaultBoundary;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.run.RunObserver;
import io.kmemsim.engine.run.RunState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Records, per populated zone, what the HTML report plots over time and writes it as {@value #FILE}
 * (docs/results.md): free pages against the min/low/high watermarks, free blocks per order, the page
 * allocator's compaction and fallback counters, and the pageblock map (each pageblock's migrate type and
 * whether it is mixed, free or holds a page of another type) in a compact run-length form.
 *
 * <p>Notes:
 * <ul>
 *   <li>Samples lie on the same grid as {@code timeseries.csv} ({@link ResultsOptions#sampleEvery()}), with
 *       the same bounded thinning ({@link TimeSeries}): at most {@link ResultsOptions#maxSamples()} rows.</li>
 *   <li>The pageblock map walks the zone's pages, so it is kept on a coarser bounded grid: at most
 *       {@link #MAX_MAPS} maps, every other one dropped (the first kept) and the interval doubled when
 *       full, plus the map at the end of the run.</li>
 *   <li>Map encoding: the bytes of {@link Zone#pageblockMap()} as runs {@code (value, length 1..255)}, the run
 *       bytes base64-encoded: a zone of 4,096 pageblocks of one type takes 48 characters.</li>
 * </ul>
 * Reads of plugin state are fault boundaries like the {@link ResultsRecorder}'s; at a failure a reading that
 * throws leaves the last sample out. Not thread-safe; the run's thread only.
 */
public final class ZoneSeries implements RunObserver {

    /** The file written into the results directory. */
    public static final String FILE = "zoneseries.json";

    /** The schema name and version of the file. */
    public static final String SCHEMA = "kmemsim-zoneseries/1";

    /** The most pageblock maps kept. */
    public static final int MAX_MAPS = 128;

    /** The page allocator counters sampled (those the allocator has), compaction and fallback. */
    static final List<String> COUNTERS = List.of("compact_stall", "compact_success", "compact_fail",
            "compact_migrate_scanned", "compact_free_scanned", "compact_isolated", "compact_daemon_wake",
            "compact_daemon_migrate_scanned", "compact_daemon_free_scanned", "pgmigrate_success", "pgmigrate_fail",
            "kmemsim_extfrag_events");

    private static final WatermarkLevel[] MARKS = {WatermarkLevel.MIN, WatermarkLevel.LOW, WatermarkLevel.HIGH};

    private final ResultsOptions options;
    private final int maxMaps;
    private RunState state;
    private String allocatorId = "none";
    private final List<Zone> zones = new ArrayList<>();
    private int orders;
    private int pageblockOrder;
    private TimeSeries series;
    private long[] row;
    private final Map<String, Long> counterValues = new HashMap<>();
    private final boolean[] counterSeen = new boolean[COUNTERS.size()];
    private long mapEvery;
    private final List<Long> mapEvents = new ArrayList<>();
    private final List<String[]> maps = new ArrayList<>();
    private boolean mapsTracked = true;

    /** A recorder sampling on the grid of {@code options}, keeping at most {@link #MAX_MAPS} pageblock maps. */
    public ZoneSeries(ResultsOptions options) {
        this(options, MAX_MAPS);
    }

    /**
     * A recorder sampling on the grid of {@code options}, keeping at most {@code maxMaps} pageblock maps.
     *
     * @throws IllegalArgumentException when {@code maxMaps} is odd or below 4 (thinning keeps every other map)
     */
    public ZoneSeries(ResultsOptions options, int maxMaps) {
        this.options = Objects.requireNonNull(options, "options");
        if (maxMaps < 4 || maxMaps % 2 != 0) {
            throw new IllegalArgumentException("maxMaps must be even and >= 4: " + maxMaps);
        }
        this.maxMaps = maxMaps;
    }

    /** A recorder with {@link ResultsOptions#defaults()}. */
    public ZoneSeries() {
        this(ResultsOptions.defaults());
    }

    @Override
    public void started(RunState runState) {
        this.state = runState;
        allocatorId = runState.scenario().component(PluginKind.PAGE_ALLOCATOR).map(c -> c.id()).orElse("none");
        read("zones", () -> {
            PageAllocator a = runState.pageAllocator();
            orders = a.maxOrder() + 1;
            pageblockOrder = a.pageblockOrder();
            for (Zone z : a.zones()) {
                if (z.populated()) {
                    zones.add(z);
                }
            }
            return null;
        });
        List<String> columns = new ArrayList<>();
        columns.add("events");
        columns.addAll(COUNTERS);
        for (Zone z : zones) {
            String p = "node" + z.node() + "_" + z.name() + "_";
            columns.addAll(List.of(p + "free", p + "min", p + "low", p + "high"));
            for (int o = 0; o < orders; o++) {
                columns.add(p + "order" + o);
            }
        }
        row = new long[columns.size()];
        series = new TimeSeries(columns, options.maxSamples(), options.sampleEvery());
        mapEvery = options.sampleEvery();
        sample(runState);
        addMap(runState);
    }

    @Override
    public void progress(long events, long expected) {
        if (series == null || events <= 0) {
            return;
        }
        if (series.onGrid(events)) {
            sample(state);
        }
        if (events % mapEvery == 0) {
            addMap(state);
        }
    }

    @Override
    public void finished(RunState runState) {
        end(runState);
    }

    @Override
    public void failed(RunState runState, RuntimeException failure) {
        try {
            end(runState);
        } catch (RuntimeException e) {
            state = null;
        }
    }

    private void end(RunState runState) {
        if (series == null) {
            return;
        }
        this.state = runState;
        long events = runState.eventsProcessed();
        boolean same = series.size() > 0 && series.last(0) == events;
        fill(runState);
        if (same) {
            series.replaceLast(row);
        } else {
            series.append(row);
        }
        if (!mapEvents.isEmpty() && mapEvents.get(mapEvents.size() - 1) == events) {
            mapEvents.remove(mapEvents.size() - 1);
            maps.remove(maps.size() - 1);
        }
        if (maps.size() == maxMaps) {
            thinMaps();
        }
        addMapNow(runState);
        state = null;
    }

    private void sample(RunState s) {
        fill(s);
        series.append(row);
    }

    private void fill(RunState s) {
        row[0] = s.eventsProcessed();
        counterValues.clear();
        read("forEachCounter", () -> {
            s.pageAllocator().forEachCounter(counterValues::put);
            return null;
        });
        int c = 1;
        for (int i = 0; i < COUNTERS.size(); i++) {
            Long v = counterValues.get(COUNTERS.get(i));
            counterSeen[i] |= v != null;
            row[c++] = v == null ? 0 : v;
        }
        int base = c;
        read("zones", () -> {
            int k = base;
            for (Zone z : zones) {
                row[k++] = z.freePages();
                for (WatermarkLevel m : MARKS) {
                    row[k++] = z.watermark(m);
                }
                for (int o = 0; o < orders; o++) {
                    row[k++] = z.freeBlocks(o);
                }
            }
            return null;
        });
    }

    private void addMap(RunState s) {
        if (maps.size() == maxMaps) {
            thinMaps();
            if (s.eventsProcessed() % mapEvery != 0) {
                return;
            }
        }
        addMapNow(s);
    }

    /** Drops every other map (the first kept) and doubles the map interval. */
    private void thinMaps() {
        int kept = (maps.size() + 1) / 2;
        for (int i = 1; i < kept; i++) {
            maps.set(i, maps.get(2 * i));
            mapEvents.set(i, mapEvents.get(2 * i));
        }
        maps.subList(kept, maps.size()).clear();
        mapEvents.subList(kept, mapEvents.size()).clear();
        mapEvery *= 2;
    }

    private void addMapNow(RunState s) {
        if (!mapsTracked) {
            return;
        }
        String[] encoded = new String[zones.size()];
        read("pageblockMap", () -> {
            for (int i = 0; i < zones.size(); i++) {
                byte[] map = zones.get(i).pageblockMap();
                if (map.length == 0) {
                    mapsTracked = false;
                    return null;
                }
                encoded[i] = encodeRunLength(map);
            }
            return null;
        });
        if (mapsTracked) {
            mapEvents.add(s.eventsProcessed());
            maps.add(encoded);
        }
    }

    /** The bytes of {@code map} as {@code (value, run length 1..255)} pairs, base64. */
    public static String encodeRunLength(byte[] map) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        int i = 0;
        while (i < map.length) {
            int j = i + 1;
            while (j < map.length && map[j] == map[i] && j - i < 255) {
                j++;
            }
            out.write(map[i]);
            out.write(j - i);
            i = j;
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** Decodes {@link #encodeRunLength}: for readers and tests. */
    public static byte[] decodeRunLength(String encoded) {
        byte[] runs = Base64.getDecoder().decode(encoded);
        ByteArrayOutputStream out = new ByteArrayOutputStream(runs.length * 8);
        for (int i = 0; i + 1 < runs.length; i += 2) {
            for (int k = 0; k < (runs[i + 1] & 0xff); k++) {
                out.write(runs[i]);
            }
        }
        return out.toByteArray();
    }

    private void read(String operation, Supplier<Object> reading) {
        FaultBoundary.call(allocatorId, PluginKind.PAGE_ALLOCATOR.label(), operation, reading);
    }

    /** True once the run started: there is something to write. */
    public boolean hasStarted() {
        return series != null;
    }

    /** The number of samples held. */
    public int samples() {
        return series == null ? 0 : series.size();
    }

    /** The number of pageblock maps held (0 when the allocator does not track them). */
    public int maps() {
        return maps.size();
    }

    /** The event counts at which the maps held were taken. */
    public List<Long> mapEvents() {
        return List.copyOf(mapEvents);
    }

    /**
     * Writes {@value #FILE} into {@code dir} atomically.
     *
     * @return the file written
     * @throws IllegalStateException when the run did not start
     * @throws IOException           naming the file that could not be written
     */
    public Path write(Path dir) throws IOException {
        byte[] bytes = bytes();
        java.nio.file.Files.createDirectories(dir);
        Path target = dir.resolve(FILE);
        Temporaries.writeFile(target, bytes);
        return target;
    }

    /** The content of {@value #FILE}, for {@link ResultsWriter#write(Path, ResultsRecorder, io.kmemsim.engine.run.RunResult, java.util.Map)}. */
    public byte[] bytes() throws IOException {
        if (series == null) {
            throw new IllegalStateException("the zone series did not see the run start: there is nothing to write");
        }
        return new ObjectMapper().writeValueAsString(toJson()).getBytes(StandardCharsets.UTF_8);
    }

    ObjectNode toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("maxOrder", orders - 1);
        root.put("pageblockOrder", pageblockOrder);
        root.put("sampleEvery", series.interval());
        root.put("thinnings", series.thinnings());
        root.set("events", column(m, 0));
        ObjectNode counters = root.putObject("counters");
        for (int i = 0; i < COUNTERS.size(); i++) {
            if (counterSeen[i]) {
                counters.set(COUNTERS.get(i), column(m, 1 + i));
            }
        }
        ArrayNode zs = root.putArray("zones");
        int c = 1 + COUNTERS.size();
        for (int zi = 0; zi < zones.size(); zi++) {
            Zone z = zones.get(zi);
            ObjectNode zn = zs.addObject();
            zn.put("node", z.node());
            zn.put("zone", z.name());
            zn.put("startPfn", z.startPfn());
            zn.put("spannedPages", z.spannedPages());
            zn.put("managedPages", z.managedPages());
            zn.set("free", column(m, c++));
            zn.set("min", column(m, c++));
            zn.set("low", column(m, c++));
            zn.set("high", column(m, c++));
            ArrayNode blocks = zn.putArray("freeBlocks");
            for (int o = 0; o < orders; o++) {
                blocks.add(column(m, c++));
            }
            ArrayNode zm = zn.putArray("pageblockMaps");
            for (String[] map : maps) {
                zm.add(map[zi]);
            }
        }
        ArrayNode me = root.putArray("mapEvents");
        mapEvents.forEach(me::add);
        return root;
    }

    private ArrayNode column(ObjectMapper m, int c) {
        ArrayNode a = m.createArrayNode();
        for (int i = 0; i < series.size(); i++) {
            a.add(series.value(c, i));
        }
        return a;
    }
}
