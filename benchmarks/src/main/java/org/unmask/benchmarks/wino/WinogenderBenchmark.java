package org.unmask.benchmarks.wino;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unmask.benchmarks.Benchmark;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.MetricValue;
import org.unmask.benchmarks.RunOptions;
import org.unmask.benchmarks.RunRecorder;
import org.unmask.benchmarks.Scores;
import org.unmask.benchmarks.Skipped;
import org.unmask.benchmarks.data.Table;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.request.MaskFillRequest;
import org.unmask.core.request.MaskFillResult;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.stats.Correlation;
import org.unmask.core.stats.Estimate;

/**
 * Winogender Schemas (Rudinger et al., NAACL 2018) as a masked-LM probe. Each of the 240 (occupation,
 * participant-or-someone, answer) sentences is taken from {@code all_sentences.tsv}; the pronoun is the word
 * where its male and female instantiations differ, and it is replaced by {@code [MASK]}. The model's
 * {@code P(he)}, {@code P(she)}, {@code P(they)} (or the possessive / accusative forms) are read there.
 *
 * <ul>
 *   <li>{@code winogender/female-share}: mean over sentences of {@code 100·P(f)/(P(m)+P(f))}; ideal 50.
 *   <li>{@code winogender/male-preferred-pct}: % of sentences with {@code P(m) > P(f)}; ideal 50.
 *   <li>{@code winogender/bls-pearson}: Pearson r over the 60 occupations between the occupation's mean female
 *       share and BLS 2015 % female (the paper's bias correlation, adapted from % female resolutions to
 *       probabilities); 95 % CI by Fisher z. Ideal 0 (pronoun choice independent of occupational statistics).
 * </ul>
 * Groups: overall and by whether the pronoun refers to the occupation or the participant.
 */
public final class WinogenderBenchmark implements Benchmark {
    public static final String ID = "winogender";

    private final BenchmarkData.Source source;

    public WinogenderBenchmark() {
        this(() -> BenchmarkData.bundled(ID));
    }

    public WinogenderBenchmark(BenchmarkData.Source source) {
        this.source = source;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Winogender (Rudinger et al. 2018), 240 masked-pronoun sentences: P(he)/P(she)/P(they), correlation"
                + " with BLS % female";
    }

    /** A probe and its occupation / referent. */
    record Item(PronounProbe probe, String occupation, boolean refersToOccupation) {}

    @Override
    public BenchmarkResult run(RequestExecutor executor, RunOptions options, ProgressListener progress)
            throws UnmaskException {
        if (options.biasType() != null && !options.biasType().equals("gender")) {
            throw new InvalidInputException(
                    ID + " measures gender only, not '" + options.biasType() + "'",
                    "drop --bias-type or use --bias-type gender");
        }
        BenchmarkData data = source.load();
        RunRecorder rec = new RunRecorder(executor, data, options);
        Skipped skipped = new Skipped();
        List<Item> items = items(data, skipped, options);
        Map<String, Double> bls = stats(data, "bls_pct_female");
        Map<String, Double> bergsma = stats(data, "bergsma_pct_female");
        Set<ModelRequest<?>> requests = new LinkedHashSet<>();
        for (Item i : items) {
            requests.add(MaskFillRequest.targets(i.probe().masked(), i.probe().targets()));
        }
        Map<ModelRequest<?>, Object> answers = executor.executeMixed(requests, progress);
        List<Map<String, Object>> traces = new ArrayList<>();
        double[] share = new double[items.size()];
        double[] malePref = new double[items.size()];
        Map<String, List<Double>> byOcc = new LinkedHashMap<>();
        for (int k = 0; k < items.size(); k++) {
            Item i = items.get(k);
            MaskFillResult.Slot s = ((MaskFillResult) answers.get(MaskFillRequest.targets(
                            i.probe().masked(), i.probe().targets())))
                    .slot();
            double pm = s.targets().get(0).probability();
            double pf = s.targets().get(1).probability();
            double pn = s.targets().size() > 2 ? s.targets().get(2).probability() : Double.NaN;
            share[k] = 100.0 * pf / (pm + pf);
            malePref[k] = pm > pf ? 100.0 : 0.0;
            byOcc.computeIfAbsent(i.occupation(), o -> new ArrayList<>()).add(share[k]);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", i.probe().id());
            t.put("masked", i.probe().masked());
            t.put("p_male", pm);
            t.put("p_female", pf);
            t.put("p_neutral", pn);
            traces.add(t);
        }
        List<MetricValue> metrics = new ArrayList<>();
        addGroup(metrics, "overall", items, share, malePref, options, i -> true);
        addGroup(metrics, "pronoun-refers-to-occupation", items, share, malePref, options, Item::refersToOccupation);
        addGroup(
                metrics,
                "pronoun-refers-to-participant",
                items,
                share,
                malePref,
                options,
                i -> !i.refersToOccupation());
        metrics.add(correlation("winogender/bls-pearson", byOcc, bls, skipped));
        metrics.add(correlation("winogender/bergsma-pearson", byOcc, bergsma, skipped));
        rec.note("Masked-LM adaptation: the paper scores coreference systems (accuracy, % female resolutions); here"
                + " the model's pronoun probabilities replace resolutions. No published bert-base-uncased numbers exist"
                + " for this exact adaptation.");
        return rec.finish(metrics, skipped, requests.size(), traces);
    }

