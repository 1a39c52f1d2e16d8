package io.kmemsim.cli;

import io.kmemsim.engine.compare.Comparison;
import io.kmemsim.engine.compare.Variant;
import io.kmemsim.engine.results.ResultsRecorder;
import io.kmemsim.engine.results.ResultsWriter;
import io.kmemsim.engine.results.RunObservers;
import io.kmemsim.engine.results.ZoneSeries;
import io.kmemsim.engine.run.RunObserver;
import io.kmemsim.engine.run.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** For {@code compare --report}: records each variant's run and writes its results directory under one folder. */
final class CompareResults implements Comparison.RunHook {

    private final Path root;
    /** Each variant's recorders while it runs: variants may run at once on several threads. */
    private final java.util.Map<String, Object[]> running = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Path> written = new java.util.concurrent.ConcurrentHashMap<>();

    CompareResults(Path root) {
        this.root = root;
    }

    @Override
    public RunObserver observer(Variant variant) {
        ResultsRecorder recorder = new ResultsRecorder();
        ZoneSeries series = new ZoneSeries();
        running.put(variant.name(), new Object[] {recorder, series});
        return RunObservers.all(recorder, series);
    }

    @Override
    public void finished(Variant variant, RunResult result) {
        Object[] r = running.remove(variant.name());
        String safe = variant.name().replaceAll("[^A-Za-z0-9._+-]", "_");
        Path dir = root.resolve(safe.isEmpty() ? "variant-" + Integer.toHexString(variant.name().hashCode()) : safe);
        try {
            ZoneSeries series = (ZoneSeries) r[1];
            ResultsWriter.write(dir, (ResultsRecorder) r[0], result, java.util.Map.of(ZoneSeries.FILE, series.bytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("writing the results of variant " + variant.name() + " to " + dir + ": "
                    + e.getMessage(), e);
        }
        written.put(variant.name(), dir);
    }

    /** The results directories written, in the order of {@code variants} (the first is the report's baseline). */
    List<Path> dirs(List<Variant> variants) {
        List<Path> out = new ArrayList<>();
        for (Variant v : variants) {
            if (written.containsKey(v.name())) {
                out.add(written.get(v.name()));
            }
        }
        return out;
    }

    /** The labels of {@link #dirs(List)}. */
    List<String> labels(List<Variant> variants) {
        List<String> out = new ArrayList<>();
        for (Variant v : variants) {
            if (written.containsKey(v.name())) {
                out.add(v.name());
            }
        }
        return out;
    }
}
