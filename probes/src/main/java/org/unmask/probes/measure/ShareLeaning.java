package org.unmask.probes.measure;

/**
 * {@code share-leaning-a} / {@code share-leaning-b}: the fraction of targets with {@code lean(t) > 0} (toward group
 * A) or {@code < 0} (toward B). Ideal 0.5 each: a balanced model tips as many targets one way as the other (exact
 * zeros count for neither). As in lm-evaluation-harness's {@code pct_male_preferred} (Brown et al. 2020).
 */
public final class ShareLeaning implements Aggregate {
    private final boolean towardA;

    public ShareLeaning(boolean towardA) {
        this.towardA = towardA;
    }

    @Override
    public String id() {
        return towardA ? "share-leaning-a" : "share-leaning-b";
    }

    @Override
    public String label() {
        return towardA ? "share leaning to group A" : "share leaning to group B";
    }

    @Override
    public double ideal() {
        return 0.5;
    }

    @Override
    public double compute(double[] lean, double[] stat, double split) {
        int hit = 0;
        int n = 0;
        for (double v : lean) {
            if (!Double.isNaN(v)) {
                n++;
                if (towardA ? v > 0 : v < 0) {
                    hit++;
                }
            }
        }
        return n == 0 ? Double.NaN : (double) hit / n;
    }
}
