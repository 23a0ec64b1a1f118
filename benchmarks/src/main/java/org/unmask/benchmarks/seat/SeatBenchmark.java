package org.unmask.benchmarks.seat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unmask.benchmarks.Benchmark;
import org.unmask.benchmarks.BenchmarkData;
import org.unmask.benchmarks.BenchmarkResult;
import org.unmask.benchmarks.BenchmarkSpec;
import org.unmask.benchmarks.MetricValue;
import org.unmask.benchmarks.RunOptions;
import org.unmask.benchmarks.RunRecorder;
import org.unmask.benchmarks.Skipped;
import org.unmask.core.engine.ProgressListener;
import org.unmask.core.engine.RequestExecutor;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.error.UnmaskException;
import org.unmask.core.model.SentenceEncoder.Pooling;
import org.unmask.core.request.EmbeddingRequest;
import org.unmask.core.request.ModelRequest;
import org.unmask.core.stats.Interval;

/**
 * SEAT (May et al. 2019) / WEAT (Caliskan et al. 2017) on sentence encodings made as bias-bench makes them:
 * mean of the last layer's token states (special tokens included), L2-normalised, each sentence encoded alone.
 * Reports per test the effect size {@code seat/effect-size} (ideal 0) and the one-sided permutation p-value
 * {@code seat/p-value}, and per bias type the mean |effect size| over Meade et al.'s test set
 * ({@code seat/mean-abs-effect-size}; also religion and all 17 tests together when the religion tests are in
 * the data, as bias-bench's leaderboard "SEAT (Overall)"). All sentences of all tests are embedded in one
 * executor call.
 */
public final class SeatBenchmark implements Benchmark {
    public static final String ID = "seat";
    /** Meade et al. 2022's gender tests. */
    public static final List<String> GENDER =
            List.of("sent-weat6", "sent-weat6b", "sent-weat7", "sent-weat7b", "sent-weat8", "sent-weat8b");
    /** Meade et al. 2022's race tests. */
    public static final List<String> RACE = List.of(
            "sent-angry_black_woman_stereotype",
            "sent-angry_black_woman_stereotype_b",
            "sent-weat3",
            "sent-weat3b",
            "sent-weat4",
            "sent-weat5",
            "sent-weat5b");
    /**
     * Meade et al. 2022's religion tests (bias-bench {@code data/seat/sent-religion*.jsonl}). Not shipped: bias-bench
     * declares no license; they run only from a user's benchmark folder that holds them.
     */
    public static final List<String> RELIGION =
            List.of("sent-religion1", "sent-religion1b", "sent-religion2", "sent-religion2b");

    private final BenchmarkData.Source source;

    public SeatBenchmark() {
        this(() -> BenchmarkData.bundled(ID));
    }

    public SeatBenchmark(BenchmarkData.Source source) {
        this.source = source;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "SEAT/WEAT (May et al. 2019): effect size + permutation p on mean-pooled, L2-normalised encodings";
    }

    @Override
    public BenchmarkResult run(RequestExecutor executor, RunOptions options, ProgressListener progress)
            throws UnmaskException {
        BenchmarkData data = source.load();
        RunRecorder rec = new RunRecorder(executor, data, options);
        List<String> names = select(data.spec(), options);
        List<SeatTest> tests = new ArrayList<>();
        Set<ModelRequest<?>> requests = new LinkedHashSet<>();
        for (String n : names) {
            SeatTest t = SeatTest.read(data, n);
            tests.add(t);
            for (SeatTest.Set s : List.of(t.targ1(), t.targ2(), t.attr1(), t.attr2())) {
                for (String e : s.examples()) {
                    requests.add(request(e));
                }
            }
        }
        Map<ModelRequest<?>, Object> enc = executor.executeMixed(requests, progress);
        List<MetricValue> metrics = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        Map<String, Double> effect = new LinkedHashMap<>();
        for (SeatTest t : tests) {
            Weat.Result r = Weat.test(
                    vectors(t.targ1(), enc),
                    vectors(t.targ2(), enc),
                    vectors(t.attr1(), enc),
                    vectors(t.attr2(), enc),
                    options.permutationSamples(),
                    options.seed());
            effect.put(t.name(), r.effectSize());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("X", t.targ1().category() + " (" + t.targ1().examples().size() + ")");
            d.put("Y", t.targ2().category() + " (" + t.targ2().examples().size() + ")");
            d.put("A", t.attr1().category() + " (" + t.attr1().examples().size() + ")");
            d.put("B", t.attr2().category() + " (" + t.attr2().examples().size() + ")");
            d.put("p_value", r.pValue());
            d.put("p_exact", r.exact());
            d.put("permutations", r.permutations());
            int n = t.targ1().examples().size() + t.targ2().examples().size();
            Interval ci = Weat.effectSizeInterval(r.sX(), r.sY(), options.seed(), options.bootstrapResamples());
            d.put(
                    "ci",
                    "bootstrap over target sentences within X and Y, attributes fixed; template sentences of one"
                            + " word are resampled independently, so the interval is optimistic");
            metrics.add(
                    new MetricValue("seat/effect-size", t.name(), r.effectSize(), n, ci.lower(), ci.upper(), 0.0, d));
            metrics.add(new MetricValue(
                    "seat/p-value",
                    t.name(),
                    r.pValue(),
                    n,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Map.of("exact", r.exact(), "permutations", r.permutations(), "alternative", "greater")));
            items.add(Map.of("test", t.name(), "effect_size", r.effectSize(), "p_value", r.pValue()));
        }
        summarise("gender", GENDER, effect, metrics);
        summarise("race", RACE, effect, metrics);
        summarise("religion", RELIGION, effect, metrics);
        List<String> all17 = new ArrayList<>(GENDER);
        all17.addAll(RACE);
        all17.addAll(RELIGION);
        summarise("gender+race+religion", all17, effect, metrics); // bias-bench leaderboard "SEAT (Overall)"
        rec.note("Encodings as bias-bench (Meade et al. 2022): mean of last-layer states incl. [CLS]/[SEP], "
                + "L2-normalised; p-values one-sided, exact when C(|X|+|Y|,|X|) <= " + options.permutationSamples()
                + ", else Monte Carlo (seed " + options.seed() + "). bias-bench's religion tests are not shipped"
                + " (no license upstream).");
        return rec.finish(metrics, new Skipped(), requests.size(), items);
    }

