package org.unmask.benchmarks.bbq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.unmask.benchmarks.Benchmark;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.MetricValue;
import org.unmask.benchmarks.RunOptions;
import org.unmask.benchmarks.RunRecorder;
import org.unmask.benchmarks.Skipped;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.ChatContinuationRequest;
import org.unmask.core.request.ChatMessage;
import org.unmask.core.request.ContinuationLogLikelihoodRequest;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.core.stats.Estimate;

/**
 * BBQ (Parrish et al., Findings of ACL 2022) on a causal LM, asked as lm-evaluation-harness' {@code bbq} task asks
 * it and scored with {@link BbqScoring}: accuracy in ambiguous and disambiguated contexts and the bias scores s_DIS
 * and s_AMB, overall and per category, each with a template-clustered bootstrap 95 % interval.
 *
 * <p>The intersectional categories (Race_x_gender, Race_x_SES) are analysed apart from the others, as in the paper:
 * they are not in "overall"; each is reported as a whole and per comparison (how the non-target differs from the
 * target: {@code same-race}, {@code same-gender} / {@code same-SES}, {@code neither}), with the paper's biased answer
 * (the one matching both dimensions, {@link BbqData#intersectionalBiased}); the details also count lm-eval's
 * race-only biased answers ({@code biasedLmEval}).
 *
 * <p>Two ways to ask ({@code --variant}): {@code mc} (default, base models) scores {@code " " + choice} after the
 * prompt {@code "{context}\n\nQ: {question}\nA:"}; {@code chat} (instruction-tuned models) sends the same prompt as
 * the user's message through the model's chat template and scores each choice as the start of the assistant's reply
 * (lm-eval's {@code --apply_chat_template}, which drops the space before the choice).
 *
 * <p>{@code --limit N} takes the first N examples of every category file (file order keeps a template's four
 * questions together), the fixed subsample CI uses; real runs take every example.
 */
public final class BbqBenchmark implements Benchmark {
    public static final String ID = "bbq";
    public static final String ACCURACY = "bbq/accuracy";
    public static final String ACCURACY_AMBIGUOUS = "bbq/accuracy-ambiguous";
    public static final String ACCURACY_DISAMBIGUATED = "bbq/accuracy-disambiguated";
    public static final String BIAS_AMBIGUOUS = "bbq/bias-ambiguous";
    public static final String BIAS_DISAMBIGUATED = "bbq/bias-disambiguated";

    private final BenchmarkData.Source source;

    /** How the question is put to the model. */
    public enum Variant {
        /** Multiple choice by answer log-likelihood after a plain-text prompt (base models). */
        MC,
        /** The prompt as the user's chat message, each answer scored as the assistant's reply. */
        CHAT;

        static Variant of(String v) throws InvalidInputException {
            if (v == null || v.equals("mc")) {
                return MC;
            }
            if (v.equals("chat")) {
                return CHAT;
            }
            throw new InvalidInputException(
                    "unknown BBQ variant '" + v + "'",
                    "use --variant mc (base models) or --variant chat (instruction-tuned models)");
        }
    }

    public BbqBenchmark() {
        this(() -> BenchmarkData.bundled(ID));
    }

    public BbqBenchmark(BenchmarkData.Source source) {
        this.source = source;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "BBQ (Parrish et al. 2022): accuracy and bias scores s_DIS/s_AMB of multiple-choice QA, nine"
                + " categories + race x gender, race x SES (causal LMs; --variant mc | chat)";
    }

    /** The requests that score every choice of {@code e}, aligned with {@link BbqScoring#choices}. */
    public static List<ModelRequest<TokenLogProbs>> requests(BbqExample e, Variant variant) {
        List<ModelRequest<TokenLogProbs>> out = new ArrayList<>();
        for (String c : BbqScoring.choices(e)) {
            out.add(
                    variant == Variant.MC
                            ? new ContinuationLogLikelihoodRequest(e.prompt(), " " + c)
                            : new ChatContinuationRequest(List.of(ChatMessage.user(e.prompt())), c));
        }
        return out;
    }

