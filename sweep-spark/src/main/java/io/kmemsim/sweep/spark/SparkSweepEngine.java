package io.kmemsim.sweep.spark;

import io.kmemsim.engine.sweep.PointResult;
import io.kmemsim.engine.sweep.PointRunner;
import io.kmemsim.engine.sweep.SweepEngine;
import io.kmemsim.engine.sweep.SweepJob;
import io.kmemsim.engine.sweep.SweepPoint;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;

/**
 * Runs a sweep's points on Apache Spark: {@code local[*]} by default (no server to start; Spark runs inside this
 * JVM), or any master URL ({@code spark://host:7077}, {@code yarn}, {@code k8s://…}). Each point is one task that
 * opens the job's plugins (once per executor JVM) and runs {@link PointRunner#run}; results directories are written
 * by the executors, so on a cluster the output directory, the base scenario and the plugins directory must be on
 * a filesystem every executor sees (docs/sweeps.md). A point that fails is a failed row, never a failed job.
 */
public final class SparkSweepEngine implements SweepEngine {

    /** The engine's id. */
    public static final String ID = "spark";

    private final String master;

    /**
     * @param master  the master URL, or null for {@code local[threads]} ({@code local[*]} when threads is 0); with
     *                {@code spark-submit} the master it was given wins
     * @param threads the local parallelism when no master is given
     */
    public SparkSweepEngine(String master, int threads) {
        this.master = master != null ? master : threads > 0 ? "local[" + threads + "]" : "local[*]";
    }

    /** The master URL the engine starts Spark with. */
    public String master() {
        return master;
    }

    @Override
    public List<PointResult> run(SweepJob job, Listener listener) {
        SparkConf conf = new SparkConf().setAppName("kmemsim sweep " + job.name())
                .setIfMissing("spark.master", master)
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.ui.showConsoleProgress", Boolean.toString(System.console() != null))
                // one point per task, never two in one task: a point is seconds to minutes of work
                .setIfMissing("spark.default.parallelism", Integer.toString(Math.max(1, job.points().size())));
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            JavaRDD<SweepPoint> points = sc.parallelize(job.points(), Math.max(1, job.points().size()));
            List<PointResult> results = points.map(p -> PointRunner.run(job, p, PointRunner.registryFor(job.pluginsDirs())))
                    .collect();
            results.forEach(listener::ended);
            return results;
        }
    }

    /** The factory {@link java.util.ServiceLoader} finds. */
    public static final class Factory implements SweepEngine.Factory {
        @Override
        public String id() {
            return ID;
        }

        @Override
        public SweepEngine create(String master, int threads) {
            return new SparkSweepEngine(master, threads);
        }
    }
}
