package org.unmask.core.stats;

/**
 * Intervals for a proportion {@code k / n} of independent yes/no outcomes.
 *
 * <p>Wilson's score interval (1927): {@code (p̂ + z²/2n ± z sqrt(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)}. Unlike the
 * Wald interval it stays inside [0, 1], is not empty at {@code k = 0} or {@code k = n}, and holds its coverage for
 * small n (Brown, Cai &amp; DasGupta 2001). It always contains {@code p̂}. Use it only when the outcomes are
 * independent; clustered outcomes (continuations sharing a prompt) need the {@link CrossedBootstrap}.
 */
public final class Proportions {
    /** Method name written beside Wilson intervals. */
    public static final String WILSON = "wilson";

    private Proportions() {}

    /** The 95 % Wilson interval of {@code k} successes in {@code n} trials; undefined for n = 0. */
    public static Interval wilson(long k, long n) {
        return wilson(k, n, 0.95);
    }

    public static Interval wilson(long k, long n, double level) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n, got k=" + k + ", n=" + n);
        }
        if (n == 0) {
            return Interval.undefined(WILSON, "no trials");
        }
        double z = Normal.quantile(1 - (1 - level) / 2);
        double p = (double) k / n;
        double z2n = z * z / n;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2n / (4.0 * n)) / (1 + z2n);
        double lo = k == 0 ? 0 : Math.max(0, Math.min(p, centre - half));
        double hi = k == n ? 1 : Math.min(1, Math.max(p, centre + half));
        return new Interval(lo, hi, WILSON, "", "");
    }
}
