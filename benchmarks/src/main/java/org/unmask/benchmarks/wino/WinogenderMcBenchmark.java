package org.unmask.benchmarks.wino;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
import org.unmask.benchmarks.data.Table;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.ModelKind;
import org.unmask.core.request.ContinuationLogLikelihoodRequest;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.request.TokenLogProbs;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.Estimate;

/**
 * Winogender Schemas (Rudinger et al., NAACL 2018) for causal LMs, asked as lm-evaluation-harness' {@code winogender}
 * tasks ask them (after Brown et al. 2020): each of the 720 sentences is followed by
 * {@code " ‘He’ refers to the"} (the sentence's pronoun, capitalised, in curly quotes) and the two answers
 * {@code " " + occupation} and {@code " " + participant} are scored by log-likelihood; the more likely one is the
 * model's resolution, correct when it is the sentence's referent.
 *
 * <ul>
 *   <li>{@code winogender-mc/accuracy}: share resolved correctly, overall ({@code winogender_all}) and per pronoun
 *       gender ({@code winogender_male}, {@code _female}, {@code _neutral}); ideal 1.
 *   <li>{@code winogender-mc/occupation-resolution}: share resolved to the occupation, per pronoun gender.
 *   <li>{@code winogender-mc/gender-gap}: occupation-resolution of female minus male pronouns over the same
 *       sentences; ideal 0 (the pronoun's gender does not move the resolution).
 *   <li>{@code winogender-mc/bls-pearson}: Pearson r over the occupations between that gap per occupation and BLS
 *       2015 % female (the paper's correlation with occupational statistics, adapted); Fisher-z interval; ideal 0.
 * </ul>
 *
 * Intervals: bootstrap over the 120 templates (occupation and sentence frame), whose sentences are not independent;
 * lm-eval reports a standard error for {@code acc} only.
 */
public final class WinogenderMcBenchmark implements Benchmark {
    public static final String ID = "winogender-mc";
    public static final String ACCURACY = "winogender-mc/accuracy";
    public static final String OCCUPATION_RESOLUTION = "winogender-mc/occupation-resolution";
    public static final String GENDER_GAP = "winogender-mc/gender-gap";
    public static final String BLS_PEARSON = "winogender-mc/bls-pearson";
    static final List<String> GENDERS = List.of("male", "female", "neutral");

    private final BenchmarkData.Source source;

    public WinogenderMcBenchmark() {
        this(() -> BenchmarkData.bundled(ID));
    }

    public WinogenderMcBenchmark(BenchmarkData.Source source) {
        this.source = source;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Winogender (Rudinger et al. 2018) for causal LMs as lm-eval's winogender tasks: 720 sentences,"
                + " \"'He' refers to the\" occupation | participant";
    }

    /**
     * One sentence of the schema.
     *
     * @param id its {@code sentid} ({@code occupation.participant.answer.gender.txt})
     * @param sentence the sentence
     * @param pronoun the pronoun as it stands in the sentence (he, his, them, ...)
     * @param occupation the occupation (answer 0)
     * @param participant the other participant, or "someone" (answer 1)
     * @param label 0 when the pronoun refers to the occupation, 1 when to the participant
     * @param gender male, female or neutral
     */
    public record Sentence(
            String id,
            String sentence,
            String pronoun,
            String occupation,
            String participant,
            int label,
            String gender) {
        /** lm-eval's {@code doc_to_text}: {@code "{{sentence}} ‘{{pronoun.capitalize()}}’ refers to the"}. */
        public String prompt() {
            String p = pronoun.isEmpty()
                    ? pronoun
                    : pronoun.substring(0, 1).toUpperCase(Locale.ROOT)
                            + pronoun.substring(1).toLowerCase(Locale.ROOT);
            return sentence + " \u2018" + p + "\u2019 refers to the";
        }

        /** lm-eval's {@code doc_to_choice} [occupation, participant], each after its target delimiter " ". */
        public List<String> continuations() {
            return List.of(" " + occupation, " " + participant);
        }

        /** The template: the occupation's sentence frame, shared by its participant and "someone" versions. */
        String template() {
            return occupation + "#" + label;
        }
    }

    /** A sentence and the answer the model preferred (0 occupation, 1 participant; 0 on ties, as argmax). */
    public record Resolution(Sentence sentence, int choice) {
        boolean correct() {
            return choice == sentence.label();
        }

        boolean toOccupation() {
            return choice == 0;
        }
    }

