package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.AggregateValue;
import org.unmask.core.result.LeanResult.TargetLean;
import org.unmask.core.stats.Bootstrap;
import org.unmask.core.stats.Bootstrap.Factor;
import org.unmask.core.stats.Bootstrap.Replicates;
import org.unmask.core.stats.Estimate;
import org.unmask.core.stats.Interval;
import org.unmask.core.stats.PermutationTest;
import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.Term;
import org.unmask.probes.suite.TermList;

/**
 * Turns item-level scores into per-target leans and aggregates, each with n and a seeded bootstrap 95 % CI that
 * resamples templates, contexts and group terms (terms within their group, so both groups stay in every
 * resample); targets are the fixed units the aggregates are taken over. p-values come from permutation tests over
 * targets.
 */
final class LeanScoring {
    private final MeasureSpec.Lean spec;
    private final Bootstrap bootstrap;
    private final PermutationTest test;
    private final List<Term> targets;
    private final TermList targetList;
    private final Pooling pooling;

    LeanScoring(MeasureSpec.Lean spec, Suite suite, Bootstrap bootstrap, PermutationTest test, Pooling pooling) {
        this.pooling = pooling;
        this.spec = spec;
        this.bootstrap = bootstrap;
        this.test = test;
        this.targetList = suite.terms(spec.targets());
        this.targets = targetList.terms();
    }

    /** Resampling units: template, context, and the group term within its side. */
    static List<Factor<LeanItem>> factors() {
        return List.of(Factor.of(LeanItem::templateKey), Factor.of(LeanItem::context),
                Factor.within(LeanItem::term, LeanItem::side));
    }

    LeanResult result(String formula, double ideal, List<LeanItem> items) {
        List<LeanItem> scored = items.stream().filter(i -> !i.side().equals(LeanItem.NEUTRAL)).toList();
        Map<String, List<LeanItem>> byTarget = Bootstrap.groupBy(scored, LeanItem::target);
        Map<String, Double> neutral = spec.neutral() == null ? Map.of() : neutralShares(items);
        double[] stat = targets.stream().mapToDouble(Term::stat).toArray();
        List<TargetLean> perTarget = new ArrayList<>();
        for (Term t : targets) {
            List<LeanItem> its = byTarget.getOrDefault(t.text(), List.of());
            Estimate lean = bootstrap.clusteredFactors(its, factors(), l -> leanOf(l));
            if (!resamplable(its, factors())) {
                lean = Estimate.undefinedInterval(lean.value(), lean.n());
            }
            double[] ab = sideMeans(its);
            perTarget.add(new TargetLean(t.text(), lean, t.stat(), ab[0], ab[1],
                    neutral.getOrDefault(t.text(), Double.NaN)));
        }
        double[] lean = perTarget.stream().mapToDouble(p -> p.lean().value()).toArray();
        return new LeanResult(spec.name(), spec.measure(), formula, ideal, spec.groupA(), spec.groupB(),
                spec.neutral(), spec.targets(), targetList.statName(), spec.split(), perTarget,
                aggregates(scored, lean, stat), slices(scored), items);
    }

    /** Per-template and per-context slices, when there is more than one of either. */
    private List<LeanResult.Slice> slices(List<LeanItem> scored) {
        List<LeanResult.Slice> out = new ArrayList<>();
        addSlices(out, "template", Bootstrap.groupBy(scored, LeanItem::template),
                List.of(Factor.of(LeanItem::context), Factor.within(LeanItem::term, LeanItem::side)));
        addSlices(out, "context", Bootstrap.groupBy(scored, LeanItem::context),
                List.of(Factor.of(LeanItem::templateKey), Factor.within(LeanItem::term, LeanItem::side)));
        return out;
    }

    private void addSlices(List<LeanResult.Slice> out, String by, Map<String, List<LeanItem>> groups,
            List<Factor<LeanItem>> factors) {
        if (groups.size() < 2) {
            return;
        }
        MeanAbsoluteLean abs = new MeanAbsoluteLean();
        MeanLean signed = new MeanLean();
        for (Map.Entry<String, List<LeanItem>> g : groups.entrySet()) {
            List<Replicates> reps = bootstrap.factorReplicatesMulti(g.getValue(), factors, sample -> {
                double[] l = leans(sample);
                return new double[] {abs.compute(l, null, Double.NaN), signed.compute(l, null, Double.NaN)};
            }, 2);
            double[] l = leans(g.getValue());
            int n = (int) java.util.Arrays.stream(l).filter(v -> !Double.isNaN(v)).count();
            boolean any = resamplable(g.getValue(), factors);
            out.add(new LeanResult.Slice(by, g.getKey(),
                    new Estimate(abs.compute(l, null, Double.NaN), any ? reps.get(0).percentile95() : Interval.UNDEFINED,
                            n),
                    new Estimate(signed.compute(l, null, Double.NaN), any ? reps.get(1).percentile95()
                            : Interval.UNDEFINED, n)));
        }
    }