    private static void summarise(
            String type, List<String> set, Map<String, Double> effect, List<MetricValue> metrics) {
        if (!effect.keySet().containsAll(set)) {
            return;
        }
        double sum = 0;
        for (String t : set) {
            sum += Math.abs(effect.get(t));
        }
        metrics.add(new MetricValue(
                "seat/mean-abs-effect-size",
                type,
                sum / set.size(),
                set.size(),
                Double.NaN,
                Double.NaN,
                0.0,
                Map.of("tests", String.join(",", set))));
    }

    private static EmbeddingRequest request(String text) {
        return new EmbeddingRequest(text, Pooling.MEAN, true);
    }

    private static float[][] vectors(SeatTest.Set s, Map<ModelRequest<?>, Object> enc) {
        float[][] out = new float[s.examples().size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float[]) enc.get(request(s.examples().get(i)));
        }
        return out;
    }

    /**
     * The tests to run: the bias type's Meade et al. set, a comma list, 'all', or by default gender+race (+ religion
     * when the data has those tests).
     */
    static List<String> select(BenchmarkSpec spec, RunOptions options) throws InvalidInputException {
        List<String> available = spec.files().stream()
                .map(BenchmarkSpec.DataFile::path)
                .filter(p -> p.startsWith("tests/") && p.endsWith(".jsonl"))
                .map(p -> p.substring(6, p.length() - 6))
                .sorted(Comparator.comparing(SeatBenchmark::sortKey))
                .toList();
        List<String> names;
        String v = options.variant();
        if (v != null && !v.isBlank()) {
            names = v.equals("all") ? available : List.of(v.split(","));
        } else if (options.biasType() == null) {
            names = new ArrayList<>(GENDER);
            names.addAll(RACE);
            if (available.containsAll(RELIGION)) {
                names.addAll(RELIGION); // only in a user's folder: the shipped data has no religion tests
            }
        } else if (options.biasType().equals("gender")) {
            names = GENDER;
        } else if (options.biasType().equals("race") || options.biasType().equals("race-color")) {
            names = RACE;
        } else if (options.biasType().equals("religion")) {
            names = RELIGION;
            if (!available.containsAll(RELIGION)) {
                throw new InvalidInputException(
                        "the SEAT religion tests " + RELIGION + " are not in " + spec.id()
                                + "'s data (bias-bench ships them without a license, so Unmask cannot)",
                        "use gender or race, or a benchmark folder that adds the sent-religion*.jsonl files to"
                                + " benchmark.yaml");
            }
        } else {
            throw new InvalidInputException(
                    "SEAT has no test set for bias type '" + options.biasType() + "'",
                    "use gender, race or religion, or --variant with test names");
        }
        for (String n : names) {
            if (!available.contains(n)) {
                throw new InvalidInputException("no SEAT test '" + n + "'", "available: " + available);
            }
        }
        return options.limit() > 0 ? names.subList(0, Math.min(options.limit(), names.size())) : names;
    }

    /** sent-bias' natural sort: numbers compare as numbers (weat2 < weat10). */
    static String sortKey(String name) {
        Matcher m = Pattern.compile("\\d+").matcher(name);
        StringBuilder sb = new StringBuilder();
        int prev = 0;
        while (m.find()) {
            sb.append(name, prev, m.start()).append(String.format("%08d", Long.parseLong(m.group())));
            prev = m.end();
        }
        return sb.append(name.substring(prev)).toString();
    }
}
