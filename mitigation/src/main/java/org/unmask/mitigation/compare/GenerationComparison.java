package org.unmask.mitigation.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.unmask.core.result.Decoding;
import org.unmask.core.result.GenerationItem;
import org.unmask.core.result.GenerationResult;
import org.unmask.core.result.GenerationResult.Setting;
import org.unmask.core.result.GenerationResult.TargetShare;
import org.unmask.core.stats.CrossedBootstrap;
import org.unmask.core.stats.CrossedDesign;
import org.unmask.core.stats.Draw;
import org.unmask.core.stats.Interval;

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
 * <p>Both changes get the audit's seeded crossed-bootstrap BCa 95 % CI, the same draw for both runs (the runs are
 * paired by target: both asked about the same occupations). Where both runs' continuations came from the same
 * templates and contexts (two models audited with one suite) the interval resamples targets × templates ×
 * contexts, as the audit's own generation intervals do; otherwise (a completion study against a chat study) the
 * prompts cannot be paired and it resamples targets, and its note says why. Runs whose measure used other targets
 * are not paired: the comparison says so in a note instead.
 */
final class GenerationComparison {
    private static final int RESAMPLES = 2000;

    private GenerationComparison() {}

    /**
     * The changes of measure {@code name} between {@code ma} (run A) and {@code mb} (run B), one per shared decoding
     * setting; a reason it could not be paired is added to {@code notes}.
     */
    static List<RunComparison.GenerationChange> compare(
            String name, GenerationResult ma, GenerationResult mb, long seed, List<String> notes) {
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
            out.add(change(name, e.getKey(), ma, mb, a, b, ma.statName() != null, seed));
        }
        for (String s : settingsB.keySet()) {
            if (!settings(ma).containsKey(s)) {
                notes.add(name + " / " + s + ": decoding setting only in run B, not compared");
            }
        }
        return out;
    }

    private static RunComparison.GenerationChange change(
            String name,
            String setting,
            GenerationResult ma,
            GenerationResult mb,
            TargetCounts a,
            TargetCounts b,
            boolean stat,
            long seed) {
        int n = a.targets().size();
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        double shareA = a.share(all);
        double shareB = b.share(all);
        double ampA = stat ? a.amplification(all) : Double.NaN;
        double ampB = stat ? b.amplification(all) : Double.NaN;
        Interval[] ci = Cells.of(setting, ma, mb, a, b).intervals(stat, seed);
        return new RunComparison.GenerationChange(
                name, setting, n, shareA, shareB, shareB - shareA, ci[0], ampA, ampB, ampB - ampA, ci[1]);
    }

    /**
     * Both runs' label counts per prompt cell (target, template, context) of one setting, on one design; a cell
     * missing from a run counts 0 there. Without item-level rows, or when the runs' prompts differ, a cell is a
     * target.
     */
    private record Cells(CrossedDesign design, int[] target, int[][] female, int[][] male, double[] stat, String note) {
        static Cells of(String setting, GenerationResult ma, GenerationResult mb, TargetCounts a, TargetCounts b) {
            Map<List<String>, int[]> cells = new LinkedHashMap<>(); // key -> {target, fA, mA, fB, mB}
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int t = 0; t < a.targets().size(); t++) {
                index.put(a.targets().get(t), t);
            }
            TreeSet<List<String>> promptsA = prompts(ma, setting);
            boolean paired = !promptsA.isEmpty() && promptsA.equals(prompts(mb, setting));
            if (paired) {
                count(cells, index, ma, setting, 1);
                count(cells, index, mb, setting, 3);
                paired = matches(cells, a, 1) && matches(cells, b, 3);
            }
            if (!paired) {
                cells.clear();
                for (int t = 0; t < a.targets().size(); t++) {
                    cells.put(
                            List.of(a.targets().get(t), "", ""),
                            new int[] {t, a.female()[t], a.male()[t], b.female()[t], b.male()[t]});
                }
            }
            List<List<String>> keys = new ArrayList<>(cells.keySet());
            CrossedDesign design = CrossedDesign.of(
                    keys,
                    List.of(
                            CrossedDesign.Spec.of("targets", k -> k.get(0)),
                            CrossedDesign.Spec.of("templates", k -> k.get(1)),
                            CrossedDesign.Spec.of("contexts", k -> k.get(2))));
            int m = keys.size();
            int[] target = new int[m];
            int[][] female = new int[2][m];
            int[][] male = new int[2][m];
            for (int i = 0; i < m; i++) {
                int[] c = cells.get(keys.get(i));
                target[i] = c[0];
                female[0][i] = c[1];
                male[0][i] = c[2];
                female[1][i] = c[3];
                male[1][i] = c[4];
            }
            String note = paired || promptsA.isEmpty() && prompts(mb, setting).isEmpty()
                    ? ""
                    : "the runs' prompts (templates, contexts) differ, so only targets are resampled";
            return new Cells(design, target, female, male, a.stat(), note);
        }

        /** Whether the item rows add up to the per-target counts (else the per-target counts are used). */
        private static boolean matches(Map<List<String>, int[]> cells, TargetCounts counts, int at) {
            int[] f = new int[counts.targets().size()];
            int[] m = new int[f.length];
            for (int[] c : cells.values()) {
                f[c[0]] += c[at];
                m[c[0]] += c[at + 1];
            }
            return Arrays.equals(f, counts.female()) && Arrays.equals(m, counts.male());
        }

        /** The (template, context) prompts of a setting's continuations, from the item rows. */
        private static TreeSet<List<String>> prompts(GenerationResult m, String setting) {
            TreeSet<List<String>> out = new TreeSet<>(
                    Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
            for (GenerationItem i : m.items()) {
                if (setting.equals(i.setting())) {
                    out.add(List.of(i.template(), i.context()));
                }
            }
            return out;
        }

        private static void count(
                Map<List<String>, int[]> cells,
                Map<String, Integer> index,
                GenerationResult m,
                String setting,
                int at) {
            for (GenerationItem i : m.items()) {
                Integer t = index.get(i.target());
                if (t == null || !setting.equals(i.setting())) {
                    continue;
                }
                int[] c = cells.computeIfAbsent(
                        List.of(i.target(), i.template(), i.context()), k -> new int[] {t, 0, 0, 0, 0});
                c[at] += "female".equals(i.label()) ? 1 : 0;
                c[at + 1] += "male".equals(i.label()) ? 1 : 0;
            }
        }

        /** The BCa intervals of Δ share and Δ amplification. */
        Interval[] intervals(boolean withStat, long seed) {
            CrossedBootstrap.Result r = new CrossedBootstrap(seed, RESAMPLES).run(design, 2, d -> {
                double[] a = statistics(d, 0);
                double[] b = statistics(d, 1);
                return new double[] {b[0] - a[0], withStat ? b[1] - a[1] : Double.NaN};
            });
            Interval share = r.bca(0).withNote(note);
            Interval amp = withStat ? r.bca(1).withNote(note) : Interval.UNDEFINED;
            return new Interval[] {share, amp};
        }

        /** Run {@code run}'s {female share, amplification} under a draw. */
        private double[] statistics(Draw d, int run) {
            int targetFactor = design.indexOf("targets");
            int targets = stat.length;
            long[] f = new long[targets];
            long[] gendered = new long[targets];
            int[] drawn = new int[targets];
            long fs = 0;
            long all = 0;
            for (int i = 0; i < target.length; i++) {
                double w = d.weightExcept(i, targetFactor);
                int c = d.countOf(targetFactor, i);
                f[target[i]] += (long) w * female[run][i];
                gendered[target[i]] += (long) w * (female[run][i] + male[run][i]);
                drawn[target[i]] = c;
                fs += (long) (w * c) * female[run][i];
                all += (long) (w * c) * (female[run][i] + male[run][i]);
            }
            double sum = 0;
            int n = 0;
            for (int t = 0; t < targets; t++) {
                if (drawn[t] > 0 && gendered[t] > 0 && !Double.isNaN(stat[t])) {
                    sum += drawn[t] * (100.0 * f[t] / gendered[t] - stat[t]);
                    n += drawn[t];
                }
            }
            return new double[] {all == 0 ? Double.NaN : (double) fs / all, n == 0 ? Double.NaN : sum / n};
        }
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
        return String.format(
                Locale.ROOT,
                "%d vs %d targets; only in A: %s; only in B: %s",
                a.targets().size(),
                b.targets().size(),
                first(onlyA),
                first(onlyB));
    }

    private static String first(TreeSet<String> s) {
        return s.isEmpty()
                ? "none"
                : s.size() <= 3
                        ? String.join(", ", s)
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
