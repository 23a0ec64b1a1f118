package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unmask.core.result.LeanItem;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.CrossedDesign;
import org.unmask.core.stats.Draw;
import org.unmask.core.stats.Estimate;
import org.unmask.core.stats.Fdr;
import org.unmask.core.stats.Interval;
import org.unmask.core.stats.NoiseFloor;

/**
 * The statistics of one lean measure on one crossed bootstrap: per-target leans and the {@link Aggregate}s over
 * targets, each with a BCa interval; the noise floor of mean |lean| and max |lean|; per-target p-values with
 * Benjamini–Hochberg q-values.
 *
 * <p>The design crosses targets, templates, contexts and group terms (terms drawn within their group). A target's
 * lean uses its own items under the resampled templates, contexts and terms (so it exists whether or not the
 * target was drawn); aggregates over targets then count each target as often as it was drawn. Aggregates that are
 * statements about the listed targets rather than a population of targets ({@link Aggregate#overTargets()} false,
 * e.g. max |lean|) hold targets fixed. The audit and the coverage study both run this class.
 */
final class LeanStatistics {
    static final String TARGETS = "targets";
    static final String TEMPLATES = "templates";
    static final String CONTEXTS = "contexts";
    static final String TERMS = "terms";

    /**
     * Everything computed.
     *
     * @param aggregates one estimate per active aggregate, in order
     * @param noiseFloors per aggregate: the noise floor (mean |lean|, max |lean|) or {@link NoiseFloor#NONE}
     * @param targets per-target lean estimates, in target order
     * @param p per-target p-value against "true lean 0" (NaN when undefined)
     * @param q per-target BH q-value
     * @param resampled whether anything varies in the design
     */
    record Outcome(
            List<Estimate> aggregates,
            List<NoiseFloor> noiseFloors,
            List<Estimate> targets,
            double[] p,
            double[] q,
            boolean resampled) {}

    private final List<LeanItem> items;
    private final List<String> targets;
    private final double[] stat;
    private final double split;
    private final LeanPooling pooling;
    private final List<Aggregate> aggregates;
    private final int[] targetOf;
    private final boolean[] sideA;
    private final double[] score;
    private final CrossedDesign design;
    private final int targetFactor;
    private final int[] otherFactors;

    /**
     * @param items scored A and B items (no neutral ones)
     * @param targets target words, in report order
     * @param stat each target's statistic (NaN where none)
     */
    LeanStatistics(
            List<LeanItem> items,
            List<String> targets,
            double[] stat,
            double split,
            LeanPooling pooling,
            List<Aggregate> aggregates) {
        this.items = items;
        this.targets = targets;
        this.stat = stat;
        this.split = split;
        this.pooling = pooling;
        this.aggregates = aggregates;
        Map<String, Integer> index = new HashMap<>();
        for (int t = 0; t < targets.size(); t++) {
            index.putIfAbsent(targets.get(t), t);
        }
        targetOf = new int[items.size()];
        sideA = new boolean[items.size()];
        score = new double[items.size()];
        for (int i = 0; i < items.size(); i++) {
            LeanItem it = items.get(i);
            Integer t = index.get(it.target());
            if (t == null) {
                throw new IllegalArgumentException("item target '" + it.target() + "' is not a listed target");
            }
            targetOf[i] = t;
            sideA[i] = it.side().equals(LeanItem.A);
            score[i] = it.score();
        }
        design = CrossedDesign.of(items, specs());
        targetFactor = design.indexOf(TARGETS);
        otherFactors = java.util.stream.IntStream.range(0, design.factors().size())
                .filter(f -> f != targetFactor)
                .toArray();
    }

    /** Targets × templates × contexts × terms within their group. */
    static List<CrossedDesign.Spec<LeanItem>> specs() {
        return List.of(
                CrossedDesign.Spec.of(TARGETS, LeanItem::target),
                CrossedDesign.Spec.of(TEMPLATES, LeanItem::templateKey),
                CrossedDesign.Spec.of(CONTEXTS, LeanItem::context),
                CrossedDesign.Spec.within(TERMS, LeanItem::term, LeanItem::side));
    }

    CrossedDesign design() {
        return design;
    }

    /** Runs the bootstrap and builds every estimate. */
    Outcome compute(CrossedBootstrap bootstrap) {
        int a = aggregates.size();
        int n = targets.size();
        CrossedBootstrap.Result r = bootstrap.run(design, a + n, this::statistics);
        double[] lean = Arrays.copyOfRange(r.estimates(), a, a + n);
        int defined = (int) Arrays.stream(lean).filter(v -> !Double.isNaN(v)).count();
        String over = design.describe(Set.of());
        String overFixedTargets = design.describe(Set.of(TARGETS));
        String caveat = design.caveat(Set.of());
        double[][] leanReps = Arrays.copyOfRange(r.replicates(), a, a + n);
        double[][] nulls = NoiseFloor.absoluteNull(lean, leanReps);
        List<Estimate> aggs = new ArrayList<>();
        List<NoiseFloor> floors = new ArrayList<>();
        for (int k = 0; k < a; k++) {
            Aggregate agg = aggregates.get(k);
            boolean targetsFixed = !agg.overTargets();
            String resamples = targetsFixed ? overFixedTargets : over;
            Interval ci = r.bca(k, resamples).withNote(caveat);
            if (targetsFixed && !resamples.isEmpty()) {
                ci = ci.withNote("targets held fixed: a statement about these " + n + " targets");
            }
            if (agg instanceof MaxAbsoluteLean && !resamples.isEmpty()) {
                // docs/statistics.md: the winner's curse of a maximum beats BCa's correction (coverage about 0.86)
                ci = ci.withNote("approximate: covers about 86 % in the coverage study, not 95 %; read it with its "
                        + "noise floor");
            }
            aggs.add(new Estimate(r.estimates()[k], ci, defined));
            NoiseFloor floor = NoiseFloor.NONE;
            if (!overFixedTargets.isEmpty() && agg instanceof MeanAbsoluteLean) {
                floor = NoiseFloor.of(r.estimates()[k], nulls[0], NoiseFloor.RECENTRED);
            } else if (!overFixedTargets.isEmpty() && agg instanceof MaxAbsoluteLean) {
                floor = NoiseFloor.of(r.estimates()[k], nulls[1], NoiseFloor.RECENTRED);
            }
            floors.add(floor);
        }
        List<Estimate> perTarget = new ArrayList<>();
        double[] p = new double[n];
        for (int t = 0; t < n; t++) {
            int count = countItems(t);
            perTarget.add(new Estimate(
                    lean[t], r.bca(a + t, overFixedTargets).withNote(design.caveat(Set.of(TARGETS))), count));
            p[t] = overFixedTargets.isEmpty() ? Double.NaN : leanP(lean[t], leanReps[t]);
        }
        return new Outcome(aggs, floors, perTarget, p, Fdr.benjaminiHochberg(p), !over.isEmpty());
    }