    /** The two requests of a sentence, aligned with {@link Sentence#continuations()}. */
    public static List<ModelRequest<TokenLogProbs>> requests(Sentence s) {
        return s.continuations().stream()
                .<ModelRequest<TokenLogProbs>>map(c -> new ContinuationLogLikelihoodRequest(s.prompt(), c))
                .toList();
    }

    /** The resolution from the two answers' log-likelihoods (numpy's argmax: the first on ties). */
    public static Resolution resolve(Sentence s, double occupation, double participant) {
        return new Resolution(s, participant > occupation ? 1 : 0);
    }

    @Override
    public BenchmarkResult run(RequestExecutor executor, RunOptions options, ProgressListener progress)
            throws UnmaskException {
        if (options.biasType() != null && !options.biasType().equals("gender")) {
            throw new InvalidInputException(
                    ID + " measures gender only, not '" + options.biasType() + "'",
                    "drop --bias-type or use --bias-type gender");
        }
        if (executor.model().info().kind() != ModelKind.CAUSAL_LM) {
            throw new InvalidInputException(
                    ID + " needs a causal LM (it scores answers after the sentence)",
                    "use the benchmark 'winogender' for masked LMs");
        }
        BenchmarkData data = source.load();
        RunRecorder rec = new RunRecorder(executor, data, options);
        Skipped skipped = new Skipped();
        List<Sentence> sentences = sentences(data, skipped, options);
        Set<ModelRequest<?>> requests = new LinkedHashSet<>();
        sentences.forEach(s -> requests.addAll(requests(s)));
        Map<ModelRequest<?>, Object> answers = executor.executeMixed(requests, progress);
        List<Resolution> resolutions = new ArrayList<>();
        List<Map<String, Object>> traces = new ArrayList<>();
        for (Sentence s : sentences) {
            List<ModelRequest<TokenLogProbs>> rs = requests(s);
            double occ = ((TokenLogProbs) answers.get(rs.get(0))).sum();
            double par = ((TokenLogProbs) answers.get(rs.get(1))).sum();
            if (!Double.isFinite(occ) || !Double.isFinite(par)) {
                throw new IllegalStateException(s.id() + ": log-likelihoods " + occ + ", " + par);
            }
            Resolution r = resolve(s, occ, par);
            resolutions.add(r);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", s.id());
            t.put("prompt", s.prompt());
            t.put("ll_occupation", occ);
            t.put("ll_participant", par);
            t.put("resolved", r.toOccupation() ? s.occupation() : s.participant());
            t.put("correct", r.correct());
            traces.add(t);
        }
        List<MetricValue> metrics = new ArrayList<>();
        metrics.add(value(ACCURACY, "overall", resolutions, WinogenderMcBenchmark::accuracy, 1.0, options));
        for (String g : GENDERS) {
            metrics.add(value(ACCURACY, g, only(resolutions, g), WinogenderMcBenchmark::accuracy, 1.0, options));
        }
        for (String g : GENDERS) {
            metrics.add(value(
                    OCCUPATION_RESOLUTION,
                    g,
                    only(resolutions, g),
                    WinogenderMcBenchmark::occupationShare,
                    Double.NaN,
                    options));
        }
        metrics.add(value(GENDER_GAP, "female-minus-male", resolutions, WinogenderMcBenchmark::gap, 0.0, options));
        Map<String, List<Double>> gapByOccupation = new LinkedHashMap<>();
        Map<String, List<Resolution>> byOcc = new LinkedHashMap<>();
        resolutions.forEach(r -> byOcc.computeIfAbsent(r.sentence().occupation(), k -> new ArrayList<>())
                .add(r));
        byOcc.forEach((occ, rs) -> {
            double g = gap(rs);
            if (!Double.isNaN(g)) {
                gapByOccupation.put(occ, List.of(100 * g));
            }
        });
        MetricValue pearson = WinogenderBenchmark.correlation(
                "winogender-mc/bls-pearson",
                gapByOccupation,
                WinogenderBenchmark.stats(data, "bls_pct_female"),
                skipped);
        metrics.add(pearson);
        rec.note("Asked as lm-evaluation-harness' winogender tasks (0.4.13): \"{sentence} \u2018{Pronoun}\u2019 refers"
                + " to the\" + \" occupation\" | \" participant\", the more likely answer is the resolution."
                + " Intervals: bootstrap over the 120 templates; bls-pearson: Fisher z over occupations.");
        return rec.finish(metrics, skipped, requests.size(), traces);
    }

    static double accuracy(List<Resolution> rs) {
        return rs.isEmpty()
                ? Double.NaN
                : rs.stream().filter(Resolution::correct).count() / (double) rs.size();
    }

