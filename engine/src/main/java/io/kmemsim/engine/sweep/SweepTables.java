package io.kmemsim.engine.sweep;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sweep's two CSV tables. {@code sweep.csv}: one row per run, sorted by point — index, seed, the axis values,
 * the scenario hash, status, the metrics, the providers that ran and the error; the last column, the wall time, is
 * the only one that differs between engines or reruns. {@code summary.csv}: one row per grid point over its seeds —
 * the runs that finished and failed, and per metric the mean, the sample standard deviation and the two-sided 95 %
 * confidence interval of the mean (Student's t with n − 1 degrees of freedom; empty below two values). Undefined
 * values (NaN, e.g. a success rate with no attempt) are left out of a metric's statistics and written empty.
 */
final class SweepTables {

    private SweepTables() {
    }

    static String perRun(SweepJob job, List<PointResult> results) {
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("point", "seed"));
        header.addAll(job.axisKeys());
        header.addAll(List.of("hash", "status"));
        job.metrics().forEach(m -> header.add(m.name()));
        header.addAll(List.of("providers", "error", "wall_seconds"));
        row(sb, header);
        for (PointResult r : results) {
            List<String> cells = new ArrayList<>();
            cells.add(Integer.toString(r.point().index()));
            cells.add(Long.toString(r.point().seed()));
            cells.addAll(r.point().axisValues());
            cells.add(r.point().hash());
            cells.add(r.finished() ? "finished" : "failed");
            for (int i = 0; i < job.metrics().size(); i++) {
                cells.add(number(r.metric(i)));
            }
            cells.add(String.join(" ", r.providers()));
            cells.add(r.error());
            cells.add(String.format(Locale.ROOT, "%.3f", r.wallNanos() / 1e9));
            row(sb, cells);
        }
        return sb.toString();
    }

    static String summary(SweepJob job, List<PointResult> results) {
        Map<List<String>, List<PointResult>> groups = new LinkedHashMap<>();
        for (PointResult r : results) {
            groups.computeIfAbsent(r.point().axisValues(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("group"));
        header.addAll(job.axisKeys());
        header.addAll(List.of("runs", "failed"));
        for (Metric m : job.metrics()) {
            header.addAll(List.of(m.name() + "_n", m.name() + "_mean", m.name() + "_sd", m.name() + "_ci95_low", m.name() + "_ci95_high"));
        }
        row(sb, header);
        int group = 0;
        for (Map.Entry<List<String>, List<PointResult>> e : groups.entrySet()) {
            List<PointResult> runs = e.getValue();
            List<String> cells = new ArrayList<>();
            cells.add(Integer.toString(group++));
            cells.addAll(e.getKey());
            long finished = runs.stream().filter(PointResult::finished).count();
            cells.add(Long.toString(finished));
            cells.add(Long.toString(runs.size() - finished));
            for (int i = 0; i < job.metrics().size(); i++) {
                double[] stats = stats(runs, i);
                cells.add(Long.toString((long) stats[0]));
                for (int k = 1; k < stats.length; k++) {
                    cells.add(number(stats[k]));
                }
            }
            row(sb, cells);
        }
        return sb.toString();
    }

    /** n, mean, sd, ci low, ci high of metric {@code i} over the finished runs with a defined value. */
    static double[] stats(List<PointResult> runs, int i) {
        List<Double> values = new ArrayList<>();
        for (PointResult r : runs) {
            if (r.finished() && !Double.isNaN(r.metric(i))) {
                values.add(r.metric(i));
            }
        }
        int n = values.size();
        if (n == 0) {
            return new double[] {0, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n < 2) {
            return new double[] {n, mean, Double.NaN, Double.NaN, Double.NaN};
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double half = new TDistribution(null, n - 1).inverseCumulativeProbability(0.975) * sd / Math.sqrt(n);
        return new double[] {n, mean, sd, mean - half, mean + half};
    }

    /** Integers as integers, other values with up to 9 significant digits, NaN as empty. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.9g", v);
        if (s.indexOf('e') < 0 && s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    private static void row(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"").replace('\n', ' ')).append('"');
            } else {
                sb.append(c);
            }
        }
        sb.append('\n');
    }
}
