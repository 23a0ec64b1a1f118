package org.unmask.core.stats;

/**
 * Quantiles of Student's t distribution, for the small-sample expansion of bootstrap intervals. Exact for 1 and 2
 * degrees of freedom; otherwise the Cornish–Fisher expansion in {@code 1/ν} to the fourth term (Abramowitz &amp;
 * Stegun 26.7.5), accurate to about 1e-3 at ν = 3 and better beyond, which is far below the bootstrap's own
 * Monte Carlo error. Real (non-integer) ν are allowed, as the Welch–Satterthwaite degrees of freedom are real.
 */
public final class StudentT {
    private StudentT() {}

    /** The {@code p}-quantile with {@code df} degrees of freedom ({@code df ≥ 1}; ∞ gives the normal quantile). */
    public static double quantile(double p, double df) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1), was " + p);
        }
        if (!(df >= 1)) {
            throw new IllegalArgumentException("need at least 1 degree of freedom, got " + df);
        }
        if (Double.isInfinite(df)) {
            return Normal.quantile(p);
        }
        if (df == 1) {
            return Math.tan(Math.PI * (p - 0.5));
        }
        if (df == 2) {
            return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
        }
        if (df < 3) {
            // between the exact 2-df value and the expansion at 3: interpolate linearly in 1/df
            double t2 = quantile(p, 2);
            double t3 = quantile(p, 3);
            double w = (1 / df - 1 / 3.0) / (1 / 2.0 - 1 / 3.0);
            return w * t2 + (1 - w) * t3;
        }
        double z = Normal.quantile(p);
        double z2 = z * z;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
    }
}
