package org.unmask.mitigation.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.result.LeanItem;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.CrossedDesign;
import org.unmask.core.stats.Draw;
import org.unmask.core.stats.Estimate;

/**
 * The paired change of a lean measure between two runs, {@code Δ = mean_t (|lean_t(B) − ideal| − |lean_t(A) −
 * ideal|)}, with the crossed-bootstrap BCa interval the audit uses: targets × templates × contexts × group terms
 * (terms within their group), both runs on the same draw, so the replicates are paired differences.
 *
 * <p>The items of both runs form one design; a template, context or term that appears in both runs is one level,
 * so a resample that drops a template drops it from both runs. A target's lean uses its own items under the
 * resampled templates, contexts and terms; the mean over targets counts each target as often as it was drawn (as
 * in the audit's {@code LeanStatistics}). Factors with fewer than {@value CrossedDesign#MIN_RESAMPLED_LEVELS}
 * levels are held fixed, and the interval's note says so.
 */
final class PairedLeans {
    private static final String TARGETS = "targets";

    /** One scored item of either run. */
    private record Item(LeanItem item, boolean after) {}

    private final boolean logSum;
    private final double ideal;
    private final int targets;
    private final int[] targetOf;
    private final boolean[] after;
    private final boolean[] sideA;
    private final double[] score;
    private final CrossedDesign design;
    private final int targetFactor;
    private final int[] targetLevel;

    /**
     * @param targets targets with a defined lean in both runs, in report order
     * @param before items of run A (any measure's; only this measure's finite A/B items are used)
     * @param logSum pool scores by {@code log Σ exp} (cooccurrence-log-ratio) instead of the mean
     */
    PairedLeans(
            String measure,
            List<String> targets,
            List<LeanItem> before,
            List<LeanItem> afterItems,
            double ideal,
            boolean logSum) {
        this.logSum = logSum;
        this.ideal = ideal;
        this.targets = targets.size();
        Map<String, Integer> index = new HashMap<>();
        for (int t = 0; t < targets.size(); t++) {
            index.put(targets.get(t), t);
        }
        List<Item> items = new ArrayList<>();
        for (boolean b : new boolean[] {false, true}) {
            for (LeanItem i : b ? afterItems : before) {
                if (measure.equals(i.measure())
                        && Double.isFinite(i.score())
                        && index.containsKey(i.target())
                        && (LeanItem.A.equals(i.side()) || LeanItem.B.equals(i.side()))) {
                    items.add(new Item(i, b));
                }
            }
        }
        int n = items.size();
        targetOf = new int[n];
        after = new boolean[n];
        sideA = new boolean[n];
        score = new double[n];
        for (int k = 0; k < n; k++) {
            LeanItem i = items.get(k).item();
            targetOf[k] = index.get(i.target());
            after[k] = items.get(k).after();
            sideA[k] = LeanItem.A.equals(i.side());
            score[k] = i.score();
        }
        design = CrossedDesign.of(
                items,
                List.of(
                        CrossedDesign.Spec.of(TARGETS, (Item i) -> i.item().target()),
                        CrossedDesign.Spec.of("templates", (Item i) -> i.item().templateKey()),
                        CrossedDesign.Spec.of("contexts", (Item i) -> i.item().context()),
                        CrossedDesign.Spec.within(
                                "terms",
                                (Item i) -> i.item().term(),
                                (Item i) -> i.item().side())));
        targetFactor = design.indexOf(TARGETS);
        targetLevel = new int[this.targets];
        int[] levelOf = design.factors().get(targetFactor).levelOf();
        for (int k = 0; k < n; k++) {
            targetLevel[targetOf[k]] = levelOf[k];
        }
    }

    /** Δ with its interval; n = targets. */
    Estimate change(long seed, int resamples) {
        CrossedBootstrap.Result r = new CrossedBootstrap(seed, resamples).run(design, 1, d -> new double[] {delta(d)});
        return new Estimate(r.estimates()[0], r.bca(0), targets);
    }

    /** Δ under one draw; NaN when no drawn target has a lean in both runs. */
    private double delta(Draw d) {
        // per run and target: {Σ w s, Σ w} of side A, then of side B (log Σ w e^s in place of Σ w s for logSum)
        double[][] acc = new double[2 * targets][4];
        if (logSum) {
            for (double[] a : acc) {
                a[0] = Double.NEGATIVE_INFINITY;
                a[2] = Double.NEGATIVE_INFINITY;
            }
        }
        for (int k = 0; k < score.length; k++) {
            double w = d.weightExcept(k, targetFactor);
            if (w == 0) {
                continue;
            }
            double[] a = acc[(after[k] ? targets : 0) + targetOf[k]];
            int at = sideA[k] ? 0 : 2;
            a[at] = logSum ? logAddExp(a[at], score[k] + Math.log(w)) : a[at] + w * score[k];
            a[at + 1] += w;
        }
        double sum = 0;
        long drawn = 0;
        for (int t = 0; t < targets; t++) {
            int c = d.count(targetFactor, targetLevel[t]);
            double la = lean(acc[t]);
            double lb = lean(acc[targets + t]);
            if (c > 0 && !Double.isNaN(la) && !Double.isNaN(lb)) {
                sum += c * (Math.abs(lb - ideal) - Math.abs(la - ideal));
                drawn += c;
            }
        }
        return drawn == 0 ? Double.NaN : sum / drawn;
    }

    private double lean(double[] a) {
        if (a[1] == 0 || a[3] == 0) {
            return Double.NaN;
        }
        return logSum ? a[0] - a[2] : a[0] / a[1] - a[2] / a[3];
    }

    private static double logAddExp(double x, double y) {
        double hi = Math.max(x, y);
        return hi == Double.NEGATIVE_INFINITY ? hi : hi + Math.log(Math.exp(x - hi) + Math.exp(y - hi));
    }
}
