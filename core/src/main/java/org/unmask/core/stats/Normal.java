package org.unmask.core.stats;

/**
 * The standard normal distribution's cdf {@code Φ} and quantile function {@code Φ⁻¹}, as the bias-corrected
 * bootstrap needs them.
 *
 * <p>{@code Φ(x) = 1/2 + φ(x) Σ_{k≥0} x^(2k+1) / (1·3·5···(2k+1))} (a series of positive terms, so no cancellation;
 * absolute error below 1e-15 for {@code |x| ≤ 8}, and {@code Φ} is 0 or 1 to double precision beyond 38).
 * {@code Φ⁻¹} inverts it by bisection to full double precision; it is called a handful of times per interval.
 */
public final class Normal {
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private Normal() {}

    /** {@code Φ(x)}; NaN for NaN. */
    public static double cdf(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < -38) {
            return 0;
        }
        if (x > 38) {
            return 1;
        }
        if (x < -8) {
            // Mills-ratio asymptotic tail, relative error < 1e-6 here; only ever used for tiny probabilities
            double t = 1 / (x * x);
            return INV_SQRT_2PI * Math.exp(-x * x / 2) / -x * (1 - t + 3 * t * t - 15 * t * t * t);
        }
        if (x > 8) {
            return 1 - cdf(-x);
        }
        double term = x;
        double sum = x;
        double x2 = x * x;
        for (int k = 1; k < 500 && Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
            term *= x2 / (2 * k + 1);
            sum += term;
        }
        double p = 0.5 + INV_SQRT_2PI * Math.exp(-x2 / 2) * sum;
        return Math.max(0, Math.min(1, p));
    }

    /** {@code Φ⁻¹(p)}: −∞ for 0, +∞ for 1; throws outside [0, 1]. */
    public static double quantile(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], was " + p);
        }
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double lo = -38;
        double hi = 38;
        for (int i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); i++) {
            double mid = (lo + hi) / 2;
            if (cdf(mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
