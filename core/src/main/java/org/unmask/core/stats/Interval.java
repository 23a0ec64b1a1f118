package org.unmask.core.stats;

import java.util.Objects;

/**
 * A closed interval {@code [lower, upper]}, e.g. a 95 % confidence interval, with how it was made. Both ends are NaN
 * when the interval is undefined (too few data, a degenerate statistic).
 *
 * <p>The three descriptive components are plain strings so that {@code result.json} stays readable by tools that
 * know nothing about them (files written before they existed simply lack them; readers treat a missing one as
 * {@code ""}).
 *
 * @param lower lower end
 * @param upper upper end, {@code >= lower}
 * @param method how the interval was made, e.g. {@code bca} (bias-corrected and accelerated bootstrap),
 *     {@code percentile}, {@code wilson}, {@code fisher-z}; {@code ""} when the producer does not say
 * @param resamples what varies in the interval, e.g. {@code targets × templates × terms}; {@code ""} when the producer
 *     does not say or nothing is resampled (closed-form intervals)
 * @param note a caveat a reader must see beside the interval (e.g. "1 template: does not generalise over
 *     templates"), or {@code ""}
 */
public record Interval(double lower, double upper, String method, String resamples, String note) {
    /** The interval of an undefined statistic. */
    public static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN);

    public Interval {
        if (Double.isNaN(lower) != Double.isNaN(upper)) {
            throw new IllegalArgumentException("interval ends must both be NaN or both be numbers");
        }
        if (lower > upper) {
            throw new IllegalArgumentException("interval lower end " + lower + " above upper end " + upper);
        }
        method = Objects.requireNonNullElse(method, "");
        resamples = Objects.requireNonNullElse(resamples, "");
        note = Objects.requireNonNullElse(note, "");
    }

    /** An interval whose producer states nothing about how it was made. */
    public Interval(double lower, double upper) {
        this(lower, upper, "", "", "");
    }

    /** An undefined interval with the reason, e.g. "1 target: nothing to resample". */
    public static Interval undefined(String method, String note) {
        return new Interval(Double.NaN, Double.NaN, method, "", note);
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

    /** This interval with another caveat appended (kept when {@code more} is empty). */
    public Interval withNote(String more) {
        if (more == null || more.isEmpty()) {
            return this;
        }
        return new Interval(lower, upper, method, resamples, note.isEmpty() ? more : note + "; " + more);
    }
}