    /** The examples a run scores: per category file, the first {@code limit} (all when 0), of one category. */
    public static List<BbqExample> examples(BenchmarkData data, RunOptions options) throws InvalidInputException {
        List<BbqExample> out = new ArrayList<>();
        for (String file : BbqData.files(data)) {
            if (options.biasType() != null && !options.biasType().equals(BbqData.category(file))) {
                continue;
            }
            List<BbqExample> all = BbqData.read(data, file);
            out.addAll(options.limit() > 0 ? all.subList(0, Math.min(options.limit(), all.size())) : all);
        }
        if (out.isEmpty()) {
            List<String> cats =
                    BbqData.files(data).stream().map(BbqData::category).toList();
            throw new InvalidInputException(
                    "no BBQ category '" + options.biasType() + "'",
                    "use --bias-type with one of: " + String.join(", ", cats));
        }
        return out;
    }

    @Override
    public BenchmarkResult run(RequestExecutor executor, RunOptions options, ProgressListener progress)
            throws UnmaskException {
        BenchmarkData data = source.load();
        Variant variant = Variant.of(options.variant());
        RunRecorder rec = new RunRecorder(executor, data, options);
        List<BbqExample> examples = examples(data, options);
        Set<ModelRequest<?>> requests = new LinkedHashSet<>();
        for (BbqExample e : examples) {
            requests.addAll(requests(e, variant));
        }
        Map<ModelRequest<?>, Object> answers = executor.executeMixed(requests, progress);
        List<BbqScoring.Outcome> outcomes = new ArrayList<>();
        List<Map<String, Object>> traces = new ArrayList<>();
        for (BbqExample e : examples) {
            List<ModelRequest<TokenLogProbs>> rs = requests(e, variant);
            double[] ll = new double[rs.size()];
            for (int i = 0; i < ll.length; i++) {
                ll[i] = ((TokenLogProbs) answers.get(rs.get(i))).sum();
                if (!Double.isFinite(ll[i])) {
                    throw new IllegalStateException(e.where() + ": log-likelihood " + ll[i] + " of choice " + i);
                }
            }
            BbqScoring.Outcome o = BbqScoring.answer(e, ll);
            outcomes.add(o);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("category", e.category());
            t.put("exampleId", e.exampleId());
            t.put("context", e.ambiguous() ? "ambig" : "disambig");
            t.put("polarity", e.negative() ? "neg" : "nonneg");
            t.put("answer", o.answer());
            t.put("correct", o.correct());
            t.put("biased", o.biased());
            if (e.intersectional()) {
                t.put("comparison", e.comparison());
                t.put("biasedLmEval", o.lmEvalBiased());
            }
            traces.add(t);
        }
        List<MetricValue> metrics = new ArrayList<>();
        groups(outcomes).forEach((g, os) -> metrics.addAll(metrics(g, os, options)));
        rec.note("Asked as lm-evaluation-harness' bbq task ("
                + (variant == Variant.MC
                        ? "multiple choice: \" \" + answer after \"{context}\\n\\nQ: {question}\\nA:\""
                        : "chat: the prompt as the user's message, the answer scored as the assistant's reply")
                + "); 12 choices per question (2 groups + 10 phrasings of unknown); values are fractions and scores in"
                + " [-1, 1] (the paper prints x100). Intervals: bootstrap over templates.");
        rec.note(
                "Gender_identity, Race_ethnicity and SES are regenerated from the released templates with the"
                        + " authors' procedure (tools/bbq/regenerate_bbq.py, seed 0): same counts, other word draws than the"
                        + " release; so are Race_x_gender and Race_x_SES (tools/bbq/regenerate_bbq_intersectional.py, seed 0).");
        if (outcomes.stream().anyMatch(o -> o.example().intersectional())) {
            rec.note("Intersectional categories as in the paper (§6, App. H): not in 'overall'; the biased answer is"
                    + " the one matching both race and gender/SES; also per comparison (the non-target shares the"
                    + " race / the gender or SES / neither). lm-eval scores them by race only (biasedLmEval in the"
                    + " details).");
        }
        return rec.finish(metrics, new Skipped(), outcomes.size(), traces);
    }

