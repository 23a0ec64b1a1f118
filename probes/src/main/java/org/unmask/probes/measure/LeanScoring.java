package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.AggregateValue;
import org.unmask.core.result.LeanResult.TargetLean;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.Estimate;
import org.unmask.core.stats.NoiseFloor;
import org.unmask.core.stats.PermutationTest;
import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;
import org.unmask.probes.suite.Term;
import org.unmask.probes.suite.TermList;

/**
 * Turns item-level scores into per-target leans and aggregates through {@link LeanStatistics}: each with n and a
 * seeded crossed-bootstrap BCa 95 % interval over targets × templates × contexts × group terms (terms within their
 * group, so both groups stay in every resample; max |lean| holds targets fixed), noise floors for mean |lean| and
 * max |lean|, per-target p- and BH q-values, heterogeneous-term warnings ({@link TermCheck}), and the permutation
 * tests over targets of mean lean and the effect size.
 */
final class LeanScoring {
    private final MeasureSpec.Lean spec;
    private final CrossedBootstrap bootstrap;
    private final PermutationTest test;
    private final List<Term> targets;
    private final TermList targetList;
    private final LeanPooling pooling;

    LeanScoring(
            MeasureSpec.Lean spec, Suite suite, CrossedBootstrap bootstrap, PermutationTest test, LeanPooling pooling) {
        this.pooling = pooling;
        this.spec = spec;
        this.bootstrap = bootstrap;
        this.test = test;
        this.targetList = suite.terms(spec.targets());
        this.targets = targetList.terms();
    }

    LeanResult result(String formula, double ideal, List<LeanItem> items) {
        List<LeanItem> scored =
                items.stream().filter(i -> !i.side().equals(LeanItem.NEUTRAL)).toList();
        Map<String, List<LeanItem>> byTarget = Groups.by(scored, LeanItem::target);
        Map<String, Double> neutral = spec.neutral() == null ? Map.of() : neutralShares(items);
        double[] stat = targets.stream().mapToDouble(Term::stat).toArray();
        List<String> names = targets.stream().map(Term::text).toList();
        List<Aggregate> active = activeAggregates();
        LeanStatistics stats = new LeanStatistics(scored, names, stat, spec.split(), pooling, active);
        LeanStatistics.Outcome o = stats.compute(crossed());
        List<TargetLean> perTarget = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            Term term = targets.get(t);
            double[] ab = sideMeans(byTarget.getOrDefault(term.text(), List.of()));
            perTarget.add(new TargetLean(
                    term.text(),
                    o.targets().get(t),
                    term.stat(),
                    ab[0],
                    ab[1],
                    neutral.getOrDefault(term.text(), Double.NaN),
                    o.p()[t],
                    o.q()[t]));
        }
        double[] lean = perTarget.stream().mapToDouble(p -> p.lean().value()).toArray();
        List<AggregateValue> aggregates = new ArrayList<>();
        for (int k = 0; k < active.size(); k++) {
            AggregateValue v = withTest(active.get(k), o.aggregates().get(k), lean, stat, spec.split());
            NoiseFloor floor = o.noiseFloors().get(k);
            aggregates.add(new AggregateValue(
                    v.id(),
                    v.label(),
                    v.ideal(),
                    v.estimate(),
                    v.p(),
                    v.permutations(),
                    v.exact(),
                    v.test(),
                    floor.value(),
                    floor.p()));
        }
        return new LeanResult(
                spec.name(),
                spec.measure(),
                formula,
                ideal,
                spec.groupA(),
                spec.groupB(),
                spec.neutral(),
                spec.targets(),
                targetList.statName(),
                spec.split(),
                perTarget,
                aggregates,
                slices(scored, names, stat),
                items,
                TermCheck.heterogeneous(scored, lean));
    }

    private CrossedBootstrap crossed() {
        return bootstrap;
    }

    private List<Aggregate> activeAggregates() {
        boolean hasStat = targetList.statName() != null;
        List<Aggregate> active = new ArrayList<>();
        for (Aggregate a : Aggregates.all()) {
            if ((!a.needsStat() || hasStat)
                    && (!a.needsSplit() || !Double.isNaN(spec.split()))
                    && (!a.topAnswer() || pooling == LeanPooling.LOG_SUM)) {
                active.add(a);
            }
        }
        return active;
    }

    /** Per-template and per-context slices, when there is more than one of either. */
    private List<LeanResult.Slice> slices(List<LeanItem> scored, List<String> names, double[] stat) {
        List<LeanResult.Slice> out = new ArrayList<>();
        addSlices(out, "template", Groups.by(scored, LeanItem::template), names, stat);
        addSlices(out, "context", Groups.by(scored, LeanItem::context), names, stat);
        return out;
    }

    private void addSlices(
            List<LeanResult.Slice> out,
            String by,
            Map<String, List<LeanItem>> groups,
            List<String> names,
            double[] stat) {
        if (groups.size() < 2) {
            return;
        }
        List<Aggregate> two = List.of(new MeanAbsoluteLean(), new MeanLean());
        for (Map.Entry<String, List<LeanItem>> g : groups.entrySet()) {
            LeanStatistics.Outcome o =
                    new LeanStatistics(g.getValue(), names, stat, spec.split(), pooling, two).compute(crossed());
            out.add(new LeanResult.Slice(
                    by, g.getKey(), o.aggregates().get(0), o.aggregates().get(1)));
        }
    }

    private AggregateValue withTest(Aggregate a, Estimate e, double[] lean, double[] stat, double split) {
        if (a instanceof MeanLean) {
            double[] defined =
                    java.util.Arrays.stream(lean).filter(v -> !Double.isNaN(v)).toArray();
            if (defined.length > 0) {
                PermutationTest.Result r = test.signFlip(defined, PermutationTest.Alternative.TWO_SIDED);
                return new AggregateValue(
                        a.id(),
                        a.label(),
                        a.ideal(),
                        e,
                        r.p(),
                        r.permutations(),
                        r.exact(),
                        "two-sided sign-flip permutation test over targets, H0: mean lean = 0");
            }
        } else if (a instanceof SplitEffectSize) {
            double[][] xy = SplitEffectSize.split(lean, stat, split);
            if (xy[0].length > 0 && xy[1].length > 0) {
                PermutationTest.Result r = test.twoSample(xy[0], xy[1], PermutationTest.Alternative.TWO_SIDED);
                return new AggregateValue(
                        a.id(),
                        a.label(),
                        a.ideal(),
                        e,
                        r.p(),
                        r.permutations(),
                        r.exact(),
                        "two-sided permutation test of mean lean, targets above vs below the split");
            }
        } else if (a instanceof MeanAbsoluteLean || a instanceof MaxAbsoluteLean) {
            return new AggregateValue(
                    a.id(),
                    a.label(),
                    a.ideal(),
                    e,
                    Double.NaN,
                    0,
                    false,
                    "one-sided test against the noise floor (recentred crossed-bootstrap null: every true lean 0)");
        }
        return new AggregateValue(a.id(), a.label(), a.ideal(), e, Double.NaN, 0, false, "");
    }

    /** The pooled scores of the A and the B items (means, unless the measure sums probabilities). */
    private double[] sideMeans(List<LeanItem> items) {
        LeanPooling.Side a = new LeanPooling.Side();
        LeanPooling.Side b = new LeanPooling.Side();
        for (LeanItem i : items) {
            if (i.side().equals(LeanItem.A)) {
                a.add(i.score());
            } else if (i.side().equals(LeanItem.B)) {
                b.add(i.score());
            }
        }
        return new double[] {a.value(pooling), b.value(pooling)};
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
