package org.unmask.core.stats;

import java.util.Objects;

/**
 * A statistic as reports show it: the value on the full data, its 95 % confidence interval and the number of
 * observations it rests on.
 *
 * @param value the point estimate (NaN when undefined)
 * @param ci95 the 95 % confidence interval; how it was made (bootstrap, Fisher z) is stated by the producer
 * @param n how many observations (items, or pairs for a correlation) the value is computed from
 */
public record Estimate(double value, Interval ci95, int n) {
    public Estimate {
        Objects.requireNonNull(ci95, "ci95");
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
    }

    /** An estimate with no interval (e.g. from a single observation). */
    public static Estimate undefinedInterval(double value, int n) {
        return new Estimate(value, Interval.UNDEFINED, n);
    }
}
