package org.unmask.mitigation.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.unmask.core.result.Decoding;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.GenerationResult.Setting;
import org.unmask.core.result.GenerationResult.TargetShare;

/**
 * Paired comparison of a sampled-generation measure ({@code generation}) in two audits, e.g. a base model
 * (gender-occupation-generation) against its instruction-tuned sibling (gender-occupation-generation-chat), as
 * Thaler et al. (2024) compare OLMo base, SFT and Instruct, or a model before and after a mitigation.
 *
 * <p>Per decoding setting present in both runs (by name), from the per-target label counts {@code F_t, M_t} of
 * each run's {@link GenerationResult}:
 *
 * <pre>female share = Σ_t F_t / Σ_t (F_t + M_t)                          (ideal 0.5; as the audit reports it)
 * Δ share = share(B) − share(A)
 * amplification = mean over targets with F_t + M_t &gt; 0 of (100 · F_t / (F_t + M_t) − stat_t)      (ideal 0)
 * Δ amplification = amplification(B) − amplification(A)</pre>
 *
 * <p>Both changes get a seeded percentile-bootstrap 95 % CI that resamples targets, the same draw for both runs
 * (the runs are paired by target: both asked about the same occupations). Runs whose measure used other targets
 * are not paired: the comparison says so in a note instead.
 */
final class GenerationComparison {
    private static final int RESAMPLES = 2000;

    private GenerationComparison() {}

    /**
     * The changes of measure {@code name} between {@code ma} (run A) and {@code mb} (run B), one per shared decoding
     * setting; a reason it could not be paired is added to {@code notes}.
     */
    static List<RunComparison.GenerationChange> compare(String name, GenerationResult ma, GenerationResult mb,
            long seed, List<String> notes) {
        List<RunComparison.GenerationChange> out = new ArrayList<>();
        Map<String, Setting> settingsB = settings(mb);
        for (Map.Entry<String, Setting> e : settings(ma).entrySet()) {
            Setting sb = settingsB.get(e.getKey());
            if (sb == null) {
                notes.add(name + " / " + e.getKey() + ": decoding setting only in run A, not compared");
                continue;
            }
            TargetCounts a = TargetCounts.of(e.getValue());
            TargetCounts b = TargetCounts.of(sb);
            if (!a.targets().equals(b.targets())) {
                notes.add(name + " / " + e.getKey() + ": the runs sampled different targets (" + differences(a, b)
                        + "), so they cannot be paired by target; audit both with the same target list");
                continue;
            }
            if (!sameDecoding(e.getValue().decoding(), sb.decoding())) {
                notes.add(name + " / " + e.getKey() + ": the setting's temperature, top-k or top-p differ between "
                        + "the runs; compared by name anyway");
            }
            out.add(change(name, e.getKey(), a, b, ma.statName() != null, seed));
        }
        for (String s : settingsB.keySet()) {
            if (!settings(ma).containsKey(s)) {
                notes.add(name + " / " + s + ": decoding setting only in run B, not compared");
            }
        }
        return out;
    }

    private static RunComparison.GenerationChange change(String name, String setting, TargetCounts a, TargetCounts b,
            boolean stat, long seed) {
        int n = a.targets().size();
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        double shareA = a.share(all);
        double shareB = b.share(all);
        double ampA = stat ? a.amplification(all) : Double.NaN;
        double ampB = stat ? b.amplification(all) : Double.NaN;
        double[][] ci = bootstrap(a, b, stat, seed);
        return new RunComparison.GenerationChange(name, setting, n, shareA, shareB, shareB - shareA, ci[0][0],
                ci[0][1], ampA, ampB, ampB - ampA, ci[1][0], ci[1][1]);
    }

