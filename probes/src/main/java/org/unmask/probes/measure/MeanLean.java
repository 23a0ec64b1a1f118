package org.unmask.probes.measure;

/**
 * {@code mean-bias}: {@code (1/n) Σ_t lean(t)} — whether targets as a whole lean toward group A (positive) or B.
 * Ideal 0. Its p-value is an exact or Monte Carlo sign-flip permutation test over targets (H0: each target's lean
 * is symmetric around 0); the effect size is {@code d_z = mean / sd} (ddof 1) of the leans.
 */
public final class MeanLean implements Aggregate {
    @Override
    public String id() {
        return "mean-bias";
    }

    @Override
    public String label() {
        return "mean lean";
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
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
