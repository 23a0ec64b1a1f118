package org.unmask.mitigation.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.unmask.core.error.InvalidInputException;
import org.unmask.core.result.CorpusStats;
import org.unmask.core.result.LabResult;
import org.unmask.core.result.LabResult.Cost;
import org.unmask.core.result.LabResult.Effect;
import org.unmask.core.result.LabResult.Excluded;
import org.unmask.core.result.LabResult.Row;
import org.unmask.core.result.LabResult.SeedCost;
import org.unmask.core.result.TraceResult;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.CrossedDesign;
import org.unmask.core.stats.Draw;
import org.unmask.core.stats.Estimate;
import org.unmask.core.stats.Interval;
import org.unmask.core.stats.Moments;
import org.unmask.core.stats.NoiseFloor;
import org.unmask.core.stats.StudentT;
import org.unmask.mitigation.cost.PseudoPerplexity;

/**
 * The statistics of a pretraining lab: from both corpora's statistics, every model's trace and every model's
 * pseudo-perplexity to a {@link LabResult}. All intervals come from {@code core/stats}.
 *
 * <p><b>Design.</b> Every arm trains one model per seed with the same seeds, so the arms are paired by seed. A bias
 * measure is averaged over the items (seed × occupation) of the occupations counted in every model; its interval is
 * the 95 % BCa interval of the {@link CrossedBootstrap} over the crossed factors seeds and occupations (training noise
 * and the choice of occupations both vary), and the effect's interval is also given with seeds alone resampled
 * (training noise only, for these occupations). With fewer than {@value CrossedDesign#MIN_RESAMPLED_LEVELS} levels a
 * factor is held fixed and the interval says so in its note. The per-occupation change is the mean over seeds of the
 * paired differences with a Student-t interval (k − 1 degrees of freedom). The noise floor of the mean absolute
 * per-occupation change is the recentred-bootstrap null over seeds ({@link NoiseFloor}): what that statistic is with
 * no data effect at the observed training noise. The cost is pseudo-perplexity pooled over sentences, per arm, with
 * the crossed bootstrap over seeds and sentences.
 */
public final class LabAnalysis {
    /** Seed of every bootstrap here: fixed, so a lab report is reproducible from its inputs. */
    public static final long SEED = 17;

    /** The arms, in order. */
    public static final List<String> ARMS = List.of("original", "cda");

    private LabAnalysis() {}

    /**
     * One arm's measurements.
     *
     * @param stats the arm's corpus statistics (its training part)
     * @param traces one trace per seed, in seed order
     * @param costs one pseudo-perplexity per seed, in seed order (on the original corpus's held-out text)
     */
    public record Arm(CorpusStats stats, List<TraceResult> traces, List<PseudoPerplexity.Result> costs) {
        public Arm {
            traces = List.copyOf(traces);
            costs = List.copyOf(costs);
        }
    }