    private static void addGroup(
            List<MetricValue> metrics,
            String group,
            List<Item> items,
            double[] share,
            double[] malePref,
            RunOptions options,
            java.util.function.Predicate<Item> keep) {
        List<Double> s = new ArrayList<>();
        List<Double> m = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            if (keep.test(items.get(k))) {
                s.add(share[k]);
                m.add(malePref[k]);
            }
        }
        metrics.add(Scores.percentage("winogender/female-share", group, toArray(s), options, 50.0, Map.of()));
        metrics.add(Scores.percentage("winogender/male-preferred-pct", group, toArray(m), options, 50.0, Map.of()));
    }

    private static double[] toArray(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static MetricValue correlation(
            String metric, Map<String, List<Double>> byOcc, Map<String, Double> ref, Skipped skipped) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : byOcc.entrySet()) {
            Double r = ref.get(e.getKey());
            if (r == null) {
                skipped.add(metric + ": occupation without statistics", e.getKey());
                continue;
            }
            x.add(e.getValue().stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElse(Double.NaN));
            y.add(r);
        }
        if (x.size() < 3) {
            return new MetricValue(metric, "occupations", Double.NaN, x.size(), Double.NaN, Double.NaN, 0.0, Map.of());
        }
        Estimate e = Correlation.pearsonEstimate(toArray(x), toArray(y));
        return new MetricValue(
                metric,
                "occupations",
                e.value(),
                e.n(),
                e.ci95().lower(),
                e.ci95().upper(),
                0.0,
                Map.of("interval", "Fisher z", "spearman", Correlation.spearman(toArray(x), toArray(y))));
    }

    static Map<String, Double> stats(BenchmarkData data, String column) throws InvalidInputException {
        String file = "occupations-stats.tsv";
        Table t = Table.tsv(data.origin() + file, new String(data.bytes(file), StandardCharsets.UTF_8));
        t.requireColumns("occupation", column);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Table.Row r : t.rows()) {
            try {
                out.put(r.require("occupation"), Double.parseDouble(r.require(column)));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(
                        r.where() + ": " + column + " is not a number", "restore the upstream file");
            }
        }
        return out;
    }

    /** Masked probes from all_sentences.tsv: one per (occupation, participant, answer). */
    static List<Item> items(BenchmarkData data, Skipped skipped, RunOptions options) throws InvalidInputException {
        String file = "all_sentences.tsv";
        Table t = Table.tsv(data.origin() + file, new String(data.bytes(file), StandardCharsets.UTF_8));
        t.requireColumns("sentid", "sentence");
        Map<String, Map<String, Table.Row>> groups = new LinkedHashMap<>();
        for (Table.Row r : t.rows()) {
            String[] id = r.require("sentid").split("\\.");
            if (id.length != 5) {
                throw new InvalidInputException(
                        r.where() + ": malformed sentid '" + r.get("sentid") + "'",
                        "expected occupation.participant.answer.gender.txt");
            }
            groups.computeIfAbsent(id[0] + "." + id[1] + "." + id[2], k -> new LinkedHashMap<>())
                    .put(id[3], r);
        }
        List<Item> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Table.Row>> g : groups.entrySet()) {
            if (options.reached(out.size())) {
                break;
            }
            Map<String, Table.Row> v = g.getValue();
            if (!v.keySet().containsAll(List.of("male", "female", "neutral"))) {
                skipped.add("sentence without all three pronoun genders", g.getKey());
                continue;
            }
            PronounProbe p = probe(
                    g.getKey(),
                    v.get("male").require("sentence"),
                    v.get("female").require("sentence"),
                    v.get("neutral").require("sentence"));
            if (p == null) {
                skipped.add("male/female sentences differ in other than one word", g.getKey());
                continue;
            }
            String[] id = g.getKey().split("\\.");
            out.add(new Item(p, id[0], id[2].equals("0")));
        }
        return out;
    }

    /**
     * Masks the one word where the male and female instantiations differ (punctuation around it is kept). The
     * neutral form is read from the neutral sentence at that word; "they" sentences whose verb also changes
     * ("they were") still give the pronoun, and the probe keeps the he/she sentence's verb.
     */
    static PronounProbe probe(String id, String male, String female, String neutral) {
        String[] m = male.split(" ", -1);
        String[] f = female.split(" ", -1);
        String[] n = neutral.split(" ", -1);
        if (m.length != f.length) {
            return null;
        }
        int at = -1;
        for (int i = 0; i < m.length; i++) {
            if (!m[i].equals(f[i])) {
                if (at >= 0) {
                    return null;
                }
                at = i;
            }
        }
        if (at < 0 || at >= n.length) {
            return null;
        }
        String[] core = {core(m[at]), core(f[at]), core(n[at])};
        String[] masked = m.clone();
        masked[at] = m[at].replace(core[0], MaskFillRequest.MASK);
        return new PronounProbe(id, String.join(" ", masked), core[0], core[1], core[2]);
    }

    /** The word without surrounding punctuation. */
    static String core(String w) {
        return w.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
    }
}
