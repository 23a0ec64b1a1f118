package org.unmask.core.stats;

/** Sample mean and variance; NaN when undefined (empty input, or one value for the variance). */
public final class Moments {
    private Moments() {}

    public static double mean(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** Unbiased sample variance {@code Σ(x − x̄)² / (n − 1)} (ddof 1), two-pass for accuracy. */
    public static double variance(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return ss / (x.length - 1);
    }

    /** Sample standard deviation, ddof 1. */
    public static double std(double[] x) {
        return Math.sqrt(variance(x));
    }
}