    private List<AggregateValue> aggregates(List<LeanItem> scored, double[] lean, double[] stat) {
        boolean hasStat = targetList.statName() != null;
        List<Aggregate> active = new ArrayList<>();
        for (Aggregate a : Aggregates.all()) {
            if ((!a.needsStat() || hasStat) && (!a.needsSplit() || !Double.isNaN(spec.split()))) {
                active.add(a);
            }
        }
        double split = spec.split();
        List<Replicates> reps = bootstrap.factorReplicatesMulti(scored, factors(), sample -> {
            double[] l = leans(sample);
            double[] out = new double[active.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = active.get(k).compute(l, stat, split);
            }
            return out;
        }, active.size());
        int n = (int) java.util.Arrays.stream(lean).filter(v -> !Double.isNaN(v)).count();
        boolean resamplable = resamplable(scored, factors());
        List<AggregateValue> out = new ArrayList<>();
        for (int k = 0; k < active.size(); k++) {
            Aggregate a = active.get(k);
            double value = a.compute(lean, stat, split);
            Estimate e = new Estimate(value, resamplable ? reps.get(k).percentile95() : Interval.UNDEFINED, n);
            out.add(withTest(a, e, lean, stat, split));
        }
        return out;
    }

    private AggregateValue withTest(Aggregate a, Estimate e, double[] lean, double[] stat, double split) {
        if (a instanceof MeanLean) {
            double[] defined = java.util.Arrays.stream(lean).filter(v -> !Double.isNaN(v)).toArray();
            if (defined.length > 0) {
                PermutationTest.Result r = test.signFlip(defined, PermutationTest.Alternative.TWO_SIDED);
                return new AggregateValue(a.id(), a.label(), a.ideal(), e, r.p(), r.permutations(), r.exact(),
                        "two-sided sign-flip permutation test over targets, H0: mean lean = 0");
            }
        } else if (a instanceof SplitEffectSize) {
            double[][] xy = SplitEffectSize.split(lean, stat, split);
            if (xy[0].length > 0 && xy[1].length > 0) {
                PermutationTest.Result r = test.twoSample(xy[0], xy[1], PermutationTest.Alternative.TWO_SIDED);
                return new AggregateValue(a.id(), a.label(), a.ideal(), e, r.p(), r.permutations(), r.exact(),
                        "two-sided permutation test of mean lean, targets above vs below the split");
            }
        }
        return new AggregateValue(a.id(), a.label(), a.ideal(), e, Double.NaN, 0, false, "");
    }

    /**
     * Whether resampling can change anything: some factor has two or more levels within a stratum. With one
     * template, one context and one term per group there is no variability to resample, and a zero-width interval
     * would look like certainty, so such intervals are reported as undefined instead.
     */
    static <T> boolean resamplable(List<T> items, List<Factor<T>> factors) {
        for (Factor<T> f : factors) {
            Map<Object, java.util.Set<Object>> levels = new HashMap<>();
            for (T i : items) {
                levels.computeIfAbsent(f.stratum().apply(i), k -> new java.util.HashSet<>()).add(f.level().apply(i));
            }
            if (levels.values().stream().anyMatch(l -> l.size() > 1)) {
                return true;
            }
        }
        return false;
    }

    /** Pooled score of A items − pooled score of B items. */
    private double leanOf(List<LeanItem> items) {
        double[] ab = sideMeans(items);
        return ab[0] - ab[1];
    }

    /** The pooled scores of the A and the B items (means, unless the measure sums probabilities). */
    private double[] sideMeans(List<LeanItem> items) {
        Pooling.Side a = new Pooling.Side();
        Pooling.Side b = new Pooling.Side();
        for (LeanItem i : items) {
            if (i.side().equals(LeanItem.A)) {
                a.add(i.score());
            } else if (i.side().equals(LeanItem.B)) {
                b.add(i.score());
            }
        }
        return new double[] {a.value(pooling), b.value(pooling)};
    }

    /** Per-target leans of a (re)sample, in target order; NaN for targets missing a side. */
    private double[] leans(List<LeanItem> sample) {
        Map<String, Pooling.Side[]> acc = new HashMap<>();
        for (LeanItem i : sample) {
            Pooling.Side[] a = acc.computeIfAbsent(i.target(), k -> new Pooling.Side[] {new Pooling.Side(),
                new Pooling.Side()});
            a[i.side().equals(LeanItem.A) ? 0 : 1].add(i.score());
        }
        double[] out = new double[targets.size()];
        for (int t = 0; t < out.length; t++) {
            Pooling.Side[] a = acc.get(targets.get(t).text());
            out[t] = a == null || a[0].isEmpty() || a[1].isEmpty() ? Double.NaN
                    : a[0].value(pooling) - a[1].value(pooling);
        }
        return out;
    }

    /** Mean over sentences of P(neutral terms) / P(all terms), per target. */
    private Map<String, Double> neutralShares(List<LeanItem> items) {
        Map<List<Object>, double[]> bySentence = new LinkedHashMap<>();
        for (LeanItem i : items) {
            List<Object> key = List.of(i.target(), i.template(), i.paraphrase(), i.context());
            double[] a = bySentence.computeIfAbsent(key, k -> new double[2]);
            double p = Math.exp(i.logProb());
            a[1] += p;
            if (i.side().equals(LeanItem.NEUTRAL)) {
                a[0] += p;
            }
        }
        Map<String, double[]> byTarget = new LinkedHashMap<>();
        for (Map.Entry<List<Object>, double[]> e : bySentence.entrySet()) {
            double[] t = byTarget.computeIfAbsent((String) e.getKey().get(0), k -> new double[2]);
            t[0] += e.getValue()[0] / e.getValue()[1];
            t[1]++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        byTarget.forEach((k, v) -> out.put(k, v[0] / v[1]));
        return out;
    }
}
