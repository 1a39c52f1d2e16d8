package io.kmemsim.engine.sweep;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a worker needs to run points of one sweep, in plain serializable values so that an engine can ship
 * it to other JVMs (Spark executors): where the base scenario and the plugins are, where results go, what to
 * measure. Paths are absolute; on a cluster they must name a filesystem every worker sees.
 *
 * @param name        the sweep's name
 * @param baseScenario the base scenario file, or null for the built-in scenario
 * @param pluginsDirs the plugins directories, in load order (empty: only the classpath's providers)
 * @param outDir      the sweep's output directory (points go to {@code outDir/points/<hash>/})
 * @param axisKeys    the axes' keys, in order
 * @param metrics     what each run reports
 * @param order       the order of the order measures, or −1 for the pageblock order
 * @param points      the points, checked (each with its hash)
 */
public record SweepJob(String name, String baseScenario, List<String> pluginsDirs, String outDir, List<String> axisKeys,
                       List<Metric> metrics, int order, List<SweepPoint> points) implements Serializable {

    private static final long serialVersionUID = 1L;

    public SweepJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outDir, "outDir");
        pluginsDirs = List.copyOf(pluginsDirs);
        axisKeys = List.copyOf(axisKeys);
        metrics = List.copyOf(metrics);
        points = List.copyOf(points);
    }

    /** The results directory of {@code point}. */
    public Path pointDir(SweepPoint point) {
        return Path.of(outDir, "points", point.hash());
    }
}