    /**
     * Analyses a finished lab.
     *
     * @param setup what was run (its seeds give the order of the arms' lists)
     * @param original the original arm
     * @param cda the augmented arm
     * @param caveats caveats from the run (corpus and model size), to which the analysis adds its own
     * @throws InvalidInputException when an arm does not hold one trace and one cost per seed, or the costs were not
     *     measured on the same text
     */
    public static LabResult analyse(String name, LabResult.Setup setup, Arm original, Arm cda, List<String> caveats)
            throws InvalidInputException {
        int k = setup.seeds().size();
        for (Arm a : List.of(original, cda)) {
            if (a.traces().size() != k || a.costs().size() != k) {
                throw new InvalidInputException(
                        "lab arm has " + a.traces().size() + " traces and "
                                + a.costs().size() + " costs for " + k + " seeds",
                        "rerun the experiment: every seed needs its trace and cost");
            }
        }
        Map<String, CorpusStats.Occupation> dataA = byName(original.stats());
        Map<String, CorpusStats.Occupation> dataB = byName(cda.stats());
        List<Map<String, Double>> modelA = shares(original.traces());
        List<Map<String, Double>> modelB = shares(cda.traces());
        List<String> counted = new ArrayList<>();
        List<Excluded> excluded = new ArrayList<>();
        for (CorpusStats.Occupation o : original.stats().occupations()) {
            String occ = o.occupation();
            long nA = o.sentence().n();
            CorpusStats.Occupation b = dataB.get(occ);
            long nB = b == null ? 0 : b.sentence().n();
            String reason = null;
            if (nA < setup.minSentences()) {
                reason = "too few mentions: " + nA + " gendered sentences in the original corpus (< "
                        + setup.minSentences() + ")";
            } else if (nB < setup.minSentences()) {
                reason = "too few mentions: " + nB + " gendered sentences in the augmented corpus (< "
                        + setup.minSentences() + ")";
            } else if (!inAll(occ, modelA) || !inAll(occ, modelB)) {
                reason = "not measured in every model (not in the audit's suite, or the model share is undefined)";
            }
            if (reason == null) {
                counted.add(occ);
            } else {
                excluded.add(new Excluded(occ, nA, nB, reason));
            }
        }
        int n = counted.size();
        double[][] xA = new double[k][n];
        double[][] xB = new double[k][n];
        double[] dA = new double[n];
        double[] dB = new double[n];
        for (int j = 0; j < n; j++) {
            String occ = counted.get(j);
            dA[j] = dataA.get(occ).sentence().pctFemale();
            dB[j] = dataB.get(occ).sentence().pctFemale();
            for (int s = 0; s < k; s++) {
                xA[s][j] = modelA.get(s).get(occ);
                xB[s][j] = modelB.get(s).get(occ);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            List<Double> a = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            double[] diff = new double[k];
            for (int s = 0; s < k; s++) {
                a.add(xA[s][j]);
                b.add(xB[s][j]);
                diff[s] = xB[s][j] - xA[s][j];
            }
            rows.add(new Row(
                    counted.get(j),
                    dA[j],
                    dataA.get(counted.get(j)).sentence().n(),
                    dB[j],
                    dataB.get(counted.get(j)).sentence().n(),
                    a,
                    b,
                    mean(a) - dA[j],
                    mean(b) - dB[j],
                    tInterval(diff)));
        }
        List<Effect> effects = effects(setup, xA, xB, dA, dB);
        List<String> all = new ArrayList<>(caveats);
        if (!excluded.isEmpty()) {
            all.add(excluded.size() + " occupation(s) not counted (listed with the reason): the effects hold for the "
                    + n + " counted ones only");
        }
        if (n < CrossedDesign.MIN_RESAMPLED_LEVELS) {
            all.add("only " + n + " occupation(s) counted: the occupations are held fixed in every interval");
        }
        all.add(k + " seeds per arm: the per-occupation intervals rest on " + (k - 1)
                + " degrees of freedom and are wide, and the bootstrap over seeds has at most " + (long) Math.pow(k, k)
                + " distinct resamples (so the noise floor's p means no better than 1 in " + (long) Math.pow(k, k)
                + "); more seeds narrow both");
        return new LabResult(LabResult.SCHEMA, name, setup, rows, excluded, effects, cost(setup, original, cda), all);
    }

    /** The bias measures, per arm and their effect. */
    private static List<Effect> effects(LabResult.Setup setup, double[][] xA, double[][] xB, double[] dA, double[] dB) {
        int k = xA.length;
        int n = dA.length;
        record Item(int seed, int occ) {}
        List<Item> items = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            for (int j = 0; j < n; j++) {
                items.add(new Item(s, j));
            }
        }
        List<Measure> measures = List.of(
                new Measure(
                        "model-pct-female",
                        "model % female, mean over seeds × occupations",
                        "none by itself: an unbiased model follows its data; 50 after two-sided CDA",
                        (s, j) -> xA[s][j],
                        (s, j) -> xB[s][j]),
                new Measure(
                        "model-one-sidedness",
                        "|model % female − 50|, mean over seeds × occupations (points)",
                        "0",
                        (s, j) -> Math.abs(xA[s][j] - 50),
                        (s, j) -> Math.abs(xB[s][j] - 50)),
                new Measure(
                        "amplification",
                        "model − data % female (each arm against its own corpus), mean over seeds × occupations"
                                + " (points)",
                        "0 (the model reproduces its data)",
                        (s, j) -> xA[s][j] - dA[j],
                        (s, j) -> xB[s][j] - dB[j]),
                new Measure(
                        "data-one-sidedness",
                        "|data % female − 50| of the arm's corpus, mean over occupations (points; no seed noise)",
                        "0",
                        (s, j) -> Math.abs(dA[j] - 50),
                        (s, j) -> Math.abs(dB[j] - 50)));
        int m = measures.size();
        Function<Draw, double[]> stat = d -> {
            double[] out = new double[3 * m];
            for (int q = 0; q < m; q++) {
                double sa = 0;
                double sb = 0;
                double w = 0;
                for (int i = 0; i < items.size(); i++) {
                    double wi = d.weight(i);
                    if (wi == 0) {
                        continue;
                    }
                    Item it = items.get(i);
                    sa += wi * measures.get(q).a().at(it.seed(), it.occ());
                    sb += wi * measures.get(q).b().at(it.seed(), it.occ());
                    w += wi;
                }
                out[3 * q] = w == 0 ? Double.NaN : sa / w;
                out[3 * q + 1] = w == 0 ? Double.NaN : sb / w;
                out[3 * q + 2] = w == 0 ? Double.NaN : (sb - sa) / w;
            }
            return out;
        };
        CrossedBootstrap boot = new CrossedBootstrap(SEED, setup.resamples());
        List<Effect> effects = new ArrayList<>();
        if (items.isEmpty()) {
            for (Measure q : measures) {
                Estimate none = Estimate.undefinedInterval(Double.NaN, 0);
                effects.add(
                        new Effect(q.id(), q.definition(), q.ideal(), none, none, none, none, Double.NaN, Double.NaN));
            }
            effects.add(meanAbsoluteChange(boot, xA, xB));
            return effects;
        }
        CrossedDesign crossed = CrossedDesign.of(
                items,
                List.of(
                        CrossedDesign.Spec.<Item>of("seeds", Item::seed),
                        CrossedDesign.Spec.<Item>of("occupations", Item::occ)));
        CrossedDesign seedsOnly = CrossedDesign.of(items, List.of(CrossedDesign.Spec.<Item>of("seeds", Item::seed)));
        CrossedBootstrap.Result both = boot.run(crossed, 3 * m, stat);
        CrossedBootstrap.Result seeds = boot.run(seedsOnly, 3 * m, stat);
        for (int q = 0; q < m; q++) {
            Measure me = measures.get(q);
            effects.add(new Effect(
                    me.id(),
                    me.definition(),
                    me.ideal(),
                    new Estimate(both.estimates()[3 * q], both.bca(3 * q), items.size()),
                    new Estimate(both.estimates()[3 * q + 1], both.bca(3 * q + 1), items.size()),
                    new Estimate(both.estimates()[3 * q + 2], both.bca(3 * q + 2), items.size()),
                    new Estimate(seeds.estimates()[3 * q + 2], seeds.bca(3 * q + 2), items.size()),
                    Double.NaN,
                    Double.NaN));
        }
        effects.add(meanAbsoluteChange(boot, xA, xB));
        return effects;
    }

