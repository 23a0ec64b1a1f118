package org.unmask.core.stats;

/**
 * Bias-corrected and accelerated (BCa) bootstrap intervals (Efron 1987; Efron &amp; Tibshirani 1993, §14.3), with a
 * guarantee that the interval contains its estimate.
 *
 * <p>With {@code p₀} the share of replicates below the estimate (ties count half), {@code z₀ = Φ⁻¹(p₀)} measures
 * the statistic's bias under resampling (e.g. mean |lean| rises and correlations attenuate when fewer distinct
 * templates or terms are drawn). The end points are the type-7 {@link Quantiles quantiles} of the replicates at
 * {@code Φ(z₀ + (z₀ + z_α) / (1 − a (z₀ + z_α)))} for {@code α = 2.5 %, 97.5 %}, {@code a} the acceleration.
 * When {@code |z₀|} stays below {@code z_0.975} and the acceleration is moderate, these levels lie on either side
 * of {@code p₀}, so the interval contains the estimate.
 *
 * <p>Degenerate cases, and what is printed:
 * <ul>
 *   <li>the estimate lies outside the central 95 % of its replicates (the bias dominates the noise, e.g. mean
 *       |lean| of an unbiased model): BCa would exclude it; the interval is widened to the estimate and its note
 *       says so ("bias-dominated");
 *   <li>every replicate equals the estimate: a zero-width interval noted "no variation across resamples";
 *   <li>undefined replicates (e.g. a correlation of a constant resample) are left out and counted in the note.
 * </ul>
 */
public final class Bca {
    /** The method name written beside BCa intervals. */
    public static final String METHOD = "bca";

    private Bca() {}

    /**
     * @param estimate the statistic on the full data
     * @param replicates its values on the resamples (NaN where undefined)
     * @param acceleration the jackknife acceleration (0 gives the bias-corrected percentile interval)
     * @param level confidence level in (0, 1)
     * @param resamples what varies, e.g. {@code targets × templates × terms}; empty means nothing does
     */
    public static Interval interval(
            double estimate, double[] replicates, double acceleration, double level, String resamples) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), was " + level);
        }
        return expanded(estimate, replicates, acceleration, Normal.quantile(1 - (1 - level) / 2), resamples);
    }

    /**
     * The BCa interval with a given tail point {@code zHi} in place of {@code z_{1−α/2}} (the small-sample
     * expansion of {@link CrossedBootstrap}; 1.96 gives the plain 95 % BCa interval).
     */
    public static Interval expanded(
            double estimate, double[] replicates, double acceleration, double zHi, String resamples) {
        if (!(zHi > 0)) {
            throw new IllegalArgumentException("tail point must be positive, was " + zHi);
        }
        if (Double.isNaN(estimate)) {
            return Interval.undefined(METHOD, "statistic undefined on the data");
        }
        if (resamples == null || resamples.isEmpty()) {
            return Interval.undefined(METHOD, "nothing to resample (one level of every factor)");
        }
        double[] sorted = Quantiles.sortedFinite(replicates);
        int undefined = replicates.length - sorted.length;
        String undefinedNote =
                undefined == 0 ? "" : undefined + " of " + replicates.length + " resamples undefined, left out";
        if (sorted.length < 2) {
            return Interval.undefined(METHOD, undefinedNote.isEmpty() ? "too few resamples" : undefinedNote);
        }
        if (sorted[0] == sorted[sorted.length - 1] && sorted[0] == estimate) {
            return new Interval(estimate, estimate, METHOD, resamples, "no variation across resamples")
                    .withNote(undefinedNote);
        }
        double below = 0;
        for (double v : sorted) {
            if (v < estimate) {
                below++;
            } else if (v == estimate) {
                below += 0.5;
            }
        }
        double p0 = below / sorted.length;
        double alpha = Normal.cdf(-zHi);
        double lo;
        double hi;
        String note = "";
        double z0 = Normal.quantile(p0);
        double a = Double.isNaN(acceleration) ? 0 : acceleration;
        double qLo = adjusted(z0, -zHi, a);
        double qHi = adjusted(z0, zHi, a);
        if (Math.abs(z0) >= zHi || Double.isNaN(qLo) || Double.isNaN(qHi) || qLo > qHi) {
            // the estimate sits in a tail of its own replicates: BCa's levels collapse onto one side of it
            lo = Quantiles.ofSorted(sorted, alpha);
            hi = Quantiles.ofSorted(sorted, 1 - alpha);
            note = "bias-dominated: estimate outside the central 95 % of its resamples, percentile interval "
                    + "widened to the estimate";
        } else {
            lo = Quantiles.ofSorted(sorted, qLo);
            hi = Quantiles.ofSorted(sorted, qHi);
        }
        if (estimate < lo || estimate > hi) {
            if (note.isEmpty()) {
                note = "widened to the estimate";
            }
            lo = Math.min(lo, estimate);
            hi = Math.max(hi, estimate);
        }
        return new Interval(lo, hi, METHOD, resamples, note).withNote(undefinedNote);
    }

    /** {@code Φ(z₀ + (z₀ + z) / (1 − a (z₀ + z)))}; NaN when the denominator is not positive. */
    static double adjusted(double z0, double z, double a) {
        double denominator = 1 - a * (z0 + z);
        if (!(denominator > 0)) {
            return Double.NaN;
        }
        return Normal.cdf(z0 + (z0 + z) / denominator);
    }

    /** Method name of plain percentile intervals. */
    public static final String PERCENTILE = "percentile";

    /**
     * The plain percentile interval (no bias correction): the {@code (1 − level)/2} and {@code (1 + level)/2} type-7
     * quantiles of the defined replicates; undefined when there are none. It need not contain the estimate; prefer
     * {@link #interval}.
     */
    public static Interval percentile(double[] replicates, double level, String resamples) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), was " + level);
        }
        double[] sorted = Quantiles.sortedFinite(replicates);
        if (sorted.length == 0) {
            return Interval.undefined(PERCENTILE, "no defined resamples");
        }
        double alpha = (1 - level) / 2;
        return new Interval(
                Quantiles.ofSorted(sorted, alpha), Quantiles.ofSorted(sorted, 1 - alpha), PERCENTILE, resamples, "");
    }
}
