package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.List;
import org.unmask.core.stats.EffectSize;

/**
 * {@code effect-size}: Cohen's d of the leans of targets whose statistic is above the split (e.g. female-dominated
 * occupations, % female &gt; 50) against the rest: {@code d = (mean_X lean − mean_Y lean) / s_pooled} (ddof 1).
 * This is WEAT's effect size (Caliskan et al. 2017) with the lean as the association score, and the pooled
 * standard deviation of {@link EffectSize#cohensD}. Ideal 0; positive means the model leans targets that are
 * above the split toward group A. Its p-value is a two-sided permutation test over target labels.
 */
public final class SplitEffectSize implements Aggregate {
    @Override
    public String id() {
        return "effect-size";
    }

    @Override
    public String label() {
        return "Cohen's d (above vs below split)";
    }

    @Override
    public double ideal() {
        return 0;
    }

    @Override
    public boolean needsStat() {
        return true;
    }

    @Override
    public boolean needsSplit() {
        return true;
    }

    @Override
    public double compute(double[] lean, double[] stat, double split) {
        double[][] xy = split(lean, stat, split);
        return EffectSize.cohensD(xy[0], xy[1]);
    }

    /** Leans of targets above the split and of the others (targets without lean or statistic left out). */
    static double[][] split(double[] lean, double[] stat, double split) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < lean.length; i++) {
            if (Double.isNaN(lean[i]) || Double.isNaN(stat[i])) {
                continue;
            }
            (stat[i] > split ? x : y).add(lean[i]);
        }
        return new double[][] {
            x.stream().mapToDouble(Double::doubleValue).toArray(),
            y.stream().mapToDouble(Double::doubleValue).toArray()
        };
    }
}