    /**
     * Mean over occupations of |mean over seeds of the paired change| with its noise floor: how far the occupations
     * move on average, against how far they would move on training noise alone.
     */
    private static Effect meanAbsoluteChange(CrossedBootstrap boot, double[][] xA, double[][] xB) {
        String id = "mean-absolute-change";
        String def =
                "|cda − original model % female| per occupation (mean over seeds), mean over occupations" + " (points)";
        String ideal = "the noise floor when the data has no effect";
        int k = xA.length;
        int n = k == 0 ? 0 : xA[0].length;
        if (n == 0) {
            Estimate none = Estimate.undefinedInterval(Double.NaN, 0);
            return new Effect(id, def, ideal, none, none, none, none, Double.NaN, Double.NaN);
        }
        CrossedDesign seeds = CrossedDesign.iid("seeds", k);
        CrossedBootstrap.Result r = boot.run(seeds, n, d -> {
            double[] out = new double[n];
            for (int j = 0; j < n; j++) {
                double s = 0;
                double w = 0;
                for (int i = 0; i < k; i++) {
                    s += d.weight(i) * (xB[i][j] - xA[i][j]);
                    w += d.weight(i);
                }
                out[j] = w == 0 ? Double.NaN : s / w;
            }
            return out;
        });
        double observed = 0;
        for (double v : r.estimates()) {
            observed += Math.abs(v) / n;
        }
        double[] nullDraws = NoiseFloor.absoluteNull(r.estimates(), r.replicates())[0];
        NoiseFloor floor = NoiseFloor.of(observed, nullDraws, NoiseFloor.RECENTRED);
        Estimate e = Estimate.undefinedInterval(observed, k * n);
        Estimate none = Estimate.undefinedInterval(Double.NaN, 0);
        return new Effect(id, def, ideal, none, none, e, e, floor.value(), floor.p());
    }

