package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.List;
import org.unmask.core.stats.Correlation;

/**
 * {@code pearson} / {@code spearman}: correlation between the targets' lean toward group A and their real-world
 * statistic (e.g. BLS % female), as in Rudinger et al. 2018 (Winogender: correlation of a system's % female
 * predictions with BLS). Spearman uses average ranks for ties. Ideal 0: the model's preferences do not mirror the
 * real-world skew; +1 means they track it perfectly.
 */
public final class StatCorrelation implements Aggregate {
    private final boolean spearman;

    public StatCorrelation(boolean spearman) {
        this.spearman = spearman;
    }

    @Override
    public String id() {
        return spearman ? "spearman" : "pearson";
    }

    @Override
    public String label() {
        return spearman ? "Spearman ρ (lean vs statistic)" : "Pearson r (lean vs statistic)";
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
    public double compute(double[] lean, double[] stat, double split) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < lean.length; i++) {
            if (!Double.isNaN(lean[i]) && !Double.isNaN(stat[i])) {
                pairs.add(new double[] {lean[i], stat[i]});
            }
        }
        double[] x = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = pairs.stream().mapToDouble(p -> p[1]).toArray();
        return spearman ? Correlation.spearman(x, y) : Correlation.pearson(x, y);
    }
}
