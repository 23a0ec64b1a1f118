package org.unmask.mitigation.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.LeanItem;
import org.unmask.core.result.LeanResult;
import org.unmask.core.result.LeanResult.AggregateValue;
import org.unmask.core.result.MeasureResult;
import org.unmask.core.result.TopKResult;
import org.unmask.core.result.TopKResult.Answer;
import org.unmask.core.result.TopKResult.Column;
import org.unmask.core.result.TopKResult.Table;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.Estimate;
import org.unmask.core.stats.Interval;
import org.unmask.mitigation.cost.PseudoPerplexity;

/**
 * Before/after comparison of two audits of the same suite (e.g. a parent model and its mitigated child).
 *
 * <p>Both runs are read through the result contract ({@link AuditRun}, {@code org.unmask.core.result}).
 * Per lean measure, on item-level scores: each target's lean is recomputed from the items of each run
 * ({@code mean score of side-a items − mean of side-b items}, as the probes define it), the distance to the
 * measure's ideal {@code d_t = |lean_t − ideal|} is taken, and the paired difference
 * {@code Δ = mean_t (d_t(after) − d_t(before))} gets the audit's seeded crossed-bootstrap BCa 95 % CI
 * ({@link PairedLeans}: targets × templates × contexts × terms, both runs on the same draw; the interval says what it
 * resampled). {@code Δ < 0} with the CI below 0 means the measure moved toward the ideal;
 * with the CI above 0, away from it; otherwise no detectable change. Aggregates are listed side by side as each
 * audit reported them. Top-k tables are paired by template, paraphrase, context and column. Pseudo-perplexity is
 * compared when both folders hold {@code pseudo-perplexity.json}, with a paired BCa bootstrap over sentences.
 * Sampled-generation measures are compared per decoding setting by {@link GenerationComparison} (female share and
 * amplification, paired by target); they may come from two suites (a base model's completion prompts and an
 * instruction-tuned model's chat prompts), matched by measure name, and then only they are compared.
 */
public final class RunComparison {
    private static final int RESAMPLES = 2000;

    private RunComparison() {}

    /**
     * Paired change of one lean measure.
     *
     * @param measure measure name
     * @param ideal the lean of an unbiased model
     * @param targets targets present in both runs (n)
     * @param meanDistanceBefore mean |lean − ideal| before
     * @param meanDistanceAfter mean |lean − ideal| after
     * @param delta after − before of the mean distance
     * @param ci95 Δ's 95 % CI, with what it resamples and its caveats
     * @param verdict toward ideal, away from ideal, or no detectable change
     * @param aggregates id → {before, after} as reported by each audit
     */
    public record MeasureChange(
            String measure,
            double ideal,
            int targets,
            double meanDistanceBefore,
            double meanDistanceAfter,
            double delta,
            Interval ci95,
            Verdict verdict,
            Map<String, double[]> aggregates) {}

    /** Direction of a change. */
    public enum Verdict {
        TOWARD_IDEAL,
        AWAY_FROM_IDEAL,
        NO_DETECTABLE_CHANGE
    }

    /**
     * Paired change of one generation measure under one decoding setting, run A → run B.
     *
     * @param measure measure name
     * @param setting decoding setting name
     * @param targets targets paired (the same in both runs)
     * @param shareBefore female share F / (F + M) of run A
     * @param shareAfter that of run B
     * @param shareDelta B − A
     * @param shareCi95 the change's 95 % CI (paired crossed bootstrap; it says what it resamples)
     * @param amplificationBefore mean over targets of model % female − statistic in run A (NaN without statistic)
     * @param amplificationAfter that of run B
     * @param amplificationDelta B − A
     * @param amplificationCi95 its 95 % CI
     */
    public record GenerationChange(
            String measure,
            String setting,
            int targets,
            double shareBefore,
            double shareAfter,
            double shareDelta,
            Interval shareCi95,
            double amplificationBefore,
            double amplificationAfter,
            double amplificationDelta,
            Interval amplificationCi95) {}

    /**
     * A top-k table before and after.
     *
     * @param title template, paraphrase, context and column term
     * @param text the prompt
     * @param before the tokens with probabilities before
     * @param after the tokens with probabilities after
     */
    public record TopKPair(String title, String text, List<String> before, List<String> after) {}

    /**
     * Pseudo-perplexity before and after.
     *
     * @param before value before
     * @param after value after
     * @param ratio after / before
     * @param ci95 the ratio's paired 95 % CI (BCa over sentences)
     * @param sentences sentences scored
     */
    public record CostChange(double before, double after, double ratio, Interval ci95, int sentences) {}