    /**
     * The groups reported: "overall" (the single-axis categories; the paper analyses the intersectional ones
     * apart), each category, and each intersectional category per comparison.
     */
    static Map<String, List<BbqScoring.Outcome>> groups(List<BbqScoring.Outcome> outcomes) {
        Map<String, List<BbqScoring.Outcome>> groups = new LinkedHashMap<>();
        List<BbqScoring.Outcome> single = filter(outcomes, o -> !o.example().intersectional());
        if (!single.isEmpty()) {
            groups.put("overall", single);
        }
        for (BbqScoring.Outcome o : outcomes) {
            BbqExample e = o.example();
            groups.computeIfAbsent(e.category(), k -> new ArrayList<>()).add(o);
            String comparison = comparison(e);
            if (comparison != null) {
                groups.computeIfAbsent(e.category() + "/" + comparison, k -> new ArrayList<>())
                        .add(o);
            }
        }
        return groups;
    }

    /** The name of an intersectional example's comparison, or null (single-axis, or not marked in the row). */
    static String comparison(BbqExample e) {
        if (!e.intersectional()) {
            return null;
        }
        String second = e.category().substring(e.category().indexOf("_x_") + 3);
        return switch (e.comparison()) {
            case "intersectional_a" -> "same-race";
            case "intersectional_b" -> "same-" + second;
            case "intersectional_c" -> "neither";
            default -> null;
        };
    }

    /** The five numbers of one group of outcomes. */
    static List<MetricValue> metrics(String group, List<BbqScoring.Outcome> os, RunOptions options) {
        List<BbqScoring.Outcome> amb = filter(os, o -> o.example().ambiguous());
        List<BbqScoring.Outcome> dis = filter(os, o -> !o.example().ambiguous());
        List<MetricValue> out = new ArrayList<>();
        out.add(value(ACCURACY, group, os, BbqScoring::accuracy, 1.0, counts(os), options));
        out.add(value(ACCURACY_AMBIGUOUS, group, amb, BbqScoring::accuracy, 1.0, counts(amb), options));
        out.add(value(ACCURACY_DISAMBIGUATED, group, dis, BbqScoring::accuracy, 1.0, counts(dis), options));
        out.add(value(BIAS_DISAMBIGUATED, group, dis, BbqScoring::biasScore, 0.0, counts(dis), options));
        out.add(value(BIAS_AMBIGUOUS, group, amb, BbqScoring::ambiguousBiasScore, 0.0, counts(amb), options));
        return out;
    }

    private static MetricValue value(
            String metric,
            String group,
            List<BbqScoring.Outcome> os,
            ToDoubleFunction<List<BbqScoring.Outcome>> statistic,
            double ideal,
            Map<String, Object> details,
            RunOptions options) {
        if (os.isEmpty()) {
            return new MetricValue(metric, group, Double.NaN, 0, Double.NaN, Double.NaN, ideal, details);
        }
        Estimate e = BbqStatistics.estimate(os, statistic, options);
        return new MetricValue(
                metric, group, e.value(), e.n(), e.ci95().lower(), e.ci95().upper(), ideal, details);
    }

    /** The counts every value rests on, so lm-eval's numbers can be recomputed from a result. */
    private static Map<String, Object> counts(List<BbqScoring.Outcome> os) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("correct", os.stream().filter(BbqScoring.Outcome::correct).count());
        d.put("biased", os.stream().filter(BbqScoring.Outcome::biased).count());
        d.put("nonUnknown", os.stream().filter(BbqScoring.Outcome::nonUnknown).count());
        if (os.stream().anyMatch(o -> o.example().intersectional())) {
            d.put(
                    "biasedLmEval",
                    os.stream().filter(BbqScoring.Outcome::lmEvalBiased).count());
        }
        return d;
    }

    private static List<BbqScoring.Outcome> filter(List<BbqScoring.Outcome> os, Predicate<BbqScoring.Outcome> p) {
        return os.stream().filter(p).toList();
    }
}
