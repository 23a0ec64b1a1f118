package org.unmask.core.stats;

/**
 * A closed interval {@code [lower, upper]}, e.g. a 95 % confidence interval. Both ends are NaN when the interval is
 * undefined (too few data, a degenerate statistic).
 *
 * @param lower lower end
 * @param upper upper end, {@code >= lower}
 */
public record Interval(double lower, double upper) {
    /** The interval of an undefined statistic. */
    public static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN);

    public Interval {
        if (Double.isNaN(lower) != Double.isNaN(upper)) {
            throw new IllegalArgumentException("interval ends must both be NaN or both be numbers");
        }
        if (lower > upper) {
            throw new IllegalArgumentException("interval lower end " + lower + " above upper end " + upper);
        }
    }

    public boolean isDefined() {
        return !Double.isNaN(lower);
    }

    public boolean contains(double x) {
        return x >= lower && x <= upper;
    }

    public double width() {
        return upper - lower;
    }
}