    /** Percentile 95 % CIs of Δ share and Δ amplification, resampling targets jointly for both runs. */
    private static double[][] bootstrap(TargetCounts a, TargetCounts b, boolean stat, long seed) {
        int n = a.targets().size();
        double[] share = new double[RESAMPLES];
        double[] amp = new double[RESAMPLES];
        SplittableRandom r = new SplittableRandom(seed);
        int[] draw = new int[n];
        for (int k = 0; k < RESAMPLES; k++) {
            for (int i = 0; i < n; i++) {
                draw[i] = r.nextInt(n);
            }
            share[k] = b.share(draw) - a.share(draw);
            amp[k] = stat ? b.amplification(draw) - a.amplification(draw) : Double.NaN;
        }
        return new double[][] {percentile95(share), percentile95(amp)};
    }

    /** The 2.5 % and 97.5 % points of the defined replicates (a resample with no gendered text has none). */
    private static double[] percentile95(double[] replicates) {
        double[] d = Arrays.stream(replicates).filter(Double::isFinite).sorted().toArray();
        if (d.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {d[(int) (0.025 * d.length)], d[Math.max(0, (int) (0.975 * d.length) - 1)]};
    }

    private static Map<String, Setting> settings(GenerationResult measure) {
        Map<String, Setting> out = new LinkedHashMap<>();
        for (Setting s : measure.settings()) {
            out.put(s.decoding().name(), s);
        }
        return out;
    }

    private static boolean sameDecoding(Decoding a, Decoding b) {
        return a.temperature() == b.temperature() && a.topK() == b.topK() && a.topP() == b.topP();
    }

    private static String differences(TargetCounts a, TargetCounts b) {
        TreeSet<String> onlyA = new TreeSet<>(a.targets());
        onlyA.removeAll(b.targets());
        TreeSet<String> onlyB = new TreeSet<>(b.targets());
        onlyB.removeAll(a.targets());
        return String.format(Locale.ROOT, "%d vs %d targets; only in A: %s; only in B: %s", a.targets().size(),
                b.targets().size(), first(onlyA), first(onlyB));
    }

    private static String first(TreeSet<String> s) {
        return s.isEmpty() ? "none" : s.size() <= 3 ? String.join(", ", s)
                : String.join(", ", new ArrayList<>(s).subList(0, 3)) + " and " + (s.size() - 3) + " more";
    }

    /**
     * One run's per-target counts under one setting, sorted by target so both runs index targets alike.
     *
     * @param targets target words, sorted
     * @param female F_t
     * @param male M_t
     * @param stat the targets' statistic (NaN where the file has none)
     */
    private record TargetCounts(List<String> targets, int[] female, int[] male, double[] stat) {
        static TargetCounts of(Setting setting) {
            Map<String, TargetShare> byTarget = new TreeMap<>();
            for (TargetShare t : setting.targets()) {
                byTarget.put(t.target(), t);
            }
            int n = byTarget.size();
            int[] f = new int[n];
            int[] m = new int[n];
            double[] s = new double[n];
            int i = 0;
            for (TargetShare t : byTarget.values()) {
                f[i] = t.counts().female();
                m[i] = t.counts().male();
                s[i++] = t.stat();
            }
            return new TargetCounts(List.copyOf(byTarget.keySet()), f, m, s);
        }

        /** Σ F / Σ (F + M) over the drawn targets (a target drawn twice counts twice); NaN when none is gendered. */
        double share(int[] draw) {
            long fs = 0;
            long gendered = 0;
            for (int i : draw) {
                fs += female[i];
                gendered += female[i] + male[i];
            }
            return gendered == 0 ? Double.NaN : (double) fs / gendered;
        }

        /** Mean of 100 · share_t − stat_t over the drawn targets with a share and a statistic; NaN without any. */
        double amplification(int[] draw) {
            double sum = 0;
            int n = 0;
            for (int i : draw) {
                if (female[i] + male[i] > 0 && !Double.isNaN(stat[i])) {
                    sum += 100.0 * female[i] / (female[i] + male[i]) - stat[i];
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }
    }
}