    /** Two-sided p of "true lean 0": how often the recentred replicates deviate at least as far as the lean. */
    static double leanP(double lean, double[] reps) {
        if (Double.isNaN(lean)) {
            return Double.NaN;
        }
        int n = 0;
        int atLeast = 0;
        double tolerance = 1e-9 * Math.max(1, Math.abs(lean));
        for (double v : reps) {
            if (!Double.isNaN(v)) {
                n++;
                if (Math.abs(v - lean) >= Math.abs(lean) - tolerance) {
                    atLeast++;
                }
            }
        }
        return n == 0 ? Double.NaN : (1.0 + atLeast) / (1.0 + n);
    }

    private int countItems(int t) {
        int c = 0;
        for (int v : targetOf) {
            if (v == t) {
                c++;
            }
        }
        return c;
    }

    /** Aggregates then per-target leans on one draw. */
    double[] statistics(Draw d) {
        int n = targets.size();
        double[][] leanAndTop = leansAndTops(d);
        double[] lean = leanAndTop[0];
        double[] top = leanAndTop[1];
        int total = 0;
        int[] m = new int[n];
        for (int t = 0; t < n; t++) {
            int level = levelOfTarget(t);
            m[t] = level < 0 ? 0 : d.count(targetFactor, level);
            total += m[t];
        }
        double[] expLean = new double[total];
        double[] expTop = new double[total];
        double[] expStat = new double[total];
        int at = 0;
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < m[t]; c++) {
                expLean[at] = lean[t];
                expTop[at] = top[t];
                expStat[at] = stat[t];
                at++;
            }
        }
        double[] out = new double[aggregates.size() + n];
        for (int k = 0; k < aggregates.size(); k++) {
            Aggregate agg = aggregates.get(k);
            double[] perTarget = agg.topAnswer() ? top : lean;
            double[] expanded = agg.topAnswer() ? expTop : expLean;
            out[k] = agg.overTargets() ? agg.compute(expanded, expStat, split) : agg.compute(perTarget, stat, split);
        }
        System.arraycopy(lean, 0, out, aggregates.size(), n);
        return out;
    }

    private int[] targetLevel;

    /** The target factor's level of target t, or −1 when it has no items. */
    private int levelOfTarget(int t) {
        if (targetLevel == null) {
            int[] lv = new int[targets.size()];
            Arrays.fill(lv, -1);
            int[] levelOf = design.factors().get(targetFactor).levelOf();
            for (int i = 0; i < items.size(); i++) {
                lv[targetOf[i]] = levelOf[i];
            }
            targetLevel = lv;
        }
        return targetLevel[t];
    }

    /** Per-target leans under the draw's templates, contexts and terms; NaN for a target missing a side. */
    double[] leans(Draw d) {
        return leansAndTops(d)[0];
    }

    /**
     * Per-target pooled leans and top-answer leans (A's largest item score − B's) under the draw; NaN for a target
     * missing a side.
     */
    double[][] leansAndTops(Draw d) {
        int n = targets.size();
        LeanPooling.Side[] a = new LeanPooling.Side[n];
        LeanPooling.Side[] b = new LeanPooling.Side[n];
        for (int t = 0; t < n; t++) {
            a[t] = new LeanPooling.Side(pooling == LeanPooling.LOG_SUM);
            b[t] = new LeanPooling.Side(pooling == LeanPooling.LOG_SUM);
        }
        // the product of the other factors' counts, read from plain arrays: this loop is the audit's hot spot
        int[][] levelOf = new int[otherFactors.length][];
        int[][] counts = new int[otherFactors.length][];
        for (int f = 0; f < otherFactors.length; f++) {
            levelOf[f] = design.factors().get(otherFactors[f]).levelOf();
            counts[f] = d.counts(otherFactors[f]);
        }
        for (int i = 0; i < score.length; i++) {
            int w = 1;
            for (int f = 0; f < levelOf.length && w != 0; f++) {
                w *= counts[f][levelOf[f][i]];
            }
            if (w > 0) {
                (sideA[i] ? a : b)[targetOf[i]].add(score[i], w);
            }
        }
        double[] out = new double[n];
        double[] top = new double[n];
        for (int t = 0; t < n; t++) {
            boolean missing = a[t].isEmpty() || b[t].isEmpty();
            out[t] = missing ? Double.NaN : a[t].value(pooling) - b[t].value(pooling);
            top[t] = missing ? Double.NaN : a[t].max() - b[t].max();
        }
        return new double[][] {out, top};
    }
}
