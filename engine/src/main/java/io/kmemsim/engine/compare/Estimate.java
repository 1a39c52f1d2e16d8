package io.kmemsim.engine.compare;

import java.util.List;

/**
 * The mean of a measure over the seeds of one variant, with the half-width of its 95 % confidence
 * interval (Student's t with {@code n - 1} degrees of freedom on the sample standard deviation; 0 for a
 * single run, NaN when no run had the measure).
 *
 * @param mean      the mean, or NaN when {@code n} is 0
 * @param halfWidth the 95 % interval is {@code mean ± halfWidth}; 0 when {@code n} is 1
 * @param n         the runs that had the measure
 */
public record Estimate(double mean, double halfWidth, int n) {

    /** Two-sided 95 % critical values of Student's t for 1..30 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    /** The estimate from {@code values}; NaN values (a measure a run could not compute) are left out. */
    public static Estimate of(List<Double> values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            return new Estimate(Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        if (n == 1) {
            return new Estimate(mean, 0, 1);
        }
        double squares = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                squares += (v - mean) * (v - mean);
            }
        }
        double sd = Math.sqrt(squares / (n - 1));
        return new Estimate(mean, t95(n - 1) * sd / Math.sqrt(n), n);
    }

    /** The two-sided 95 % critical value of Student's t for {@code df} degrees of freedom. */
    static double t95(int df) {
        if (df <= T95.length) {
            return T95[df - 1];
        }
        return df <= 40 ? 2.021 : df <= 60 ? 2.000 : df <= 120 ? 1.980 : 1.960;
    }
}