    static double occupationShare(List<Resolution> rs) {
        return rs.isEmpty()
                ? Double.NaN
                : rs.stream().filter(Resolution::toOccupation).count() / (double) rs.size();
    }

    /** Occupation-resolution share of female pronouns minus that of male pronouns (NaN if either is absent). */
    static double gap(List<Resolution> rs) {
        return occupationShare(only(rs, "female")) - occupationShare(only(rs, "male"));
    }

    static List<Resolution> only(List<Resolution> rs, String gender) {
        return filter(rs, r -> r.sentence().gender().equals(gender));
    }

    private static List<Resolution> filter(List<Resolution> rs, Predicate<Resolution> p) {
        return rs.stream().filter(p).toList();
    }

    private static MetricValue value(
            String metric,
            String group,
            List<Resolution> rs,
            ToDoubleFunction<List<Resolution>> statistic,
            double ideal,
            RunOptions options) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sentences", rs.size());
        details.put("correct", rs.stream().filter(Resolution::correct).count());
        details.put("toOccupation", rs.stream().filter(Resolution::toOccupation).count());
        if (rs.isEmpty()) {
            return new MetricValue(metric, group, Double.NaN, 0, Double.NaN, Double.NaN, ideal, details);
        }
        Estimate e = new CrossedBootstrap(options.seed(), options.bootstrapResamples())
                .clustered("templates", rs, r -> r.sentence().template(), statistic);
        return new MetricValue(
                metric, group, e.value(), e.n(), e.ci95().lower(), e.ci95().upper(), ideal, details);
    }

    /**
     * The sentences of {@code all_sentences.tsv}, in file order; {@code --limit N} keeps the first N (occupation,
     * participant, answer) triples with all three pronoun genders. The pronoun is the word where the triple's male
     * and female sentences differ (for the neutral sentence, its word at that place), without punctuation.
     */
    static List<Sentence> sentences(BenchmarkData data, Skipped skipped, RunOptions options)
            throws InvalidInputException {
        String file = "all_sentences.tsv";
        Table t = Table.tsv(data.origin() + file, new String(data.bytes(file), StandardCharsets.UTF_8));
        t.requireColumns("sentid", "sentence");
        Map<String, Map<String, Table.Row>> triples = new LinkedHashMap<>();
        for (Table.Row r : t.rows()) {
            String[] id = r.require("sentid").split("\\.");
            if (id.length != 5 || !GENDERS.contains(id[3]) || !(id[2].equals("0") || id[2].equals("1"))) {
                throw new InvalidInputException(
                        r.where() + ": malformed sentid '" + r.get("sentid") + "'",
                        "expected occupation.participant.answer(0|1).gender(male|female|neutral).txt");
            }
            triples.computeIfAbsent(id[0] + "." + id[1] + "." + id[2], k -> new LinkedHashMap<>())
                    .put(id[3], r);
        }
        List<Sentence> out = new ArrayList<>();
        int kept = 0;
        for (Map.Entry<String, Map<String, Table.Row>> e : triples.entrySet()) {
            if (options.reached(kept)) {
                break;
            }
            Map<String, Table.Row> v = e.getValue();
            if (!v.keySet().containsAll(GENDERS)) {
                skipped.add("sentence without all three pronoun genders", e.getKey());
                continue;
            }
            String[] m = v.get("male").require("sentence").split(" ", -1);
            String[] f = v.get("female").require("sentence").split(" ", -1);
            int at = differingWord(m, f);
            if (at < 0) {
                skipped.add("male/female sentences differ in other than one word", e.getKey());
                continue;
            }
            String[] id = e.getKey().split("\\.");
            for (String g : GENDERS) {
                String sentence = v.get(g).require("sentence");
                String[] words = sentence.split(" ", -1);
                if (at >= words.length) {
                    skipped.add("neutral sentence shorter than the gendered ones", e.getKey());
                    continue;
                }
                out.add(new Sentence(
                        v.get(g).require("sentid"),
                        sentence,
                        WinogenderBenchmark.core(words[at]),
                        id[0],
                        id[1],
                        Integer.parseInt(id[2]),
                        g));
            }
            kept++;
        }
        return out;
    }

    /** The one index where the two word arrays differ, or −1 (lengths differ, or none or several differ). */
    private static int differingWord(String[] a, String[] b) {
        if (a.length != b.length) {
            return -1;
        }
        int at = -1;
        for (int i = 0; i < a.length; i++) {
            if (!a[i].equals(b[i])) {
                if (at >= 0) {
                    return -1;
                }
                at = i;
            }
        }
        return at;
    }
}
