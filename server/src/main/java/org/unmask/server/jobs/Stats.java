package org.unmask.server.jobs;

import java.util.List;

/** The two interval estimates the occupation audit reports. */
final class Stats {
    /** Two-sided 97.5% Student-t quantiles for 1..30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    private Stats() {}

    /** Mean and 95% t-interval: {mean, low, high}; the interval is NaN for fewer than two values. */
    static double[] meanCi95(double[] xs) {
        int n = xs.length;
        double mean = 0;
        for (double x : xs) {
            mean += x;
        }
        mean /= n;
        if (n < 2) {
            return new double[] {mean, Double.NaN, Double.NaN};
        }
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        double se = Math.sqrt(ss / (n - 1) / n);
        double t = n - 1 <= T975.length ? T975[n - 2] : 1.96;
        return new double[] {mean, mean - t * se, mean + t * se};
    }

    /** Pearson r of (x, y) pairs with a 95% Fisher-z interval: {r, low, high}; NaN when undefined. */
    static double[] pearsonCi95(List<double[]> xy) {
        int n = xy.size();
        double mx = 0;
        double my = 0;
        for (double[] p : xy) {
            mx += p[0];
            my += p[1];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (double[] p : xy) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
            syy += (p[1] - my) * (p[1] - my);
        }
        double r = sxy / Math.sqrt(sxx * syy);
        if (n < 4 || Double.isNaN(r) || Math.abs(r) >= 1) {
            return new double[] {r, Double.NaN, Double.NaN};
        }
        double z = 0.5 * Math.log((1 + r) / (1 - r));
        double half = 1.96 / Math.sqrt(n - 3);
        return new double[] {r, Math.tanh(z - half), Math.tanh(z + half)};
    }
}
