package org.unmask.core.stats;

import java.util.Arrays;

/**
 * Sample quantiles by linear interpolation between order statistics (Hyndman &amp; Fan type 7, the default of R
 * and NumPy): for sorted {@code x[0..n-1]} and probability {@code q}, {@code h = (n − 1) q},
 * {@code Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋])}.
 */
public final class Quantiles {
    private Quantiles() {}

    /** The {@code q}-quantile of {@code x}; NaN values are ignored, and an all-NaN or empty input gives NaN. */
    public static double quantile(double[] x, double q) {
        return ofSorted(sortedFinite(x), q);
    }

    static double[] sortedFinite(double[] x) {
        double[] s = Arrays.stream(x).filter(v -> !Double.isNaN(v)).toArray();
        Arrays.sort(s);
        return s;
    }

    static double ofSorted(double[] sorted, double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile probability must be in [0, 1], was " + q);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
