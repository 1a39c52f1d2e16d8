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
    final List<Path> dirs = new ArrayList<>();
    final List<String> labels = new ArrayList<>();
    private ResultsRecorder recorder;
    private ZoneSeries series;

    CompareResults(Path root) {
        this.root = root;
    }

    @Override
    public RunObserver observer(Variant variant) {
        recorder = new ResultsRecorder();
        series = new ZoneSeries();
        return RunObservers.all(recorder, series);
    }

    @Override
    public void finished(Variant variant, RunResult result) {
        String safe = variant.name().replaceAll("[^A-Za-z0-9._+-]", "_");
        Path dir = root.resolve(safe.isEmpty() ? "variant" + (dirs.size() + 1) : safe);
        try {
            ResultsWriter.write(dir, recorder, result);
            series.write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the results of variant " + variant.name() + " to " + dir + ": "
                    + e.getMessage(), e);
        }
        dirs.add(dir);
        labels.add(variant.name());
    }
}