    /** Pseudo-perplexity (held-out perplexity for causal models) per arm pooled over sentences, crossed bootstrap over seeds × sentences, and their ratio. */
    private static Cost cost(LabResult.Setup setup, Arm a, Arm b) throws InvalidInputException {
        int k = setup.seeds().size();
        PseudoPerplexity.Result first = a.costs().get(0);
        int n = first.sentences();
        for (Arm arm : List.of(a, b)) {
            for (PseudoPerplexity.Result r : arm.costs()) {
                if (r.sentences() != n
                        || !r.text().equals(first.text())
                        || !java.util.Arrays.equals(r.perSentenceTokens(), first.perSentenceTokens())) {
                    throw new InvalidInputException(
                            "the lab's pseudo-perplexities were not measured on the same held-out sentences",
                            "rerun the experiment so every model is scored on the same text");
                }
            }
        }
        List<SeedCost> perSeed = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            perSeed.add(new SeedCost(
                    setup.seeds().get(s),
                    a.costs().get(s).pppl(),
                    b.costs().get(s).pppl()));
        }
        record Item(int seed, int sentence) {}
        List<Item> items = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            for (int i = 0; i < n; i++) {
                items.add(new Item(s, i));
            }
        }
        int[] tokens = first.perSentenceTokens();
        Function<Draw, double[]> stat = d -> {
            double la = 0;
            double lb = 0;
            double t = 0;
            for (int i = 0; i < items.size(); i++) {
                double w = d.weight(i);
                if (w == 0) {
                    continue;
                }
                Item it = items.get(i);
                la += w * a.costs().get(it.seed()).perSentencePll()[it.sentence()];
                lb += w * b.costs().get(it.seed()).perSentencePll()[it.sentence()];
                t += w * tokens[it.sentence()];
            }
            if (t == 0) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN};
            }
            double pa = Math.exp(-la / t);
            double pb = Math.exp(-lb / t);
            return new double[] {pa, pb, pb / pa};
        };
        CrossedDesign design = CrossedDesign.of(
                items,
                List.of(
                        CrossedDesign.Spec.<Item>of("seeds", Item::seed),
                        CrossedDesign.Spec.<Item>of("sentences", Item::sentence)));
        CrossedBootstrap.Result r = new CrossedBootstrap(SEED, setup.resamples()).run(design, 3, stat);
        return new Cost(
                "causal".equals(setup.arch()) ? Cost.HELD_OUT_PERPLEXITY : Cost.PSEUDO_PERPLEXITY,
                first.text(),
                n,
                first.tokens(),
                perSeed,
                new Estimate(r.estimates()[0], r.bca(0), items.size()),
                new Estimate(r.estimates()[1], r.bca(1), items.size()),
                new Estimate(r.estimates()[2], r.bca(2), items.size()));
    }

    /** The mean of paired differences with its Student-t 95 % interval (k − 1 degrees of freedom). */
    static Estimate tInterval(double[] diff) {
        double m = Moments.mean(diff);
        if (diff.length < 2) {
            return Estimate.undefinedInterval(m, diff.length);
        }
        double half = StudentT.quantile(0.975, diff.length - 1) * Moments.std(diff) / Math.sqrt(diff.length);
        return new Estimate(m, new Interval(m - half, m + half, "student-t", "seeds", "paired by seed"), diff.length);
    }

    private static double mean(List<Double> x) {
        return x.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static Map<String, CorpusStats.Occupation> byName(CorpusStats s) {
        Map<String, CorpusStats.Occupation> m = new LinkedHashMap<>();
        for (CorpusStats.Occupation o : s.occupations()) {
            m.put(o.occupation(), o);
        }
        return m;
    }

    /** Each trace's model % female per occupation (its first run: the lab traces one audit per model). */
    private static List<Map<String, Double>> shares(List<TraceResult> traces) {
        List<Map<String, Double>> out = new ArrayList<>();
        for (TraceResult t : traces) {
            Map<String, Double> m = new HashMap<>();
            if (!t.runs().isEmpty()) {
                for (TraceResult.Point p : t.runs().get(0).points()) {
                    if (!Double.isNaN(p.modelPctFemale())) {
                        m.put(p.occupation(), p.modelPctFemale());
                    }
                }
            }
            out.add(m);
        }
        return out;
    }

    private static boolean inAll(String occ, List<Map<String, Double>> shares) {
        return shares.stream().allMatch(m -> m.containsKey(occ));
    }

    /** The measure kind the traces read (the first run's), for the report's setup. */
    public static String measureOf(List<TraceResult> traces) {
        return traces.isEmpty() || traces.get(0).runs().isEmpty()
                ? ""
                : traces.get(0).runs().get(0).measure();
    }

    /** One bias measure on an item (seed index, occupation index), for each arm. */
    private record Measure(String id, String definition, String ideal, Value a, Value b) {}

    @FunctionalInterface
    private interface Value {
        double at(int seed, int occupation);
    }
}
