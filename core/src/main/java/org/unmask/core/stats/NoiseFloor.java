package org.unmask.core.stats;

/**
 * The value a statistic takes on pure noise, and how surprising the observed value is against it.
 *
 * <p>Statistics such as mean |lean| and max |lean| are positive even for a model with no bias at all, because each
 * target's lean is measured with noise (from its templates and terms). The noise floor is their expected value when
 * every target's true lean is 0 at the observed noise level. Unmask draws that null from the bootstrap itself:
 * resample b's deviations {@code lean*_b(t) − lean(t)} are what the noise looks like around a true value, so
 * {@code mean_t |lean*_b(t) − lean(t)|} is a draw of mean |lean| for a model with every true lean 0 (Hall &amp; Wilson
 * 1991's recentred bootstrap null; for one factor it plays the role of the sign-flip null). The deviations of one
 * resample are taken together, so the correlation between targets that share templates and terms is kept.
 *
 * @param value mean of the null draws: the statistic expected with no bias at this noise level (NaN when undefined)
 * @param p one-sided p-value {@code (1 + #{null ≥ observed}) / (1 + B)} against "no bias" (NaN when undefined)
 * @param draws number of (finite) null draws
 * @param method how the null was drawn
 */
public record NoiseFloor(double value, double p, int draws, String method) {
    /** The method name of the recentred crossed-bootstrap null. */
    public static final String RECENTRED = "recentred-bootstrap";

    /** No noise floor (the statistic has none, or nothing was resampled). */
    public static final NoiseFloor NONE = new NoiseFloor(Double.NaN, Double.NaN, 0, "");

    /** The noise floor and p-value of {@code observed} against null draws (NaN draws are left out). */
    public static NoiseFloor of(double observed, double[] nullDraws, String method) {
        double sum = 0;
        int n = 0;
        int atLeast = 0;
        double tolerance = 1e-9 * Math.max(1, Math.abs(observed));
        for (double v : nullDraws) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
                if (v >= observed - tolerance) {
                    atLeast++;
                }
            }
        }
        if (n == 0 || Double.isNaN(observed)) {
            return NONE;
        }
        return new NoiseFloor(sum / n, (1.0 + atLeast) / (1.0 + n), n, method);
    }

    /**
     * Null draws of mean |x| and max |x| from per-unit replicates: {@code reps[t][b]} is unit t's statistic on
     * resample b, {@code estimates[t]} its value on the data; units whose estimate is NaN are left out.
     *
     * @return {@code {meanAbs[b], maxAbs[b]}}
     */
    public static double[][] absoluteNull(double[] estimates, double[][] reps) {
        int b = reps.length == 0 ? 0 : reps[0].length;
        double[] mean = new double[b];
        double[] max = new double[b];
        for (int r = 0; r < b; r++) {
            double s = 0;
            double m = Double.NaN;
            int n = 0;
            for (int t = 0; t < estimates.length; t++) {
                double d = reps[t][r] - estimates[t];
                if (Double.isNaN(d)) {
                    continue;
                }
                s += Math.abs(d);
                m = Double.isNaN(m) ? Math.abs(d) : Math.max(m, Math.abs(d));
                n++;
            }
            mean[r] = n == 0 ? Double.NaN : s / n;
            max[r] = m;
        }
        return new double[][] {mean, max};
    }
}
