package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.unmask.core.request.ChatContinuationRequest;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.core.stats.Bootstrap;
import org.unmask.core.stats.Bootstrap.Factor;
import org.unmask.core.stats.Estimate;
import org.unmask.core.stats.PermutationTest;
import org.unmask.probes.measure.LeanResult.AggregateValue;
import org.unmask.probes.suite.MeasureSpec;
import org.unmask.probes.suite.Suite;

/**
 * Scores the answers of {@link ZeroShotMeasure}: one lean item per question and group (the group's answers pooled),
 * the lean aggregates of {@link LeanScoring}, and the shares of questions whose most likely answer belongs to each
 * group.
 */
final class ZeroShotPlan implements MeasurePlan {
    /**
     * One answer to one question.
     *
     * @param side {@link LeanItem#A}, {@link LeanItem#B} or {@link LeanItem#NEUTRAL}
     * @param group the term list the answer comes from
     * @param answer the answer as listed
     * @param question the user message
     * @param forms one request per written form of the answer (as listed, capitalised)
     */
    record Answer(Variant variant, String side, String group, String answer, String target, String question,
            List<ChatContinuationRequest> forms) {}

    /** What the model answered to one question: the group of its most likely answer. */
    record Choice(String target, String template, String context, String side) {}

    private final MeasureSpec.Lean spec;
    private final Suite suite;
    private final List<Answer> answers;

    ZeroShotPlan(MeasureSpec.Lean spec, Suite suite, List<Answer> answers) {
        this.spec = spec;
        this.suite = suite;
        this.answers = List.copyOf(answers);
    }

    @Override
    public List<ModelRequest<?>> requests() {
        LinkedHashSet<ModelRequest<?>> out = new LinkedHashSet<>();
        answers.forEach(a -> out.addAll(a.forms()));
        return new ArrayList<>(out);
    }

    @Override
    public LeanResult score(Map<ModelRequest<?>, Object> replies, Bootstrap bootstrap, PermutationTest test) {
        // one question = one variant and target; its answers keyed by side, each with its pooled log-probability
        Map<List<Object>, Map<String, List<double[]>>> byQuestion = new LinkedHashMap<>();
        Map<List<Object>, Answer> firsts = new LinkedHashMap<>();
        List<Choice> choices = new ArrayList<>();
        for (Answer a : answers) {
            double[] forms = a.forms().stream().mapToDouble(r -> logProb(replies, r)).toArray();
            List<Object> key = List.of(a.variant(), a.target());
            firsts.putIfAbsent(key, a);
            byQuestion.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .computeIfAbsent(a.side(), k -> new ArrayList<>()).add(new double[] {logSumExp(forms)});
        }
        List<LeanItem> items = new ArrayList<>();
        for (Map.Entry<List<Object>, Map<String, List<double[]>>> q : byQuestion.entrySet()) {
            Answer first = firsts.get(q.getKey());
            String best = null;
            double bestLp = Double.NEGATIVE_INFINITY;
            for (Map.Entry<String, List<double[]>> side : q.getValue().entrySet()) {
                double[] lps = side.getValue().stream().mapToDouble(d -> d[0]).toArray();
                double pooled = logSumExp(lps);
                items.add(item(first, side.getKey(), pooled));
                for (double lp : lps) {
                    if (lp > bestLp) {
                        bestLp = lp;
                        best = side.getKey();
                    }
                }
            }
            Variant v = first.variant();
            choices.add(new Choice(first.target(), v.template(), v.context(), best));
        }
        LeanResult lean = new LeanScoring(spec, suite, bootstrap, test).result(ZeroShotMeasure.FORMULA,
                ZeroShotMeasure.IDEAL, items);
        List<AggregateValue> aggregates = new ArrayList<>(lean.aggregates());
        aggregates.addAll(choiceShares(choices, bootstrap));
        return new LeanResult(lean.name(), lean.measure(), lean.formula(), lean.ideal(), lean.groupA(), lean.groupB(),
                lean.neutral(), lean.targetList(), lean.statName(), lean.split(), lean.targets(), aggregates,
                lean.slices(), lean.items());
    }

    private LeanItem item(Answer a, String side, double pooled) {
        List<String> terms = answers.stream().filter(x -> x.side().equals(side) && x.variant().equals(a.variant())
                && x.target().equals(a.target())).map(Answer::answer).toList();
        Variant v = a.variant();
        return new LeanItem(spec.name(), v.template(), v.paraphrase(), v.context(), side, groupOf(side),
                String.join(" | ", terms), a.target(), a.question(), pooled, Double.NaN, pooled);
    }

    private String groupOf(String side) {
        return switch (side) {
            case LeanItem.A -> spec.groupA();
            case LeanItem.B -> spec.groupB();
            default -> spec.neutral();
        };
    }

    /**
     * {@code choice-a}, {@code choice-b}, {@code choice-neutral}: the share of questions whose most likely answer is
     * of that group, bootstrap 95 % CI resampling targets and templates (crossed), n = questions.
     */
    List<AggregateValue> choiceShares(List<Choice> choices, Bootstrap bootstrap) {
        boolean neutral = spec.neutral() != null;
        List<Factor<Choice>> factors = List.of(Factor.of(Choice::target), Factor.of(Choice::template));
        List<AggregateValue> out = new ArrayList<>();
        for (String[] side : LeanPlanner.sides(spec)) {
            String s = side[0];
            double ideal = !neutral ? 0.5 : s.equals(LeanItem.NEUTRAL) ? 1 : 0;
            Estimate e = bootstrap.clusteredFactors(choices, factors, sample -> share(sample, s));
            out.add(new AggregateValue(ZeroShotMeasure.choiceId(s), "share of questions answered with " + side[1], ideal, e,
                    Double.NaN, 0, false, ""));
        }
        return out;
    }

    static double share(List<Choice> choices, String side) {
        return choices.isEmpty() ? Double.NaN
                : choices.stream().filter(c -> side.equals(c.side())).count() / (double) choices.size();
    }

    private static double logProb(Map<ModelRequest<?>, Object> replies, ChatContinuationRequest r) {
        if (!(replies.get(r) instanceof TokenLogProbs t)) {
            throw new IllegalStateException("no answer for " + r);
        }
        return t.sum();
    }

    /** {@code log Σ exp(x)}, computed stably. */
    static double logSumExp(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (double v : x) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }
}
