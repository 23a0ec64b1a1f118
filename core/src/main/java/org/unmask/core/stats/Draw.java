package org.unmask.core.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * One resample of a {@link CrossedDesign}: how often each level of each factor was drawn. Item {@code i} enters the
 * resample {@code Π_f count_f(level_f(i))} times (Owen 2007's pigeonhole bootstrap). The full data is the draw
 * with every count 1; a jackknife draw has one count 0.
 */
public final class Draw {
    private final CrossedDesign design;
    private final int[][] counts;

    Draw(CrossedDesign design, int[][] counts) {
        this.design = design;
        this.counts = counts;
    }

    /** The full data: every level once. */
    public static Draw all(CrossedDesign design) {
        int[][] counts = new int[design.factors().size()][];
        for (int f = 0; f < counts.length; f++) {
            counts[f] = new int[design.factors().get(f).levels()];
            java.util.Arrays.fill(counts[f], 1);
        }
        return new Draw(design, counts);
    }

    /** The counts of one factor, for the jackknife to zero one level. */
    int[] countsFor(int factor) {
        return counts[factor];
    }

    public CrossedDesign design() {
        return design;
    }

    /** How often level {@code level} of factor {@code factor} was drawn. */
    public int count(int factor, int level) {
        return counts[factor][level];
    }

    /** A copy of the counts of every level of factor {@code factor}. */
    public int[] counts(int factor) {
        return counts[factor].clone();
    }

    /** How often item {@code item}'s level of factor {@code factor} was drawn. */
    public int countOf(int factor, int item) {
        return counts[factor][design.factors().get(factor).levelOf()[item]];
    }

    /** The item's multiplicity: the product over factors. */
    public double weight(int item) {
        double w = 1;
        for (int f = 0; f < counts.length && w != 0; f++) {
            w *= counts[f][design.factors().get(f).levelOf()[item]];
        }
        return w;
    }

    /**
     * The item's multiplicity over every factor but {@code skip} (e.g. a target's lean from its resampled templates
     * and terms, whether or not the target itself was drawn); {@code skip = −1} skips none.
     */
    public double weightExcept(int item, int skip) {
        double w = 1;
        for (int f = 0; f < counts.length && w != 0; f++) {
            if (f != skip) {
                w *= counts[f][design.factors().get(f).levelOf()[item]];
            }
        }
        return w;
    }

    /** The resample as a list: each item repeated by its multiplicity, in item order. */
    public <T> List<T> materialise(List<T> items) {
        if (items.size() != design.items()) {
            throw new IllegalArgumentException("design has " + design.items() + " items, got " + items.size());
        }
        List<T> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            for (int w = (int) weight(i); w > 0; w--) {
                out.add(items.get(i));
            }
        }
        return out;
    }
}
