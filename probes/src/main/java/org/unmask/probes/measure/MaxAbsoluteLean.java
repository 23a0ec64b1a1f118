package org.unmask.probes.measure;

/**
 * {@code max-abs-bias}: {@code max_t |lean(t)|} — the most biased target; what CI gates usually bound
 * ({@code max |association| < 0.5}). Ideal 0. Note that a maximum grows with the number of targets.
 */
public final class MaxAbsoluteLean implements Aggregate {
    @Override
    public String id() {
        return "max-abs-bias";
    }

    @Override
    public String label() {
        return "max |lean|";
    }

    @Override
    public double ideal() {
        return 0;
    }

    @Override
    public double compute(double[] lean, double[] stat, double split) {
        double m = Double.NaN;
        for (double v : lean) {
            if (!Double.isNaN(v) && (Double.isNaN(m) || Math.abs(v) > m)) {
                m = Math.abs(v);
            }
        }
        return m;
    }
}
