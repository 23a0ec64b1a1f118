package org.unmask.core.stats;

/**
 * Standardised mean differences.
 *
 * <p>Cohen's d (Cohen 1988) with the pooled sample standard deviation:
 * {@code d = (x̄ − ȳ) / s_p}, {@code s_p = sqrt(((n_x − 1) s_x² + (n_y − 1) s_y²) / (n_x + n_y − 2))}, where
 * {@code s²} are ddof-1 variances. Ideal value for "no bias": 0. |d| ≈ 0.2 is conventionally small, 0.5 medium,
 * 0.8 large. Note WEAT (Caliskan et al. 2017) divides by the standard deviation of the union instead
 * ({@link #weatD}); the two differ when the groups' means differ or sizes are unequal.
 */
public final class EffectSize {
    private EffectSize() {}

    /** Cohen's d with pooled ddof-1 standard deviation; NaN when a group is empty, n_x + n_y &lt; 3 or s_p = 0. */
    public static double cohensD(double[] x, double[] y) {
        int nx = x.length;
        int ny = y.length;
        if (nx == 0 || ny == 0 || nx + ny < 3) {
            return Double.NaN;
        }
        double vx = nx > 1 ? Moments.variance(x) : 0;
        double vy = ny > 1 ? Moments.variance(y) : 0;
        double pooled = Math.sqrt(((nx - 1) * vx + (ny - 1) * vy) / (nx + ny - 2));
        if (pooled == 0) {
            return Double.NaN;
        }
        return (Moments.mean(x) - Moments.mean(y)) / pooled;
    }

    /** WEAT's effect size: {@code (x̄ − ȳ) / std(x ∪ y)} with ddof 1 (sent-bias, bias-bench). */
    public static double weatD(double[] x, double[] y) {
        double[] all = new double[x.length + y.length];
        System.arraycopy(x, 0, all, 0, x.length);
        System.arraycopy(y, 0, all, x.length, y.length);
        double sd = Moments.std(all);
        if (x.length == 0 || y.length == 0 || !(sd > 0)) {
            return Double.NaN;
        }
        return (Moments.mean(x) - Moments.mean(y)) / sd;
    }
}
