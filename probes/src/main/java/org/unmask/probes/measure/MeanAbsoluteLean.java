package org.unmask.probes.measure;

/**
 * {@code mean-abs-bias}: {@code (1/n) Σ_t |lean(t)|} over targets — how strongly targets lean either way on
 * average, in the lean's unit (nats of log-probability). Ideal 0. A standard summary of template association
 * scores (e.g. the "average absolute bias" of Kurita et al. 2019's per-attribute scores).
 */
public final class MeanAbsoluteLean implements Aggregate {
    @Override
    public String id() {
        return "mean-abs-bias";
    }

    @Override
    public String label() {
        return "mean |lean|";
    }

    @Override
    public double ideal() {
        return 0;
    }

    @Override
    public double compute(double[] lean, double[] stat, double split) {
        double s = 0;
        int n = 0;
        for (double v : lean) {
            if (!Double.isNaN(v)) {
                s += Math.abs(v);
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
