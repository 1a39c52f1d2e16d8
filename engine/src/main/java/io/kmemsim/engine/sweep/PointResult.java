package io.kmemsim.engine.sweep;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one point.
 *
 * @param point      the point
 * @param finished   true when the run got to its end; false when it failed
 * @param error      why it failed ("" when it finished)
 * @param metrics    the metrics' values in the job's order (NaN where undefined; all NaN when it failed)
 * @param providers  the providers that ran, as {@code kind=id@version}, in creation order
 * @param wallNanos  the run's wall time (not comparable between engines or machines)
 * @param reused     true when the result was read from an earlier run's directory instead of running again
 */
public record PointResult(SweepPoint point, boolean finished, String error, double[] metrics, List<String> providers,
                          long wallNanos, boolean reused) implements Serializable {

    private static final long serialVersionUID = 1L;

    public PointResult {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(error, "error");
        metrics = metrics.clone();
        providers = List.copyOf(providers);
    }

    @Override
    public double[] metrics() {
        return metrics.clone();
    }

    /** The value of metric {@code i}. */
    public double metric(int i) {
        return metrics[i];
    }

    /** This result marked as read back from disk. */
    PointResult asReused() {
        return new PointResult(point, finished, error, metrics, providers, wallNanos, true);
    }
}
