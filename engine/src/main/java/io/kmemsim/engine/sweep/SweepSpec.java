package io.kmemsim.engine.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sweep as its spec file says it (docs/sweeps.md documents every key).
 *
 * @param source    the spec file, for messages
 * @param name      a label (default: the spec file's name without extension)
 * @param base      the base scenario file, resolved against the spec's directory, or null for the built-in scenario
 * @param common    {@code key=value} overrides applied to every point before the axes
 * @param axes      each axis: a {@code --set} key and its values as override texts, in the spec's order
 * @param seeds     the seeds every point runs with (at least one)
 * @param excludes  partial assignments of axis key to value; a point matching every entry of one is left out
 * @param metrics   what each run reports
 * @param order     the order reported by the built-in order metrics, or −1 for the pageblock order
 */
public record SweepSpec(String source, String name, Path base, List<String> common, List<Axis> axes, List<Long> seeds,
                        List<Map<String, String>> excludes, List<Metric> metrics, int order) {

    public SweepSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        common = List.copyOf(common);
        axes = List.copyOf(axes);
        seeds = List.copyOf(seeds);
        excludes = List.copyOf(excludes);
        metrics = List.copyOf(metrics);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one seed");
        }
    }

    /**
     * One axis of the grid.
     *
     * @param key    the {@code --set} key, e.g. {@code kernel} or {@code fallback.id}
     * @param values the values, as they are written after {@code key=}
     */
    public record Axis(String key, List<String> values) {
        public Axis {
            Objects.requireNonNull(key, "key");
            values = List.copyOf(values);
        }
    }
}
