package org.unmask.probes.measure;

/**
 * {@code max-abs-bias}: {@code max_t |lean(t)|} — the most biased target; what CI gates usually bound
 * ({@code max |association| < 0.5}). Ideal 0. Note that a maximum grows with the number of targets.
 *
 * <p>Its interval holds the targets fixed: the maximum is a statement about these targets (the worst of them), and
 * the bootstrap of a maximum over resampled units is inconsistent (it cannot draw anything beyond the largest
 * observed value). Templates, contexts and terms are resampled; the winner's-curse bias of a maximum of noisy leans
 * is what the BCa correction and the noise floor address.
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
    public boolean overTargets() {
        return false;
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
