package org.unmask.core.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Pearson and Spearman correlation, with confidence intervals by Fisher's z transform.
 *
 * <ul>
 *   <li>Pearson: {@code r = Σ(x − x̄)(y − ȳ) / sqrt(Σ(x − x̄)² Σ(y − ȳ)²)}.
 *   <li>Spearman: Pearson's r of the ranks, ties given their average rank (as SciPy's {@code spearmanr}).
 *   <li>95 % CI (Fisher 1921): {@code z = atanh(r)}, {@code z ± 1.959964 · se}, back with {@code tanh};
 *       {@code se = 1 / sqrt(n − 3)} for Pearson and {@code se = sqrt(1.06 / (n − 3))} for Spearman
 *       (Fieller, Hartley &amp; Pearson 1957). Undefined for n &lt; 4.
 * </ul>
 *
 * <p>Ideal value when correlating a model's lean with real-world statistics: 0 (the model does not mirror the
 * skew); +1 means it tracks it perfectly. Correlations of constant inputs are undefined (NaN).
 */
public final class Correlation {
    /** The method an analytic Fisher-z interval names (it resamples nothing). */
    public static final String FISHER_Z = "fisher-z";

    /** The 97.5 % point of the standard normal distribution. */
    static final double Z_975 = 1.959963984540054;

    private Correlation() {}

    public static double pearson(double[] x, double[] y) {
        checkPaired(x, y);
        if (x.length < 2) {
            return Double.NaN;
        }
        double mx = Moments.mean(x);
        double my = Moments.mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        // clamp: rounding can push |r| a hair above 1, which atanh turns into NaN
        return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    }

    public static double spearman(double[] x, double[] y) {
        checkPaired(x, y);
        return pearson(averageRanks(x), averageRanks(y));
    }

    /** Ranks from 1, ties sharing the mean of the ranks they span ({@code [10, 20, 20, 30] → [1, 2.5, 2.5, 4]}). */
    public static double[] averageRanks(double[] x) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
        double[] ranks = new double[x.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && x[order[j + 1]] == x[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = avg;
            }
            i = j + 1;
        }
        return ranks;
    }

    /** Pearson's r with a Fisher-z 95 % interval. */
    public static Estimate pearsonEstimate(double[] x, double[] y) {
        double r = pearson(x, y);
        return new Estimate(r, fisherInterval(r, x.length, 1.0), x.length);
    }

    /** Spearman's ρ with a Fisher-z 95 % interval using the Fieller–Hartley–Pearson variance 1.06 / (n − 3). */
    public static Estimate spearmanEstimate(double[] x, double[] y) {
        double rho = spearman(x, y);
        return new Estimate(rho, fisherInterval(rho, x.length, 1.06), x.length);
    }

    /**
     * The 95 % interval {@code tanh(atanh(r) ± 1.959964 · sqrt(varianceFactor / (n − 3)))}.
     *
     * @param varianceFactor 1 for Pearson, 1.06 for Spearman
     */
    public static Interval fisherInterval(double r, int n, double varianceFactor) {
        if (Double.isNaN(r) || n < 4) {
            return Interval.UNDEFINED;
        }
        if (Math.abs(r) == 1) {
            return new Interval(r, r, FISHER_Z, "", "");
        }
        double z = 0.5 * Math.log((1 + r) / (1 - r));
        double half = Z_975 * Math.sqrt(varianceFactor / (n - 3));
        return new Interval(Math.tanh(z - half), Math.tanh(z + half), FISHER_Z, "", "");
    }

    private static void checkPaired(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("correlation needs paired data, got " + x.length + " and " + y.length);
        }
    }
}
