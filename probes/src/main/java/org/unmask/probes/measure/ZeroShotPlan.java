package org.unmask.probes.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.unmask.core.request.ChatContinuationRequest;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.AggregateValue;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.CrossedDesign;
import org.unmask.core.stats.Estimate;
import org.unmask.core.stats.PermutationTest;
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
    record Answer(
            Variant variant,
            String side,
            String group,
            String answer,
            String target,
            String question,
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

    /** An answer with its log-probability, its written forms pooled. */
    private record Scored(Answer answer, double logProb) {}

    @Override
    public LeanResult score(Map<ModelRequest<?>, Object> replies, CrossedBootstrap bootstrap, PermutationTest test) {
        // one question = one variant and target
        Map<List<Object>, List<Scored>> byQuestion = new LinkedHashMap<>();
        for (Answer a : answers) {
            double[] forms =
                    a.forms().stream().mapToDouble(r -> logProb(replies, r)).toArray();
            byQuestion
                    .computeIfAbsent(List.of(a.variant(), a.target()), k -> new ArrayList<>())
                    .add(new Scored(a, logSumExp(forms)));
        }
        List<LeanItem> items = new ArrayList<>();
        List<Choice> choices = new ArrayList<>();
        for (List<Scored> question : byQuestion.values()) {
            Map<String, List<Scored>> bySide =
                    Groups.by(question, s -> s.answer().side());
            for (List<Scored> side : bySide.values()) {
                items.add(item(side));
            }
            Scored best = question.stream()
                    .max(java.util.Comparator.comparingDouble(Scored::logProb))
                    .orElseThrow();
            Variant v = best.answer().variant();
            choices.add(new Choice(
                    best.answer().target(),
                    v.template(),
                    v.context(),
                    best.answer().side()));
        }
        LeanResult lean = new LeanScoring(spec, suite, bootstrap, test, LeanPooling.MEAN)
                .result(ZeroShotMeasure.FORMULA, ZeroShotMeasure.IDEAL, items);
        List<AggregateValue> aggregates = new ArrayList<>(lean.aggregates());
        aggregates.addAll(choiceShares(choices, bootstrap));
        return new LeanResult(
                lean.name(),
                lean.measure(),
                lean.formula(),
                lean.ideal(),
                lean.groupA(),
                lean.groupB(),
                lean.neutral(),
                lean.targetList(),
                lean.statName(),
                lean.split(),
                lean.targets(),
                aggregates,
                lean.slices(),
                lean.items(),
                lean.warnings());
    }

    /** One lean item for the answers of one group to one question: their probabilities summed. */
    private LeanItem item(List<Scored> side) {
        Answer a = side.get(0).answer();
        double pooled = logSumExp(side.stream().mapToDouble(Scored::logProb).toArray());
        String terms = side.stream().map(s -> s.answer().answer()).collect(java.util.stream.Collectors.joining(" | "));
        Variant v = a.variant();
        return new LeanItem(
                spec.name(),
                v.template(),
                v.paraphrase(),
                v.context(),
                a.side(),
                a.group(),
                terms,
                a.target(),
                a.question(),
                pooled,
                Double.NaN,
                pooled);
    }

    /**
     * {@code choice-a}, {@code choice-b}, {@code choice-neutral}: the share of questions whose most likely answer is
     * of that group, bootstrap 95 % CI resampling targets and templates (crossed), n = questions.
     */
    List<AggregateValue> choiceShares(List<Choice> choices, CrossedBootstrap bootstrap) {
        boolean neutral = spec.neutral() != null;
        CrossedDesign design = CrossedDesign.of(
                choices,
                List.of(
                        CrossedDesign.Spec.of("targets", Choice::target),
                        CrossedDesign.Spec.of("templates", Choice::template)));
        List<String[]> sides = LeanPlanner.sides(spec);
        CrossedBootstrap.Result r = bootstrap.run(design, sides.size(), d -> {
            List<Choice> sample = d.materialise(choices);
            return sides.stream().mapToDouble(side -> share(sample, side[0])).toArray();
        });
        List<AggregateValue> out = new ArrayList<>();
        for (int k = 0; k < sides.size(); k++) {
            String[] side = sides.get(k);
            String s = side[0];
            double ideal = !neutral ? 0.5 : s.equals(LeanItem.NEUTRAL) ? 1 : 0;
            Estimate e = choices.isEmpty()
                    ? Estimate.undefinedInterval(Double.NaN, 0)
                    : new Estimate(r.estimates()[k], r.bca(k), choices.size());
            out.add(new AggregateValue(
                    ZeroShotMeasure.choiceId(s),
                    "share of questions answered with " + side[1],
                    ideal,
                    e,
                    Double.NaN,
                    0,
                    false,
                    ""));
        }
        return out;
    }

    static double share(List<Choice> choices, String side) {
        return choices.isEmpty()
                ? Double.NaN
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