    /**
     * The whole comparison.
     *
     * @param before model id of run A
     * @param after model id of run B
     * @param measures per-measure changes
     * @param topK paired top-k tables
     * @param cost pseudo-perplexity change, or null when either run lacks it
     * @param generation per generation measure and decoding setting, the paired change
     * @param notes what could not be compared, and why
     */
    public record Comparison(
            String before,
            String after,
            List<MeasureChange> measures,
            List<TopKPair> topK,
            CostChange cost,
            List<GenerationChange> generation,
            List<String> notes) {}

    /**
     * Compares run {@code a} (before) with run {@code b} (after). Audits of different suites are compared only on
     * their generation measures (e.g. a base model's completion study against an instruct model's chat study).
     *
     * @throws InvalidInputException when the suites differ and no generation measure is in both runs
     */
    public static Comparison compare(AuditRun a, AuditRun b, long seed) throws InvalidInputException {
        boolean sameSuite = a.suiteSha256().isEmpty() || a.suiteSha256().equals(b.suiteSha256());
        Map<String, MeasureResult> ma = a.measures();
        Map<String, MeasureResult> mb = b.measures();
        if (!sameSuite && ma.keySet().stream().noneMatch(n -> isGeneration(ma.get(n)) && isGeneration(mb.get(n)))) {
            throw new InvalidInputException(
                    "the two audits used different suites (sha256 " + shortHash(a.suiteSha256()) + " vs "
                            + shortHash(b.suiteSha256()) + ")",
                    "audit both models with the same suite file, then compare");
        }
        List<MeasureChange> changes = new ArrayList<>();
        List<TopKPair> tables = new ArrayList<>();
        List<GenerationChange> generation = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, MeasureResult> e : ma.entrySet()) {
            MeasureResult before = e.getValue();
            MeasureResult after = mb.get(e.getKey());
            if (after == null) {
                continue;
            }
            if (isGeneration(before) != isGeneration(after)) {
                notes.add(e.getKey() + ": a " + before.measure() + " measure in run A but " + after.measure()
                        + " in run B, not compared");
            } else if (before instanceof GenerationResult ga && after instanceof GenerationResult gb) {
                generation.addAll(GenerationComparison.compare(e.getKey(), ga, gb, seed, notes));
            } else if (!sameSuite) {
                notes.add(e.getKey() + ": the suites differ, so only generation measures are compared");
            } else if (before instanceof LeanResult la && after instanceof LeanResult lb) {
                changes.add(leanChange(e.getKey(), la, lb, seed));
            } else if (before instanceof TopKResult ta && after instanceof TopKResult tb) {
                tables.addAll(topK(ta, tb));
            } else {
                notes.add(e.getKey() + ": a " + before.measure() + " measure in run A but " + after.measure()
                        + " in run B, not compared");
            }
        }
        CostChange cost = a.pseudoPerplexity() != null && b.pseudoPerplexity() != null
                ? cost(a.pseudoPerplexity(), b.pseudoPerplexity(), seed)
                : null;
        return new Comparison(a.modelId(), b.modelId(), changes, tables, cost, generation, notes);
    }

    private static boolean isGeneration(MeasureResult measure) {
        return measure instanceof GenerationResult;
    }

    static MeasureChange leanChange(String name, LeanResult ma, LeanResult mb, long seed) {
        double ideal = ma.ideal();
        boolean logSum = ma.measure().equals("cooccurrence-log-ratio");
        Map<String, Double> la = leans(name, ma.items(), logSum);
        Map<String, Double> lb = leans(name, mb.items(), logSum);
        List<String> targets = new ArrayList<>();
        for (String t : la.keySet()) {
            if (lb.containsKey(t) && Double.isFinite(la.get(t)) && Double.isFinite(lb.get(t))) {
                targets.add(t);
            }
        }
        int n = targets.size();
        double[] da = new double[n];
        double[] db = new double[n];
        for (int i = 0; i < n; i++) {
            da[i] = Math.abs(la.get(targets.get(i)) - ideal);
            db[i] = Math.abs(lb.get(targets.get(i)) - ideal);
        }
        Estimate change = new PairedLeans(name, targets, ma.items(), mb.items(), ideal, logSum).change(seed, RESAMPLES);
        Interval ci = change.ci95();
        Verdict v = !ci.isDefined()
                ? Verdict.NO_DETECTABLE_CHANGE
                : ci.upper() < 0
                        ? Verdict.TOWARD_IDEAL
                        : ci.lower() > 0 ? Verdict.AWAY_FROM_IDEAL : Verdict.NO_DETECTABLE_CHANGE;
        Map<String, double[]> aggs = new LinkedHashMap<>();
        for (AggregateValue ag : ma.aggregates()) {
            AggregateValue bg = mb.aggregate(ag.id());
            if (bg != null) {
                aggs.put(
                        ag.id(),
                        new double[] {ag.estimate().value(), bg.estimate().value()});
            }
        }
        return new MeasureChange(name, ideal, n, mean(da), mean(db), mean(db) - mean(da), ci, v, aggs);
    }

    /** Per-target lean from item rows of one measure: mean(score | side a) − mean(score | side b). */
    static Map<String, Double> leans(String measure, List<LeanItem> items) {
        return leans(measure, items, false);
    }

    /**
     * Per-target lean from item rows of one measure; with {@code logSum}, log Σ exp(score | side a) − the same for
     * side b, the pooling of Brown et al.'s {@code cooccurrence-log-ratio} (as the audit computes it). Items without
     * a finite score (written as {@code null}) are left out.
     */
    static Map<String, Double> leans(String measure, List<LeanItem> items, boolean logSum) {
        Map<String, double[]> acc = new LinkedHashMap<>(); // target -> {sumA, nA, sumB, nB, logSumA, logSumB}
        for (LeanItem i : items) {
            if (!measure.equals(i.measure()) || !Double.isFinite(i.score())) {
                continue;
            }
            double[] a = acc.computeIfAbsent(
                    i.target(), k -> new double[] {0, 0, 0, 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY});
            int at = LeanItem.A.equals(i.side()) ? 0 : LeanItem.B.equals(i.side()) ? 2 : -1;
            if (at >= 0) {
                a[at] += i.score();
                a[at + 1]++;
                a[4 + at / 2] = logAddExp(a[4 + at / 2], i.score());
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        acc.forEach((t, a) ->
                out.put(t, a[1] == 0 || a[3] == 0 ? Double.NaN : logSum ? a[4] - a[5] : a[0] / a[1] - a[2] / a[3]));
        return out;
    }

    private static double logAddExp(double x, double y) {
        double hi = Math.max(x, y);
        return hi == Double.NEGATIVE_INFINITY ? hi : hi + Math.log(Math.exp(x - hi) + Math.exp(y - hi));
    }

    static List<TopKPair> topK(TopKResult ma, TopKResult mb) {
        List<TopKPair> out = new ArrayList<>();
        Map<String, Column> after = new LinkedHashMap<>();
        for (Table t : mb.tables()) {
            for (Column c : t.columns()) {
                after.put(key(t, c), c);
            }
        }
        for (Table t : ma.tables()) {
            for (Column c : t.columns()) {
                Column cb = after.get(key(t, c));
                if (cb != null) {
                    out.add(new TopKPair(key(t, c), c.text() != null ? c.text() : t.text(), answers(c), answers(cb)));
                }
            }
        }
        return out;
    }

    private static String key(Table table, Column column) {
        String ctx = table.context() == null ? "" : table.context();
        return table.template() + (table.paraphrase() > 0 ? "#" + table.paraphrase() : "")
                + (ctx.isEmpty() ? "" : " [" + ctx + "]") + " / " + column.term();
    }

    private static List<String> answers(Column column) {
        List<String> out = new ArrayList<>();
        for (Answer a : column.answers()) {
            out.add(String.format(Locale.ROOT, "%s %.3f", a.token(), a.probability()));
        }
        return out;
    }

    static CostChange cost(PseudoPerplexity.Result pa, PseudoPerplexity.Result pb, long seed)
            throws InvalidInputException {
        double[] plla = pa.perSentencePll();
        double[] pllb = pb.perSentencePll();
        if (plla.length != pllb.length || !Arrays.equals(pa.perSentenceTokens(), pb.perSentenceTokens())) {
            throw new InvalidInputException(
                    "the two pseudo-perplexity files scored different text",
                    "measure both models on the same held-out text");
        }
        double[] na = Arrays.stream(pa.perSentenceTokens()).asDoubleStream().toArray();
        double[] nb = Arrays.stream(pb.perSentenceTokens()).asDoubleStream().toArray();
        int n = plla.length;
        double before = Math.exp(-sum(plla) / sum(na));
        double after = Math.exp(-sum(pllb) / sum(nb));
        // the ratio exp(−(Σ PLL_b − Σ PLL_a) / N) on the same sentences: a paired i.i.d. bootstrap over sentences
        Interval ci = new CrossedBootstrap(seed, RESAMPLES)
                .iid("sentences", n, w -> {
                    double d = 0;
                    double tokens = 0;
                    for (int i = 0; i < n; i++) {
                        d += w[i] * (pllb[i] - plla[i]);
                        tokens += w[i] * na[i];
                    }
                    return tokens == 0 ? Double.NaN : Math.exp(-d / tokens);
                })
                .ci95();
        return new CostChange(before, after, after / before, ci, n);
    }

    private static String shortHash(String h) {
        return h.length() > 12 ? h.substring(0, 12) + "…" : h;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    private static double mean(double[] a) {
        return a.length == 0 ? Double.NaN : sum(a) / a.length;
    }
}
